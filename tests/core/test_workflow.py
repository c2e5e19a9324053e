"""Moderation per country: the editor submits, the country's own moderator approves.

Wagtail's workflow machinery (``Workflow`` + ``GroupApprovalTask`` on the
country's home page), set up by ``sync_sites``; driven here through the real
admin views.
"""

import pytest
from django.test import Client
from wagtail.models import GroupApprovalTask

from cms.core.models import Country
from cms.news.models import NewsPage
from tests.factories import country_user, draft_page, page_form_data

COUNTRIES = ("CZ", "IT", "DE", "PL", "AT", "SK", "SI")


def test_every_country_has_its_own_moderation(db):
    for country in Country.objects.all():
        workflow = country.home_page.get_workflow()
        assert workflow.name == f"{country.code} moderation" and workflow.active
        tasks = [task.specific for task in workflow.tasks]
        assert len(tasks) == 1 and isinstance(tasks[0], GroupApprovalTask)
        assert list(tasks[0].groups.all()) == [country.moderators_group]
        item = NewsPage.objects.descendant_of(country.home_page).first()
        if item is not None:
            assert item.get_workflow() == workflow


def submit(client, page):
    data = {
        **page_form_data("news", title="Ready for review", slug=page.slug),
        "action-submit": "1",
    }
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def approve_url(page, task_state):
    return f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"


def logged_in(user) -> Client:
    """A browser of its own for ``user`` (flash messages stay with whoever caused them)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("code", COUNTRIES)
def test_the_editor_submits_and_only_the_countrys_moderator_approves(db, code):
    country = Country.objects.get(code=code)
    page = draft_page(country, "news")
    client = logged_in(country_user(code))
    assert submit(client, page).status_code == 302

    page.refresh_from_db()
    state = page.current_workflow_state
    assert state is not None and state.workflow.name == f"{code} moderation"
    task_state = state.current_task_state
    assert list(task_state.task.specific.groups.all()) == [country.moderators_group]
    assert not page.live

    # The editor who submitted cannot approve their own work.
    client.post(approve_url(page, task_state))
    page.refresh_from_db()
    assert not page.live

    # Another country's moderator neither sees the page in review nor can approve it.
    for other in COUNTRIES:
        if other == code:
            continue
        client = logged_in(country_user(other, "moderators"))
        assert "Ready for review" not in client.get("/admin/").content.decode()
        response = client.post(approve_url(page, task_state))
        assert response.status_code == 404
        assert "Ready for review" not in response.content.decode()
        page.refresh_from_db()
        assert not page.live

    client = logged_in(country_user(code, "moderators"))
    assert "Ready for review" in client.get("/admin/").content.decode()
    assert client.post(approve_url(page, task_state)).status_code == 302
    page.refresh_from_db()
    assert page.live and page.title_en == "Ready for review"
