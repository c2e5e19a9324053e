"""iCalendar files: per site and language, one per event, stable UIDs, time zones, escaping."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import translation
from icalendar import Calendar

from cms.core.languages import COMMON_LANGUAGE
from cms.core.models import Country
from cms.core.translation_status import mark_complete_ready
from cms.events.models import EventIndexPage, EventPage
from tests.factories import draft_page, path_of, translated

COUNTRY_CODES = ["CZ", "IT", "DE", "PL", "AT", "SK", "SI", "INT"]
PRAGUE = zoneinfo.ZoneInfo("Europe/Prague")


def event_page(country, *, title: dict[str, str], place: str = "Milano", ready=None, **fields):
    """A published event under ``country``'s event index."""
    slug = f"calendar-event-{EventPage.objects.count() + 1}"
    page = EventPage(
        slug=slug,
        kind="conference",
        start=fields.pop("start", datetime.datetime(2026, 3, 20, 9, 30, tzinfo=PRAGUE)),
        end=fields.pop("end", datetime.datetime(2026, 3, 20, 17, 0, tzinfo=PRAGUE)),
        **translated("title", title),
        **translated("lead", {code: f"Lead {code}" for code in title}),
        **translated("place", {code: place for code in title}),
        **translated("slug", {code: slug for code in title}),
        **fields,
    )
    if ready is None:
        mark_complete_ready(page)
    else:
        page.ready_languages = ready
    with translation.override(COMMON_LANGUAGE):
        EventIndexPage.objects.child_of(country.home_page).get().add_child(instance=page)
    page.save_revision().publish()
    return page


def read_calendar(client, host: str, path: str) -> Calendar:
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(cal: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


@pytest.mark.parametrize("code", COUNTRY_CODES)
def test_every_site_calendar_parses_with_time_zones(client, db, code):
    country = Country.objects.get(code=code)
    for language in country.languages:
        cal = read_calendar(client, country.site.hostname, f"/{language}/feeds/events.ics")
        zones = {str(zone["TZID"]) for zone in cal.walk("VTIMEZONE")}
        for event in cal.walk("VEVENT"):
            for name in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL"):
                assert name in event, (code, language, name)
            assert event["DTSTART"].params["TZID"] in zones
            assert event.decoded("DTSTART").tzinfo is not None
            assert str(event["URL"]).startswith("http://")


def test_an_event_calendar_keeps_its_uid_across_an_edit(client, country):
    page = event_page(country("CZ"), title={"cs": "Fórum", "en": "Forum"})
    path = f"/en/feeds/events/{page.pk}.ics"
    (before,) = read_calendar(client, "cz.localhost", path).walk("VEVENT")
    assert str(before["UID"]) == f"event-{page.pk}@cz.localhost"
    page.title_en = "Forum, moved"
    page.start = datetime.datetime(2026, 4, 2, 10, 0, tzinfo=PRAGUE)
    page.end = None
    page.save_revision().publish()
    (after,) = read_calendar(client, "cz.localhost", path).walk("VEVENT")
    assert after["UID"] == before["UID"]
    assert str(after["SUMMARY"]) == "Forum, moved"
    assert after.decoded("DTSTART") == datetime.datetime(2026, 4, 2, 10, 0, tzinfo=PRAGUE)
    # The same event has the same UID in the site-wide calendar and in every language.
    assert before["UID"] in vevents(read_calendar(client, "cz.localhost", "/cs/feeds/events.ics"))


def test_times_keep_their_zone_and_text_is_escaped(client, country):
    title = "Exchange forum; food, energy\nand ICT"
    page = event_page(
        country("IT"),
        title={"en": title, "it": "Forum; cibo, energia"},
        place="Milano, Via Roma 1; 2nd floor",
    )
    response = client.get(f"/en/feeds/events/{page.pk}.ics", HTTP_HOST="it.localhost")
    raw = response.content.decode()
    assert "Exchange forum\\; food\\, energy\\nand ICT" in raw
    assert "DTSTART;TZID=Europe/Prague:20260320T093000" in raw
    assert response["Content-Disposition"] == f'attachment; filename="event-{page.pk}.ics"'
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == title
    assert str(event["LOCATION"]) == "Milano, Via Roma 1; 2nd floor"
    assert event["SUMMARY"].params["LANGUAGE"] == "en"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(
        hours=7, minutes=30
    )
    assert str(event["URL"]) == f"http://it.localhost{path_of(page, 'en')}"
    assert "Lead en" in str(event["DESCRIPTION"])


@pytest.mark.parametrize(
    "start, end",
    [
        (datetime.datetime(9999, 6, 1, 10, 0, tzinfo=PRAGUE), None),
        # 31.12.9999: an editor's "open-ended"
        (
            datetime.datetime(2026, 6, 1, 10, 0, tzinfo=PRAGUE),
            datetime.datetime(9999, 12, 31, 18, 0, tzinfo=PRAGUE),
        ),
        (datetime.datetime(1, 6, 1, 10, 0, tzinfo=PRAGUE), None),
    ],
)
def test_an_event_at_the_ends_of_the_calendar_leaves_the_calendars_valid(
    client, country, start, end
):
    """A year either side of the events' days is more than ``date`` holds for an event in
    9999 or in year 1: the site's calendar, the hub's and the event's were a 500."""
    page = event_page(country("CZ"), title={"en": "Far away"}, start=start, end=end)
    for host, path in [
        ("cz.localhost", "/en/feeds/events.ics"),
        ("localhost", "/en/feeds/events.ics"),
        ("cz.localhost", f"/en/feeds/events/{page.pk}.ics"),
    ]:
        cal = read_calendar(client, host, path)
        assert str(page.pk) in " ".join(vevents(cal)), (host, path)
        assert cal.walk("VTIMEZONE")


def test_control_characters_leave_the_calendar_text(client, country):
    """RFC 5545 text may hold no control character but a tab: strict clients refuse one."""
    page = event_page(country("SI"), title={"en": "Study trip\x0bto Milan", "sl": "Izlet"})
    response = client.get(f"/en/feeds/events/{page.pk}.ics", HTTP_HOST="si.localhost")
    assert "\x0b" not in response.content.decode()
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Study trip to Milan"


def test_drafts_and_unready_translations_are_not_in_calendars(client, country):
    cz = country("CZ")
    unready = event_page(cz, title={"cs": "Nehotová akce", "en": "Ready event"}, ready=[])
    draft = draft_page(cz, "event")
    czech = vevents(read_calendar(client, "cz.localhost", "/cs/feeds/events.ics"))
    english = vevents(read_calendar(client, "cz.localhost", "/en/feeds/events.ics"))
    assert f"event-{unready.pk}@cz.localhost" in english
    assert f"event-{unready.pk}@cz.localhost" not in czech
    assert f"event-{draft.pk}@cz.localhost" not in czech | english
    assert (
        client.get(f"/cs/feeds/events/{unready.pk}.ics", HTTP_HOST="cz.localhost").status_code
        == 404
    )
    assert (
        client.get(f"/en/feeds/events/{draft.pk}.ics", HTTP_HOST="cz.localhost").status_code == 404
    )


def test_the_hub_calendar_is_network_wide(client, country):
    page = event_page(country("PL"), title={"pl": "Wydarzenie", "en": "Polish event"})
    hub = vevents(read_calendar(client, "localhost", "/pl/feeds/events.ics"))
    assert str(hub[f"event-{page.pk}@pl.localhost"]["URL"]).startswith("http://pl.localhost/pl/")
    # One event's file is served by its own site only.
    assert (
        client.get(f"/en/feeds/events/{page.pk}.ics", HTTP_HOST="cz.localhost").status_code == 404
    )


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/cs/feeds/events.ics?sector=nonsense", 400),
        ("/cs/feeds/events/999999999.ics", 404),
        (f"/cs/feeds/events/{2**63}.ics", 404),
        (f"/cs/feeds/events/{10**30}.ics", 404),
        ("/cs/feeds/events/abc.ics", 404),
        ("/cs/feeds/events/-1.ics", 404),
        ("/it/feeds/events.ics", 404),
        ("/zz/feeds/events.ics", 404),
    ],
)
def test_bad_calendar_requests_are_4xx(client, db, path, status):
    response = client.get(path, HTTP_HOST="cz.localhost")
    assert response.status_code == status
    if status == 400:  # the visitors' error page, in the address's language, naming it
        assert response["Content-Type"].startswith("text/html")
        page = response.content.decode()
        assert '<html lang="cs"' in page and "Chyba 400" in page and "sector" in page


def test_an_empty_calendar_is_still_valid(client, db):
    """RFC 5545 (3.6): a calendar holds one component at least; without events it was
    none, which strict validators and some calendar clients refuse."""
    EventPage.objects.update(live=False)
    cal = read_calendar(client, "cz.localhost", "/en/feeds/events.ics")
    assert cal.walk("VEVENT") == []
    assert [zone["TZID"] for zone in cal.walk("VTIMEZONE")] == ["Europe/Prague"]


def test_calendar_url_tag_names_the_language_the_visitor_reads(client, rf, country):
    """``{% calendar_url page %}`` for the design's "Add to calendar" link."""
    page = event_page(country("CZ"), title={"cs": "Nehotová akce", "en": "Ready"}, ready=[])
    template = Template("{% load seo %}{% calendar_url page %}")
    request = rf.get(path_of(page, "cs"), HTTP_HOST="cz.localhost")
    with translation.override("cs"):
        url = template.render(Context({"request": request, "page": page}))
    # Czech is not ready: the visitor reads English, and the Czech file would be a 404.
    assert url == f"http://cz.localhost/en/feeds/events/{page.pk}.ics"
    assert client.get(url, HTTP_HOST="cz.localhost").status_code == 200
