"""iCalendar (RFC 5545) files of events: one per site and language, and one per event.

``/<lang>/feeds/events.ics`` (optionally ``?sector=<slug>``) lists the site's
events (every site's on the hub) in that language; ``/<lang>/feeds/events/<pk>.ics``
is one event, for "Add to calendar" (``{% calendar_url page %}`` in
``cms.core.templatetags.seo`` gives its URL).

- **UIDs** are ``event-<pk>@<host of the event's site>``: the same in every
  language and across edits of title, slug, place or time, so a subscribed
  calendar updates the event instead of adding a copy.
- **Time zones**: start and end are written as local times with a ``TZID``
  of the zone editors enter them in (``settings.TIME_ZONE``, Europe/Prague:
  the same offsets as every partner country) and a matching ``VTIMEZONE``.
- **Escaping** of commas, semicolons, backslashes and line breaks in text and
  the folding of long lines are the ``icalendar`` package's.
- ``DTSTAMP`` and ``LAST-MODIFIED`` are the event's last publication, so an
  unchanged calendar is byte for byte the same (and cacheable).
"""

from __future__ import annotations

import datetime

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent

from cms.core.feeds import BadParameter, FeedScope, feed_scope, feed_text
from cms.core.visibility import shown_to_visitors
from cms.events.models import EventPage

ONE_YEAR = datetime.timedelta(days=366)
PRODUCT_ID = "-//Clusters Cord//Visitor sites//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def event_uid(event: EventPage) -> str:
    """The event's UID: stable across edits and languages (its id and its site's host)."""
    site = event.get_site()
    return f"event-{event.pk}@{site.hostname}"


def local(value):
    return timezone.localtime(value, timezone.get_default_timezone())


def vevent(request, event: EventPage, language: str) -> CalendarEvent:
    """One event as a VEVENT, its texts in ``language`` (which it must really have)."""
    url = request.build_absolute_uri(event.get_url(request=request))
    component = CalendarEvent()
    component.add("uid", event_uid(event))
    stamp = event.last_published_at or event.latest_revision_created_at or timezone.now()
    component.add("dtstamp", stamp)
    component.add("last-modified", stamp)
    component.add("dtstart", local(event.start))
    if event.end:
        component.add("dtend", local(event.end))
    text = {"LANGUAGE": language}
    component.add("summary", feed_text(event.title), parameters=text)
    component.add("location", feed_text(event.place), parameters=text)
    component.add("description", f"{feed_text(event.lead)}\n\n{url}", parameters=text)
    component.add("url", url)
    component.add("categories", [event.get_kind_display()])
    component.add("class", "PUBLIC")
    return component


#: The days a VTIMEZONE may describe: an event's typo (9999, year 1, or 31.12.9999 for an
#: "open-ended" end) made every calendar listing it overflow ``date`` (a 500), and would
#: have made its zone thousands of transitions long.
ZONE_DAYS = (datetime.date(1900, 1, 1), datetime.date(2200, 12, 31))


def year_either_side(first: datetime.date, last: datetime.date) -> tuple:
    """A year before ``first`` and after ``last``, each kept within ``ZONE_DAYS``."""
    earliest, latest = ZONE_DAYS
    first, last = min(max(first, earliest), latest), max(min(last, latest), earliest)
    return first - ONE_YEAR, last + ONE_YEAR


def calendar(name: str, events, request, language: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # One line: icalendar leaves line breaks in these two properties unescaped.
    name = " ".join(feed_text(name).split())
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(vevent(request, event, language))
    if events:
        # VTIMEZONE rules only for the years the events span, not 1970-2038.
        first = min(local(event.start).date() for event in events)
        last = max(local(event.end or event.start).date() for event in events)
        cal.add_missing_timezones(*year_either_side(first, last))
    else:
        # RFC 5545 (3.6) wants a component at least: strict validators and some clients
        # refused a calendar without events (a sector's, a new site's). Its zone will do.
        today = timezone.localdate()
        zone = Timezone.from_tzid(
            timezone.get_default_timezone_name(),
            first_date=today - ONE_YEAR,
            last_date=today + ONE_YEAR,
        )
        cal.add_component(zone)
    return cal


def ics_response(cal: Calendar, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type=CONTENT_TYPE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def scope_events(scope: FeedScope):
    return scope.ready(scope.filter(EventPage.objects.order_by("start", "pk")))


def events_calendar(request):
    """The site's events in the URL's language (every site's on the hub)."""
    try:
        scope = feed_scope(request)
    except BadParameter as error:
        return error.response(request)
    name = f"{scope.site_name} – {_('Events')}"
    if scope.sector is not None:
        name = f"{name} ({scope.sector.name})"
    return ics_response(calendar(name, scope_events(scope), request, scope.language))


def event_calendar(request, pk: int):
    """One live event of this site in the URL's language; 404 if it lacks the language."""
    try:
        scope = feed_scope(request)
    except BadParameter as error:
        return error.response(request)
    own = shown_to_visitors(EventPage.objects.descendant_of(scope.site.root_page))
    # ``id``, the page's integer column, not ``pk`` (an event's link to its page): Django
    # answers an id past the column's range (``/feeds/events/99999999999999999999.ics``)
    # with no row, where the link's lookup sent it to the database (an overflow, a 500).
    found = scope.ready(own.filter(id=pk))
    if not found:
        raise Http404("No such event in this language")
    event = found[0]
    return ics_response(
        calendar(event.title, [event], request, scope.language), filename=f"event-{pk}.ics"
    )
