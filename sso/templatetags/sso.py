from django import template

from sso.adapter import app_for
from sso.selectors import identity_providers_active

register = template.Library()


@register.inclusion_tag("sso/_login_buttons.html", takes_context=True)
def sso_login_buttons(context):
    """A button per organisation that signs in through its own provider."""
    request = context["request"]
    buttons = [
        {
            "organisation": row.organisation.name,
            "url": app_for(row).get_provider(request).get_login_url(request),
        }
        for row in identity_providers_active()
    ]
    return {
        "buttons": buttons,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "redirect_field_name": context.get("redirect_field_name", "next"),
        "redirect_field_value": context.get("redirect_field_value", ""),
    }
