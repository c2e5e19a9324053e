"""Shared models: partner countries, the sector taxonomy and the image model.

Models only: panels, search fields and API fields sit beside each field;
admin registration lives in ``wagtail_hooks.py`` and translation options in
``translation.py``.
"""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Site
from wagtail.search import index

from cms.core.languages import LANGUAGES


class Country(models.Model):
    """A partner country of the network (or the international hub).

    Rows are written only by ``manage.py sync_sites`` from the files in
    ``sites/``; the admin shows them read-only. Content (pages under the
    country's site, cluster profiles, partners, contacts) belongs to one
    country, and editor groups are per country.
    """

    code = models.CharField(_("code"), max_length=3, unique=True, help_text="ISO code, e.g. CZ")
    name = models.CharField(_("name"), max_length=100)
    default_language = models.CharField(_("default language"), max_length=5, choices=LANGUAGES)
    languages = models.JSONField(
        _("languages"), default=list, help_text="Language codes the site publishes in, own first."
    )
    is_hub = models.BooleanField(_("international hub"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)
    site = models.OneToOneField(
        Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="country"
    )
    editors_group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderators_group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: When ``sync_sites`` last changed the row: the API's Last-Modified and ``updated_since``.
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("name")]

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name or self.code

    translation_required_fields = ("name",)


class Sector(index.Indexed, models.Model):
    """One of the network's five industry areas, shared by every country.

    Editable only by network administrators: a shared taxonomy that national
    editors pick from but cannot change.
    """

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    #: The API's Last-Modified and ``updated_since`` read this.
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("slug"), FieldPanel("name"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    translation_required_fields = ("name",)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name or self.slug


class CustomImage(AbstractImage):
    """The project's image model, with a translated alternative text."""

    alt_text = models.CharField(_("alternative text"), max_length=255, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "alt_text")


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
