"""Turn published content into search documents, one per language.

For each of the network's languages a document holds what a visitor in that
language sees: each field in the first language of the fallback chain that
has it, among those the item's site publishes in (``site_chain``), analysed with
*that* language's analyser (so fallback English text is stemmed as English). The body
ends with the names of the item's sectors, each in the first language of the reader's
fallback chain that names it (``sector_names``): a visitor who types "Turizem" finds the
clusters, news and events shown with that sector's chip. Renaming a sector writes the
documents of the items in it again (``cms.search.signals``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone, translation
from modeltranslation.utils import build_localized_fieldname

from cms.core.languages import LANGUAGE_CODES, fallback_chain, site_languages
from cms.core.pages import link_language
from cms.core.translation_status import has_language, is_ready
from cms.core.visibility import ids_shown_to_visitors
from cms.search.analysis import analyse_to_string
from cms.search.text import is_rich_text, to_text

#: Text fields of each content type, title first. Values may be plain text,
#: rich text HTML or StreamField values.
TITLE_FIELDS = {"news": "title", "event": "title", "page": "title", "cluster": "name"}
BODY_FIELDS = {
    "news": ("lead", "body"),
    "event": ("lead", "place", "body"),
    "page": ("lead", "body"),
    "cluster": ("description", "city", "region"),
}
DISPLAY_FIELD = {"news": "lead", "event": "lead", "page": "lead", "cluster": "description"}
DISPLAY_CHARS = 600


@dataclass
class DocumentData:
    """The field values of one SearchDocument, before it is saved."""

    language: str
    served_language: str
    title: str
    body: str
    display_title: str
    display_text: str
    url: str
    date: object = None
    country: str = ""
    sectors: list = field(default_factory=list)


#: Each indexed type's model label and its search kind: the visitor site names
#: its facets by kind, the Delivery API by the label (its items' ``type``).
KIND_OF_TYPE = {
    "news.NewsPage": "news",
    "events.EventPage": "event",
    "home.StandardPage": "page",
    "clusters.ClusterProfile": "cluster",
}
TYPE_OF_KIND = {kind: label for label, kind in KIND_OF_TYPE.items()}


def searched_models() -> list:
    """The models that have search documents (:data:`KIND_OF_TYPE`'s), pages first."""
    return [apps.get_model(label) for label in KIND_OF_TYPE]


def searched_page_labels() -> list[str]:
    return [label for label, kind in KIND_OF_TYPE.items() if kind != "cluster"]


def kind_of_model(model) -> str:
    """The search kind of one of :func:`searched_models`."""
    return KIND_OF_TYPE[model._meta.label]


def kind_of(obj) -> str | None:
    for label, kind in KIND_OF_TYPE.items():
        if isinstance(obj, apps.get_model(label)):
            return kind
    return None


def site_chain(language: str, site) -> tuple[str, ...]:
    """``language``'s fallback chain among the languages the item's ``site`` publishes in:
    what its pages show. A Slovak reader of the Slovak site (sk, en) falls back to English,
    never to Czech, which that site does not publish, as its listings and the page do."""
    published = site_languages(site)
    return tuple(code for code in fallback_chain(language) if code in published)


def resolved(obj, field_name: str, chain: tuple[str, ...]) -> tuple[str, str]:
    """(text, language it is written in) of a field: in the first language of ``chain``
    that has it. A language not marked ready is skipped like an empty one: never indexed.
    """
    rich = is_rich_text(type(obj), field_name)
    for code in chain:
        if not is_ready(obj, code):
            continue
        value = getattr(obj, build_localized_fieldname(field_name, code), None)
        text = to_text(value, rich=rich)
        if text:
            return text, code
    return "", chain[0]


def sector_names(sectors, language: str) -> list[tuple[str, str]]:
    """(name, language it is written in) of each of ``sectors`` for a reader of
    ``language``: in the first language of the fallback chain that names it."""
    names = []
    for sector in sectors:
        for code in fallback_chain(language):
            name = getattr(sector, build_localized_fieldname("name", code), None)
            if name:
                names.append((name, code))
                break
    return names


def served_language(obj, chain: tuple[str, ...]) -> str | None:
    """The first language of ``chain`` the item is published in, if any."""
    return next((code for code in chain if has_language(obj, code)), None)


class Batch:
    """What the documents of a batch of items need looked up once, not once per item.

    Which of its pages visitors may see (``cms.core.visibility``: two queries
    for the batch) and which directory serves each of its clusters' countries
    (``ClusterDirectoryPage.directories_serving``: four queries for the batch).
    A page restricted (password, login, groups) on itself or an ancestor refuses
    visitors on its own URL, and a cluster profile is served under a directory
    (its country's, or the hub's when its country has no live one), so search
    must not show their title, text or link when that refuses visitors, or when
    no directory serves the profile: they have no documents, as an unpublished
    page has none.
    """

    def __init__(self, objs):
        from wagtail.models import Page

        from cms.clusters.models import ClusterDirectoryPage

        objs = list(objs)
        self.shown_page_ids = ids_shown_to_visitors(obj for obj in objs if isinstance(obj, Page))
        country_ids = {obj.country_id for obj in objs if kind_of(obj) == "cluster"}
        self.directories = (
            ClusterDirectoryPage.directories_serving(country_ids) if country_ids else {}
        )
        self.site_countries: dict = {}
        self.page_urls: dict = {}

    def is_shown(self, obj, kind: str) -> bool:
        """Whether visitors may see ``obj`` (one of the batch's items)."""
        if kind == "cluster":
            return self.directories.get(obj.country_id) is not None
        return obj.live and obj.pk in self.shown_page_ids

    def base_page(self, obj, kind: str):
        """The page whose URL (per language) locates the item: itself, or the directory
        serving a cluster (its country's, or the hub's)."""
        if kind != "cluster":
            return obj
        return self.directories.get(obj.country_id)

    def page_url(self, page, language: str) -> str:
        """``page``'s full URL in ``language``: once per batch for a directory serving many
        profiles (Wagtail works it out from the site's root paths each time)."""
        key = (page.pk, language)
        if key not in self.page_urls:
            with translation.override(language):
                self.page_urls[key] = page.full_url or ""
        return self.page_urls[key]

    def site_country(self, page):
        """The country whose site ``page`` is on (None off every country's site): one
        query per page, once per batch for a directory serving many profiles."""
        if page is None:
            return None
        if page.pk not in self.site_countries:
            site = page.get_site()
            self.site_countries[page.pk] = getattr(site, "country", None) if site else None
        return self.site_countries[page.pk]


def link_of(obj, kind: str, language: str, batch: Batch) -> str:
    """The visitor URL a result for a reader of ``language`` links: the item's page in the
    language that reader lands on (``cms.core.pages.link_language``), never one its site
    lacks (a 404) or the item lacks (a redirect)."""
    page = batch.base_page(obj, kind)
    if page is None:
        return ""
    url = batch.page_url(page, link_language(obj, language, batch.site_country(page)))
    return f"{url}{obj.slug}/" if kind == "cluster" and url else url


def local_day(moment):
    """The day of an event's start where it takes place (the zone editors enter it in,
    ``TIME_ZONE``): read back from the database it is in UTC, where 00:30 in Prague is the
    day before; and not the active zone, which an admin request sets to the editor's own."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date() if moment else None


def documents_for(obj, batch: Batch | None = None) -> list[DocumentData]:
    """Every language version of a published item (empty when visitors may not see it).

    ``batch``: the lookups shared by the items synced together (``Batch``), which
    ``obj`` must be one of; without it, ``obj``'s own.
    """
    kind = kind_of(obj)
    if kind is None:
        return []
    batch = batch or Batch([obj])
    if not batch.is_shown(obj, kind):
        return []
    site = batch.site_country(batch.base_page(obj, kind))
    country = obj.country.code if kind == "cluster" else site.code if site else ""
    sectors = list(obj.sectors.all()) if hasattr(obj, "sectors") else []
    date = getattr(obj, "date", None) or local_day(getattr(obj, "start", None))
    documents = []
    for language in LANGUAGE_CODES:
        chain = site_chain(language, site)
        served = served_language(obj, chain)
        if served is None:
            continue
        shown = site_chain(served, site)
        title, title_language = resolved(obj, TITLE_FIELDS[kind], shown)
        body_parts = [resolved(obj, name, chain) for name in BODY_FIELDS[kind]]
        body_parts += sector_names(sectors, language)
        display_text, _ = resolved(obj, DISPLAY_FIELD[kind], shown)
        documents.append(
            DocumentData(
                language=language,
                served_language=served,
                title=analyse_to_string(title, title_language),
                body=" ".join(analyse_to_string(text, code) for text, code in body_parts if text),
                display_title=title[:500],
                display_text=display_text[:DISPLAY_CHARS],
                url=link_of(obj, kind, language, batch),
                date=date,
                country=country,
                sectors=sectors,
            )
        )
    return documents
