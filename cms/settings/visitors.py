"""Visitor sites: HTTP caching, the CDN purge on publish, the site-root icon (imported by base.py).

``VISITOR_CACHE_MAX_AGE`` (browsers) and ``VISITOR_CACHE_S_MAXAGE`` (shared
caches, a CDN) are the seconds an anonymous visitor's page may be kept before
it is revalidated (ETag / Last-Modified, a 304 when unchanged); 0 and 0 send
no ``Cache-Control`` at all. Signed-in editors, previews and responses that
set a cookie are never kept (``cms.core.caching``).

The CDN purge on publish (``cms.core.frontend_cache``, Wagtail's
``wagtail.contrib.frontend_cache`` backends) is off unless one of these is set:

- ``FRONTEND_CACHE_URL``: an HTTP cache that takes ``PURGE`` requests
  (Varnish, nginx), e.g. ``http://127.0.0.1:6081``; each request waits at
  most ``FRONTEND_CACHE_TIMEOUT`` seconds (default 5);
- ``FRONTEND_CACHE_CLOUDFLARE_ZONE_ID`` with ``FRONTEND_CACHE_CLOUDFLARE_TOKEN``
  (an API token allowed to purge the zone);
- ``FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID`` (boto3 and AWS credentials from
  the environment).

A purge runs as a background task after the editor's commit; a dead or slow
cache never fails or rolls back a publish (it is logged). Snippets, images and
documents purge the pages that show them (``cms.core.frontend_cache_snippets``),
at most ``FRONTEND_CACHE_MAX_URLS`` (default 1000) URLs a change.
"""

import os
from pathlib import Path

from cms.settings.environment import checked_url, env_count, env_duration, env_seconds


def frontend_cache_backends(environ) -> dict:
    """``WAGTAILFRONTENDCACHE`` from the environment: ``{}`` (no purging) by default."""
    backends = {}
    if environ.get("FRONTEND_CACHE_URL"):
        location = checked_url(
            "FRONTEND_CACHE_URL",
            environ["FRONTEND_CACHE_URL"].strip(),
            ("http", "https"),
            "http://varnish:6081",
        )
        backends["http"] = {
            "BACKEND": "cms.core.frontend_cache.HTTPPurgeBackend",
            "LOCATION": location,
            "TIMEOUT": env_duration("FRONTEND_CACHE_TIMEOUT", 5, minimum=0.001, environ=environ),
        }
    if environ.get("FRONTEND_CACHE_CLOUDFLARE_ZONE_ID"):
        backends["cloudflare"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "ZONEID": environ["FRONTEND_CACHE_CLOUDFLARE_ZONE_ID"],
            "BEARER_TOKEN": environ.get("FRONTEND_CACHE_CLOUDFLARE_TOKEN", ""),
        }
    if environ.get("FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID"):
        backends["cloudfront"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": environ["FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID"],
        }
    return backends


VISITOR_CACHE_MAX_AGE = env_seconds("VISITOR_CACHE_MAX_AGE", 60)
VISITOR_CACHE_S_MAXAGE = env_seconds("VISITOR_CACHE_S_MAXAGE", 300)
WAGTAILFRONTENDCACHE = frontend_cache_backends(os.environ)
#: The most URLs one change purges (a renamed sector shows on many pages): CloudFront
#: takes 3000 paths in progress and bills beyond 1000 a month, Cloudflare takes 30 URLs
#: a call, a proxy one PURGE a URL. The rest are logged and expire (cms.core.frontend_cache).
FRONTEND_CACHE_MAX_URLS = env_count("FRONTEND_CACHE_MAX_URLS", 1000)

#: Files served at the site root by WhiteNoise: ``/favicon.ico`` (browsers and
#: crawlers ask for it whatever the page's ``<link rel="icon">`` says).
#: Package data (beside ``cms/core/static``), so a wheel carries them too.
WHITENOISE_ROOT = Path(__file__).resolve().parents[1] / "core" / "static" / "cms" / "site-root"
