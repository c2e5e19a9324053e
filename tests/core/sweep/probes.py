"""How the admin sweep fills a URL pattern: ``Probe``s, and the probes shared by many patterns."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from wagtail import hooks
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Page,
)

from cms.clusters.models import ClusterProfile
from cms.core.languages import LANGUAGE_CODES
from cms.core.models import Sector
from tests.core.sweep.world import WORD, World
from tests.factories import page_form_data, translated

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
