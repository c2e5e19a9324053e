"""Events: info days, exchange forums, study trips and conferences."""

from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms.api.listings import COUNTRY, SECTOR, TAG, Listing, choices, dates
from cms.core.blocks import BodyBlock
from cms.core.listing import paginate
from cms.core.pages import BasePage
from cms.core.translation_status import hide_unready, hide_unready_in
from cms.core.visibility import shown_to_visitors


def start_of_today() -> datetime:
    """Midnight at the start of today, in the site's time zone."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def upcoming(events, since: datetime | None = None):
    """Events that have not ended before today (running ones included), soonest first.

    An event without an end is over when its start day is; one that ends
    today is still upcoming, whatever the hour.
    """
    since = since or start_of_today()
    return (
        events.annotate(finishes=Coalesce("end", "start"))
        .filter(finishes__gte=since)
        .order_by("start", "pk")
    )


def past(events, since: datetime | None = None):
    """Events that ended before today, most recent first: the archive."""
    since = since or start_of_today()
    return (
        events.annotate(finishes=Coalesce("end", "start"))
        .filter(finishes__lt=since)
        .order_by("-start", "-pk")
    )


class EventIndexPage(BasePage):
    """A country's calendar: upcoming events soonest first, then the archive of past ones."""

    #: Past events per page of the archive (``?page=2``); upcoming ones are all shown.
    per_page = 12

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.CountryHomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("event index")
        verbose_name_plural = _("event indexes")

    def events(self):
        return shown_to_visitors(EventPage.objects.child_of(self)).order_by("-start", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        archive = paginate(request, past(self.events()), self.per_page)
        archive["page_obj"].object_list = hide_unready_in(archive["page_obj"].object_list)
        context.update(
            archive,
            upcoming_events=hide_unready_in(upcoming(self.events())),
            past_events=archive["page_obj"].object_list,
        )
        return context


class EventPageTag(TaggedItemBase):
    """A keyword on an event (taggit's tags are shared by news and events)."""

    content_object = ParentalKey(
        "EventPage",
        related_name="tagged_items",
        on_delete=models.CASCADE,
        verbose_name=_("event"),
    )

    class Meta:
        verbose_name = _("event tag")
        verbose_name_plural = _("event tags")


class EventPage(BasePage):
    """One event, with where and when, and how to register."""

    class Kind(models.TextChoices):
        INFO_DAY = "info-day", _("Info day")
        EXCHANGE_FORUM = "exchange-forum", _("Exchange forum")
        STUDY_TRIP = "study-trip", _("Study trip")
        CONFERENCE = "conference", _("Conference")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255)
    lead = models.TextField(_("lead"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    registration_url = models.URLField(_("registration link"), blank=True)
    sectors = ParentalManyToManyField(
        "core.Sector", blank=True, related_name="events", verbose_name=_("sectors")
    )
    tags = ClusterTaggableManager(
        through=EventPageTag,
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

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("place")],
            heading=_("When and where"),
        ),
        FieldPanel("lead"),
        FieldPanel("body"),
        FieldPanel("registration_url"),
        FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        FieldPanel("contact"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("lead"),
        index.SearchField("place"),
        index.SearchField("body"),
        index.FilterField("start"),
    ]
    api_listing = Listing(
        path="events",
        item="event",
        tag="pages",
        listed="Info days, exchange forums, study trips and conferences, latest first.",
        detailed="One event, with every field (404 for any other page).",
        orderings=("start", "end", "title", "first_published_at", "last_published_at", "id"),
        default_order=("-start", "-id"),
        filters=(
            COUNTRY,
            SECTOR,
            TAG,
            # An event is in a date range when it overlaps it: it has not ended
            # before the range starts and does not start after the range ends.
            dates(
                lambda day: Q(end__date__gte=day) | Q(end__isnull=True, start__date__gte=day),
                lambda day: Q(start__date__lte=day),
            ),
            choices("kind", Kind.values, "Only events of these kinds"),
        ),
    )
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    translation_required_fields = ("title", "lead")

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("An event cannot end before it starts.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Its role in a language only once ready there, as the page's own texts and the
        # footer's contact: the page is served with its own unready languages hidden, not
        # those of the snippets it shows.
        context["contact"] = hide_unready(self.contact) if self.contact else None
        return context
