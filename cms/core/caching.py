"""HTTP caching of visitor pages: who may keep a page, and since when it is unchanged.

A CDN in front of the sites may keep an anonymous visitor's page for
``VISITOR_CACHE_S_MAXAGE`` seconds and a browser for ``VISITOR_CACHE_MAX_AGE``
(``cms/settings/visitors.py``); after that they revalidate with the page's
``ETag`` (a digest of the HTML, exact) or ``Last-Modified`` and get a 304 when
nothing changed. Editors, previews and responses that set a cookie are never
stored by anyone. Publishing purges the CDN when one is configured
(``cms.core.frontend_cache``).
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.apps import apps
from django.conf import settings
from django.db.models import F, QuerySet, Subquery
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from wagtail.models import ModelLogEntry, PageLogEntry

#: Models whose rows visitor pages show besides pages (profiles, the footer's
#: partner and contact, sector names, the country), changed by imports and
#: ``sync_sites`` without an audit-log entry, so their ``updated_at`` counts too.
SHOWN_SNIPPETS = (
    "clusters.ClusterProfile",
    "partners.PartnerOrganisation",
    "partners.ContactPerson",
    "core.Country",
    "core.Sector",
)

#: When this process started: templates, translations and code change with a deploy.
STARTED_AT = timezone.now().replace(microsecond=0)


def start_of_today() -> datetime:
    """Midnight in the site's time zone: listings move today's events into the archive."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def newest_change() -> datetime | None:
    """The last time anything a visitor page shows may have changed, anywhere.

    A page shows more than itself: the menu (its site's sections), listings
    (its children), the footer's snippets; and unpublishing or deleting an
    item changes a listing without touching any remaining page's
    ``last_published_at``. Wagtail's audit log records every publish,
    unpublish, delete, move and snippet edit, so its newest entry (plus the
    snippets' own ``updated_at``) is an upper bound that is never too old:
    a 304 is never answered for a page that changed. It is coarse (any
    change renews every page's date); the ETag stays exact.
    """
    snippets = {
        label.replace(".", "_"): newest_of(apps.get_model(label).objects.all(), "updated_at")
        for label in SHOWN_SNIPPETS
    }
    # One statement instead of seven: the audit logs' newest entries and each snippet
    # table's newest change, as subqueries on one row of the countries (a site has one).
    times = (
        apps.get_model("core.Country")
        .objects.annotate(
            pages_logged=newest_of(PageLogEntry.objects.all(), "timestamp"),
            models_logged=newest_of(ModelLogEntry.objects.all(), "timestamp"),
            **snippets,
        )
        .values_list("pages_logged", "models_logged", *snippets)
        .first()
    ) or ()
    return max((moment for moment in times if moment is not None), default=None)


def newest_of(rows: QuerySet, field: str) -> Subquery:
    """The newest ``field`` of ``rows`` as a subquery (none when there are no rows)."""
    return Subquery(rows.order_by(F(field).desc(nulls_last=True)).values(field)[:1])


def last_modified(page) -> datetime:
    """The ``Last-Modified`` of ``page``'s visitor view: the newest of its own
    publication, any content change (``newest_change``), today's midnight and
    the deploy."""
    moments = [page.last_published_at, newest_change(), start_of_today(), STARTED_AT]
    return max(moment for moment in moments if moment is not None).astimezone(UTC)


def renew_last_modified(response) -> None:
    """Raise a listing's ``Last-Modified`` (a sitemap's or a feed's: Django dates them by
    the newest item listed) to the newest content change and the deploy.

    Unpublishing or deleting an item changes the listing without renewing the date of any
    item that remains: a crawler or feed reader asking ``If-Modified-Since`` was answered
    304 and kept the removed address. The ETag stays exact.
    """
    given = parse_http_date_safe(response.get("Last-Modified") or "")
    moments = [newest_change(), STARTED_AT]
    if given is not None:
        moments.append(datetime.fromtimestamp(given, UTC))
    response["Last-Modified"] = http_date(
        max(moment for moment in moments if moment is not None).timestamp()
    )


def is_personal(request, response) -> bool:
    """A response that only this visitor may keep.

    A session cookie means a signed-in editor (or someone who visited the
    admin): their pages may carry the Wagtail userbar or their own state.
    A response that sets a cookie (a CSRF token, the language choice) must
    never reach a shared cache, which would hand that cookie to everyone.
    """
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or bool(response.cookies)
        or getattr(request, "is_preview", False)
    )


def apply_cache_policy(request, response) -> None:
    """Set ``Cache-Control`` on a visitor response that has none yet.

    A view that chose its own (the search page's ``no-store`` when it answers
    from the database during an engine outage) keeps it. Only successful
    anonymous GETs are public; errors and redirects get no header and are
    kept by nobody by default.
    """
    if request.method not in ("GET", "HEAD") or response.has_header("Cache-Control"):
        return
    if is_personal(request, response):
        add_never_cache_headers(response)
        return
    max_age, s_maxage = settings.VISITOR_CACHE_MAX_AGE, settings.VISITOR_CACHE_S_MAXAGE
    if response.status_code != 200 or (max_age <= 0 and s_maxage <= 0):
        return
    patch_cache_control(response, public=True, max_age=max_age, s_maxage=s_maxage)
