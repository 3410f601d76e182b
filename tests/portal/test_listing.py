"""portal.listing, the shared filter/sort/paginate helper of every list page, and the
portal's own lists built on it: the outbox and the invitations."""

import re
from datetime import timedelta

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.db import connection
from django.http import Http404
from django.template import RequestContext, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.filters import InvitationFilter
from portal.listing import WindowCountPaginator, list_page, paginate
from portal.models import Invitation, Notification
from portal.templatetags.portal import filter_field
from tests.factories import InvitationFactory, OrganisationFactory
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def _get(user=None, **params):
    request = RequestFactory().get("/lijst/", params)
    request.user = user
    return request


def _listing(user, **params):
    rows = Invitation.objects.for_user(user).order_by("-created_at", "-pk")
    return list_page(_get(user, **params), InvitationFilter, rows, user=user)


# --- the helper ------------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "shown"), [("x", 1), ("", 1), ("1.5", 1), ("2", 2)])
def test_a_page_number_that_is_not_a_number_is_the_first_page(number, shown):
    page = paginate(_get(page=number), list(range(60)))
    assert page.number == shown


@pytest.mark.parametrize("number", ["0", "-1", "3", "9" * 30])
def test_a_page_past_the_end_or_below_one_is_not_found(number):
    with pytest.raises(Http404):
        paginate(_get(page=number), list(range(60)))


def test_an_empty_list_has_a_first_page():
    assert list(paginate(_get(), []).object_list) == []


def _invitations(utrecht, count):
    InvitationFactory.create_batch(count, organisation=utrecht)
    return Invitation.objects.filter(organisation=utrecht).order_by("pk")


@pytest.mark.parametrize("count", [0, 1, 49, 50, 51, 120])
def test_the_window_count_paginator_gives_the_pages_and_count_of_the_paginator(utrecht, count):
    rows = _invitations(utrecht, count)
    pages = (count - 1) // 50 + 1 if count else 1
    for number in range(1, pages + 1):
        plain = paginate(_get(page=str(number)), rows)
        counted = paginate(_get(page=str(number)), rows, paginator_class=WindowCountPaginator)
        assert list(counted.object_list) == list(plain.object_list)
        assert counted.paginator.count == plain.paginator.count == count
        assert counted.paginator.num_pages == plain.paginator.num_pages == pages
        assert counted.has_next() == plain.has_next()
    with pytest.raises(Http404):
        paginate(_get(page=str(pages + 1)), rows, paginator_class=WindowCountPaginator)


@pytest.mark.parametrize(("number", "shown"), [("x", 1), ("", 1), ("1.5", 1), ("2", 2)])
def test_the_window_count_paginator_shows_the_first_page_for_what_is_no_number(
    utrecht, number, shown
):
    rows = _invitations(utrecht, 60)
    page = paginate(_get(page=number), rows, paginator_class=WindowCountPaginator)
    assert page.number == shown


@pytest.mark.parametrize("number", ["0", "-1", "3", "9" * 30])
def test_the_window_count_paginator_finds_no_page_past_the_end_or_below_one(utrecht, number):
    rows = _invitations(utrecht, 60)
    with CaptureQueriesContext(connection) as queries, pytest.raises(Http404):
        paginate(_get(page=number), rows, paginator_class=WindowCountPaginator)
    assert len(queries) <= 1


def test_an_invalid_sort_is_told_in_dutch_and_the_list_keeps_its_default_order(hr, utrecht):
    InvitationFactory.create_batch(2, organisation=utrecht)
    listing = _listing(hr, sort="wachtwoord")
    assert listing.status == 400
    assert listing.filter.sort == ""
    assert [str(error) for error in listing.filter.sort_errors] == [
        "Deze lijst kan niet gesorteerd worden op “wachtwoord”."
    ]
    assert len(listing.rows) == 2


def test_a_valid_sort_is_kept_when_another_filter_is_invalid(hr, utrecht):
    listing = _listing(hr, sort="-name", status="kwijt")
    assert listing.status == 400
    assert listing.filter.sort == "-name"
    assert "status" in listing.filter.errors


@pytest.mark.parametrize(
    ("params", "filtered"),
    [({}, False), ({"sort": "name"}, False), ({"q": ""}, False), ({"page": "1"}, False)]
    + [({"q": "jan"}, True), ({"status": "kwijt"}, True), ({"status": "pending"}, True)],
)
def test_is_filtered_says_whether_a_filter_narrows_the_list(hr, params, filtered):
    assert _listing(hr, **params).filter.is_filtered is filtered


def test_the_order_is_total_so_no_row_shows_on_two_pages(hr, utrecht):
    InvitationFactory.create_batch(
        75, organisation=utrecht, first_name="Sanne", last_name="de Vries"
    )
    for sort in ("name", "-name", "sent"):
        first = {row.pk for row in _listing(hr, sort=sort).rows}
        second = {row.pk for row in _listing(hr, sort=sort, page="2").rows}
        assert len(first) == 50 and len(second) == 25
        assert not first & second, sort


def test_a_search_needs_every_word_in_some_column(hr, utrecht):
    InvitationFactory(organisation=utrecht, first_name="Sanne", last_name="de Vries")
    InvitationFactory(organisation=utrecht, first_name="Sanne", last_name="Jansen")
    InvitationFactory(organisation=utrecht, first_name="Piet", email="vries@utrecht.example")
    found = [row.last_name for row in _listing(hr, q="sanne VRIES").rows]
    assert found == ["de Vries"]


def _sort_header(user, field, **params):
    """The header of ``field`` on the invitations list the address ``params`` asks for."""
    rows = {name: value for name, value in params.items() if name != "page"}
    filterset = _listing(user, **rows).filter
    template = Template('{% load portal %}{% sort_header filter field "Naam" %}')
    context = RequestContext(_get(user, **params), {"filter": filterset, "field": field})
    return template.render(context)


def test_the_sort_header_toggles_and_says_how_the_list_is_sorted(hr):
    params = {"q": "jan", "page": "3"}
    unsorted = _sort_header(hr, "name", **params)
    assert "aria-sort" not in unsorted
    assert 'href="?q=jan&amp;sort=name"' in unsorted  # the filter kept, back to page 1
    params["sort"] = "name"
    ascending = _sort_header(hr, "name", **params)
    assert 'aria-sort="ascending"' in ascending and "sort=-name" in ascending
    assert "page=" not in ascending
    params["sort"] = "-name"
    descending = _sort_header(hr, "name", **params)
    assert 'aria-sort="descending"' in descending and "sort=name" in descending
    other = _sort_header(hr, "email", **params)
    assert "aria-sort" not in other and "sort=email" in other


def test_the_page_default_sort_is_announced_on_its_column(hr):
    # InvitationFilter.default_sort is "-sent": newest first, as the queryset orders.
    header = _sort_header(hr, "sent")
    assert 'aria-sort="descending"' in header and "sort=sent" in header


def test_a_header_for_a_column_the_list_cannot_sort_is_a_programming_error(hr):
    with pytest.raises(TemplateSyntaxError):
        _sort_header(hr, "token")


def test_the_page_links_keep_the_filter_and_the_sort(client, hr, utrecht):
    InvitationFactory.create_batch(51, organisation=utrecht, last_name="Jansen")
    InvitationFactory(organisation=utrecht, last_name="Bakker")
    client.force_login(hr)
    url = reverse("portal:invitation-list")
    page = client.get(url, {"q": "jansen", "sort": "-name"}).content.decode()
    assert "Rijen 1 tot 50 van 51" in page
    assert 'href="?q=jansen&amp;sort=-name&amp;page=2"' in page
    second = client.get(url, {"q": "jansen", "sort": "-name", "page": "2"}).content.decode()
    assert "Rijen 51 tot 51 van 51" in second
    assert "Bakker" not in second
    # The filter form keeps the chosen sort, so filtering again does not lose it.
    assert '<input type="hidden" name="sort" value="-name">' in page


def test_an_empty_list_says_whether_the_filter_found_nothing(client, hr, utrecht):
    client.force_login(hr)
    url = reverse("portal:invitation-list")
    assert "Er zijn nog geen uitnodigingen verstuurd." in client.get(url).content.decode()
    InvitationFactory(organisation=utrecht, last_name="Jansen")
    page = client.get(url, {"q": "bakker"}).content.decode()
    assert "Geen resultaten voor dit filter." in page
    assert "Er zijn nog geen uitnodigingen verstuurd." not in page


def test_a_filter_error_is_tied_to_its_field(client, beheerder):
    client.force_login(beheerder)
    response = client.get(reverse("portal:invitation-list"), {"status": "kwijt"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'aria-invalid="true" aria-describedby="id_status_error"' in page
    assert 'id="id_status_error"' in page and "Selecteer een geldige keuze" in page


# --- the invitations ---------------------------------------------------------------------------


def _invitations_by_status(organisation):
    now = timezone.now()
    return {
        "pending": InvitationFactory(organisation=organisation, last_name="Status-pending"),
        "accepted": InvitationFactory(
            organisation=organisation, last_name="Status-accepted", accepted_at=now
        ),
        "revoked": InvitationFactory(
            organisation=organisation, last_name="Status-revoked", revoked_at=now
        ),
        "expired": InvitationFactory(
            organisation=organisation,
            last_name="Status-expired",
            created_at=now - timedelta(days=60),
            expires_at=now - timedelta(days=1),
        ),
    }


@pytest.mark.parametrize("status", ["pending", "accepted", "revoked", "expired"])
def test_the_invitations_filter_by_the_status_they_show(client, hr, utrecht, status):
    invitations = _invitations_by_status(utrecht)
    client.force_login(hr)
    response = client.get(reverse("portal:invitation-list"), {"status": status})
    assert response.status_code == 200
    page = response.content.decode()
    for other_status, invitation in invitations.items():
        assert invitation.status == other_status
        assert (invitation.last_name in page) is (other_status == status), other_status


def test_the_invitations_sort_by_name_and_date(client, hr, utrecht):
    InvitationFactory(organisation=utrecht, last_name="Zwart", first_name="Ada")
    InvitationFactory(organisation=utrecht, last_name="Aarts", first_name="Bo")
    client.force_login(hr)
    url = reverse("portal:invitation-list")
    by_name = client.get(url, {"sort": "name"}).content.decode()
    assert by_name.index("Aarts") < by_name.index("Zwart")
    newest_first = client.get(url).content.decode()
    assert newest_first.index("Aarts") < newest_first.index("Zwart")
    oldest_first = client.get(url, {"sort": "sent"}).content.decode()
    assert oldest_first.index("Zwart") < oldest_first.index("Aarts")


def test_the_programme_office_filters_invitations_by_organisation(client, beheerder, utrecht):
    other = OrganisationFactory(name="Waterschap Rivierenland")
    InvitationFactory(organisation=utrecht, last_name="Utrechter")
    InvitationFactory(organisation=other, last_name="Rivierman")
    client.force_login(beheerder)
    page = client.get(reverse("portal:invitation-list"), {"organisation": other.pk})
    assert "Rivierman" in page.content.decode()
    assert "Utrechter" not in page.content.decode()


def test_hr_has_no_organisation_filter_and_cannot_reach_another_organisation(
    client, hr, utrecht, nijmegen
):
    InvitationFactory(organisation=nijmegen, last_name="Nijmegenaar")
    InvitationFactory(organisation=utrecht, last_name="Utrechter")
    client.force_login(hr)
    response = client.get(reverse("portal:invitation-list"), {"organisation": nijmegen.pk})
    page = response.content.decode()
    assert 'name="organisation"' not in page
    assert "Nijmegenaar" not in page and "Utrechter" in page


@pytest.mark.parametrize(
    "params",
    [{"organisation": "999999"}, {"organisation": "x"}, {"status": "kwijt"}, {"sort": "token"}]
    + [{"q": "x" * 101}],
)
def test_a_bad_invitation_filter_is_a_dutch_400(client, beheerder, params):
    client.force_login(beheerder)
    response = client.get(reverse("portal:invitation-list"), params)
    assert response.status_code == 400
    page = response.content.decode()
    told = ("Selecteer een geldige keuze", "kan niet gesorteerd", "niet meer dan 100 tekens")
    assert any(text in page for text in told)


def test_the_invitations_cost_the_same_queries_for_ten_times_the_rows(client, beheerder, utrecht):
    url = reverse("portal:invitation-list") + "?status=pending&q=a&sort=name"
    InvitationFactory.create_batch(6, organisation=utrecht, last_name="Adema")
    few = page_query_count(client, url, beheerder)
    for _n in range(6):
        InvitationFactory.create_batch(9, organisation=OrganisationFactory(), last_name="Adema")
    assert page_query_count(client, url) == few <= MAX_QUERIES


# --- the outbox --------------------------------------------------------------------------------


def _message(email, **fields):
    return Notification.objects.create(email=email, kind="invitation", context={}, **fields)


def test_the_outbox_sorts_by_address_and_searches_it(client, beheerder):
    _message("zeeland@voorbeeld.example")
    _message("amsterdam@voorbeeld.example")
    client.force_login(beheerder)
    url = reverse("portal:outbox")
    page = client.get(url, {"sort": "email"}).content.decode()
    assert page.index("amsterdam@") < page.index("zeeland@")
    assert 'aria-sort="ascending"' in page
    found = client.get(url, {"email": "zeeland"}).content.decode()
    assert "zeeland@" in found and "amsterdam@" not in found


def test_the_outbox_with_a_filter_costs_the_same_queries_for_ten_times_the_rows(client, beheerder):
    url = reverse("portal:outbox") + "?status=failed&sort=-attempts"
    for number in range(6):
        _message(f"a{number}@voorbeeld.example", status=Notification.Status.FAILED)
    few = page_query_count(client, url, beheerder)
    for number in range(54):
        _message(f"b{number}@voorbeeld.example", status=Notification.Status.FAILED)
    assert page_query_count(client, url) == few <= MAX_QUERIES


# --- the filter fields: crispy's markup, written without its templates ------------------------


def _normalized(html):
    """The HTML with the whitespace crispy's templates leave around tags and texts removed."""
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*([<>])\s*", r"\1", html).strip()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "jansen", "status": "sent"},
        {"q": "x" * 101, "status": "kwijt"},  # both fields with an error
    ],
)
def test_a_filter_field_is_written_as_crispy_writes_it(beheerder, params):
    listing = _listing(beheerder, **params)
    listing.filter.form.is_valid()
    fields = [field for field in listing.filter.form if field.name != "sort"]
    assert {type(field.field.widget).__name__ for field in fields} >= {"TextInput", "Select"}
    for field in fields:
        ours = filter_field(field)
        assert _normalized(ours) == _normalized(as_crispy_field(field)), field.name
        assert ("is-invalid" in ours) == bool(field.errors)


def test_a_checkbox_and_a_help_text_are_written_as_crispy_writes_them():
    class Form(forms.Form):
        free = forms.BooleanField(label="Free", required=False)
        text = forms.CharField(label="Text", required=False, help_text="Some <help>")

    form = Form({"free": "on", "text": "a"})
    for name in ("free", "text"):
        assert _normalized(filter_field(form[name])) == _normalized(as_crispy_field(form[name]))
    assert "form-check-input" in filter_field(form["free"])
    assert 'id="id_text_helptext"' in filter_field(form["text"])


def test_pk_url_is_reverse_for_every_pk():
    from django.urls import reverse

    from portal.listing import pk_url

    url = pk_url("leergang:approval-decide")
    for pk in (1, 9, 10, 987654321, 2**40):
        assert url(pk) == reverse("leergang:approval-decide", args=[pk])


def test_a_values_choice_field_offers_and_accepts_what_a_model_choice_field_does(utrecht):
    from portal.listing import ValuesModelChoiceField
    from portal.models import Organisation

    elsewhere = OrganisationFactory(name="Gemeente Elders")
    OrganisationFactory(name="Provincie <Zeeland> & co")
    offered = Organisation.objects.exclude(pk=elsewhere.pk).order_by("name", "pk")
    plain = forms.ModelChoiceField(offered, empty_label="Alle")
    lean = ValuesModelChoiceField(offered, empty_label="Alle")
    assert [(str(v), label) for v, label in lean.choices] == [
        (str(v), label) for v, label in plain.choices
    ]
    assert lean.widget.render("o", utrecht.pk) == plain.widget.render("o", utrecht.pk)
    assert lean.clean(str(utrecht.pk)) == utrecht
    with pytest.raises(forms.ValidationError) as refused:
        lean.clean(str(elsewhere.pk))
    assert refused.value.code == "invalid_choice"
