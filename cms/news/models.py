"""News: press releases of the national partners and the lead partner."""

from django import forms
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms.api.listings import COUNTRY, SECTOR, TAG, Listing, dates, slugs
from cms.core.blocks import BodyBlock
from cms.core.collation import sort_key
from cms.core.listing import paginate
from cms.core.pages import BasePage
from cms.core.translation_status import has_a_language, hide_unready, hide_unready_in
from cms.core.visibility import shown_to_visitors


class NewsIndexPage(BasePage):
    """The list of a country's news items, newest first, a page of them per URL."""

    #: News items per page of the listing (``?page=2``); a bad page number is a 404.
    per_page = 12

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.CountryHomePage"]
    subpage_types = ["news.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    def news_items(self):
        return (
            shown_to_visitors(NewsPage.objects.child_of(self))
            .order_by("-date", "-pk")
            .select_related("image")
            .prefetch_related("sectors")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        listing = paginate(request, self.news_items(), self.per_page)
        listing["page_obj"].object_list = hide_unready_in(listing["page_obj"].object_list)
        context.update(listing, news_items=listing["page_obj"].object_list)
        return context


class NewsPageTag(TaggedItemBase):
    """A keyword on a news item (taggit's tags are shared by news and events)."""

    content_object = ParentalKey(
        "NewsPage",
        related_name="tagged_items",
        on_delete=models.CASCADE,
        verbose_name=_("news item"),
    )

    class Meta:
        verbose_name = _("news item tag")
        verbose_name_plural = _("news item tags")


class NewsPage(BasePage):
    """A news item or press release: date, lead, body and who to contact."""

    date = models.DateField(_("date"), default=timezone.localdate)
    lead = models.TextField(_("lead"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    image = models.ForeignKey(
        "core.CustomImage",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sectors = ParentalManyToManyField(
        "core.Sector", blank=True, related_name="news", verbose_name=_("sectors")
    )
    related_clusters = ParentalManyToManyField(
        "clusters.ClusterProfile",
        blank=True,
        related_name="news",
        verbose_name=_("related clusters"),
    )
    tags = ClusterTaggableManager(
        through=NewsPageTag,
        blank=True,
        verbose_name=_("tags"),
        help_text=_("Keywords, the same in every language (e.g. benchmarking, study trip)."),
    )
    contact = models.ForeignKey(
        "partners.ContactPerson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact person"),
    )
    funding_note = models.CharField(_("funding note"), max_length=500, blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("date"),
        FieldPanel("lead"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
                FieldPanel("related_clusters", widget=forms.CheckboxSelectMultiple),
                FieldPanel("contact"),
            ],
            heading=_("Links"),
        ),
        FieldPanel("funding_note"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    api_listing = Listing(
        path="news",
        item="news",
        tag="pages",
        listed="News items and press releases, newest first.",
        detailed="One news item or press release, with every field (404 for any other page).",
        orderings=("date", "title", "first_published_at", "last_published_at", "id"),
        default_order=("-date", "-id"),
        filters=(
            COUNTRY,
            SECTOR,
            TAG,
            dates(lambda day: Q(date__gte=day), lambda day: Q(date__lte=day)),
            slugs(
                "cluster",
                "clusters.ClusterProfile",
                "related_clusters",
                "Only news about any of these cluster organisations (slugs)",
            ),
        ),
    )
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []
    translation_required_fields = ("title", "lead")

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_clusters"] = self.related_cluster_links(request)
        # As ``EventPage.get_context``: the contact's role only in languages ready there.
        context["contact"] = hide_unready(self.contact) if self.contact else None
        return context

    def related_cluster_links(self, request) -> list[dict]:
        """Related clusters, each linked to its profile when this site's directory shows it.

        Like a listing's card (``cms.core.alternates.card_link``): the link goes to the profile in
        the language whose text the name shows, not to this page's language's address,
        which only redirected there; ``language`` names that language when it is not the
        page's (for ``lang``).
        """
        from cms.clusters.models import ClusterDirectoryPage
        from cms.core.alternates import card_link, other_language

        # In memory: a preview's relations are not in the database (modelcluster).
        clusters = hide_unready_in(c for c in self.related_clusters.all() if has_a_language(c))
        if not clusters:
            return []
        # By the names shown, as the directory orders them.
        language = translation.get_language()
        clusters = sorted(clusters, key=lambda cluster: sort_key(cluster.name, language) or "")
        site = self.get_site()
        directory = (
            shown_to_visitors(ClusterDirectoryPage.objects.child_of(site.root_page)).first()
            if site
            else None
        )
        base = directory.get_url(request=request) if directory else None
        shown = set()
        if base:
            shown = set(
                directory.clusters()
                .filter(pk__in=[c.pk for c in clusters])
                .values_list("pk", flat=True)
            )
        links = []
        for cluster in clusters:
            if cluster.pk in shown:
                link = card_link(request, cluster, directory)
                links.append(
                    {"name": cluster.name, "url": link.url, "language": link.other_language}
                )
            else:
                language = other_language(request, cluster)
                links.append({"name": cluster.name, "url": "", "language": language})
        return links
