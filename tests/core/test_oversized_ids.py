"""A number too large for the database in an admin address or form: never a 500.

SQLite refuses to bind an integer beyond 64 bits (``OverflowError``); PostgreSQL compares
it and finds nothing. Written into the SQL (the admin API's offset) both refuse it. An id
in the path names no page (404), one in a filter of Wagtail's
or django-filter's makes a bad request (400), one in a body's link is a form error.
"""

import pytest

from cms.core.models import Country
from tests.core.test_embedded_refusal import paragraph
from tests.factories import country_user, draft_page, page_form_data

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/admin/pages/{HUGE}/edit/",
        f"/admin/choose-page/{HUGE}/",
        f"/admin/reports/site-history/?user={HUGE}",
        f"/admin/snippets/clusters/clusterprofile/?sectors={HUGE}",
        f"/admin/api/main/pages/?offset={HUGE}",
        f"/admin/api/main/pages/?child_of=3&offset={HUGE}",
        f"/admin/api/main/pages/?offset=%2B{HUGE}",
        f"/admin/api/main/pages/?offset=%20{HUGE}",
        "/admin/api/main/pages/?offset=99_999_999_999_999_999_999",
    ],
)
def test_an_oversized_id_in_an_admin_address_is_no_server_error(client, country, url):
    client.force_login(country_user("SK"))
    response = client.get(url)
    assert response.status_code in (200, 400, 404), response.status_code


def test_an_oversized_id_in_the_history_filter_is_no_server_error(admin_client, country):
    page = draft_page(Country.objects.get(code="CZ"), "news")
    response = admin_client.get(f"/admin/pages/{page.pk}/history/results/?user={HUGE}")
    assert response.status_code in (200, 400), response.status_code


def test_a_link_to_an_oversized_id_is_a_form_error(client, country):
    client.force_login(country_user("CZ", "editors"))
    page = draft_page(Country.objects.get(code="CZ"), "news")
    data = {
        **page_form_data("news", title="Linked", slug=page.slug),
        "body_de-count": "1",
        **paragraph(0, "Read the minutes.", {"the minutes": HUGE}),
    }
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200
    assert "body_de" in response.context["form"].errors
