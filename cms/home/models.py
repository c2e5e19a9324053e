"""Country home pages and free-form standard pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms.core.blocks import BodyBlock
from cms.core.models import Country
from cms.core.pages import BasePage
from cms.core.translation_status import hide_unready_in
from cms.core.visibility import shown_to_visitors


class CountryHomePage(BasePage):
    """The root page of one partner country's site (or of the international hub)."""

    country = models.OneToOneField(
        Country, on_delete=models.PROTECT, related_name="home_page", verbose_name=_("country")
    )
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "news.NewsIndexPage",
        "events.EventIndexPage",
        "clusters.ClusterDirectoryPage",
        "home.StandardPage",
    ]

    class Meta:
        verbose_name = _("country home page")
        verbose_name_plural = _("country home pages")

    def get_country(self):
        return self.country

    def get_context(self, request, *args, **kwargs):
        from cms.clusters.models import ClusterDirectoryPage, sectors_listed
        from cms.events.models import EventIndexPage, EventPage, upcoming
        from cms.news.models import NewsIndexPage, NewsPage

        context = super().get_context(request, *args, **kwargs)
        news = (
            shown_to_visitors(NewsPage.objects.descendant_of(self))
            .order_by("-date", "-pk")
            .select_related("image")[:3]
        )
        events = upcoming(shown_to_visitors(EventPage.objects.descendant_of(self)))[:4]
        directory = shown_to_visitors(ClusterDirectoryPage.objects.child_of(self)).first()
        listed = directory.clusters() if directory else None
        context.update(
            latest_news=hide_unready_in(news),
            upcoming_events=hide_unready_in(events),
            news_index=shown_to_visitors(NewsIndexPage.objects.child_of(self)).first(),
            event_index=shown_to_visitors(EventIndexPage.objects.child_of(self)).first(),
            cluster_directory=directory,
            clusters=hide_unready_in(listed[:3]) if directory else [],
            # Links to the directory's sectors that list a cluster (never to an empty one).
            sectors=sectors_listed(listed) if directory else [],
        )
        return context


class StandardPage(BasePage):
    """An about page, a legal notice, anything without a schema of its own."""

    lead = models.TextField(_("lead"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*BasePage.content_panels, FieldPanel("lead"), FieldPanel("body")]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
    ]
    parent_page_types = ["home.CountryHomePage", "home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
