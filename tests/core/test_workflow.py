"""Moderation per country: the editor submits, the country's own moderator approves.

Wagtail's workflow machinery (``Workflow`` + ``GroupApprovalTask`` on the
country's home page), set up by ``sync_sites``; driven here through the real
admin views.
"""

import importlib
import io

import pytest
from django.test import Client
from wagtail.models import GroupApprovalTask, Task, Workflow

from cms.core.models import Country
from cms.core.workflows import moderation_names
from cms.news.models import NewsPage
from tests.factories import country_user, draft_page, page_form_data

COUNTRIES = ("CZ", "IT", "DE", "PL", "AT", "SK", "SI")


def test_every_country_has_its_own_moderation(db):
    for country in Country.objects.all():
        workflow = country.home_page.get_workflow()
        assert workflow.name == moderation_names(country)[0] and workflow.active
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
    assert state is not None and state.workflow.name == moderation_names(country)[0]
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


# --- names in the country's language --------------------------------------------------


def test_each_countrys_moderation_is_named_in_its_language(db):
    names = {
        country.code: (country.home_page.get_workflow().name, moderation_names(country)[1])
        for country in Country.objects.all()
    }
    assert names["CZ"] == ("Moderace – Česká republika", "Schválení moderátory (CZ)")
    assert names["SK"] == ("Moderácia – Slovensko", "Schválenie moderátormi (SK)")
    assert names["AT"][0] == "Moderation – Österreich"
    assert names["PL"][0] == "Moderacja – Polska"
    for country in Country.objects.all():
        (task,) = country.home_page.get_workflow().tasks
        assert task.name == moderation_names(country)[1]


def test_the_czech_submit_button_reads_as_czech(db):
    client = logged_in(country_user("CZ"))
    page = draft_page(Country.objects.get(code="CZ"), "news")
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Odeslat ke schválení: Moderace – Česká republika" in html
    assert "CZ moderation" not in html and "Potvrdit" not in html


def test_sync_sites_renames_the_english_names_it_gave_before(db):
    from django.core.management import call_command

    cz = Country.objects.get(code="CZ")
    workflow = cz.home_page.get_workflow()
    (task,) = workflow.tasks
    Workflow.objects.filter(pk=workflow.pk).update(name="CZ moderation")
    Task.objects.filter(pk=task.pk).update(name="CZ moderators approval")
    call_command("sync_sites", stdout=io.StringIO())
    workflow.refresh_from_db()
    task.refresh_from_db()
    assert (workflow.name, task.name) == ("Moderace – Česká republika", "Schválení moderátory (CZ)")
    assert cz.home_page.get_workflow() == workflow  # the same rows, renamed
    assert Workflow.objects.filter(name__endswith="Česká republika").count() == 1


def test_the_migration_renames_existing_rows(db):
    from django.apps import apps

    rename = importlib.import_module("cms.core.migrations.0006_moderation_names").rename
    cz = Country.objects.get(code="CZ")
    workflow = cz.home_page.get_workflow()
    Workflow.objects.filter(pk=workflow.pk).update(name="CZ moderation")
    rename(apps, None)
    workflow.refresh_from_db()
    assert workflow.name == "Moderace – Česká republika"
