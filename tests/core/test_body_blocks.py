"""A page's body posted without what Wagtail's editor writes is a form error, not a 500.

Wagtail's StreamField reads ``body_<lang>-count`` (and each block's ``-type`` and
``-order``) as ``data[key]``: a form cut short, a browser without JavaScript or a
hand-made request answered with a ``MultiValueDictKeyError`` (500).
"""

from __future__ import annotations

from cms.core.languages import LANGUAGE_CODES
from tests.core.test_concurrent_edits import opened
from tests.factories import country_user, news_page


def test_a_body_posted_without_its_counts_is_refused_and_nothing_saved(client, country):
    page = news_page(country("CZ"), title={"en": "Info day", "cs": "Informační den"})
    client.force_login(country_user("CZ", "editors"))
    form = opened(client, f"/admin/pages/{page.pk}/edit/")
    form = {name: values for name, values in form.items() if not name.endswith("-count")}
    form["title_en"] = ["Changed"]
    response = client.post(f"/admin/pages/{page.pk}/edit/", form)
    assert response.status_code == 200  # the form again, with its errors
    assert "body" in {name.split("_")[0] for name in response.context["form"].errors}
    page.refresh_from_db()
    assert page.title_en == "Info day"


def test_a_body_with_a_block_missing_its_type_is_refused(client, country):
    page = news_page(country("CZ"), title={"en": "Info day", "cs": "Informační den"})
    client.force_login(country_user("CZ", "editors"))
    form = opened(client, f"/admin/pages/{page.pk}/edit/")
    form.update({f"body_{code}-count": ["0"] for code in LANGUAGE_CODES})
    form.update({"comments-TOTAL_FORMS": ["0"], "comments-INITIAL_FORMS": ["0"]})
    form["body_en-count"] = ["1"]  # a block announced, none sent
    response = client.post(f"/admin/pages/{page.pk}/edit/", form)
    assert response.status_code == 200
    assert "body_en" in response.context["form"].errors
