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
network-wide and harmless, in ``NETWORK_WIDE`` with the reason; both in
``tests/core/sweep/routes.py``); a new snippet type, a Slovak object in ``build_world``
(``tests/core/sweep/world.py``). A pattern whose address an earlier one answers
(our reports, tag suggestions and media listings over Wagtail's) is requested as
that one.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from wagtail.models import (
    Page,
)
from wagtail.snippets.models import get_snippet_models

from tests.core.sweep.probes import (
    SNIPPET_CHOOSER_VIEWS,
    SNIPPET_VIEWS,
    TRANSLATION_LISTING_VIEWS,
    Probe,
    snippet_of,
)
from tests.core.sweep.routes import (
    NETWORK_WIDE,
    NETWORK_WIDE_REQUESTS,
    ROUTES,
    STRUCTURE_SHOWN,
    UNNAMED_ROUTES,
)
from tests.core.sweep.world import (
    CONTENT,
    MARKERS,
    OWN,
    STRUCTURE,
    World,
    build_world,
    foreign_state,
)
from tests.factories import country_user

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
