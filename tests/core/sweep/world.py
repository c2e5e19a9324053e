"""The world the admin sweep (``tests/core/test_admin_sweep.py``) runs in: Czech users, Slovak
objects each carrying a marker, and the Slovak state that no request may change."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.admin.models import EditingSession
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

from cms.clusters.models import ClusterProfile, PendingImport
from cms.core.languages import LANGUAGE_CODES
from cms.core.models import Country, Sector
from cms.partners.models import ContactPerson, PartnerOrganisation
from cms.search.models import Promotion, SynonymGroup
from cms.webhooks.models import Webhook, WebhookDelivery
from tests.factories import country_user, draft_page, lock_in_moderation, translated

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
