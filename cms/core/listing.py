"""Pagination of visitor listings (news, past events, search results), and their filters
in the language switcher.

One page of a listing per URL: ``?page=2``. A page number that is not a
number, or past the last page, is a 404, not the first page: the address
does not exist, and search engines should not keep it as a duplicate.
"""

from __future__ import annotations

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404

PARAM = "page"


def paginate(request, items, per_page: int) -> dict:
    """``page_obj``, ``page_range`` (elided) and the query strings of its pages' links."""
    paginator = Paginator(items, per_page)
    try:
        page = paginator.page(request.GET.get(PARAM) or 1)
    except InvalidPage as error:
        raise Http404(f"No such page: {error}") from error
    others = request.GET.copy()
    others.pop(PARAM, None)
    return {
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        **page_queries(request, others.urlencode()),
    }


def page_queries(request, query: str) -> dict:
    """``page_query``, to which ``page=N`` is added, and ``first_page_url``: the first page
    is the address without ``page=``, never a second address of it (``?page=1``)."""
    return {
        "page_query": f"{query}&" if query else "",
        "first_page_url": f"?{query}" if query else request.path,
    }


def switcher_keeps_filters(request, links: list[dict]) -> list[dict]:
    """The language switcher's ``links`` (``alternate_links``) on a listing whose query
    string chooses what it shows (the directory's ``?sector=``): each goes to the same
    choice in its language, in ``next`` (the header's switcher reads it before ``url``).

    From the first page, as the search page's switcher: the page number is a place in
    one language's listing, not a choice. ``url`` stays the listing's own address, which
    its canonical and hreflang links name.
    """
    others = request.GET.copy()
    others.pop(PARAM, None)
    query = others.urlencode()
    if not query:
        return links
    return [{**link, "next": f"{link['url']}?{query}"} for link in links]
