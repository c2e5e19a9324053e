"""The whole admin, swept: no admin URL shows or changes another country's content.

``test_permissions.py`` is a hand-written matrix over the main admin views; this
sweep takes every URL pattern under ``/admin/`` from Django's URL resolver
(Wagtail's core, pages, snippets, choosers, images, documents, collections,
workflows, reports, history, usage, bulk actions, the admin API, editing
sessions, our own viewsets, reports and imports) and requests it as a Czech
editor and as a Czech moderator, with its arguments filled by *Slovak* objects:
pages in moderation and published ones, their revisions, workflow and task
states, cluster profiles, partners, contacts and their history, images and
documents in the Slovak collection, uploads in progress, a pending import,
search promotions and synonyms in Slovak, a webhook, a redirect, an editing
session, the Slovak users, groups, site, workflow and task. Where a pattern
names two objects, it is also tried with the Czech user's own object and a
Slovak second one (own page + Slovak revision, …). Slovak content also uses Czech
objects (a contact, a cluster, an image, a document), so the Czech objects' usage
and history views are swept for Slovak titles too.

Every Slovak object carries a marker in its title, name or file name, and the
assertions are:

- no response, whatever its status, carries a marker (bodies, downloads in CSV
  or XLSX, redirects' ``Location`` and the messages they leave for the next page);
  the names of the Slovak workflow, task and site (``STRUCTURE``) only where
  ``STRUCTURE_SHOWN`` says why;
- nothing answers 500;
- after each POST, the Slovak data (``foreign_state``) is unchanged.

Patterns that take no object are requested as listings, with a search for a
word of the Slovak titles, a filter on the Slovak country or collection, and
their exports.

A pattern the sweep does not know how to fill fails ``test_every_admin_url_is_swept``
with the pattern printed: a new admin URL gets a line in ``ROUTES`` (or, if it is
network-wide and harmless, in ``NETWORK_WIDE`` with the reason); a new snippet type,
a Slovak object in ``build_world``. A pattern whose address an earlier one answers
(our reports, tag suggestions and media listings over Wagtail's) is requested as
that one.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from PIL import Image as PILImage
from wagtail import hooks
from wagtail.admin.models import EditingSession
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import (
    APIToken,
    GroupApprovalTask,
    ModelLogEntry,
    Page,
    PageLogEntry,
    PageViewRestriction,
    Revision,
    TaskState,
    UploadedFile,
    WorkflowPage,
    WorkflowState,
)
from wagtail.rich_text import RichText
from wagtail.snippets.models import get_snippet_models

from cms.clusters.models import ClusterProfile, PendingImport
from cms.core.languages import LANGUAGE_CODES
from cms.core.models import Country, Sector
from cms.partners.models import ContactPerson, PartnerOrganisation
from cms.search.models import Promotion, SynonymGroup
from cms.webhooks.models import Webhook, WebhookDelivery
from tests.factories import country_user, draft_page, lock_in_moderation, page_form_data, translated

OWN, FOREIGN = "CZ", "SK"

#: In every Slovak title, name, file name and text: content (pages, snippets, media…).
CONTENT = "Qzxvkonti"
#: In the Slovak users' names: the people of another country.
PERSON = "Qzxpersyn"
#: In the names of the Slovak workflow, task, collection, site and groups.
STRUCTURE = "Qzxmstrukt"
#: Long enough that no random token (a CSRF token, a file name's suffix) holds one by chance.
MARKERS = (CONTENT, PERSON, STRUCTURE)
#: A word of every Slovak title (never a marker), for the searches: a search box echoes
#: its query, so the query is not a marker itself.
WORD = "Sekretny"


def marked(kind: str) -> str:
    return f"{CONTENT} {WORD} {kind}"


# The Slovak world -------------------------------------------------------------------


def png(name: str) -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (20, 90, 200)).save(buffer, format="PNG")
    return ImageFile(buffer, name=name)


def mark_page(page, kind: str):
    """``page`` with the marker in its title in every language, saved with a new revision."""
    page = Page.objects.get(pk=page.pk).specific
    for name, value in translated("title", dict.fromkeys(LANGUAGE_CODES, marked(kind))).items():
        setattr(page, name, value)
    page.title = marked(kind)
    page.save()
    return page


@dataclass
class World:
    """The Slovak objects, and the Czech user's own counterparts for mixed URLs."""

    foreign: Country
    own: Country
    users: dict = field(default_factory=dict)
    sk_editor: object = None
    sk_moderator: object = None
    page: object = None  # in moderation, locked
    live: object = None  # published, with an older and a scheduled revision
    draft: object = None
    index: object = None
    revision: object = None
    old_revision: object = None
    scheduled: object = None
    workflow_state: object = None
    task_state: object = None
    workflow: object = None
    task: object = None
    snippets: dict = field(default_factory=dict)
    image: object = None
    document: object = None
    uploaded_image: object = None
    uploaded_document: object = None
    pending_import: object = None
    redirect: object = None
    token: object = None
    session: object = None
    snippet_session: object = None
    own_page: object = None
    own_index: object = None
    own_image: object = None
    own_document: object = None
    own_snippets: dict = field(default_factory=dict)


def build_world() -> World:
    sk, cz = Country.objects.get(code=FOREIGN), Country.objects.get(code=OWN)
    w = World(foreign=sk, own=cz)
    w.sk_editor = country_user(FOREIGN, "editors")
    w.sk_moderator = country_user(FOREIGN, "moderators")
    for number, user in enumerate((w.sk_editor, w.sk_moderator)):
        user.first_name, user.last_name = PERSON, f"Slovenska{number}"
        user.email = f"{PERSON.lower()}{number}@example.sk"
        user.save()
    for group in (sk.editors_group, sk.moderators_group):
        group.name = f"{group.name} {STRUCTURE}"
        group.save()
    sk.collection.name = f"SK {STRUCTURE}"
    sk.collection.save()
    sk.site.site_name = f"SK {STRUCTURE}"
    sk.site.save()

    # The Czech user's own objects: for URLs that name two objects, and used by Slovak
    # content, so that their usage and history views would list the Slovak users.
    w.own_page = draft_page(cz, "news")
    w.own_index = w.own_page.get_parent()
    w.own_image = get_image_model()(title="Own image", collection=cz.collection)
    w.own_image.file = png("own-photo.png")
    w.own_image.save()
    w.own_document = get_document_model()(title="Own document", collection=cz.collection)
    w.own_document.file = ContentFile(b"own", name="own-minutes.txt")
    w.own_document.save()
    w.own_snippets[ClusterProfile] = ClusterProfile.objects.create(
        name_en="Own cluster", slug="own-cluster", country=cz
    )
    w.own_snippets[PartnerOrganisation] = PartnerOrganisation.objects.create(
        name_en="Own partner", slug="own-partner", country=cz
    )
    w.own_snippets[ContactPerson] = ContactPerson.objects.create(
        name="Own contact", slug="own-contact", country=cz
    )

    # Pages: one in moderation (locked), one published, one draft.
    w.page = mark_page(draft_page(sk, "news"), "news in moderation")
    w.index = w.page.get_parent()
    lock_in_moderation(w.page, w.sk_editor)
    w.page.refresh_from_db()
    w.workflow_state = w.page.current_workflow_state
    w.task_state = w.workflow_state.current_task_state
    w.workflow = w.workflow_state.workflow
    w.task = GroupApprovalTask.objects.get(workflow_tasks__workflow=w.workflow)
    w.workflow.name = f"{w.workflow.name} {STRUCTURE}"
    w.workflow.save()
    w.task.name = f"{w.task.name} {STRUCTURE}"
    w.task.save()

    w.live = mark_page(draft_page(sk, "event"), "event published")
    w.old_revision = w.live.save_revision(user=w.sk_moderator)
    w.old_revision.publish(user=w.sk_moderator)
    w.live = Page.objects.get(pk=w.live.pk).specific
    w.revision = w.live.save_revision(user=w.sk_moderator)
    w.revision.publish(user=w.sk_moderator)
    w.scheduled = w.live.save_revision(user=w.sk_moderator)
    w.scheduled.approved_go_live_at = timezone.now() + timedelta(days=30)
    w.scheduled.save()
    w.draft = mark_page(draft_page(sk, "standard"), "standard draft")
    w.draft.save_revision(user=w.sk_editor)

    # Snippets, with their history.
    names = translated("name", dict.fromkeys(LANGUAGE_CODES, marked("snippet")))
    w.snippets[ClusterProfile] = ClusterProfile.objects.create(
        **names, slug=f"{CONTENT.lower()}-cluster", country=sk, city_en=marked("city")
    )
    w.snippets[PartnerOrganisation] = PartnerOrganisation.objects.create(
        **names, slug=f"{CONTENT.lower()}-partner", country=sk, short_name=CONTENT
    )
    w.snippets[ContactPerson] = ContactPerson.objects.create(
        name=marked("contact"), slug=f"{CONTENT.lower()}-contact", country=sk
    )
    for obj in w.snippets.values():
        log(obj, "wagtail.create", user=w.sk_editor)
        log(obj, "wagtail.edit", user=w.sk_editor)
    w.snippets[Promotion] = Promotion.objects.create(
        language="sk", query=f"{CONTENT} promo", page=w.live, description=marked("promo")
    )
    w.snippets[SynonymGroup] = SynonymGroup.objects.create(
        language="sk", terms=f"{CONTENT.lower()}, {CONTENT.lower()}ovy"
    )
    webhook = Webhook.objects.create(
        country=sk, name=marked("webhook"), url=f"https://{CONTENT.lower()}.example.sk/hook"
    )
    w.snippets[Webhook] = webhook
    w.snippets[WebhookDelivery] = WebhookDelivery.objects.create(
        webhook=webhook, event="published", payload={"title": marked("delivery")}
    )
    for obj in (w.snippets[Promotion], w.snippets[SynonymGroup], webhook):
        log(obj, "wagtail.create", user=w.sk_moderator)

    # Media: in the Slovak collection, tagged; uploads waiting in the multiple uploader.
    w.image = get_image_model()(title=marked("image"), collection=sk.collection)
    w.image.file = png(f"{CONTENT.lower()}-photo.png")
    w.image.save()
    w.image.tags.add(f"{CONTENT.lower()}tag")
    w.document = get_document_model()(title=marked("document"), collection=sk.collection)
    w.document.file = ContentFile(b"minutes", name=f"{CONTENT.lower()}-minutes.txt")
    w.document.save()
    w.document.tags.add(f"{CONTENT.lower()}tag")
    w.uploaded_image = UploadedFile.objects.create(
        for_content_type=ContentType.objects.get_for_model(get_image_model()),
        file=png(f"{CONTENT.lower()}-upload.png"),
        uploaded_by_user=w.sk_editor,
    )
    w.uploaded_document = UploadedFile.objects.create(
        for_content_type=ContentType.objects.get_for_model(get_document_model()),
        file=ContentFile(b"draft", name=f"{CONTENT.lower()}-upload.txt"),
        uploaded_by_user=w.sk_editor,
    )

    w.pending_import = PendingImport.objects.create(
        token=f"{CONTENT.lower()}token",
        user=w.sk_editor,
        filename=f"{CONTENT.lower()}.csv",
        content=f"slug,country,name_en\n{CONTENT.lower()}-import,SK,{CONTENT} import\n".encode(),
    )
    w.token, _ = APIToken.create_token(user=w.sk_editor, name=marked("token"))
    log(w.token, "wagtail.apitoken.create", user=w.sk_editor)
    w.redirect = Redirect.objects.create(
        old_path=f"/{CONTENT.lower()}-old", site=sk.site, redirect_page=w.live
    )
    w.session = EditingSession.objects.create(
        user=w.sk_editor,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(w.page.pk),
        last_seen_at=timezone.now(),
        is_editing=True,
    )
    w.snippet_session = EditingSession.objects.create(
        user=w.sk_editor,
        content_type=ContentType.objects.get_for_model(ClusterProfile),
        object_id=str(w.snippets[ClusterProfile].pk),
        last_seen_at=timezone.now(),
        is_editing=True,
    )

    # Slovak content that uses the Czech objects (as a network administrator may set up):
    # the Czech objects' usage views must not name it.
    page = Page.objects.get(pk=w.page.pk).specific
    page.tags.add(f"{CONTENT.lower()}pagetag")  # a draft's tags are not public
    page.contact = w.own_snippets[ContactPerson]
    page.related_clusters.set([w.own_snippets[ClusterProfile]])
    page.body_en = [
        ("paragraph", RichText(f'<p><a linktype="document" id="{w.own_document.pk}">x</a></p>')),
        ("image", {"image": w.own_image, "caption": ""}),
    ]
    page.save()
    cluster = w.snippets[ClusterProfile]
    cluster.logo, cluster.contact = w.own_image, w.own_snippets[ContactPerson]
    cluster.save()
    return w


def foreign_state(w: World) -> dict:
    """Everything of Slovakia's that a refused request must leave as it was."""
    sk = w.foreign
    pages = Page.objects.descendant_of(sk.home_page, inclusive=True)
    page_ids = list(pages.values_list("pk", flat=True))
    page_type = ContentType.objects.get_for_model(Page)
    users = get_user_model().objects.filter(groups__in=[sk.editors_group, sk.moderators_group])
    owned = {}
    for model in w.snippets:
        if hasattr(model, "country"):
            rows = model.objects.filter(country=sk)
        elif model is WebhookDelivery:
            # The log of what was sent: a Czech edit of a Czech object that Slovak content
            # uses (the cluster's logo) rightly adds Slovak deliveries; those made before
            # the sweep must stay as they were.
            rows = model.objects.filter(webhook__country=sk, pk__lte=w.snippets[model].pk)
        else:
            rows = model.objects.filter(language="sk")
        owned[model.__name__] = sorted(rows.values_list(), key=repr)
    media = {}
    for model in (get_image_model(), get_document_model()):
        objects = model.objects.filter(collection=sk.collection).order_by("pk")
        media[model.__name__] = [
            (obj.pk, obj.title, obj.file.name, obj.collection_id, sorted(obj.tags.names()))
            for obj in objects
        ]
    return {
        "pages": sorted(
            pages.values_list(
                "pk",
                "path",
                "title",
                "slug",
                "live",
                "locked",
                "locked_by",
                "has_unpublished_changes",
                "latest_revision",
                "live_revision",
                "alias_of",
            )
        ),
        "revisions": sorted(
            Revision.objects.filter(base_content_type=page_type, object_id__in=map(str, page_ids))
            .values_list("pk", "approved_go_live_at", "content")
            .order_by("pk"),
            key=repr,
        ),
        "workflow states": sorted(
            WorkflowState.objects.filter(object_id__in=map(str, page_ids)).values_list(
                "pk", "status", "current_task_state"
            )
        ),
        "task states": sorted(
            TaskState.objects.filter(workflow_state__object_id__in=map(str, page_ids)).values_list(
                "pk", "status", "finished_by", "comment"
            )
        ),
        "view restrictions": sorted(
            PageViewRestriction.objects.filter(page__in=page_ids).values_list("pk", "page")
        ),
        "workflow pages": sorted(
            WorkflowPage.objects.filter(page__in=page_ids).values_list("page", "workflow")
        ),
        "workflow": (w.workflow.__class__.objects.filter(pk=w.workflow.pk).values_list().get()),
        "task": GroupApprovalTask.objects.filter(pk=w.task.pk).values_list("name", "active").get(),
        "task groups": sorted(w.task.groups.values_list("pk", flat=True)),
        "snippets": owned,
        "media": media,
        "collection": (
            sk.collection.__class__.objects.filter(pk=sk.collection_id).values_list().get()
        ),
        "uploads": sorted(
            UploadedFile.objects.filter(uploaded_by_user__in=users).values_list("pk", "file")
        ),
        "pending imports": sorted(
            PendingImport.objects.filter(user__in=users).values_list("pk", "token")
        ),
        "users": sorted(users.values_list("pk", "is_active", "first_name", "password", "groups")),
        "groups": sorted(
            (group.pk, group.name, sorted(group.permissions.values_list("pk", flat=True)))
            for group in (sk.editors_group, sk.moderators_group)
        ),
        "site": sk.site.__class__.objects.filter(pk=sk.site_id).values_list().get(),
        "redirects": sorted(Redirect.objects.filter(site=sk.site).values_list()),
        "api tokens": sorted(
            APIToken.objects.filter(user__in=users).values_list("pk", "name", "revoked_at")
        ),
        "editing sessions": sorted(
            EditingSession.objects.filter(
                content_type=page_type, object_id__in=map(str, page_ids)
            ).values_list("pk", "user", "is_editing")
        )
        + sorted(
            EditingSession.objects.filter(user__in=users).values_list("pk", "user", "is_editing")
        ),
        # Shared, but only network administrators change them.
        "sectors": sorted(Sector.objects.values_list()),
        "page log": PageLogEntry.objects.filter(page__in=page_ids).count(),
        "model log": {
            model.__name__: ModelLogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
                object_id=str(obj.pk),
            ).count()
            for model, obj in w.snippets.items()
        },
    }


# Requests ------------------------------------------------------------------------------


@dataclass
class Probe:
    """One way to fill a pattern: URL arguments, a query string, and (for endpoints that
    change things) a POST body. ``post=None``: GET only."""

    kwargs: dict = field(default_factory=dict)
    query: dict | list | None = None
    post: dict | None = None
    get: bool = True


def listing(*extra_queries) -> list[Probe]:
    """A listing: as is, searched for the Slovak word, and with any ``extra_queries``."""
    return [Probe(), Probe(query={"q": WORD}), *(Probe(query=query) for query in extra_queries)]


def plausible_body(w: World) -> dict:
    """A body for any form the admin posts: every field name a view here reads, pointed at
    Slovak objects where a field names one. (Never a marker: a refused form echoes it.)"""
    body = page_form_data("news", title="Changed by the sweep", slug="changed-by-the-sweep")
    body.update(translated("name", dict.fromkeys(LANGUAGE_CODES, "Changed by the sweep")))
    body.update(
        {
            "title": "Changed by the sweep",
            "name": "Changed by the sweep",
            "slug": "changed-by-the-sweep",
            "country": w.foreign.pk,
            "collection": w.foreign.collection_id,
            "parent": w.foreign.collection_id,
            "tags": "changed",
            "language": "sk",
            "query": "changed",
            "terms": "changed, altered",
            "page": w.live.pk,
            "cluster": w.snippets[ClusterProfile].pk,
            "url": "https://changed.example.com/",
            "events": "published",
            "active": "on",
            "is_active": "",
            "chooser": w.index.pk,
            "new_parent_page": w.index.pk,
            "new_title_en": "Changed by the sweep",
            "new_slug_en": "changed-by-the-sweep",
            "action-publish": "action-publish",
            "action": "approve",
            "comment": "changed",
            "is_editing": "1",
            "restriction_type": "login",
            "password": "changed",
            "workflow": w.workflow.pk,
            "old_path": "/changed",
            "site": w.foreign.site_id,
            "redirect_page": w.live.pk,
            "hostname": "changed.example.com",
            "root_page": w.index.pk,
            "port": "80",
            "role": w.foreign.editors_group_id,
            "mark_as_active": "",
            "token": w.pending_import.token,
            "skip_invalid": "1",
            "create_child": "on",
            "position": "0",
        }
    )
    return body


def own_of(w: World, model) -> list:
    """The Czech object of a snippet model, if the world has one (Slovak content uses it)."""
    return [w.own_snippets[model]] if model in w.own_snippets else []


def snippet_of(w: World, model):
    """The Slovak object of a snippet model (a shared model such as sectors: any one)."""
    if model in w.snippets:
        return w.snippets[model]
    if model in NETWORK_WIDE_SNIPPETS:
        return model.objects.first()
    return None


#: Snippet models every country shares, with the reason they hold nothing of a country's.
NETWORK_WIDE_SNIPPETS = {
    Sector: "the shared taxonomy: every country reads the same five sectors, and only "
    "network administrators change them",
}


def page_types():
    """The page models an editor may create, as (app_label, model_name)."""
    from cms.events.models import EventPage
    from cms.home.models import StandardPage
    from cms.news.models import NewsPage

    return [(m._meta.app_label, m._meta.model_name) for m in (NewsPage, EventPage, StandardPage)]


def page_probes(w, key="page_id", *, post=True):
    """A pattern naming one page: each Slovak page (the one in moderation, the published
    one, the draft and the news index)."""
    body = plausible_body(w) if post else None
    return [Probe({key: page.pk}, post=body) for page in (w.page, w.live, w.draft, w.index)]


def revision_probes(w, *, post=True):
    body = plausible_body(w) if post else None
    return [
        Probe({"page_id": w.live.pk, "revision_id": w.old_revision.pk}, post=body),
        Probe({"page_id": w.live.pk, "revision_id": w.scheduled.pk}, post=body),
        # The own page, with a Slovak revision.
        Probe({"page_id": w.own_page.pk, "revision_id": w.old_revision.pk}, post=body),
        Probe({"page_id": w.own_page.pk, "revision_id": w.scheduled.pk}, post=body),
    ]


def workflow_action_probes(w):
    body = plausible_body(w)
    probes = []
    for action in ("approve", "reject"):
        for page in (w.page, w.own_page):
            probes.append(
                Probe(
                    {"page_id": page.pk, "action_name": action, "task_state_id": w.task_state.pk},
                    post=body,
                )
            )
    return probes


def bulk_probes(w):
    """Every registered bulk action, with the Slovak object of its model (and the own
    page for pages: a Slovak one among the own is refused as a whole)."""
    body = plausible_body(w)
    objects = {
        Page: [w.page, w.live, w.draft],
        get_image_model(): [w.image],
        get_document_model(): [w.document],
        get_user_model(): [w.sk_editor],
        **{model: [obj] for model, obj in w.snippets.items()},
    }
    owns = {Page: w.own_page, get_image_model(): w.own_image, get_document_model(): w.own_document}
    probes = []
    for action_class in hooks.get_hooks("register_bulk_action"):
        for model in action_class.models:
            meta = model._meta
            if (
                bulk_action_registry.get_bulk_action_class(
                    meta.app_label, meta.model_name, action_class.action_type
                )
                is not action_class
            ):
                continue  # replaced by a later registration
            kwargs = {
                "app_label": meta.app_label,
                "model_name": meta.model_name,
                "action": action_class.action_type,
            }
            targets = objects.get(model)
            if targets is None:
                if model in NETWORK_WIDE_SNIPPETS:
                    targets = [model.objects.first()]
                else:
                    raise LookupError(f"no Slovak object for the bulk action {kwargs}")
            for target in targets:
                ids = [("id", target.pk)]
                if model in owns:
                    ids.append(("id", owns[model].pk))
                probes.append(Probe(kwargs, query=ids, post=body))
            if model in owns and action_class.action_type in ("move", "add_to_collection"):
                # The own object alone, sent into Slovakia (the body names the Slovak
                # collection and the Slovak news index as destination).
                probes.append(Probe(kwargs, query=[("id", owns[model].pk)], post=body))
            if model is Page:
                probes.append(Probe(kwargs, query=[("id", "all"), ("childOf", w.index.pk)]))
            else:
                probes.append(Probe(kwargs, query=[("id", "all")]))
    return probes


def editing_session_probes(w):
    body = {"is_editing": "1"}
    cluster = w.snippets[ClusterProfile]
    probes = []
    for app_label, model_name, object_id, session in (
        ("wagtailcore", "page", w.page.pk, w.session),
        ("clusters", "clusterprofile", cluster.pk, w.snippet_session),
    ):
        for session_id in (session.pk, 999999):
            probes.append(
                Probe(
                    {
                        "app_label": app_label,
                        "model_name": model_name,
                        "object_id": str(object_id),
                        "session_id": session_id,
                    },
                    post=body,
                    get=False,
                )
            )
    return probes


SNIPPET_VIEWS = {
    # view name -> how to fill it, given the Slovak object of the model and the world.
    "list": lambda w, obj, model: listing(
        {"export": "csv"}, {"export": "xlsx"}, *country_filters(w, model)
    ),
    "list_results": lambda w, obj, model: listing(*country_filters(w, model)),
    "add": lambda w, obj, model: [Probe(post=plausible_body(w))],
    # The Slovak object; and the own one, posted with the Slovak country.
    "edit": lambda w, obj, model: [
        Probe({"pk": o.pk}, post=plausible_body(w)) for o in (obj, *own_of(w, model))
    ],
    "delete": lambda w, obj, model: [Probe({"pk": obj.pk}, post={})],
    "usage": lambda w, obj, model: [Probe({"pk": o.pk}) for o in (obj, *own_of(w, model))],
    "history": lambda w, obj, model: [Probe({"pk": o.pk}) for o in (obj, *own_of(w, model))],
    "history_results": lambda w, obj, model: [Probe({"pk": obj.pk})],
    "copy": lambda w, obj, model: [Probe({"pk": obj.pk})],
    "inspect": lambda w, obj, model: [Probe({"pk": obj.pk})],
}

SNIPPET_CHOOSER_VIEWS = {
    "choose": lambda w, obj, model: listing(*country_filters(w, model)),
    "choose_results": lambda w, obj, model: listing(*country_filters(w, model)),
    "chosen": lambda w, obj, model: [Probe({"pk": str(obj.pk)})],
    "chosen_multiple": lambda w, obj, model: [Probe(query=[("id", obj.pk)])],
    "create": lambda w, obj, model: [Probe(post=plausible_body(w))],
}

TRANSLATION_LISTING_VIEWS = {
    "index": lambda w: listing(
        {"export": "csv"}, {"export": "xlsx"}, {"locale": "sk"}, {"missing": "sk"}
    ),
    "index_results": lambda w: listing({"missing": "sk"}),
    "choose_parent": lambda w: [Probe(), Probe(post={"parent_page": w.index.pk})],
}


def country_filters(w, model):
    filters = []
    if any(f.name == "country" for f in model._meta.get_fields()):
        filters.append({"country": w.foreign.pk})
    if any(f.name == "language" for f in model._meta.get_fields()):
        filters.append({"language": "sk"})
    return filters


def reports(*, export=True):
    def probes(w):
        extra = [{"export": "csv"}, {"export": "xlsx"}] if export else []
        return listing(*extra, {"user": w.sk_editor.pk}, {"requested_by": w.sk_editor.pk})

    return probes


def copy_probes(w: World) -> list[Probe]:
    """The StreamField copy button's view (``cms.core.translation_copy``)."""
    return [
        Probe({"page_id": page.pk}, query={"from": "sk", "to": "cs"}, post={})
        for page in (w.page, w.live)
    ]


#: Every named admin URL pattern and how to fill it: a function of the world that
#: returns the probes. (Snippet and snippet chooser viewsets and the translation
#: listings are filled per kind of view: ``SNIPPET_VIEWS``, ``SNIPPET_CHOOSER_VIEWS``,
#: ``TRANSLATION_LISTING_VIEWS``; network-wide patterns: ``NETWORK_WIDE``.)
ROUTES = {
    "copy_translation_content": copy_probes,
    "wagtailadmin_home": lambda w: [Probe()],
    "wagtailadmin_api:pages:listing": lambda w: [
        Probe(),
        Probe(query={"search": WORD}),
        Probe(query={"child_of": w.index.pk}),
        Probe(query={"descendant_of": w.foreign.home_page.pk}),
        Probe(query={"for_explorer": "1", "child_of": "root"}),
        Probe(query={"id": w.page.pk}),
    ],
    "wagtailadmin_api:pages:detail": lambda w: page_probes(w, "pk", post=False),
    "wagtailadmin_api:pages:find": lambda w: [
        Probe(query={"id": w.page.pk}),
        Probe(query={"html_path": "/sk/"}),
    ],
    "wagtailadmin_api:pages:action": lambda w: (
        [
            Probe(
                {"pk": page.pk, "action_name": action},
                post={"destination_page_id": w.own_index.pk, "revision_id": w.old_revision.pk},
                get=False,
            )
            for page in (w.page, w.live)
            for action in (
                "convert_alias",
                "copy",
                "delete",
                "publish",
                "unpublish",
                "move",
                "copy_for_translation",
                "create_alias",
                "revert_to_page_revision",
            )
        ]
        + [
            # The own page, moved or copied into Slovakia, or reverted to a Slovak revision.
            Probe(
                {"pk": w.own_page.pk, "action_name": action},
                post={"destination_page_id": w.index.pk, "revision_id": w.old_revision.pk},
                get=False,
            )
            for action in ("copy", "move", "create_alias", "revert_to_page_revision")
        ]
    ),
    "wagtailadmin_api:documents:listing": lambda w: [
        Probe(),
        Probe(query={"search": WORD}),
        Probe(query={"id": w.document.pk}),
    ],
    "wagtailadmin_api:documents:detail": lambda w: [Probe({"pk": w.document.pk})],
    "wagtailadmin_api:documents:find": lambda w: [Probe(query={"id": w.document.pk})],
    "wagtailadmin_api:images:listing": lambda w: [
        Probe(),
        Probe(query={"search": WORD}),
        Probe(query={"id": w.image.pk}),
    ],
    "wagtailadmin_api:images:detail": lambda w: [Probe({"pk": w.image.pk})],
    "wagtailadmin_api:images:find": lambda w: [Probe(query={"id": w.image.pk})],
    "wagtailadmin_explore_root": lambda w: listing(),
    "wagtailadmin_explore": lambda w: [
        *page_probes(w, "parent_page_id", post=False),
        Probe({"parent_page_id": w.foreign.home_page.pk}),
        Probe({"parent_page_id": Page.get_first_root_node().pk}),
        Probe({"parent_page_id": Page.get_first_root_node().pk}, query={"q": WORD}),
    ],
    "wagtailadmin_explore_results": lambda w: [
        Probe({"parent_page_id": w.index.pk}),
        Probe({"parent_page_id": Page.get_first_root_node().pk}, query={"q": WORD}),
        Probe({"parent_page_id": w.own_index.pk}, query={"q": WORD}),
    ],
    "wagtail_bulk_action": bulk_probes,
    "wagtailadmin_pages:add": lambda w: [
        Probe(
            {
                "content_type_app_name": app,
                "content_type_model_name": model,
                "parent_page_id": parent.pk,
            },
            post=plausible_body(w),
        )
        for app, model in page_types()
        for parent in (w.index, w.foreign.home_page)
    ],
    "wagtailadmin_pages:preview_on_add": lambda w: [
        Probe(
            {
                "content_type_app_name": app,
                "content_type_model_name": model,
                "parent_page_id": w.index.pk,
            },
            post=plausible_body(w),
        )
        for app, model in page_types()
    ],
    "wagtailadmin_pages:type_use": lambda w: [
        probe
        for app, model in page_types()
        for probe in (
            Probe({"content_type_app_name": app, "content_type_model_name": model}),
            Probe(
                {"content_type_app_name": app, "content_type_model_name": model},
                query={"q": WORD},
            ),
            Probe(
                {"content_type_app_name": app, "content_type_model_name": model},
                query={"export": "csv"},
            ),
        )
    ],
    "wagtailadmin_pages:type_use_results": lambda w: [
        Probe({"content_type_app_name": app, "content_type_model_name": model})
        for app, model in page_types()
    ],
    "wagtailadmin_pages:choose_parent": lambda w: [
        Probe({"app_label": app, "model_name": model}, post={"parent_page": w.index.pk})
        for app, model in page_types()
    ],
    "wagtailadmin_pages:usage": lambda w: [
        *page_probes(w, post=False),
        Probe({"page_id": w.own_page.pk}),
    ],
    "wagtailadmin_pages:edit": lambda w: page_probes(w),
    "wagtailadmin_pages:preview_on_edit": lambda w: page_probes(w),
    "wagtailadmin_pages:view_draft": lambda w: page_probes(w, post=False),
    "wagtailadmin_pages:add_subpage": lambda w: page_probes(w, "parent_page_id", post=False),
    "wagtailadmin_pages:delete": lambda w: page_probes(w),
    "wagtailadmin_pages:unpublish": lambda w: page_probes(w),
    "wagtailadmin_pages:convert_alias": lambda w: page_probes(w),
    "wagtailadmin_pages:search": lambda w: listing({"q": WORD, "content_type": "news.newspage"}),
    "wagtailadmin_pages:search_results": lambda w: listing(),
    "wagtailadmin_pages:move": lambda w: page_probes(w, "page_to_move_id", post=False),
    "wagtailadmin_pages:move_confirm": lambda w: [
        Probe({"page_to_move_id": w.page.pk, "destination_id": w.own_index.pk}, post={}),
        Probe({"page_to_move_id": w.own_page.pk, "destination_id": w.index.pk}, post={}),
    ],
    "wagtailadmin_pages:set_page_position": lambda w: [
        Probe({"page_to_move_id": page.pk}, query={"position": "0"}, post={}, get=False)
        for page in (w.page, w.live)
    ],
    "wagtailadmin_pages:copy": lambda w: [
        *page_probes(w),
        Probe({"page_id": w.own_page.pk}, post=plausible_body(w)),  # into the Slovak index
    ],
    "wagtailadmin_pages:workflow_action": workflow_action_probes,
    "wagtailadmin_pages:collect_workflow_action_data": workflow_action_probes,
    "wagtailadmin_pages:confirm_workflow_cancellation": lambda w: [Probe({"page_id": w.page.pk})],
    "wagtailadmin_pages:workflow_preview": lambda w: [
        Probe({"page_id": w.page.pk, "task_id": w.task.pk}),
        Probe({"page_id": w.own_page.pk, "task_id": w.task.pk}),
    ],
    "wagtailadmin_pages:set_privacy": lambda w: page_probes(w),
    "wagtailadmin_pages:lock": lambda w: page_probes(w),
    "wagtailadmin_pages:unlock": lambda w: page_probes(w),
    "wagtailadmin_pages:revisions_index": lambda w: page_probes(w, post=False),
    "wagtailadmin_pages:revisions_view": lambda w: revision_probes(w, post=False),
    "wagtailadmin_pages:revisions_revert": lambda w: revision_probes(w),
    "wagtailadmin_pages:revisions_unschedule": lambda w: revision_probes(w),
    "wagtailadmin_pages:revisions_compare": lambda w: [
        Probe({"pk": page.pk, "revision_id_a": a, "revision_id_b": b})
        for page in (w.live, w.own_page)
        for a, b in (
            ("earliest", "latest"),
            (str(w.old_revision.pk), str(w.revision.pk)),
            (str(w.old_revision.pk), "latest"),
            ("live", str(w.scheduled.pk)),
        )
    ],
    "wagtailadmin_pages:workflow_history": lambda w: page_probes(w, post=False),
    "wagtailadmin_pages:workflow_history_detail": lambda w: [
        Probe({"page_id": w.page.pk, "workflow_state_id": w.workflow_state.pk}),
        Probe({"page_id": w.own_page.pk, "workflow_state_id": w.workflow_state.pk}),
    ],
    "wagtailadmin_pages:history": lambda w: page_probes(w, post=False),
    "wagtailadmin_pages:history_results": lambda w: page_probes(w, post=False),
    "wagtailadmin_choose_page": lambda w: listing(),
    "wagtailadmin_choose_page_child": lambda w: [
        *page_probes(w, "parent_page_id", post=False),
        Probe({"parent_page_id": Page.get_first_root_node().pk}),
    ],
    "wagtailadmin_choose_page_search": lambda w: listing(),
    "wagtailadmin_choose_page_chosen_multiple": lambda w: [
        Probe(query=[("id", w.page.pk)]),
        Probe(query=[("id", w.own_page.pk), ("id", w.live.pk)]),
    ],
    "wagtailadmin_tag_autocomplete": lambda w: [Probe(query={"term": CONTENT.lower()[:3]})],
    "wagtailadmin_tag_model_autocomplete": lambda w: [
        Probe({"app_name": app, "model_name": model}, query={"term": CONTENT.lower()[:3]})
        for app, model in (("taggit", "tag"), ("core", "customimage"))
    ],
    "wagtailadmin_collections:index": lambda w: listing(),
    "wagtailadmin_collections:add": lambda w: [Probe(post=plausible_body(w))],
    "wagtailadmin_collections:edit": lambda w: [
        Probe({"pk": w.foreign.collection_id}, post=plausible_body(w))
    ],
    "wagtailadmin_collections:delete": lambda w: [Probe({"pk": w.foreign.collection_id}, post={})],
    "wagtailadmin_collections:set_privacy": lambda w: [
        Probe({"collection_id": w.foreign.collection_id}, post=plausible_body(w))
    ],
    "wagtailadmin_workflows:index": lambda w: listing(),
    "wagtailadmin_workflows:index_results": lambda w: listing(),
    "wagtailadmin_workflows:add": lambda w: [Probe(post=plausible_body(w))],
    "wagtailadmin_workflows:enable": lambda w: [Probe({"pk": w.workflow.pk}, post={})],
    "wagtailadmin_workflows:disable": lambda w: [Probe({"pk": w.workflow.pk}, post={})],
    "wagtailadmin_workflows:edit": lambda w: [Probe({"pk": w.workflow.pk}, post=plausible_body(w))],
    "wagtailadmin_workflows:usage": lambda w: [Probe({"pk": w.workflow.pk})],
    "wagtailadmin_workflows:usage_results": lambda w: [Probe({"pk": w.workflow.pk})],
    "wagtailadmin_workflows:remove": lambda w: [
        Probe({"page_pk": w.foreign.home_page.pk}, post={}),
        Probe({"page_pk": w.foreign.home_page.pk, "workflow_pk": w.workflow.pk}, post={}),
    ],
    "wagtailadmin_workflows:add_task": lambda w: [
        Probe(
            {"app_label": "wagtailcore", "model_name": "groupapprovaltask"}, post=plausible_body(w)
        )
    ],
    "wagtailadmin_workflows:select_task_type": lambda w: [Probe()],
    "wagtailadmin_workflows:task_index": lambda w: listing(),
    "wagtailadmin_workflows:task_index_results": lambda w: listing(),
    "wagtailadmin_workflows:edit_task": lambda w: [
        Probe({"pk": w.task.pk}, post=plausible_body(w))
    ],
    "wagtailadmin_workflows:disable_task": lambda w: [Probe({"pk": w.task.pk}, post={})],
    "wagtailadmin_workflows:enable_task": lambda w: [Probe({"pk": w.task.pk}, post={})],
    "wagtailadmin_workflows:task_chooser": lambda w: listing(),
    "wagtailadmin_workflows:task_chooser_results": lambda w: listing(),
    "wagtailadmin_workflows:task_chooser_create": lambda w: [Probe(post=plausible_body(w))],
    "wagtailadmin_workflows:task_chosen": lambda w: [Probe({"task_id": w.task.pk})],
    # Wagtail's report URLs: the addresses are answered by ours (``cms.core.admin_reports``,
    # routed first), which are swept under their routes below; requested here all the same.
    "wagtailadmin_reports:locked_pages": reports(),
    "wagtailadmin_reports:locked_pages_results": reports(export=False),
    "wagtailadmin_reports:workflow": reports(),
    "wagtailadmin_reports:workflow_results": reports(export=False),
    "wagtailadmin_reports:workflow_tasks": reports(),
    "wagtailadmin_reports:workflow_tasks_results": reports(export=False),
    "wagtailadmin_reports:site_history": reports(),
    "wagtailadmin_reports:site_history_results": reports(export=False),
    "wagtailadmin_reports:aging_pages": reports(),
    "wagtailadmin_reports:aging_pages_results": reports(export=False),
    "wagtailadmin_reports:page_types_usage": reports(),
    "wagtailadmin_reports:page_types_usage_results": reports(export=False),
    "wagtailadmin_editing_sessions:ping": editing_session_probes,
    "wagtailadmin_editing_sessions:release": lambda w: [
        Probe({"session_id": session.pk}, post={}, get=False)
        for session in (w.session, w.snippet_session)
    ],
    "snippet_index": lambda w: listing(),
    "wagtailsnippets:index": lambda w: listing(),
    "translation_status": lambda w: listing(
        {"format": "csv"}, {"country": FOREIGN}, {"country": FOREIGN, "format": "csv"}
    ),
    "cluster_import": lambda w: [
        Probe(post={"token": w.pending_import.token, "skip_invalid": "1"}),
        Probe(
            post={
                "file": ContentFile(
                    b"slug,country,name_en\nsweep-import,SK,Sweep import\n", name="sweep.csv"
                )
            }
        ),
    ],
    "cluster_export": lambda w: [Probe(), Probe(query={"format": "csv"})],
    "wagtailusers_api_tokens:index": lambda w: listing(),
    "wagtailusers_api_tokens:index_results": lambda w: listing(),
    "wagtailusers_api_tokens:add": lambda w: [
        Probe(post={"name": "Changed by the sweep", "user": w.sk_editor.pk})
    ],
    "wagtailusers_api_tokens:edit": lambda w: [
        Probe({"pk": w.token.pk}, post={"name": "Changed by the sweep"})
    ],
    "wagtailusers_api_tokens:delete": lambda w: [Probe({"pk": w.token.pk}, post={})],
    "wagtailusers_api_tokens:history": lambda w: [Probe({"pk": w.token.pk})],
    "wagtailusers_api_tokens:history_results": lambda w: [Probe({"pk": w.token.pk})],
    "wagtailusers_api_tokens:usage": lambda w: [Probe({"pk": w.token.pk})],
    "wagtailredirects:index": lambda w: listing({"export": "csv"}, {"site": w.foreign.site_id}),
    "wagtailredirects:index_results": lambda w: listing({"site": w.foreign.site_id}),
    "wagtailredirects:add": lambda w: [Probe(post=plausible_body(w))],
    "wagtailredirects:edit": lambda w: [
        Probe({"redirect_id": w.redirect.pk}, post=plausible_body(w))
    ],
    "wagtailredirects:delete": lambda w: [Probe({"redirect_id": w.redirect.pk}, post={})],
    "wagtailredirects:start_import": lambda w: [Probe()],
    "wagtailredirects:process_import": lambda w: [Probe(post={"import_file_name": "x.csv"})],
    "wagtaildocs:index": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "wagtaildocs:index_results": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "wagtaildocs:add": lambda w: [
        Probe(
            post={
                "title": "Changed by the sweep",
                "collection": w.foreign.collection_id,
                "file": ContentFile(b"sweep", name="sweep.txt"),
            }
        )
    ],
    # The Slovak document; and the own one, posted with the Slovak collection.
    "wagtaildocs:edit": lambda w: [
        Probe({"document_id": doc.pk}, post=plausible_body(w))
        for doc in (w.document, w.own_document)
    ],
    "wagtaildocs:delete": lambda w: [Probe({"document_id": w.document.pk}, post={})],
    "wagtaildocs:add_multiple": lambda w: [
        Probe(
            post={
                "collection": w.foreign.collection_id,
                "files[]": ContentFile(b"sweep", name="sweep.txt"),
            }
        )
    ],
    "wagtaildocs:edit_multiple": lambda w: [
        Probe({"doc_id": w.document.pk}, post={f"doc-{w.document.pk}-title": "Changed"})
    ],
    "wagtaildocs:create_multiple_from_uploaded_document": lambda w: [
        Probe(
            {"uploaded_file_id": w.uploaded_document.pk},
            post={f"uploaded-document-{w.uploaded_document.pk}-title": "Changed"},
            get=False,
        )
    ],
    "wagtaildocs:delete_multiple": lambda w: [Probe({"doc_id": w.document.pk}, post={})],
    "wagtaildocs:delete_upload_multiple": lambda w: [
        Probe({"uploaded_file_id": w.uploaded_document.pk}, post={}, get=False)
    ],
    "wagtaildocs:document_usage": lambda w: [
        Probe({"document_id": doc.pk}) for doc in (w.document, w.own_document)
    ],
    "wagtailimages:index": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "wagtailimages:index_results": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "wagtailimages:edit": lambda w: [
        Probe({"image_id": image.pk}, post=plausible_body(w)) for image in (w.image, w.own_image)
    ],
    "wagtailimages:delete": lambda w: [Probe({"image_id": w.image.pk}, post={})],
    # Wagtail's image and document edit views, with the locked save (cms.core.wagtail_hooks),
    # at Wagtail's addresses: what those two routes serve.
    "image_edit_keeping_others_saves": lambda w: ROUTES["wagtailimages:edit"](w),
    "document_edit_keeping_others_saves": lambda w: ROUTES["wagtaildocs:edit"](w),
    "wagtailimages:url_generator": lambda w: [Probe({"image_id": w.image.pk})],
    "wagtailimages:url_generator_output": lambda w: [
        Probe({"image_id": w.image.pk}, query={"filter_method": "original"})
    ],
    "wagtailimages:preview": lambda w: [
        Probe({"image_id": w.image.pk, "filter_spec": spec}) for spec in ("original", "width-10")
    ],
    "wagtailimages:add": lambda w: [
        Probe(
            post={
                "title": "Changed by the sweep",
                "collection": w.foreign.collection_id,
                "file": png("sweep.png"),
            }
        )
    ],
    "wagtailimages:image_usage": lambda w: [
        Probe({"image_id": image.pk}) for image in (w.image, w.own_image)
    ],
    "wagtailimages:add_multiple": lambda w: [
        Probe(post={"collection": w.foreign.collection_id, "files[]": png("sweep.png")})
    ],
    "wagtailimages:edit_multiple": lambda w: [
        Probe({"image_id": w.image.pk}, post={f"image-{w.image.pk}-title": "Changed"})
    ],
    "wagtailimages:create_multiple_from_uploaded_image": lambda w: [
        Probe(
            {"uploaded_file_id": w.uploaded_image.pk},
            post={f"uploaded-image-{w.uploaded_image.pk}-title": "Changed"},
            get=False,
        )
    ],
    "wagtailimages:delete_multiple": lambda w: [Probe({"image_id": w.image.pk}, post={})],
    "wagtailimages:delete_upload_multiple": lambda w: [
        Probe({"uploaded_file_id": w.uploaded_image.pk}, post={}, get=False)
    ],
    "wagtaildocs_chooser:choose": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "wagtaildocs_chooser:choose_results": lambda w: listing(
        {"collection_id": w.foreign.collection_id}
    ),
    "wagtaildocs_chooser:chosen": lambda w: [Probe({"pk": str(w.document.pk)})],
    "wagtaildocs_chooser:chosen_multiple": lambda w: [
        Probe(query=[("id", w.own_document.pk), ("id", w.document.pk)])
    ],
    "wagtaildocs_chooser:create": lambda w: [
        Probe(
            post={
                "document-chooser-upload-title": "Changed",
                "document-chooser-upload-collection": w.foreign.collection_id,
                "document-chooser-upload-file": ContentFile(b"sweep", name="sweep.txt"),
            }
        )
    ],
    "wagtailimages_chooser:choose": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "wagtailimages_chooser:choose_results": lambda w: listing(
        {"collection_id": w.foreign.collection_id}
    ),
    "wagtailimages_chooser:chosen": lambda w: [Probe({"pk": str(w.image.pk)})],
    "wagtailimages_chooser:chosen_multiple": lambda w: [
        Probe(query=[("id", w.own_image.pk), ("id", w.image.pk)])
    ],
    "wagtailimages_chooser:create": lambda w: [
        Probe(
            post={
                "image-chooser-upload-title": "Changed",
                "image-chooser-upload-collection": w.foreign.collection_id,
                "image-chooser-upload-file": png("sweep.png"),
            }
        )
    ],
    "wagtailimages_chooser:select_format": lambda w: [
        Probe(
            {"image_id": w.image.pk},
            post={
                "image-chooser-insertion-format": "fullwidth",
                "image-chooser-insertion-alt_text": "x",
            },
        )
    ],
    "wagtailsites:index": lambda w: listing(),
    "wagtailsites:index_results": lambda w: listing(),
    "wagtailsites:add": lambda w: [Probe(post=plausible_body(w))],
    "wagtailsites:edit": lambda w: [Probe({"pk": w.foreign.site_id}, post=plausible_body(w))],
    "wagtailsites:delete": lambda w: [Probe({"pk": w.foreign.site_id}, post={})],
    "wagtailsites:history": lambda w: [Probe({"pk": w.foreign.site_id})],
    "wagtailsites:history_results": lambda w: [Probe({"pk": w.foreign.site_id})],
    "wagtailsites:usage": lambda w: [Probe({"pk": w.foreign.site_id})],
    "wagtailsites:copy": lambda w: [Probe({"pk": w.foreign.site_id})],
    "wagtailusers_users:index": lambda w: listing({"group": w.foreign.editors_group_id}),
    "wagtailusers_users:index_results": lambda w: listing(),
    "wagtailusers_users:add": lambda w: [Probe(post=plausible_body(w))],
    "wagtailusers_users:edit": lambda w: [Probe({"pk": w.sk_editor.pk}, post=plausible_body(w))],
    "wagtailusers_users:delete": lambda w: [Probe({"pk": w.sk_editor.pk}, post={})],
    "wagtailusers_users:history": lambda w: [Probe({"pk": w.sk_editor.pk})],
    "wagtailusers_users:history_results": lambda w: [Probe({"pk": w.sk_editor.pk})],
    "wagtailusers_users:usage": lambda w: [Probe({"pk": w.sk_editor.pk})],
    "wagtailusers_users:copy": lambda w: [Probe({"pk": w.sk_editor.pk})],
    "wagtailusers_groups:index": lambda w: listing(),
    "wagtailusers_groups:index_results": lambda w: listing(),
    "wagtailusers_groups:add": lambda w: [Probe(post=plausible_body(w))],
    "wagtailusers_groups:edit": lambda w: [
        Probe({"pk": w.foreign.editors_group_id}, post=plausible_body(w))
    ],
    "wagtailusers_groups:delete": lambda w: [Probe({"pk": w.foreign.editors_group_id}, post={})],
    "wagtailusers_groups:history": lambda w: [Probe({"pk": w.foreign.editors_group_id})],
    "wagtailusers_groups:history_results": lambda w: [Probe({"pk": w.foreign.editors_group_id})],
    "wagtailusers_groups:usage": lambda w: [Probe({"pk": w.foreign.editors_group_id})],
    "wagtailadmin_dismissibles": lambda w: [Probe(post={"whats-new-in-wagtail-8.0": "true"})],
}

#: Our own routes without a name, by their route: the reports of ``cms.core.admin_reports``
#: (Wagtail's reports with neutralised downloads) and wagtail-modeltranslation's copy.
UNNAMED_ROUTES = {
    # cms.core.admin_tags: tag suggestions of what the user may see, over Wagtail's.
    "admin/tag-autocomplete/": lambda w: [Probe(query={"term": CONTENT.lower()[:3]})],
    "admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/": lambda w: [
        Probe({"app_name": "taggit", "model_name": "tag"}, query={"term": CONTENT.lower()[:3]})
    ],
    "admin/images/": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "admin/images/results/": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "admin/images/chooser/": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "admin/documents/": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "admin/documents/results/": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "admin/reports/locked/": reports(),
    "admin/reports/locked/results/": reports(export=False),
    "admin/reports/workflow/": reports(),
    "admin/reports/workflow/results/": reports(export=False),
    "admin/reports/workflow_tasks/": reports(),
    "admin/reports/workflow_tasks/results/": reports(export=False),
    "admin/reports/site-history/": reports(),
    "admin/reports/site-history/results/": reports(export=False),
    "admin/reports/aging-pages/": reports(),
    "admin/reports/aging-pages/results/": reports(export=False),
    # wagtail-modeltranslation's, answered by the project's checked view before it.
    r"admin/pages/(?P<page_id>\d+)/edit/copy_translation_content/$": lambda w: copy_probes(w),
}

#: Network-wide and harmless: these patterns hold nothing of any one country, so there is
#: no Slovak object to fill them with. Each is still requested (as a listing or its own
#: form), for a 500 or a marker, unless its reason says it is not requested.
NETWORK_WIDE = {
    "wagtailadmin_account": "the requesting user's own account and preferences",
    "wagtailadmin_logout": "ends the session (not requested: the sweep would log itself out)",
    "wagtailadmin_login": "the login form",
    "wagtailadmin_password_reset": "the password reset form (GET only: a POST sends mail)",
    "wagtailadmin_password_reset_done": "a fixed text",
    "wagtailadmin_password_reset_confirm": "a one-time link; requested with an invalid one",
    "wagtailadmin_password_reset_complete": "a fixed text",
    "wagtailadmin_javascript_catalog": "the admin's translated strings",
    "wagtailadmin_sprite": "the admin's icons",
    "wagtailadmin_error_test": (
        "Wagtail's deliberate error (an exception by design, to test error reporting): "
        "not requested"
    ),
    "wagtailadmin_block_preview": "a StreamField block's preview from posted data, reads no object",
    "wagtailadmin_choose_page_external_link": "a form for a URL typed by the editor",
    "wagtailadmin_choose_page_email_link": "a form for an address typed by the editor",
    "wagtailadmin_choose_page_phone_link": "a form for a number typed by the editor",
    "wagtailadmin_choose_page_anchor_link": "a form for an anchor typed by the editor",
    "wagtailembeds:chooser": "a form for an embed URL typed by the editor",
    "wagtailembeds:chooser_upload": (
        "fetches an embed from a provider on the internet (GET only: a POST would go online)"
    ),
    "admin/test404/": "Wagtail's 404 template, rendered",
    "admin/^.*/$": "the admin's catch-all 404",
    "sign_in_locks": (
        "the sign-in locks of every country: network administrators only, a country's "
        "editors are refused (tests/users/test_sign_in_throttle.py)"
    ),
    "sign_in_unlock": "lifts a sign-in lock: network administrators only, as the list",
}

#: Requests made for the network-wide patterns (by name or route).
NETWORK_WIDE_REQUESTS = {
    "wagtailadmin_account": [Probe()],
    "wagtailadmin_login": [Probe()],
    "wagtailadmin_password_reset": [Probe()],
    "wagtailadmin_password_reset_done": [Probe()],
    "wagtailadmin_password_reset_confirm": [Probe({"uidb64": "MQ", "token": "set-password"})],
    "wagtailadmin_password_reset_complete": [Probe()],
    "wagtailadmin_javascript_catalog": [Probe()],
    "wagtailadmin_sprite": [Probe()],
    "wagtailadmin_block_preview": [Probe()],
    "wagtailadmin_choose_page_external_link": [Probe()],
    "wagtailadmin_choose_page_email_link": [Probe()],
    "wagtailadmin_choose_page_phone_link": [Probe()],
    "wagtailadmin_choose_page_anchor_link": [Probe()],
    "wagtailembeds:chooser": [Probe()],
    "wagtailembeds:chooser_upload": [Probe()],
    "admin/test404/": [Probe()],
    "admin/^.*/$": [Probe()],
    "sign_in_locks": [Probe()],
    "sign_in_unlock": [Probe({"pk": 1}, post={}, get=False)],
}


#: Patterns that may show the *names* of the Slovak workflow, task, site or groups (the
#: ``STRUCTURE`` marker), never their content: these names are the network's structure,
#: one per country and named after it ("Moderácia – Slovensko"), with nothing an editor
#: wrote in them. Content and people (``CONTENT``, ``PERSON``) are never allowed anywhere.
STRUCTURE_SHOWN = {
    "admin/reports/workflow/": "the report's Workflow filter offers every workflow by name",
    "admin/reports/workflow_tasks/": "the report's Workflow filter offers every workflow by name",
    "wagtailadmin_workflows:task_chooser": (
        "Wagtail's task chooser lists the active tasks (each country's approval step) to any "
        "admin user; choosing one changes nothing, adding one to a workflow needs workflow rights"
    ),
    "wagtailadmin_workflows:task_chooser_results": "as wagtailadmin_workflows:task_chooser",
    "wagtailadmin_workflows:task_chosen": "as wagtailadmin_workflows:task_chooser",
    "wagtailadmin_pages:workflow_action": (
        "the user's own page with another country's task state: refused, with a message "
        "naming that task ('…is not awaiting moderation in task …'); nothing is changed"
    ),
    "wagtailadmin_pages:collect_workflow_action_data": "as wagtailadmin_pages:workflow_action",
    "wagtailadmin_pages:workflow_preview": (
        "the user's own page with another country's task: refused with the same message"
    ),
}


# The admin's URL patterns -------------------------------------------------------------


@dataclass
class AdminPattern:
    name: str  # "namespace:name", or "" for an unnamed pattern
    route: str  # as written, with its prefixes: "admin/pages/<int:page_id>/edit/"
    pattern: URLPattern

    @property
    def key(self) -> str:
        return self.name or self.route

    def url(self, kwargs: dict) -> str:
        if self.name:
            return reverse(self.name, kwargs=kwargs)
        # Unnamed: fill the route's groups by hand.
        path = self.route
        for name, value in kwargs.items():
            path = re.sub(rf"\(\?P<{name}>[^)]*\)|<(\w+:)?{name}>", str(value), path)
        path = path.replace("^", "").replace("$", "")
        if path == "admin/.*/":
            path = "admin/no-such-admin-page/"
        return "/" + path


def admin_patterns() -> list[AdminPattern]:
    def walk(patterns, prefix, namespaces):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            else:
                name = ":".join((*namespaces, entry.name)) if entry.name else ""
                yield AdminPattern(name, prefix + str(entry.pattern), entry)

    return [p for p in walk(get_resolver().url_patterns, "", ()) if p.route.startswith("admin/")]


SNIPPET_NAME = re.compile(r"^wagtailsnippets_(?P<app>\w+?)_(?P<model>[a-z0-9]+):(?P<view>\w+)$")
SNIPPET_CHOOSER_NAME = re.compile(
    r"^wagtailsnippetchoosers_(?P<app>\w+?)_(?P<model>[a-z0-9]+):(?P<view>\w+)$"
)
TRANSLATION_LISTING_NAME = re.compile(r"^translations-(?P<model>[a-z0-9]+):(?P<view>\w+)$")


def snippet_model(app: str, model_name: str):
    for model in get_snippet_models():
        if (model._meta.app_label, model._meta.model_name) == (app, model_name):
            return model
    raise LookupError(f"no snippet model {app}.{model_name}")


def probes_for(pattern: AdminPattern, w: World) -> list[Probe] | None:
    """How the sweep fills ``pattern``, or None if it does not know."""
    key = pattern.key
    if key in NETWORK_WIDE:
        return NETWORK_WIDE_REQUESTS.get(key, [])
    if key in ROUTES:
        return ROUTES[key](w)
    if key in UNNAMED_ROUTES:
        return UNNAMED_ROUTES[key](w)
    for regex, views in (
        (SNIPPET_NAME, SNIPPET_VIEWS),
        (SNIPPET_CHOOSER_NAME, SNIPPET_CHOOSER_VIEWS),
    ):
        match = regex.match(key)
        if match and match["view"] in views:
            model = snippet_model(match["app"], match["model"])
            obj = snippet_of(w, model)
            if obj is None:
                return None  # a new snippet model: give it a Slovak object in ``build_world``
            return views[match["view"]](w, obj, model)
    match = TRANSLATION_LISTING_NAME.match(key)
    if match and match["view"] in TRANSLATION_LISTING_VIEWS:
        return TRANSLATION_LISTING_VIEWS[match["view"]](w)
    return None


# Looking at responses --------------------------------------------------------------------


def text_of(response) -> str:
    """What a response shows: its body (a download's too, XLSX unzipped) and redirect target."""
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    parts = [response.get("Location", "")]
    if body[:2] == b"PK":  # XLSX: the cells are in the zipped XML
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    else:
        parts.append(body.decode("utf-8", "replace"))
    return "\n".join(parts)


def leaked(text: str, markers=MARKERS) -> list[str]:
    lowered = text.lower()
    return [marker for marker in markers if marker.lower() in lowered]


def context_of(text: str, marker: str) -> str:
    at = text.lower().find(marker.lower())
    return re.sub(r"\s+", " ", text[max(0, at - 120) : at + 80])


def sweep(w: World, user) -> list[str]:
    """Every admin pattern, filled and requested as ``user``; the problems found."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    problems = []
    before = foreign_state(w)
    for pattern in admin_patterns():
        probes = probes_for(pattern, w)
        assert probes is not None, f"not swept: {pattern.route} ({pattern.name or 'unnamed'})"
        markers = [m for m in MARKERS if not (m == STRUCTURE and pattern.key in STRUCTURE_SHOWN)]
        for probe in probes:
            url = pattern.url(probe.kwargs)
            if resolve(url).func is not pattern.pattern.callback:
                continue  # answered by an earlier pattern (ours over Wagtail's), swept as that
            target = f"{url}?{urlencode(probe.query, doseq=True)}" if probe.query else url
            requests = [("GET", target, None)] if probe.get else []
            if probe.post is not None:
                requests.append(("POST", target, probe.post))
            for method, address, data in requests:
                label = f"{method} {address} [{pattern.key}]"
                if method == "GET":
                    response = client.get(address)
                else:
                    response = client.post(address, data)
                if response.status_code >= 500:
                    error = getattr(response, "exc_info", None)
                    problems.append(f"{label}: {response.status_code} {error and error[1]!r}")
                text = text_of(response)
                # A redirect's messages are shown by the next page: blamed on this request.
                text += "\n".join(str(message) for message in get_messages(response.wsgi_request))
                client.cookies.pop(CookieStorage.cookie_name, None)
                for marker in leaked(text, markers):
                    problems.append(
                        f"{label}: {response.status_code} shows {marker!r}: "
                        f"…{context_of(text, marker)}…"
                    )
                if method == "POST":
                    after = foreign_state(w)
                    if after != before:
                        changed = [key for key in before if before[key] != after[key]]
                        problems.append(f"{label}: changed Slovak data: {changed}")
                        before = after
                if SESSION_KEY not in client.session:  # a refusal that logged the user out
                    client.force_login(user)
    if foreign_state(w) != before:
        problems.append("the GET requests changed Slovak data")
    return problems


# The tests --------------------------------------------------------------------------------


def test_every_admin_url_is_swept(db):
    """A new admin URL the sweep cannot fill fails here, printed: add it to ``ROUTES``
    (or, network-wide and harmless, to ``NETWORK_WIDE`` with the reason)."""
    w = build_world()
    unknown = [
        f"{p.route}  ({p.name or 'unnamed'})" for p in admin_patterns() if probes_for(p, w) is None
    ]
    assert not unknown, "admin URL patterns the sweep does not know how to fill:\n" + "\n".join(
        unknown
    )
    known = {p.key for p in admin_patterns()}
    stale = sorted(set(ROUTES) - known) + sorted(set(UNNAMED_ROUTES) - known)
    assert not stale, f"ROUTES for admin URLs that no longer exist: {stale}"


@pytest.mark.parametrize("role", ["editors", "moderators"])
def test_no_admin_url_reaches_another_country(db, role):
    w = build_world()
    problems = sweep(w, country_user(OWN, role))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_tag_suggestions_are_of_what_the_user_may_see(client, db):
    """The tag autocomplete, the media listings' "Tag" filter and the image chooser's
    popular tags: the tags of the user's own images and pages, and of published pages
    (public anyway); never those of another country's images or drafts."""
    from tests.factories import network_admin

    w = build_world()
    w.own_image.tags.add("zzkrkonosetag")
    live = Page.objects.get(pk=w.live.pk).specific
    live.tags.add("zzbenchmarkingtag")
    live.save()
    client.force_login(country_user(OWN))

    def suggested(term):
        return client.get("/admin/tag-autocomplete/", {"term": term}).json()

    assert suggested("zzkrk") == ["zzkrkonosetag"]
    assert suggested("zzbench") == ["zzbenchmarkingtag"]
    assert suggested("qzx") == []
    assert client.get("/admin/tag-autocomplete/taggit/tag/", {"term": "qzx"}).json() == []
    assert "zzkrkonosetag" in client.get("/admin/images/").content.decode()
    assert "zzkrkonosetag" in client.get("/admin/images/chooser/").json()["html"]
    client.force_login(network_admin())
    own_tags = {f"{CONTENT.lower()}tag", f"{CONTENT.lower()}pagetag"}
    assert set(suggested("qzx")) == own_tags
    assert f"{CONTENT.lower()}tag" in client.get("/admin/images/").content.decode()
