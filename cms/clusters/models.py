"""Cluster organisations: the profiles the network exists to promote.

A profile is a snippet (reusable, linked from news items) that belongs to one
country; each country site shows its own profiles in a directory page that
serves every profile at ``<directory>/<slug>/``.
"""

from collections.abc import Iterable
from datetime import timedelta
from functools import reduce
from operator import or_

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.api.listings import COUNTRY, SECTOR, Listing
from cms.core.feeds import BadParameter, sector_parameter
from cms.core.languages import site_languages
from cms.core.listing import paginate, switcher_keeps_filters
from cms.core.models import Country, Sector, TranslationReadiness
from cms.core.pages import BasePage, alternate_links, language_redirect
from cms.core.publication import NotPublishedPanel
from cms.core.translation_status import (
    available_languages,
    hide_unready,
    hide_unready_in,
    text_in_any_language,
)
from cms.core.visibility import hidden_from_visitors, ids_shown_to_visitors, in_a_language
from cms.partners.models import ContactPerson
from cms.projections.models import Projection
from cms.search.admin_search import ALL_LANGUAGES_FIELDS, AllLanguagesSearch

#: The earliest year a cluster organisation can have been founded (the import's too).
FOUNDED_EARLIEST = 1800


def this_year() -> int:
    """The latest year founded: none is founded in the future (``founded=3000`` was kept)."""
    return timezone.localdate().year


class ClusterProfile(AllLanguagesSearch, TranslationReadiness, index.Indexed, ClusterableModel):
    """A cluster organisation: who they are, where, in which sectors."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Stable key, also used in URLs."),
        # Editors see only their country's profiles: the clash may be with one they cannot see.
        error_messages={
            "unique": _(
                "Another cluster organisation of the network, perhaps of another country, "
                "already has this slug. Choose another one, for example with the city added."
            )
        },
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="clusters", verbose_name=_("country")
    )
    region = models.CharField(_("region"), max_length=150, blank=True)
    city = models.CharField(_("city"), max_length=150, blank=True)
    sectors = ParentalManyToManyField(
        Sector, blank=True, related_name="clusters", verbose_name=_("sectors")
    )
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "link"])
    members = models.PositiveIntegerField(_("number of members"), null=True, blank=True)
    founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FOUNDED_EARLIEST), MaxValueValidator(this_year)],
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    contact = models.ForeignKey(
        ContactPerson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact person"),
    )
    logo = models.ForeignKey(
        "core.CustomImage",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("country"),
        MultiFieldPanel([FieldPanel("region"), FieldPanel("city")], heading=_("Location")),
        FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("members"), FieldPanel("founded"), FieldPanel("logo")],
            heading=_("Facts"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("website"),
                FieldPanel("email"),
                FieldPanel("phone"),
                FieldPanel("contact"),
            ],
            heading=_("Contact"),
        ),
        NotPublishedPanel(),
        FieldPanel("ready_languages"),
    ]
    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("description"),
        index.SearchField("region"),
        index.SearchField("city"),
        index.AutocompleteField("name"),
        index.FilterField("country"),
        *ALL_LANGUAGES_FIELDS,
    ]
    api_listing = Listing(
        path="clusters",
        item="cluster",
        tag="clusters",
        listed="Cluster organisations of the site's country (of every country on the hub).",
        detailed="One cluster organisation, with every field.",
        orderings=("name", "founded", "members", "updated_at", "id"),
        default_order=("name", "id"),
        filters=(COUNTRY, SECTOR),
    )
    translation_required_fields = ("name",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster profile")
        verbose_name_plural = _("cluster profiles")

    def __str__(self):
        return text_in_any_language(self, "name")

    @property
    def place(self) -> str:
        """ "Brno, South Moravia": the city and the region, those it has (both optional)."""
        return ", ".join(part for part in (self.city, self.region) if part)


class ClusterDirectoryPage(RoutablePageMixin, BasePage):
    """A country's directory of cluster organisations; also serves each profile."""

    intro = models.TextField(_("introduction"), blank=True)

    #: Cards per page of the directory (a multiple of the two and three columns).
    per_page = 24

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.CountryHomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("cluster directory")
        verbose_name_plural = _("cluster directories")

    @classmethod
    def countries_refusing_visitors(cls) -> set[int]:
        """Ids of the countries whose live directory refuses visitors: its profiles too.

        A profile has no page of its own: its country's directory serves it at
        ``<directory>/<slug>/``, so a view restriction on the directory (or above it)
        refuses visitors every profile URL there, and the visitor search and the hub
        must not show those profiles either. A country with no live directory keeps
        its profiles (the hub serves them). Three queries whatever the number of
        profiles (the restrictions, the restricted directories, their countries).
        """
        return cls.countries_of(hidden_from_visitors(cls.objects.all()))

    @classmethod
    def directories_serving(
        cls, country_ids: Iterable[int]
    ) -> dict[int, "ClusterDirectoryPage | None"]:
        """For each country id: the live directory visitors may see that serves its profiles.

        The one answer every channel gives to "where do visitors find this country's
        profiles?" (the search documents' URLs, the canonical link, the API's
        ``html_url``), so that they agree:

        - the country's own live directory, when visitors may see it;
        - ``None`` when that directory refuses visitors (a view restriction on it or
          above it): its profiles are hidden everywhere (``countries_refusing_visitors``),
          the hub's directory refuses them too (``clusters``);
        - the hub's directory when the country has no live directory of its own (the
          hub serves every country's profiles), or ``None`` when the hub has none that
          visitors may see: then no page serves them.

        Four queries whatever the number of countries (the live directories, the
        restrictions, which directories they leave visible, the directories'
        countries): callers with many profiles ask once for all their countries.
        """
        country_ids = set(country_ids)
        live = list(cls.objects.live())
        if not country_ids or not live:
            return dict.fromkeys(country_ids)
        shown = ids_shown_to_visitors(live)
        # A directory's parent is its country's home page (``parent_page_types``);
        # a tree path is its parent's path plus one step.
        by_home_path = {page.path[: -page.steplen]: page for page in live}
        own, hub = {}, None
        for country_id, is_hub, home_path in Country.objects.filter(
            home_page__path__in=by_home_path
        ).values_list("pk", "is_hub", "home_page__path"):
            own[country_id] = by_home_path[home_path]
            if is_hub:
                hub = by_home_path[home_path]
        serving = {}
        for country_id in country_ids:
            page = own.get(country_id, hub)
            serving[country_id] = page if page is not None and page.pk in shown else None
        return serving

    @classmethod
    def directory_serving(cls, country_id: int) -> "ClusterDirectoryPage | None":
        """The directory visitors may see that serves one country's profiles
        (``directories_serving`` for one country: where a profile's URL is)."""
        return cls.directories_serving([country_id])[country_id]

    @staticmethod
    def countries_of(directories: Iterable[Page]) -> set[int]:
        """Ids of the countries whose home pages hold ``directories``: one query for them all."""
        directories = list(directories)
        if not directories:
            return set()
        homes = reduce(or_, (Page.objects.parent_of_q(page) for page in directories))
        return set(
            Country.objects.filter(home_page__in=Page.objects.filter(homes)).values_list(
                "pk", flat=True
            )
        )

    @classmethod
    def profiles_served_under(cls, page: Page):
        """The profiles whose serving directory is ``page`` or below it, live or not.

        Their own country's directory; and where that holds the hub's directory, the
        profiles of every country with no live directory of its own, which the hub's
        serves (``directories_serving``). Their URLs and visibility follow a view
        restriction on ``page`` and the publishing of a directory there: the receivers
        of those changes (search, projections) update them with the pages.
        """
        countries = cls.countries_of(cls.objects.descendant_of(page, inclusive=True))
        served = models.Q(country_id__in=countries)
        if Country.objects.filter(pk__in=countries, is_hub=True).exists():
            served |= ~models.Q(country_id__in=cls.countries_of(cls.objects.live()))
        return ClusterProfile.objects.filter(served)

    def clusters(self):
        """The profiles this directory shows: its country's, or on the hub every country's.

        The hub leaves out the profiles of a country whose own directory refuses
        visitors (``countries_refusing_visitors``): their URLs there refuse them
        too. A directory's own country's profiles are always its own to show:
        whoever passed its restriction sees them. A profile visitors read in no language
        (``in_a_language``) is shown nowhere: no card, and its address is a 404.
        """
        queryset = in_a_language(
            ClusterProfile.objects.prefetch_related("sectors").select_related("country")
        )
        country = self.get_country()
        if country is not None and not country.is_hub:
            return queryset.filter(country=country)
        hidden = self.countries_refusing_visitors() - {country.pk if country else None}
        return queryset.exclude(country_id__in=hidden) if hidden else queryset

    def get_route_paths(self):
        """The directory's address and each profile's below it (``/<slug>/``): when the
        directory's address changes, they all redirect to the new one (cms.core.redirects)."""
        slugs = self.clusters().order_by().values_list("slug", flat=True)
        return ["/", *(f"/{slug}/" for slug in slugs)]

    @path("")
    def directory(self, request):
        """One page of the directory's cards, of one sector with ``?sector=<slug>``.

        An unknown sector is the visitors' 400 naming the parameter, as on the feeds. The
        sector links offer only the sectors of the clusters listed here (and the chosen
        one), and the language switcher keeps the chosen sector (``switcher_keeps_filters``).
        """
        try:
            sector = sector_parameter(request)
        except BadParameter as error:
            return error.response(request)
        listed = self.clusters()
        clusters = alphabetical(listed, translation.get_language())
        if sector is not None:
            clusters = clusters.filter(sectors=sector)
        listing = paginate(request, clusters, self.per_page)
        alternates = alternate_links(request, self, self.real_languages())
        return self.render(
            request,
            context_overrides={
                **listing,
                "clusters": hide_unready_in(listing["page_obj"].object_list),
                "sectors": sectors_listed(listed, also=sector),
                "active_sector": sector,
                "alternates": switcher_keeps_filters(request, alternates),
            },
        )

    @path("<slug:slug>/")
    def profile(self, request, slug):
        cluster = get_object_or_404(self.clusters(), slug=slug)
        languages = available_languages(cluster, site_languages(self.get_country()))
        # One URL per real language version of the profile (cms.core.pages).
        redirect = language_redirect(
            request,
            languages,
            self.default_language(),
            lambda code: self.url_in(request, code, tail=f"{slug}/"),
        )
        if redirect is not None:
            return redirect
        hide_unready(cluster)
        return self.render(
            request,
            context_overrides={
                "cluster": cluster,
                "alternates": alternate_links(request, self, languages, suffix=f"{slug}/"),
            },
            template="clusters/cluster_profile.html",
        )


def sectors_listed(clusters: models.QuerySet, also: Sector | None = None) -> models.QuerySet:
    """The sectors of ``clusters`` (and ``also``, a chosen one), in their order: the sector
    links of a directory and a home page offer no sector that would list nothing. One query,
    ``clusters`` read inside it."""
    in_clusters = models.Q(pk__in=clusters.order_by().values("sectors"))
    if also is not None:
        in_clusters |= models.Q(pk=also.pk)
    return Sector.objects.filter(in_clusters)


def alphabetical(clusters: models.QuerySet, language: str) -> models.QuerySet:
    """``clusters`` in ``language``'s alphabetical order of the names its readers see.

    The model's ``ordering`` sorts the ``name`` column of the active language, which
    is empty where a profile falls back to another language, and by code points (Ž
    after Z); the projection rows hold each name as shown, as a collation key.
    """
    name_key = Projection.title_key_of(ClusterProfile, language)
    return clusters.annotate(name_key=name_key).order_by(
        models.F("name_key").asc(nulls_last=True), "pk"
    )


class PendingImport(models.Model):
    """An uploaded spreadsheet waiting between its preview and the editor's "Import".

    Kept in the database, not in a process-local cache: with several app
    servers the confirmation may reach another server than the upload did.
    Only its uploader may confirm it (``cms.clusters.uploads``); it expires
    after ``LIFETIME``, and expired ones are deleted whenever an upload is kept
    or confirmed. The file's bytes are kept, not the parsed rows, so that the
    confirmation validates them again against the data of that moment.

    ``previewed`` keeps what the editor was last shown (``cms.clusters.confirmation.fingerprints``:
    each row's action and a digest of each changed column's old and new value), so
    that the confirmation writes exactly that or nothing: someone may have saved one
    of the clusters in between, and the file would then silently put their edit back.
    """

    LIFETIME = timedelta(hours=1)

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    previewed = models.JSONField(_("previewed changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("pending cluster import")
        verbose_name_plural = _("pending cluster imports")

    def __str__(self):
        return f"{self.filename} ({self.user}, {self.created_at:%Y-%m-%d %H:%M})"
