"""Approving from the dashboard (Wagtail's workflow action URL) names the site languages that
will not be published, as the edit view does: in the "Approve with comment" modal, and as a
message after approving."""

import json
import re

from django.test import Client, override_settings
from wagtail.models import GroupApprovalTask, WorkflowTask

from cms.core.models import Country
from cms.news.models import NewsPage
from tests.core.test_own_language_first import add_url, edit_url, news_in, warnings_of
from tests.factories import country_user, draft_page

#: "Slovak is not ready (held back): visitors of sk.localhost will see the English version
#: instead.", in the Slovak moderator's language.
HELD_BACK = (
    "Slovenčina nie je pripravená (zadržaná): návštevníci sk.localhost uvidia "
    "namiesto nej verziu v jazyku angličtina."
)

#: The dashboard's refusal of a submission without the English the network requires.
NETWORK_REQUIRES_ENGLISH = "Povinné: sieť vyžaduje každú položku aj v tomto jazyku (angličtina)."


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submitted(ready: list[str]):
    """A Slovak news item submitted for moderation, Slovak complete and ticked or held back."""
    sk = Country.objects.get(code="SK")
    page = draft_page(sk, "news", title="Held back")
    data = {
        **news_in("sk", title="Zadržané", slug=f"zadrzane-{page.pk}", lead="Perex"),
        "title_en": "Held back",
        "slug_en": page.slug,
        "lead_en": "Lead",
        "ready_languages": ready,
        "action-submit": "1",
    }
    response = logged_in(country_user("SK")).post(edit_url(page), data)
    assert response.status_code == 302, response.context["form"].errors
    page.refresh_from_db()
    return page, page.current_workflow_state.current_task_state


def submitted_in_slovak_only():
    """A Slovak news item submitted without English, as a submission may be."""
    data = news_in("sk", title="Len po slovensky", slug="len-po-slovensky", lead="Perex")
    sk = Country.objects.get(code="SK")
    response = logged_in(country_user("SK")).post(
        add_url(sk), {**data, "ready_languages": ["sk"], "action-submit": "1"}
    )
    assert response.status_code == 302, response.context["form"].errors
    page = NewsPage.objects.get(slug_sk="len-po-slovensky")
    return page, page.current_workflow_state.current_task_state


def approve_url(page, task_state) -> str:
    return f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"


def test_the_approve_modal_names_a_held_back_language(db):
    page, task_state = submitted(ready=[])
    moderator = logged_in(country_user("SK", "moderators"))
    response = moderator.get(approve_url(page, task_state))
    assert response.status_code == 200
    html = json.loads(response.content)["html"]
    assert "data-not-published" in html and HELD_BACK in html
    assert 'name="comment"' in html  # Wagtail's own form is still there


def test_approving_names_a_held_back_language(db):
    page, task_state = submitted(ready=[])
    moderator = logged_in(country_user("SK", "moderators"))
    response = moderator.post(approve_url(page, task_state), {"next": "/admin/"})
    assert response.status_code == 302
    assert NewsPage.objects.get(pk=page.pk).live
    assert [text.strip() for text in warnings_of(response)] == [HELD_BACK]


def test_approving_a_complete_item_says_nothing_more(db):
    page, task_state = submitted(ready=["sk"])
    moderator = logged_in(country_user("SK", "moderators"))
    response = moderator.post(approve_url(page, task_state))
    assert response.status_code == 302
    assert warnings_of(response) == []
    html = json.loads(moderator.get(approve_url(*submitted(ready=["sk"]))).content)["html"]
    assert "data-not-published" not in html


def test_another_countrys_moderator_still_gets_a_404(db):
    page, task_state = submitted(ready=[])
    response = logged_in(country_user("CZ", "moderators")).get(approve_url(page, task_state))
    assert response.status_code == 404


def test_the_comment_box_is_labelled_in_the_moderators_language(db):
    """Wagtail's comment form labels its box when first imported, in the language then
    active (English at start-up), whoever reads it."""
    page, task_state = submitted(ready=["sk"])
    moderator = logged_in(country_user("SK", "moderators"))
    # The dashboard's "Approve with comment", and the edit view's.
    collect_url = f"/admin/pages/workflow/collect_action_data/{page.pk}/approve/{task_state.pk}/"
    for url in (approve_url(page, task_state), collect_url):
        html = json.loads(moderator.get(url).content)["html"]
        label = re.search(r'<label[^>]*for="id_comment"[^>]*>\s*([^<]*?)\s*<', html).group(1)
        assert label == "Komentár", url


@override_settings(TRANSLATIONS_REQUIRED_AT_PUBLICATION=("en",))
def test_approving_from_the_dashboard_refuses_what_the_edit_form_would_not_publish(db):
    """A submission may do without the English the network requires at publication; the
    moderator's "Publish" refused it, yet the dashboard's "Approve" published it as it was."""
    page, task_state = submitted_in_slovak_only()
    moderator = logged_in(country_user("SK", "moderators"))

    html = json.loads(moderator.get(approve_url(page, task_state)).content)["html"]
    assert "data-refused" in html and NETWORK_REQUIRES_ENGLISH in html
    assert 'name="comment"' not in html  # no button to approve with

    response = moderator.post(approve_url(page, task_state), {"next": "/admin/"})
    assert response.status_code == 302 and response.url == edit_url(page)
    assert not NewsPage.objects.get(pk=page.pk).live
    errors = [str(m) for m in response.wsgi_request._messages if m.level_tag == "error"]
    assert len(errors) == 1 and NETWORK_REQUIRES_ENGLISH in errors[0]
    page.refresh_from_db()
    assert page.current_workflow_state.current_task_state.status == "in_progress"

    modal = moderator.post(approve_url(page, task_state), HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert json.loads(modal.content) == {"step": "success", "redirect": edit_url(page)}
    assert not NewsPage.objects.get(pk=page.pk).live


@override_settings(TRANSLATIONS_REQUIRED_AT_PUBLICATION=("en",))
def test_approving_in_the_edit_view_asks_for_what_the_network_requires(db):
    page, task_state = submitted_in_slovak_only()
    data = {
        **news_in(
            "sk", title="Len po slovensky", slug="len-po-slovensky", lead="Perex", ready=["sk"]
        ),
        "action-workflow-action": "1",
        "workflow-action-name": "approve",
    }
    moderator = logged_in(country_user("SK", "moderators"))
    response = moderator.post(edit_url(page), data)
    assert response.status_code == 200
    assert {"title_en", "lead_en"} <= set(response.context["form"].errors)
    assert not NewsPage.objects.get(pk=page.pk).live


def test_approving_from_the_dashboard_refuses_when_a_newer_version_was_saved_meanwhile(db):
    """Approval publishes the latest revision: a moderator's draft saved while the
    submission waited (or an autosave while reading it) went live unreviewed, past the
    form's checks, which had looked at the submitted revision."""
    page, task_state = submitted(["sk"])
    moderator = logged_in(country_user("SK", "moderators"))
    draft = NewsPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    draft.lead_en = "A moderator's unreviewed draft"
    draft.save_revision(user=country_user("SK", "moderators"))

    html = json.loads(moderator.get(approve_url(page, task_state)).content)["html"]
    assert "data-refused" in html and "uložil(a) novšiu verziu" in html
    response = moderator.post(approve_url(page, task_state), {"next": "/admin/"})
    assert response.status_code == 302 and response.url == edit_url(page)
    assert not NewsPage.objects.get(pk=page.pk).live
    page.refresh_from_db()
    assert page.current_workflow_state.current_task_state.status == "in_progress"


def test_a_save_that_changed_nothing_does_not_stop_the_approval(db):
    """The moderator opened the edit view and saved without a change (or only commented):
    a newer revision, the same page; approving publishes what was reviewed."""
    page, task_state = submitted(["sk"])
    moderator = logged_in(country_user("SK", "moderators"))
    NewsPage.objects.get(pk=page.pk).get_latest_revision_as_object().save_revision()

    response = moderator.post(approve_url(page, task_state), {"next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    assert NewsPage.objects.get(pk=page.pk).live


def test_a_step_that_publishes_nothing_is_approved_over_a_newer_version(db):
    """Only the workflow's last task publishes: an earlier one, approved from the dashboard,
    hands the next reviewer the latest version, so a newer draft does not stop it."""
    sk = Country.objects.get(code="SK")
    workflow = sk.home_page.get_workflow()
    final = GroupApprovalTask.objects.create(name="Second look")
    final.groups.add(sk.moderators_group)
    WorkflowTask.objects.create(workflow=workflow, task=final, sort_order=99)
    page, task_state = submitted(["sk"])
    draft = NewsPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    draft.lead_en = "A moderator's draft"
    draft.save_revision(user=country_user("SK", "moderators"))

    moderator = logged_in(country_user("SK", "moderators"))
    response = moderator.post(approve_url(page, task_state), {"next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.current_task_state.task.specific == final
