"""The visitor search page: query box, filters, facets and highlighted results,
and above them the items editors promote for the query (``cms.search.promotions``).

Everything a visitor reads is in their language: types, countries and sectors
by name (never ``cluster · CZ``), errors naming the field as the form labels
it. Result pages are ``noindex``: search engines should index the items, not
our answers about them.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.http.request import split_domain_port
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms.core.languages import language_name, site_languages
from cms.core.listing import page_queries
from cms.core.models import Country, Sector
from cms.core.pages import navigation
from cms.search.analysis import MAX_TOKEN_CHARS, words
from cms.search.forms import SearchForm
from cms.search.promotions import PromotedItem, promoted
from cms.search.service import (
    SearchError,
    SearchHit,
    SearchRequest,
    SearchUnavailable,
    search,
)

#: What each type of result is called, one of them (a hit) and as a filter.
KIND_LABELS = {
    "news": gettext_lazy("News item"),
    "event": gettext_lazy("Event"),
    "cluster": gettext_lazy("Cluster organisation"),
    "page": gettext_lazy("Page"),
}
KIND_FILTER_LABELS = {
    "news": gettext_lazy("News"),
    "event": gettext_lazy("Events"),
    "cluster": gettext_lazy("Cluster organisations"),
    "page": gettext_lazy("Pages"),
}
#: The search form's fields as a visitor knows them, for error messages.
FIELD_LABELS = {
    "q": gettext_lazy("Search for"),
    "type": gettext_lazy("Type"),
    "sector": gettext_lazy("Sector"),
    "country": gettext_lazy("Country"),
    "date_from": gettext_lazy("From"),
    "date_to": gettext_lazy("To"),
    "page": gettext_lazy("Page number"),
    "lang": gettext_lazy("Language"),
    "page_size": gettext_lazy("Results per page"),
}


def search_page(request):
    language = get_language()
    site = Site.find_for_request(request)
    country = Country.objects.filter(site=site).first() if site else None
    form = SearchForm(request.GET)
    context = {
        "form": form,
        "country": country,
        "navigation": navigation(request),
        "alternates": search_alternates(request, country),
        "sectors": Sector.objects.all(),
        "kind_filters": KIND_FILTER_LABELS,
        "response": None,
        "error": None,
        "notice": None,
        "search_max_chars": settings.SEARCH_MAX_QUERY_CHARS,
    }
    if not form.is_valid():
        context["error"] = form_error_message(form)
        return render(request, "search/search.html", context, status=400)
    data = form.cleaned_data
    if not data["q"]:
        return render(request, "search/search.html", context)
    # A country's site searches its own country; only the hub filters by country.
    countries = (data["country"],) if data["country"] else ()
    if country is not None and not country.is_hub:
        countries = (country.code,)
    search_request = SearchRequest(
        query=data["q"],
        language=language,
        countries=countries,
        sectors=(data["sector"],) if data["sector"] else (),
        kinds=(data["type"],) if data["type"] else (),
        date_from=data["date_from"],
        date_to=data["date_to"],
        page=data["page"] or 1,
        page_size=settings.SEARCH_PAGE_SIZE,
    )
    status, response = 200, None
    try:
        response = search(search_request)
    except SearchError as error:
        if error.field_name == "q" and any(character.isalnum() for character in data["q"]):
            # Words, all too common or too short to be searched ("IT" in English), or too
            # long (a pasted address, a run of letters): the visitor did type words, so
            # nothing to correct, but something to change.
            context["notice"] = unsearchable_words_notice(data["q"])
        else:
            context["error"] = friendly_error(error)
            status = 400
    except SearchUnavailable:
        context["error"] = _("Search is not available right now. Please try again in a minute.")
        status = 503
    else:
        context.update(results_context(request, response, country))
        context["promoted"] = shown_promotions(request, promoted(search_request))
    page = render(request, "search/search.html", context, status=status)
    if response is not None and (response.degraded or response.provisional):
        # The database's stopgap during an engine outage, or an answer made with a vocabulary
        # still being rebuilt: no cache may keep it past the outage or the rebuild.
        add_never_cache_headers(page)
    return page


def search_alternates(request, country) -> list[dict]:
    """The language switcher: this search (same query and filters) in each site language.

    From its first page: another language may have fewer pages of results.
    """
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    links = []
    for code in site_languages(country):
        with translation.override(code):
            url = reverse("search")
        links.append(
            {"code": code, "name": language_name(code), "url": f"{url}?{query}" if query else url}
        )
    return links


@dataclass(frozen=True)
class ShownHit:
    """A hit as the page shows it: its type and country named in the visitor's language."""

    hit: SearchHit
    kind_label: str
    country_name: str
    url: str


@dataclass(frozen=True)
class ShownPromotion:
    """An editor's promoted item, with its type and country named in the visitor's language."""

    item: PromotedItem
    kind_label: str
    country_name: str
    url: str


def on_this_site(request, url: str) -> str:
    """A stored result's address, relative when it is on the site the visitor is on, as
    Wagtail's ``get_url(request)`` makes links: stored, it has the Site's host and port,
    which need not be the ones the visitor used (``make run``'s 8000: the links led to 80)."""
    parts = urlsplit(url)
    if parts.hostname and parts.hostname == split_domain_port(request.get_host())[0]:
        return urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    return url


def shown_promotions(request, items: list[PromotedItem]) -> list[ShownPromotion]:
    if not items:
        return []
    names = country_names()
    return [
        ShownPromotion(
            item=item,
            kind_label=str(KIND_LABELS.get(item.kind, item.kind)),
            country_name=names.get(item.country, item.country),
            url=on_this_site(request, item.url),
        )
        for item in items
    ]


def results_context(request, response, country) -> dict:
    """Hits with readable labels, facets as filter links, and the pages of results.

    A page number past the last page of results is a 404, as on the listings.
    """
    paginator = Paginator(range(response.total), response.request.page_size)
    try:
        page = paginator.page(response.request.page)
    except InvalidPage as error:
        raise Http404(f"No such page of results: {error}") from error
    names = country_names()
    sector_names = {sector.slug: sector.name for sector in Sector.objects.all()}
    hits = [
        ShownHit(
            hit=hit,
            kind_label=str(KIND_LABELS.get(hit.kind, hit.kind)),
            country_name=names.get(hit.country, hit.country),
            url=on_this_site(request, hit.url),
        )
        for hit in response.hits
    ]
    show_countries = country is None or country.is_hub
    facets = response.facets or {}
    groups = [
        facet_group(request, "type", _("Type"), facets.get("type", {}), KIND_FILTER_LABELS),
        facet_group(request, "sector", _("Sector"), facets.get("sector", {}), sector_names),
    ]
    if show_countries:
        groups.append(
            facet_group(request, "country", _("Country"), facets.get("country", {}), names)
        )
    params = request.GET.copy()
    params.pop("page", None)
    return {
        **page_queries(request, params.urlencode()),
        "response": response,
        "hits": hits,
        "facet_groups": [group for group in groups if group["values"]],
        "did_you_mean_url": did_you_mean_url(request, response),
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    }


def country_names() -> dict[str, str]:
    return {country.code: country.name for country in Country.objects.all()}


def facet_group(request, param: str, title: str, counts: dict, labels) -> dict:
    """One facet as links that set (or, when chosen, clear) the filter ``param``."""
    chosen = request.GET.get(param, "")
    values = []
    for value, count in counts.items():
        params = request.GET.copy()
        params.pop("page", None)
        if value == chosen:
            params.pop(param, None)
        else:
            params[param] = value
        values.append(
            {
                "label": labels.get(value, value),
                "count": count,
                "url": f"?{params.urlencode()}",
                "active": value == chosen,
            }
        )
    return {"param": param, "title": title, "values": values, "chosen": chosen}


def form_error_message(form) -> str:
    """Each invalid field named as the visitor sees it: "From: Enter a valid date."."""
    parts = []
    for name, errors in form.errors.items():
        label = FIELD_LABELS.get(name, name)
        parts.append(f"{label}: {' '.join(str(e) for e in errors)}")
    return " ".join(parts)


def friendly_error(error: SearchError) -> str:
    if error.field_name == "q":
        return _("Please type some words to search for.")
    if error.field_name == "date_from":
        return _("The “From” date must not be after the “To” date.")
    return _("This filter is not valid: %(field)s. Please choose again.") % {
        "field": FIELD_LABELS.get(error.field_name, error.field_name)
    }


def did_you_mean_url(request, response) -> str | None:
    """This search with the suggested query instead (same filters, first page)."""
    if not response.did_you_mean:
        return None
    params = request.GET.copy()
    params["q"] = response.did_you_mean
    params.pop("page", None)
    return f"?{params.urlencode()}"


def unsearchable_words_notice(query: str) -> str:
    """Why a query of words found nothing to search for: a word too long is named as such
    (a run of 65 letters was "too common or too short")."""
    if any(len(word) > MAX_TOKEN_CHARS for word in words(query)):
        return _(
            "“%(query)s” has no word to search for: words longer than %(limit)s letters "
            "and very common or short words are left out. Please search for another word."
        ) % {"query": query, "limit": MAX_TOKEN_CHARS}
    return _(
        "“%(query)s” has only words too common or too short to search for. "
        "Please add a more specific word."
    ) % {"query": query}
