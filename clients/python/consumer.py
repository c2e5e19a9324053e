"""A partner's back end keeping a copy of one site in step, written as a developer would
against the client openapi-python-client generates from /api/v3/openapi.json.

CI (``.ci/clients``) regenerates ``generated/clusters_cord_delivery_api_client`` from the
document and type-checks this file with ``mypy --strict``: a change to the document that
breaks it breaks consumers too. With ``API_URL`` set it also runs against that server:

    API_URL=http://cz.localhost:8000 PYTHONPATH=generated python consumer.py
"""

from __future__ import annotations

import os
import sys
from typing import assert_never

from clusters_cord_delivery_api_client import Client
from clusters_cord_delivery_api_client.api.pages import list_news
from clusters_cord_delivery_api_client.api.sync import sync
from clusters_cord_delivery_api_client.models import (
    APIProblem,
    ClusterDirectoryPage,
    ClusterProfile,
    ContactPerson,
    CountryHomePage,
    EventIndexPage,
    EventPage,
    LanguageParameter,
    NewsIndexPage,
    NewsListing,
    NewsListingAllLanguages,
    NewsPage,
    NewsPageAllLanguages,
    PartnerOrganisation,
    Sector,
    StandardPage,
    SyncPage,
)
from clusters_cord_delivery_api_client.types import UNSET, Unset

#: An item of a sync in one language (``SyncPage.items``).
Item = (
    ClusterDirectoryPage
    | ClusterProfile
    | ContactPerson
    | CountryHomePage
    | EventIndexPage
    | EventPage
    | NewsIndexPage
    | NewsPage
    | PartnerOrganisation
    | Sector
    | StandardPage
)


def describe(item: Item) -> str:
    """One line per item: the type switch a generated client must make possible.

    openapi-python-client names the ``type`` field ``type_`` (``type`` is a builtin);
    each schema declares it as a ``Literal``, so matching on it narrows ``item``. In one
    language a translated field is a plain string (``lang=all`` has its own schemas).
    """
    match item.type_:
        case "news.NewsPage":
            date = item.date.isoformat() if item.date else "no date"
            return f"news {item.id} of {date}: {(item.title or '').upper()}"
        case "events.EventPage":
            start = item.start.isoformat() if item.start else "?"
            return f"event {item.id} from {start} ({item.kind}) at {item.place or '?'}"
        case "home.StandardPage":
            blocks = item.body if isinstance(item.body, list) else []
            return f"page {item.id}, {len(blocks)} blocks"
        case (
            "home.CountryHomePage"
            | "news.NewsIndexPage"
            | "events.EventIndexPage"
            | "clusters.ClusterDirectoryPage"
        ):
            return f"{item.type_} {item.id} at {item.meta.html_url}"
        case "clusters.ClusterProfile":
            members = item.members if isinstance(item.members, int) else 0
            return f"cluster {item.id} in {item.country}, {members} members"
        case "partners.PartnerOrganisation":
            lead = " (lead)" if item.is_lead_partner is True else ""
            return f"partner {item.id}{lead}"
        case "partners.ContactPerson":
            return f"contact {item.id} <{item.email}>"
        case "core.Sector":
            return f"sector {item.id} #{item.sort_order}"
        case _:
            # Every type is handled: adding one to the API makes this a type error.
            assert_never(item)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def problem(answer: object, status: int) -> str:
    """What went wrong: problem details name each parameter at fault in ``errors``."""
    if isinstance(answer, APIProblem):
        culprits = ", ".join(str(p.parameter) for p in answer.errors or [])
        return f"{status} {answer.type_}: {answer.detail} ({culprits})"
    return f"{status}: no body"


def full_sync(client: Client, site: str) -> str:
    """The first full pull in English, page by page; returns the cursor to keep."""
    cursor: str | Unset = UNSET
    while True:
        response = sync.sync_detailed(
            client=client, site=site, lang=LanguageParameter.EN, limit=50, cursor=cursor
        )
        match response.parsed:
            case SyncPage() as page:
                for item in page.items:
                    say(describe(item))
                for removed in page.deleted:
                    say(f"{removed.reason} {removed.type_} {removed.id} at {removed.removed_at}")
                cursor = page.cursor
                if not page.more:
                    return cursor
            case answer:  # a problem (APIProblem), or lang=all's page (not asked for)
                raise RuntimeError(problem(answer, response.status_code))


def latest_news(client: Client) -> list[NewsPage]:
    match list_news.sync(client=client, limit=5, order="-date"):
        case NewsListing() as listing:
            return listing.items
        case answer:
            raise RuntimeError(f"news: {answer}")


def titles_in_every_language(client: Client) -> list[str]:
    """``lang=all`` has schemas of its own: a translated field maps languages to texts."""

    def titles(item: NewsPageAllLanguages) -> str:
        texts = item.title.to_dict() if item.title else {}
        return ", ".join(f"{code}: {text}" for code, text in texts.items() if text)

    match list_news.sync(client=client, limit=3, lang=LanguageParameter.ALL):
        case NewsListingAllLanguages() as listing:
            return [titles(item) for item in listing.items]
        case answer:
            raise RuntimeError(f"news in every language: {answer}")


def main() -> int:
    base_url = os.environ.get("API_URL")
    if not base_url:
        return 0
    client = Client(base_url=base_url, raise_on_unexpected_status=True)
    cursor = full_sync(client, os.environ.get("API_SITE", "CZ"))
    say(f"up to date at {cursor[:12]}…")
    for news in latest_news(client):
        say(f"{news.id} {news.date}")
    for titles in titles_in_every_language(client):
        say(titles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
