"""Every visitor route of every site, swept with hostile input: never a 500, never a draft.

``test_admin_sweep.py`` does this for the admin. Here each site (the seven countries
and the hub, ``SITES``), in two of its languages, is asked for every visitor route
(``ROUTES``: pages and listings, search, feeds, calendars, sitemap, robots.txt, the
language switcher, the root redirect, documents and site files) with hostile input:
each query parameter the route reads (``Route.params``) given each of ``HOSTILE``
(non-numbers, negative and huge numbers, NUL bytes, invalid UTF-8, 10 kB, unknown
slugs, impossible dates, markup) and repeated; the routes that read none with all of
it at once; more query parameters than Django reads (1001); trailing garbage after the
path, unknown language prefixes, odd cookies and ``Accept-Language`` headers, and HEAD;
calendars of a draft's and another site's event. Every site has drafts whose titles carry
``MARKER``: a never-published news item and event, a live news item whose unpublished
revision is retitled, and a draft page with a published page below it.

A visitor must never get a 500; a 4xx is the visitors' HTML page (the site's header)
in their language (``<html lang>``, no English error text in another language); feeds,
calendars and the sitemap are valid when they answer 200; no response (body or header)
carries a draft's title, a raw NUL or the markup sent; a redirect stays on the site;
HEAD answers as GET does; and no NUL byte sent by a visitor reaches a database query
(PostgreSQL refuses one: a 500 there, whatever SQLite does).

To stay fast, each (route, parameter) pair's hostile values are dealt out over the
sixteen (site, language) pairs (``plan``): every value is tried on every parameter of
every route, each on one site (``test_the_plan_tries_every_value_on_every_parameter``),
about 950 requests in some 40 seconds on SQLite.
``test_the_sweep_knows_every_parameter_a_route_reads`` fails when a route reads a query
parameter that ``ROUTES`` does not list (or no longer reads one it lists).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import feedparser
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.http import QueryDict
from django.test import Client, override_settings
from django.utils import timezone, translation
from icalendar import Calendar
from lxml import etree
from wagtail.documents import get_document_model

from cms.clusters.models import ClusterDirectoryPage
from cms.core.languages import LANGUAGE_CODES
from cms.core.models import Country
from cms.core.translation_status import mark_complete_ready
from cms.core.visibility import in_a_language
from cms.events.models import EventIndexPage, EventPage
from cms.home.models import StandardPage
from cms.news.models import NewsIndexPage, NewsPage
from cms.search.forms import SearchForm
from tests.factories import path_of, translated

#: Each site and the two languages it is swept in: its own (or the hub's English) and another.
SITES = {
    "CZ": ("cs", "en"),
    "IT": ("it", "en"),
    "DE": ("de", "en"),
    "PL": ("pl", "en"),
    "AT": ("de", "en"),
    "SK": ("sk", "en"),
    "SI": ("sl", "en"),
    "INT": ("en", "sk"),
}
COMBOS = [(code, language) for code, languages in SITES.items() for language in languages]

#: In every draft's title, in every language: no visitor response may carry it.
MARKER = "Qzxdraftmark"
#: A word of every draft's and sweep page's title (never the marker), for the searches.
WORD = "Sekretny"


@dataclass(frozen=True)
class Route:
    """A visitor route: its name, the query parameters its view reads, what it answers."""

    name: str
    params: tuple[str, ...] = ()
    #: html, rss, atom, ics, sitemap, text, redirect (the root, the switcher), file
    kind: str = "html"
    #: Under a language prefix (``/<lang>/…``).
    prefixed: bool = True
    #: What goes after the path for "trailing garbage".
    garbage: str = "no-such-slug/"
    #: The query of its plain request (``{language}`` filled in); None: every hostile
    #: parameter at once (``JUNK``) when it reads none, else no query.
    plain: str | None = None

    @property
    def plain_query(self) -> str:
        if self.plain is not None:
            return self.plain
        return "" if self.params else JUNK


ROUTES = [
    Route("home"),
    Route("news index", ("page",)),
    Route("event index", ("page",)),
    Route("cluster directory", ("page", "sector")),
    Route("news item"),
    Route("event"),
    Route("standard page"),
    Route("cluster profile"),
    Route("page under a draft"),
    Route("search", tuple(SearchForm.base_fields), plain=f"q={WORD}"),
    Route("news rss", ("sector",), kind="rss", garbage="/garbage"),
    Route("news atom", ("sector",), kind="atom", garbage="/garbage"),
    Route("events ics", ("sector",), kind="ics", garbage="/garbage"),
    Route("event ics", ("sector",), kind="ics", garbage="/garbage"),
    Route("sitemap", ("p",), kind="sitemap", prefixed=False, garbage="/garbage"),
    Route("sitemap section", ("p",), kind="sitemap", prefixed=False, garbage="/garbage"),
    Route("robots", kind="text", prefixed=False, garbage="/garbage"),
    Route("language", ("next",), kind="redirect", prefixed=False, plain="next=/{language}/"),
    Route("root", kind="redirect", prefixed=False),
    Route("document", kind="file", prefixed=False, garbage="/garbage"),
    Route("favicon", kind="file", prefixed=False, garbage="/garbage"),
]

#: Hostile values, as they appear in a query string (percent-escapes included).
HOSTILE = {
    "not a number": "abc",
    "negative": "-1",
    "zero": "0",
    "past the end": "999",
    "2**63": str(2**63),
    "10**30": str(10**30),
    "fraction": "1.5",
    "exponent": "1e3",
    "NUL": "%00",
    "NUL inside": "2%00",
    "invalid UTF-8": "%C3%28",
    "invalid byte": "%FF",
    "10 kB": "x" * 10_240,
    "unknown slug": "no-such-slug",
    "impossible date": "2011-13-45",
    "year 0": "0000-01-01",
    "year 10000": "10000-01-01",
    "markup": "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "spaces": "%20%20",
    "empty": "",
    "repeated": "1&{param}=abc",
    "repeated, NUL last": "1&{param}=%00",
}
#: What the switcher's ``next`` is also given: addresses off the site, header breaking.
HOSTILE_NEXT = {
    "another host": "//evil.example/en/",
    "backslash host": "/%5Cevil.example/en/",
    "tab host": "/%09/evil.example/en/",
    "absolute": "https://evil.example/en/",
    "javascript": "javascript:alert(1)",
    "header break": "/{language}/%0D%0ASet-Cookie:%20x=1",
    "10 kB page": "/{language}/" + "x" * 10_240,
}
#: Every parameter at once, for the routes that read none.
JUNK = (
    f"page=abc&sector=%00&p={2**63}&q=%FF&next=//evil.example/&zzz=%C3%28"
    f"&date_from=2011-13-45&type={HOSTILE['markup']}&x={HOSTILE['10 kB']}"
)
#: More parameters than Django reads (``DATA_UPLOAD_MAX_NUMBER_FIELDS``, 1000 by default).
TOO_MANY = "&".join(f"a{number}=1" for number in range(1001))
ROUTE = {route.name: route for route in ROUTES}
#: Paths with a language prefix no site has, or a variant of one, or another host's form.
BAD_PREFIXES = [
    "/xx/",
    "/zz-ZZ/news/",
    "/EN/",
    "/en-gb/",
    "/%FF/",
    "/c%00s/",
    "/" + "x" * 10_240 + "/",
    "/de-AT/feeds/news.rss",
    "/qq/feeds/events.ics",
    "/xx/search/?q=a",
    "/%2F%2Fevil.example/",
    "/%5Cevil.example/",
]
#: ``Accept-Language`` headers and language cookies of odd browsers (for the root and
#: the switcher); none names a language a site publishes in.
ACCEPT_LANGUAGES = ["*", "en;q=abc", "x" * 10_000, ",,;;,", "zz-ZZ, qq;q=0.9", "-", "ä"]
COOKIES = ["xx", "x" * 4000, "EN", "de-AT-x-private", "%00"]

#: Visitor-facing English of the error pages and messages: none may show on a page in
#: another language.
ENGLISH = [
    "Page not found",
    "Error 404",
    "Sorry, we could not find this page.",
    "This address cannot be shown",
    "Error 400",
    "You can search this website or go to the home page.",
    "Go to the home page",
    "Skip to main content",
    "The address to go to (next) is not a page of this site.",
    "Page number",
    "Enter a valid date.",
    "Enter a whole number.",
]


# The plan: which (site, language) pair tries what ------------------------------------


@dataclass(frozen=True)
class Probe:
    """One request of the sweep, before its route is resolved to an address."""

    route: str
    method: str = "get"
    #: The query string (raw, without "?"); ``{language}`` is filled in.
    query: str = ""
    #: Appended to the route's path ("trailing garbage"), or replacing it (``path``).
    suffix: str = ""
    path: str = ""
    #: The language cookie and the ``Accept-Language`` header, when not the default ones.
    cookie: str | None = None
    accept_language: str | None = None
    #: What is tried (for the report): "page=abc", "HEAD", …
    label: str = ""


def dealt(items, offset: int) -> dict[tuple[str, str], list]:
    """``items`` dealt out over ``COMBOS`` like cards, the first to the ``offset``-th pair."""
    hands: dict[tuple[str, str], list] = {combo: [] for combo in COMBOS}
    for number, item in enumerate(items):
        hands[COMBOS[(number + offset) % len(COMBOS)]].append(item)
    return hands


def plan() -> dict[tuple[str, str], list[Probe]]:
    """Every probe of the sweep, by (site, language)."""
    probes: dict[tuple[str, str], list[Probe]] = {combo: [] for combo in COMBOS}
    offsets = itertools.count(0, 5)  # each parameter's values start on another pair
    for route in ROUTES:
        for param in route.params:
            values = [(name, value.format(param=param)) for name, value in HOSTILE.items()]
            if param == "next":
                values += list(HOSTILE_NEXT.items())
            prefix = f"q={WORD}&" if route.name == "search" and param != "q" else ""
            for combo, hand in dealt(values, next(offsets)).items():
                probes[combo] += [
                    Probe(route.name, query=f"{prefix}{param}={value}", label=f"{param}: {name}")
                    for name, value in hand
                ]
    for code, languages in SITES.items():
        for language in languages:
            for route in ROUTES:
                query = route.plain_query
                probes[code, language].append(Probe(route.name, query=query, label="plain"))
                if language == languages[0]:
                    probes[code, language].append(
                        Probe(route.name, method="head", query=query, label="HEAD")
                    )
    for number, route in enumerate(ROUTES):
        for combo in (COMBOS[number % len(COMBOS)], COMBOS[(number + 7) % len(COMBOS)]):
            probes[combo].append(Probe(route.name, suffix=route.garbage, label="garbage"))
        probes[COMBOS[(number + 3) % len(COMBOS)]].append(
            Probe(route.name, query=TOO_MANY, label="1001 parameters")
        )
    others = [Probe("root", path=path, label=f"prefix {path[:20]}") for path in BAD_PREFIXES]
    others += [
        Probe(name, accept_language=value, label=f"Accept-Language {value[:20]}")
        for value in ACCEPT_LANGUAGES
        for name in ("root", "language")
    ]
    others += [
        Probe(name, cookie=value, label=f"cookie {value[:20]}")
        for value in COOKIES
        for name in ("root", "language")
    ]
    for combo, hand in dealt(others, 3).items():
        probes[combo] += hand
    return probes


# The world: each site's addresses, and its drafts --------------------------------------


_numbers = itertools.count(1)


@dataclass
class World:
    country: Country
    host: str
    languages: tuple[str, ...]
    pages: dict = field(default_factory=dict)
    document: object = None
    draft_event: EventPage | None = None
    foreign_event: EventPage | None = None


def marked_titles() -> dict:
    return translated("title", dict.fromkeys(LANGUAGE_CODES, f"{MARKER} {WORD}"))


def add_draft(parent, model, **fields):
    """A never-published page under ``parent``, its title the marker in every language."""
    slug = f"sweep-draft-{next(_numbers)}"
    page = model(
        slug=slug,
        live=False,
        **marked_titles(),
        **translated("slug", dict.fromkeys(LANGUAGE_CODES, slug)),
        **fields,
    )
    with translation.override("en"):
        parent.add_child(instance=page)
    page.save_revision()
    return page


def add_live(parent, model, languages, **fields):
    """A published page under ``parent``, complete and ready in ``languages``."""
    slug = f"sweep-live-{next(_numbers)}"
    page = model(
        slug=slug,
        **translated("title", {code: f"Sweep page {code} {WORD}" for code in languages}),
        **translated("slug", dict.fromkeys(languages, slug)),
        **fields,
    )
    mark_complete_ready(page)
    with translation.override(languages[0]):
        parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def build_world(code: str) -> World:
    country = Country.objects.get(code=code)
    languages = tuple(country.languages)
    home = country.home_page
    world = World(country=country, host=country.site.hostname, languages=languages)
    news_index = NewsIndexPage.objects.child_of(home).get()
    event_index = EventIndexPage.objects.child_of(home).get()
    event_fields = {
        "kind": "conference",
        "start": timezone.now(),
        **translated("lead", dict.fromkeys(LANGUAGE_CODES, "Lead")),
        **translated("place", dict.fromkeys(LANGUAGE_CODES, "Ústí")),
    }
    lead = translated("lead", dict.fromkeys(LANGUAGE_CODES, "Lead"))

    add_draft(news_index, NewsPage, **lead)
    world.draft_event = add_draft(event_index, EventPage, **event_fields)
    # A live item whose latest revision (not published) has the marker as its title.
    retitled = add_live(news_index, NewsPage, languages, **lead)
    for name, value in marked_titles().items():
        setattr(retitled, name, value)
    retitled.save_revision()
    # Wagtail serves a published page below a draft: its trail must not name the draft.
    under_draft = add_live(add_draft(home, StandardPage), StandardPage, languages)

    live_event = EventPage.objects.descendant_of(home).live().first()
    world.pages = {
        "home": home,
        "news index": news_index,
        "event index": event_index,
        "cluster directory": ClusterDirectoryPage.objects.child_of(home).get(),
        "news item": retitled,
        "event": live_event or add_live(event_index, EventPage, languages, **event_fields),
        "standard page": StandardPage.objects.child_of(home).live().first(),
        "page under a draft": under_draft,
    }
    world.foreign_event = (
        EventPage.objects.live().exclude(path__startswith=home.path).order_by("pk").first()
    )
    document = get_document_model()(title=f"Sweep minutes {code}", collection=country.collection)
    document.file = ContentFile(b"minutes", name=f"sweep-minutes-{code.lower()}.txt")
    document.save()
    world.document = document
    return world


def address(world: World, route: str, language: str) -> str:
    """The route's path on ``world``'s site in ``language``."""
    if route in world.pages:
        return path_of(world.pages[route], language)
    if route == "cluster profile":
        directory = world.pages["cluster directory"]
        cluster = in_a_language(directory.clusters()).order_by("pk").first()
        return f"{path_of(directory, language)}{cluster.slug}/"
    return {
        "search": f"/{language}/search/",
        "news rss": f"/{language}/feeds/news.rss",
        "news atom": f"/{language}/feeds/news.atom",
        "events ics": f"/{language}/feeds/events.ics",
        "event ics": f"/{language}/feeds/events/{world.pages['event'].pk}.ics",
        "sitemap": "/sitemap.xml",
        "sitemap section": "/sitemap-pages.xml",
        "robots": "/robots.txt",
        "language": "/language/",
        "root": "/",
        "document": world.document.url,
        "favicon": "/favicon.ico",
    }[route]


# The checks --------------------------------------------------------------------------


def problems_of(world: World, response, route: Route, language: str) -> list[str]:
    """What is wrong with one response (``language``: the one its page must be in)."""
    status = response.status_code
    if status >= 500:
        return [f"{status}"]
    found = []
    body = b""
    if response.request["REQUEST_METHOD"] != "HEAD":
        body = b"".join(response.streaming_content) if response.streaming else response.content
    headers = " ".join(f"{name}: {value}" for name, value in response.items())
    if MARKER.encode() in body or MARKER in headers:
        found.append("a draft's title")
    if b"<script>alert" in body:
        found.append("the markup sent, unescaped")
    if 300 <= status < 400:
        location = urlsplit(response["Location"])
        if location.netloc not in ("", world.host) or location.path.startswith(("//", "/\\")):
            found.append(f"redirects off the site: {response['Location']}")
        return found
    content_type = response.get("Content-Type", "")
    html = content_type.startswith("text/html")
    if status >= 400 and not html:
        found.append(f"{status} as {content_type}, not the visitors' page")
    if html and body:
        page = body.decode()
        if "\x00" in page:
            found.append("a NUL in the HTML")
        if f'<html lang="{language}">' not in page:
            found.append(f"not in {language}")
        if status >= 400 and '<a class="brand"' not in page:
            found.append(f"{status} without the site's header")
        if status >= 400 and language != "en" and (left := [t for t in ENGLISH if t in page]):
            found.append(f"English on a {language} page: {left}")
    if status == 200 and body and not html:
        found += invalid_file(route, body)
    return found


def invalid_file(route: Route, body: bytes) -> list[str]:
    """A 200 feed, calendar or sitemap must parse."""
    try:
        if route.kind in ("rss", "atom"):
            feed = feedparser.parse(body)
            if feed.bozo or feed.version != ("rss20" if route.kind == "rss" else "atom10"):
                return [f"an invalid feed: {feed.get('bozo_exception')}"]
        elif route.kind == "ics":
            Calendar.from_ical(body)
        elif route.kind == "sitemap":
            etree.fromstring(body)
    except (ValueError, etree.XMLSyntaxError) as error:
        return [f"an invalid {route.kind}: {error}"]
    return []


def request(client, world: World, probe: Probe, path: str, language: str):
    """The probe's response (after same-site redirects) and what is wrong with it.

    The browser names a language of the site: for a prefixed route another than the
    address's (the page follows its address), else the one swept. A page is in its
    address's language when the site publishes in it, else in the browser's (with an
    ``Accept-Language`` of no known language, the site's default).
    """
    route = ROUTE[probe.route]
    other = next((code for code in world.languages if code != language), language)
    browser = other if route.prefixed else language
    if probe.accept_language is not None:
        browser = world.country.default_language
    if probe.cookie is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = probe.cookie
    headers = {"HTTP_HOST": world.host, "HTTP_ACCEPT_LANGUAGE": probe.accept_language or browser}
    query = probe.query.replace("{language}", language)
    url = path if not query else f"{path}{'&' if '?' in path else '?'}{query}"
    response = getattr(client, probe.method)(url, **headers)
    found = problems_of(world, response, route, page_language(world, url, browser))
    for _hop in range(3):
        if not (300 <= response.status_code < 400) or found:
            break
        location = urlsplit(response["Location"])
        url = location.path + (f"?{location.query}" if location.query else "")
        response = client.get(url, **headers)
        found += problems_of(world, response, route, page_language(world, url, browser))
    client.cookies.clear()
    return response, found


def page_language(world: World, url: str, browser: str) -> str:
    language = translation.get_language_from_path(urlsplit(url).path)
    return language if language in world.languages else browser


def sweep(code: str, nul_queries) -> list[str]:
    world = build_world(code)
    client = Client(raise_request_exception=False)  # a 500 is reported with the others
    problems = []
    statuses = {}
    probes = plan()
    for language in SITES[code]:
        for probe in probes[code, language]:
            path = probe.path or address(world, probe.route, language) + probe.suffix
            nul_queries.clear()
            response, found = request(client, world, probe, path, language)
            if nul_queries:
                found.append(f"a NUL reached the database: {nul_queries[0]}")
            key = (path, probe.query, probe.cookie, probe.accept_language)
            seen = statuses.setdefault(key, response.status_code)
            if seen != response.status_code:
                found.append(f"{probe.method.upper()} {response.status_code}, GET {seen}")
            problems += [
                f"{code} {language} {probe.route} [{probe.label}] {path[:80]}: {problem}"
                for problem in found
            ]
    return problems + missing_addresses(client, world)


def missing_addresses(client, world: World) -> list[str]:
    """Addresses that must be a 404: a draft's and another site's event calendar, odd
    calendar and document ids, a language the site does not publish in."""
    language = world.languages[0]
    paths = [
        f"/{language}/feeds/events/{world.draft_event.pk}.ics",
        f"/{language}/feeds/events/{2**63}.ics",
        f"/{language}/feeds/events/0.ics",
        f"/documents/{world.document.pk}/wrong-name.txt",
        f"/documents/{2**63}/{world.document.filename}",
        f"/documents/0/{world.document.filename}",
        f"/documents/{world.document.pk}/%00",
    ]
    if world.foreign_event is not None:
        paths.append(f"/{language}/feeds/events/{world.foreign_event.pk}.ics")
    unpublished = [code for code in LANGUAGE_CODES if code not in world.languages]
    if unpublished:
        paths.append(f"/{unpublished[0]}/")
    problems = []
    for path in paths:
        probe = Probe("event ics" if path.endswith(".ics") else "document")
        response, found = request(client, world, probe, path, language)
        if 500 > response.status_code != 404:
            found.append(f"{response.status_code}, not 404")
        problems += [f"{world.country.code} {path[:80]}: {problem}" for problem in found]
    return problems


# The tests ---------------------------------------------------------------------------


def test_the_sweep_covers_every_site(db):
    """A new site (or a site's new language) joins ``SITES``."""
    assert set(SITES) == set(Country.objects.values_list("code", flat=True))
    for code, languages in SITES.items():
        assert set(languages) <= set(Country.objects.get(code=code).languages), code


def test_the_plan_tries_every_value_on_every_parameter():
    tried = {(probe.route, probe.label) for probes in plan().values() for probe in probes}
    for route in ROUTES:
        for param in route.params:
            for name in HOSTILE:
                assert (route.name, f"{param}: {name}") in tried, (route.name, param, name)
        for label in ("plain", "HEAD", "garbage", "1001 parameters"):
            assert (route.name, label) in tried, (route.name, label)
    assert sum(len(probes) for probes in plan().values()) < 1100  # the CI's budget


@pytest.mark.parametrize("code", list(SITES))
def test_no_hostile_request_breaks_a_visitor_route(nul_queries, code):
    problems = sweep(code, nul_queries)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


# Which parameters the routes read ----------------------------------------------------


READ: set[str] = set()


class RecordingQueryDict(QueryDict):
    """``request.GET`` that notes each parameter name a view asks for (``READ``)."""

    def __getitem__(self, key):
        READ.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        READ.add(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        READ.add(key)
        return super().getlist(key, default)


class RecordParameters:
    """Middleware (first of all) giving each request a ``RecordingQueryDict``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = RecordingQueryDict(request.META.get("QUERY_STRING", ""))
        READ.clear()  # building it asked for each name sent
        return self.get_response(request)


@pytest.mark.parametrize("code", ["CZ", "INT"])
def test_the_sweep_knows_every_parameter_a_route_reads(db, code):
    """A route reading a query parameter ``ROUTES`` does not list fails here: add it there,
    and the sweep tries it. The search form's fields are its parameters (the form reads
    only those sent); the search page's facets read theirs on a page of results."""
    world = build_world(code)
    language = world.languages[0]
    middleware = [f"{__name__}.RecordParameters", *settings.MIDDLEWARE]
    with override_settings(MIDDLEWARE=middleware):
        client = Client()
        for route in ROUTES:
            path = address(world, route.name, language)
            if query := route.plain_query.replace("{language}", language):
                path = f"{path}?{query}"
            response = client.get(path, HTTP_HOST=world.host)
            assert response.status_code < 400, (route.name, response.status_code)
            read = READ | set(SearchForm.base_fields) if route.name == "search" else set(READ)
            assert read == set(route.params), (route.name, read)
