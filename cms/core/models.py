"""Shared models: partner countries, the sector taxonomy and the image model.

Models only: panels, search fields and API fields sit beside each field;
admin registration lives in ``wagtail_hooks.py`` and translation options in
``translation.py``.
"""

from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Collection, Site
from wagtail.search import index

from cms.api.listings import Listing
from cms.core.languages import COMMON_LANGUAGE, LANGUAGES, language_name
from cms.core.translation_status import incomplete_ready_languages
from cms.search.admin_search import ALL_LANGUAGES_FIELDS, AllLanguagesSearch


class ReadyLanguagesField(models.JSONField):
    """A list of language codes, edited as one checkbox per language.

    A JSON list on the item's own row: listings, the API and search read it
    with the row, at no extra query, and a page's revision carries it, so
    readiness is published together with the text it vouches for.
    """

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=[(code, name) for code, name in LANGUAGES if code != COMMON_LANGUAGE],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=self.verbose_name,
            help_text=self.help_text,
        )


class TranslationReadiness(models.Model):
    """Mixin for translated content: the languages an editor has marked ready.

    Visitors, search and the API see a language version only once it is
    ready (``cms.core.translation_status.has_language``); until then the
    fallback chain serves. English, the common language, is always ready.
    """

    ready_languages = ReadyLanguagesField(
        _("translations ready to publish"),
        default=list,
        blank=True,
        help_text=_(
            "Tick a language once its translation is finished and checked; until then "
            "visitors read the fallback language. Only complete translations can be ready."
        ),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if getattr(self, "_unready_hidden", False):  # see translation_status.hide_unready
            raise RuntimeError("A visitor's copy with unready translations blanked cannot be saved")
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if getattr(self, "readiness_checked_by_form", False):
            # The admin's form kept only complete languages, counting a field it refused
            # (too long) as typed; the instance lacks that field's text, so checking again
            # here added "not translated in: Czech" beside the field's own error.
            return
        incomplete = incomplete_ready_languages(self)
        if incomplete:
            names = ", ".join(language_name(code) for code in incomplete)
            raise ValidationError(
                {
                    "ready_languages": _(
                        "Not every required field is translated in: %(languages)s."
                    )
                    % {"languages": names}
                }
            )


class Country(models.Model):
    """A partner country of the network (or the international hub).

    Rows are written only by ``manage.py sync_sites`` from the files in
    ``sites/``; the admin shows them read-only. Content (pages under the
    country's site, cluster profiles, partners, contacts) belongs to one
    country, and editor groups are per country.
    """

    code = models.CharField(_("code"), max_length=3, unique=True, help_text=_("ISO code, e.g. CZ"))
    name = models.CharField(_("name"), max_length=100)
    default_language = models.CharField(_("default language"), max_length=5, choices=LANGUAGES)
    languages = models.JSONField(
        _("languages"),
        default=list,
        help_text=_("Language codes the site publishes in, own first."),
    )
    is_hub = models.BooleanField(_("international hub"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    site = models.OneToOneField(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="country",
    )
    editors_group = models.OneToOneField(
        Group,
        verbose_name=_("editors group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderators_group = models.OneToOneField(
        Group,
        verbose_name=_("moderators group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: Where the country's images and documents live: an image or document belongs to
    #: the country whose collection holds it (``sync_sites`` grants the country's groups
    #: their rights on it through Wagtail's ``GroupCollectionPermission``).
    collection = models.OneToOneField(
        Collection,
        verbose_name=_("collection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="country",
    )
    #: When ``sync_sites`` last changed the row: the API's Last-Modified and ``updated_since``.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [FieldPanel("name")]

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name or self.code

    translation_required_fields = ("name",)


class Sector(AllLanguagesSearch, index.Indexed, models.Model):
    """One of the network's five industry areas, shared by every country.

    Editable only by network administrators: a shared taxonomy that national
    editors pick from but cannot change.
    """

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    #: The API's Last-Modified and ``updated_since`` read this.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [FieldPanel("slug"), FieldPanel("name"), FieldPanel("description")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        *ALL_LANGUAGES_FIELDS,
    ]
    api_listing = Listing(
        path="sectors",
        item="sector",
        tag="network",
        listed="The network's industry areas, shared by every country.",
        orderings=("sort_order", "name", "slug", "updated_at", "id"),
        default_order=("sort_order", "slug"),
    )
    translation_required_fields = ("name",)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name or self.slug

    @classmethod
    def for_slug(cls, value: str) -> "Sector | None":
        """The sector a visitor's ``?sector=`` names, or None.

        A value that cannot be a slug (a NUL byte, 10 kB of text) is None without a query:
        PostgreSQL refuses a NUL in a query with an error (a 500), where SQLite finds nothing.
        """
        try:
            cls._meta.get_field("slug").run_validators(value)  # the slug's shape and length
        except ValidationError:
            return None
        return cls.objects.filter(slug=value).first()


class CustomImage(AbstractImage):
    """The project's image model, with a translated alternative text.

    The form shows the alternative text in every language (``alt_text_cs``, …):
    with one ``alt_text`` field it was saved in the editor's language only, and
    visitors and API consumers in the others got none.
    """

    alt_text = models.CharField(_("alternative text"), max_length=255, blank=True)

    admin_form_fields = (
        *Image.admin_form_fields,
        *(f"alt_text_{code}" for code, _name in LANGUAGES),
    )

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(
        CustomImage,
        verbose_name=_("image"),
        on_delete=models.CASCADE,
        related_name="renditions",
    )

    class Meta:
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class SyncedValues(models.Model):
    """What ``sync_sites`` last wrote to one object from the site files (``cms.core.upserts``).

    The next sync writes only the values a file changed since, so an edit made in the
    admin (a sector's Czech name, a contact's phone, a home page's intro) stands until
    a file changes that same value; and an object the sync made and someone deleted is
    not made again.
    """

    key = models.CharField(_("object"), max_length=255, unique=True)
    values = models.JSONField(_("values last written"), default=dict)

    class Meta:
        verbose_name = _("site file record")
        verbose_name_plural = _("site file records")

    def __str__(self):
        return self.key
