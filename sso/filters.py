from django.utils.translation import gettext_lazy as _

from portal.listing import ListFilterSet, search_filter, sort_filter


class OrganisationSignInFilter(ListFilterSet):
    q = search_filter("name", label=_("Organisation"))
    sort = sort_filter(name=("name", _("Organisation")), kind=("kind", _("Kind")))
    default_sort = "name"
