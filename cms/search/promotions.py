"""Editors' promoted results ("best bets"): the items shown above a search's results.

For whom: a visitor whose words an editor foresaw ("info day", "IT
cluster"); the search page and the API show the promoted items first,
labelled as recommended, then the ranked results as usual.

Which items: the promotions of the request's language whose query has the
same analysed words as the visitor's (``models.promotion_key``), whose target
has a search document in that language *served in that language* (published,
and its translation ready: never a draft, never a fallback text), and which
passes the request's filters (country, type, sector, dates) like any result.
All of it is one SQL statement on the search documents, on every backend:
the documents are the projection of published content, so no page is loaded
and an external search engine plays no part (nor does its outage).

Why not ``wagtail.contrib.search_promotions``: its ``Query`` is one row per
query string for the whole site, with no language, its promotions target
pages only (not cluster profiles), its admin has no per-language permission
and it counts every query in a daily-hits table. A language prefix in the
query string would fake the language but not the permissions or the
clusters; a model of our own is smaller than the workarounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Subquery
from django.utils.html import escape
from django.utils.safestring import SafeString

from cms.search.models import Promotion, promotion_key
from cms.search.query import SearchRequest, filtered_documents
from cms.search.service import excerpt

#: At most this many promoted items above a search's results.
MAX_PROMOTED = 3


@dataclass(frozen=True)
class PromotedItem:
    kind: str
    object_id: int
    title: SafeString  # escaped
    description: SafeString  # escaped: the editor's description, else the item's summary
    url: str
    country: str
    date: date | None
    language: str


def promoted(request: SearchRequest) -> list[PromotedItem]:
    """The promoted items for a (valid) request; none past its first page."""
    if request.start != 0:
        return []
    key = promotion_key(request.query, request.language)
    if not key:
        return []
    promotions = Promotion.objects.filter(
        language=request.language,
        query_key=key,
        target_kind=OuterRef("kind"),
        target_id=OuterRef("object_id"),
    ).order_by("sort_order", "pk")
    documents = (
        filtered_documents(request, database=True)
        .filter(Exists(promotions), served_language=request.language)
        .annotate(
            promotion_order=Subquery(promotions.values("sort_order")[:1]),
            promotion_description=Subquery(promotions.values("description")[:1]),
        )
        .order_by("promotion_order", "pk")[:MAX_PROMOTED]
    )
    return [
        PromotedItem(
            kind=doc.kind,
            object_id=doc.object_id,
            title=escape(doc.display_title),
            description=escape(
                doc.promotion_description.strip()
                or excerpt(doc.display_text, doc.served_language, set(), words=40)
            ),
            url=doc.url,
            country=doc.country,
            date=doc.date,
            language=doc.language,
        )
        for doc in documents
    ]
