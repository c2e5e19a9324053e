"""Events: info days, exchange forums, study trips and conferences."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms.core.blocks import BodyBlock
from cms.core.pages import BasePage
from cms.core.translation_status import hide_unready_in


class EventIndexPage(BasePage):
    """A country's calendar of events, most recent first."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.CountryHomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("event index")

    def events(self):
        return EventPage.objects.live().child_of(self).order_by("-start", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["events"] = hide_unready_in(self.events())
        return context


class EventPageTag(TaggedItemBase):
    """A keyword on a event (taggit's tags are shared by news and events)."""

    content_object = ParentalKey("EventPage", related_name="tagged_items", on_delete=models.CASCADE)


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
    sectors = ParentalManyToManyField("core.Sector", blank=True, related_name="events")
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
        FieldPanel("sectors"),
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
