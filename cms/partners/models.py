"""The national partner organisations and their contact people.

Both belong to one country: the national partner keeps them up to date, and
news items and events name a contact person from here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from cms.api.listings import COUNTRY, Listing, slugs
from cms.core.models import Country, TranslationReadiness
from cms.core.publication import NotPublishedPanel
from cms.core.translation_status import text_in_any_language
from cms.search.admin_search import ALL_LANGUAGES_FIELDS, AllLanguagesSearch


class PartnerOrganisation(AllLanguagesSearch, TranslationReadiness, index.Indexed, models.Model):
    """A project partner: the organisation that runs one country's site."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="partners", verbose_name=_("country")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_lead_partner = models.BooleanField(_("lead partner"), default=False)
    #: The API's Last-Modified and ``updated_since`` read this.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("country"),
        FieldPanel("city"),
        FieldPanel("website"),
        FieldPanel("description"),
        FieldPanel("is_lead_partner"),
        NotPublishedPanel(),
        FieldPanel("ready_languages"),
    ]
    search_fields = [
        index.SearchField("name", boost=2),
        index.SearchField("description"),
        index.AutocompleteField("name"),
        index.FilterField("country"),
        *ALL_LANGUAGES_FIELDS,
    ]
    api_listing = Listing(
        path="partners",
        item="partner",
        tag="partners",
        listed="The project partners: one national partner per country, and the lead partner.",
        orderings=("name", "country", "updated_at", "id"),
        default_order=("country", "name", "id"),
        filters=(COUNTRY,),
    )
    translation_required_fields = ("name",)

    class Meta:
        ordering = ["country__sort_order", "name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self):
        return text_in_any_language(self, "name")


class ContactPerson(AllLanguagesSearch, TranslationReadiness, index.Indexed, models.Model):
    """Someone visitors and journalists can write to about a news item or event."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    role = models.CharField(_("role"), max_length=255, blank=True)
    organisation = models.ForeignKey(
        PartnerOrganisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("country")
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    #: The API's Last-Modified and ``updated_since`` read this.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("organisation"),
        FieldPanel("country"),
        FieldPanel("email"),
        FieldPanel("phone"),
        NotPublishedPanel(),
        FieldPanel("ready_languages"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("country"),  # the admin chooser searches within the editor's country
        *ALL_LANGUAGES_FIELDS,
    ]
    api_listing = Listing(
        path="contacts",
        item="contact",
        tag="partners",
        listed="Contact people of the partner organisations.",
        orderings=("name", "country", "updated_at", "id"),
        default_order=("name", "id"),
        filters=(
            COUNTRY,
            slugs(
                "organisation",
                "partners.PartnerOrganisation",
                "organisation",
                "Only people of these partner organisations (slugs)",
            ),
        ),
    )
    translation_required_fields = ("name",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")

    def __str__(self):
        return self.name
