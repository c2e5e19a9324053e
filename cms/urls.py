from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.core import admin_reports, admin_tags, sitemaps
from cms.core import views as core_views
from cms.core.views import reads_only
from cms.events import calendars
from cms.news import feeds as news_feeds
from cms.search import views as search_views

urlpatterns = [
    # Wagtail's reports with neutralised downloads, before the admin's own (cms.core.admin_reports).
    path("admin/reports/", include(admin_reports)),
    # Tag suggestions of what the user may see, before the admin's own (cms.core.admin_tags).
    path("admin/", include(admin_tags)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("cms.api.urls")),
    # Read only: another method is the visitors' 405 page (cms.core.views.reads_only).
    path("", reads_only(core_views.root_redirect), name="root"),
    # The language switcher's links: remember the choice in a cookie, then go to the page.
    path("language/", reads_only(core_views.choose_language), name="choose_language"),
    path("sitemap.xml", reads_only(sitemaps.sitemap), name="sitemap"),
    # A large site's sections, named by its sitemap index (cms.core.sitemaps).
    path(
        "sitemap-<slug:section>.xml", reads_only(sitemaps.section_sitemap), name="sitemap_section"
    ),
    path("robots.txt", reads_only(sitemaps.robots_txt), name="robots_txt"),
]


if settings.DEBUG:  # in production the reverse proxy serves /media/ (README, "Media")
    media = rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$"
    urlpatterns.append(re_path(media, reads_only(core_views.serve_media)))

# Visitor pages live under a language prefix: /cs/aktuality/..., /en/news/...
urlpatterns += i18n_patterns(
    # A form sent with GET: another method is the 405 page, as the feeds'.
    path("search/", reads_only(search_views.search_page), name="search"),
    # News feeds and event calendars of the site, in the prefix's language (cms.core.feeds).
    path("feeds/news.rss", reads_only(news_feeds.NewsRssFeed()), name="news_feed_rss"),
    path("feeds/news.atom", reads_only(news_feeds.NewsAtomFeed()), name="news_feed_atom"),
    path("feeds/events.ics", reads_only(calendars.events_calendar), name="events_calendar"),
    path(
        "feeds/events/<int:pk>.ics",
        reads_only(calendars.event_calendar),
        name="event_calendar",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler400 = "cms.core.views.bad_request"
handler404 = "cms.core.views.page_not_found"
handler500 = "cms.core.views.server_error"
