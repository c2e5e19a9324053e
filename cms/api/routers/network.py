"""What the whole network shares: its sites (countries), and the index (the sectors' listing is
``api_listing`` on ``Sector``)."""

from functools import lru_cache

from django.http import HttpRequest
from django.urls import get_resolver
from ninja import Query, Router

from cms.api import selectors
from cms.api.http import API_URLCONF, read
from cms.api.params import IndexParams, SiteCode, SiteDetailParams, SiteParams
from cms.api.resources import OUTPUT
from cms.api.responses import detail, listing, read_context
from cms.api.schemas import ApiIndex, sites
from cms.core.models import Country
from cms.projections.representations import representations

router = Router(tags=["network"])


@read(router, "/sites/", response=sites.listing, url_name="sites_list", **OUTPUT)
def list_sites(request: HttpRequest, params: Query[SiteParams]):
    """Every partner country's site and the hub, with the languages each publishes in."""
    context = read_context(request, params)
    sites = selectors.sites(params, context.localizer, context.scope)
    return listing(context, params, sites, representation=representations().site)


@read(router, "/sites/{code}/", response=sites.detail, url_name="sites_detail", **OUTPUT)
def get_site(
    request: HttpRequest,
    code: SiteCode,
    params: Query[SiteDetailParams],
):
    context = read_context(request, params)
    site = Country.objects.filter(code=code.upper())
    return detail(context, params, representations().site, code.upper(), found=site)


@lru_cache(maxsize=1)
def resource_paths() -> tuple[str, ...]:
    """What the index lists: every listing and the sync, in the order the API's urlconf has
    them (so a resource ``register``ed or written out in ``routers/`` is listed by itself)."""
    urls = [
        url
        for mounted in get_resolver(API_URLCONF).url_patterns
        for url in getattr(mounted, "url_patterns", ())
    ]
    return tuple(
        str(url.pattern) for url in urls if url.name.endswith("_list") or url.name == "sync"
    )


@read(router, "/", response=ApiIndex, url_name="index")
def index(request: HttpRequest, params: Query[IndexParams]):
    """Where everything is: the resources, the OpenAPI document, the docs."""
    context = read_context(request, params)
    return {
        "site": context.scope.code,
        "language": context.localizer.language,
        "resources": {path.rstrip("/"): context.api_url(path) for path in resource_paths()},
        "openapi": context.request.build_absolute_uri(f"{context.api_root}openapi.json"),
        "docs": context.request.build_absolute_uri(f"{context.api_root}docs/"),
    }
