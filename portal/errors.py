"""The answer to a request that failed: 503 while the database is away, otherwise the 500 page.

``handler500`` gets every exception Django did not turn into a response itself, from a view
or from a middleware (the session, the signed-in person and their language are read in
middleware, so a database outage shows there first). Neither page touches the database: each
is a template without the base layout, rendered without the request's context.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

# A restart of PostgreSQL takes seconds; a browser or a proxy may ask again after this long.
RETRY_AFTER_SECONDS = 30

# A connection that cannot be made, or one that was lost (psycopg's errors, as Django wraps them).
DATABASE_AWAY = (OperationalError, InterfaceError)


def server_error(request):
    error = sys.exc_info()[1]  # Django calls the handler inside its ``except`` for the error
    if isinstance(error, DATABASE_AWAY):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request)
