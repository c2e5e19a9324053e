"""The visitor sites in a real browser: every country home and the hub, desktop and phone.

For each site, at 1366×900 and at 390×844 (a phone: mobile viewport, touch), a visitor
with a fresh browser in the site's language

1. opens ``/`` and lands on the home page in the site's default language;
2. types a cluster's name into the search box of that page, sees it suggested with its
   type, submits it, and lands on the search results, which link to that cluster;
3. opens the news listing and a news item from it, the events listing and an event
   from it, the cluster directory and a profile from it;
4. switches language with the switcher on the home page, and gets ``/`` in that
   language on the next visit (the choice is remembered).

On every page axe-core (npm, ``.ci/visitor``) must report no serious or critical
violation, the page must be no wider than the viewport (no horizontal scrolling: at
390 px the phone check), and it must answer below 400. Each page's screenshot goes to
``test-artifacts/visitor/`` (CI keeps it). All problems of a journey are collected and
reported together, so one run says everything that is wrong with a site.

Run on its own: ``make test-browser`` (see ``tests/browser/conftest.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from cms.core.models import Country
from cms.events.models import EventIndexPage
from cms.news.models import NewsIndexPage
from tests.browser.conftest import VISITOR_ARTIFACTS
from tests.factories import path_of

# No ``django_db`` mark: the tests read nothing from the database themselves (the module
# fixture ``sites`` looks up what they need), and a test-wide transaction on their connection
# would take SQLite's write lock at its BEGIN (the settings' IMMEDIATE mode) and hold it
# against the live server's writes (image renditions made on first view). ``demo_server``
# creates the test database (``django_db_setup``) and lets its threads use it.

#: The hub first, then the countries in sites/*.toml order.
SITES = ["INT", "CZ", "IT", "DE", "PL", "AT", "SK", "SI"]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}
#: axe-core impacts that fail the test (axe's scale: minor, moderate, serious, critical).
FAILING_IMPACTS = {"serious", "critical"}
#: Runs axe-core in the page; each violation as "rule (impact): help; N× first selector".
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    count: v.nodes.length, target: v.nodes.length ? v.nodes[0].target.join(" ") : "",
  }));
}"""
#: The page's width in CSS pixels against the viewport's (mobile emulation may zoom out to
#: show an overflowing page whole, so the viewport's own width is the yardstick).
WIDTH = "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
#: The first link in <main> to a page below ``prefix`` (an item of that listing).
FIRST_ITEM = """prefix => {
  for (const a of document.querySelectorAll("main a[href]")) {
    const url = new URL(a.href, location.href);
    if (url.origin === location.origin && url.pathname.startsWith(prefix)
        && url.pathname.length > prefix.length && !url.search && !url.hash) {
      return a.getAttribute("href");
    }
  }
  return null;
}"""


@dataclass
class Site:
    """What the journey needs to know of a site, looked up in the database once."""

    code: str
    is_hub: bool
    hostname: str
    language: str
    other_language: str
    listings: dict[str, str]
    cluster_name: str


def site_facts(code: str) -> Site:
    country = Country.objects.get(code=code)
    home = country.home_page
    language = country.default_language
    other = "en" if language != "en" else next(c for c in country.languages if c != "en")
    listings = {}
    for kind, model in (
        ("news", NewsIndexPage),
        ("event", EventIndexPage),
        ("cluster", ClusterDirectoryPage),
    ):
        listing = model.objects.live().descendant_of(home).first()
        assert listing is not None, f"{code} has no live {model.__name__}"
        listings[kind] = path_of(listing, language)
    clusters = ClusterProfile.objects.order_by("slug")
    if not country.is_hub:
        clusters = clusters.filter(country=country)
    with translation.override(language):
        cluster_name = clusters.first().name
    return Site(
        code, country.is_hub, country.site.hostname, language, other, listings, cluster_name
    )


@dataclass
class Journey:
    """One visitor's browser page on one site at one size, and what went wrong on it."""

    page: object
    base: str
    label: str
    width: int
    axe_script: Path
    problems: list[str] = field(default_factory=list)
    shots: int = 0

    def problem(self, step: str, text: str):
        self.problems.append(f"{self.label} {step}: {text}")

    def goto(self, path: str, step: str):
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")
        return self.check(step, response)

    def follow(self, locator, step: str):
        """Click a link or press a button, as a visitor does, and check where it leads."""
        with self.page.expect_navigation() as navigation:
            locator()
        self.page.wait_for_load_state("load")
        return self.check(step, navigation.value)

    def check(self, step: str, response) -> bool:
        """Status, axe-core, horizontal overflow and a screenshot of the page now shown."""
        url = self.page.url
        if response is None or response.status >= 400:
            status = response.status if response is not None else "no response"
            self.problem(step, f"{url} answered {status}")
        self.page.add_script_tag(path=str(self.axe_script))
        for violation in self.page.evaluate(AXE_RUN):
            if violation["impact"] in FAILING_IMPACTS:
                self.problem(
                    step,
                    f"axe {violation['id']} ({violation['impact']}): {violation['help']}; "
                    f"{violation['count']}x, first {violation['target']} on {url}",
                )
        width = self.page.evaluate(WIDTH)
        if width["scroll"] > self.width:
            self.problem(step, f"{url} is {width['scroll']} px wide in a {self.width} px viewport")
        self.shots += 1
        name = f"{self.label.replace(' ', '-')}-{self.shots:02d}-{step}.png"
        self.page.screenshot(path=VISITOR_ARTIFACTS / name, full_page=True)
        return response is not None and response.status < 400

    def html_lang(self) -> str:
        return self.page.locator("html").get_attribute("lang") or ""


def search(journey: Journey, site: Site):
    """Type the cluster's name into the search box of the home page and submit it."""
    box = journey.page.get_by_role("search").locator("input[name=q]")
    if box.count() == 0:
        journey.problem(
            "search",
            "no search box on the home page "
            '(a role="search" landmark, e.g. <form role="search">, with <input name="q">)',
        )
        return
    box.first.click()
    box.first.press_sequentially(site.cluster_name)
    suggest(journey, site)
    if not journey.follow(lambda: box.first.press("Enter"), "search-results"):
        return
    if not re.search(r"/search/\?(.*&)?q=", journey.page.url):
        journey.problem("search", f"the search box led to {journey.page.url}, not to /search/?q=")
    found = journey.page.locator("main a", has_text=site.cluster_name)
    if found.count() == 0:
        journey.problem("search", f"no result links to {site.cluster_name!r}")
    if journey.html_lang() != site.language:
        journey.problem("search", f"results in lang={journey.html_lang()!r}, not {site.language}")


def suggest(journey: Journey, site: Site):
    """While the name is typed, the box suggests the cluster, labelled with its type."""
    option = journey.page.get_by_role("option").filter(has_text=site.cluster_name).first
    try:
        option.wait_for(timeout=5_000)
    except PlaywrightTimeoutError:
        journey.problem("suggest", f"no suggestion for {site.cluster_name!r} while typing it")
        return
    if not option.locator(".autocomplete__type").inner_text().strip():
        journey.problem("suggest", f"the suggestion {site.cluster_name!r} names no type")


def open_item(journey: Journey, site: Site, kind: str, listing: str):
    """Open the listing, then the first item it links to."""
    if not journey.goto(listing, f"{kind}-listing"):
        return
    href = journey.page.evaluate(FIRST_ITEM, listing)
    if href is None:
        if kind == "event" and site.is_hub:
            return  # the demo hub has no events of its own; its (empty) listing was checked
        journey.problem(f"{kind}-listing", f"{journey.page.url} links to no {kind}")
        return
    link = journey.page.locator(f'main a[href="{href}"]').first
    journey.follow(link.click, kind)


def switch_language(journey: Journey, site: Site):
    """Pick the other language in the switcher of the home page; ``/`` then remembers it."""
    other = site.other_language
    journey.goto(f"/{site.language}/", "home-again")
    switcher = journey.page.locator(f"a[hreflang={other}]")
    if switcher.count() == 0:
        journey.problem("language", f'no link to {other} (<a hreflang="{other}">) on the home')
        return
    journey.follow(switcher.first.click, f"language-{other}")
    if journey.html_lang() != other:
        journey.problem("language", f"the switcher to {other} led to lang={journey.html_lang()!r}")
    journey.goto("/", "root-remembered")
    if journey.html_lang() != other:
        journey.problem("language", f"/ after choosing {other} shows lang={journey.html_lang()!r}")


@pytest.fixture(scope="module")
def sites(demo_server, django_db_blocker):
    with django_db_blocker.unblock():
        return {code: site_facts(code) for code in SITES}


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("code", SITES)
def test_visitor_journey(code, size, browser, demo_server, sites, axe_script):
    site = sites[code]
    VISITOR_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = urlsplit(demo_server.url).port
    # The visitor's browser asks for the site's language, as a local visitor's does.
    accept = "en-GB" if site.language == "en" else site.language
    context = browser.new_context(locale=accept, **VIEWPORTS[size])
    context.set_default_timeout(20_000)
    try:
        journey = Journey(
            page=context.new_page(),
            base=f"http://{site.hostname}:{port}",
            label=f"{code.lower()} {size}",
            width=VIEWPORTS[size]["viewport"]["width"],
            axe_script=axe_script,
        )
        journey.goto("/", "home")
        home = urlsplit(journey.page.url).path
        if home != f"/{site.language}/" or journey.html_lang() != site.language:
            journey.problem(
                "home", f"/ led to {home} lang={journey.html_lang()!r}, not /{site.language}/"
            )
        search(journey, site)
        for kind, listing in site.listings.items():
            open_item(journey, site, kind, listing)
        switch_language(journey, site)
    finally:
        context.close()
    if journey.problems:
        pytest.fail(f"{len(journey.problems)} problems:\n" + "\n".join(journey.problems), False)
