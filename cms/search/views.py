"""The visitor search page: query box, filters, facets and highlighted results."""

from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms.core.models import Country, Sector
from cms.core.pages import navigation
from cms.search.forms import SearchForm
from cms.search.service import SearchError, SearchRequest, SearchUnavailable, search


def search_page(request):
    language = get_language()
    site = Site.find_for_request(request)
    country = getattr(site, "country", None) if site else None
    form = SearchForm(request.GET)
    context = {
        "form": form,
        "country": country,
        "navigation": navigation(request),
        "sectors": Sector.objects.all(),
        "countries": Country.objects.all(),
        "response": None,
        "error": None,
    }
    status = 200
    if not form.is_valid():
        context["error"] = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return render(request, "search/search.html", context, status=400)
    data = form.cleaned_data
    if not data["q"]:
        return render(request, "search/search.html", context)
    countries = ()
    if data["country"]:
        countries = (data["country"],)
    elif country is not None and not country.is_hub:
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
    )
    try:
        context["response"] = search(search_request)
        context["did_you_mean_url"] = did_you_mean_url(request, context["response"])
    except SearchError as error:
        context["error"] = friendly_error(error)
        status = 400
    except SearchUnavailable:
        context["error"] = _("Search is not available right now. Please try again in a minute.")
        status = 503
    return render(request, "search/search.html", context, status=status)


def friendly_error(error: SearchError) -> str:
    if error.field_name == "q":
        return _("Please type some words to search for.")
    return _("Some of the filters are not valid (%(field)s). Please choose again.") % {
        "field": error.field_name
    }


def did_you_mean_url(request, response) -> str | None:
    """This search with the suggested query instead (same filters, first page)."""
    if not response.did_you_mean:
        return None
    params = request.GET.copy()
    params["q"] = response.did_you_mean
    params.pop("page", None)
    return f"?{params.urlencode()}"
