"""The demo content loader: the real press release and a network's worth of content."""

import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from cms.clusters.models import ClusterProfile
from cms.core.models import Country, Sector
from cms.core.seed import load_seed
from cms.events.models import EventPage
from cms.news.models import NewsPage
from cms.partners.models import ContactPerson, PartnerOrganisation

PRESS_RELEASE_CS = "Klastrové organizace ze střední Evropy a Clusters – Cord"


def test_press_release_is_a_czech_news_item_on_the_cz_site_with_english(db):
    item = NewsPage.objects.get(title_cs=PRESS_RELEASE_CS)
    assert item.live
    assert item.get_site().country.code == "CZ"
    assert str(item.date) == "2011-07-26"
    assert item.title_en == "Cluster organisations from Central Europe and Clusters Cord"
    assert "Regionální rozvojová agentura Ústeckého kraje" in item.lead_cs
    body_cs = " ".join(str(block.value) for block in item.body_cs)
    assert "Benchmarkingovou konferenci" in body_cs
    assert "24. října 2011 v Miláně" in body_cs
    assert item.body_en and len(item.body_en) >= 2
    assert item.contact.name == "Mgr. Petra Mašková"
    assert "Central Europe" in item.funding_note_cs
    assert set(item.sectors.values_list("slug", flat=True)) == set(
        Sector.objects.values_list("slug", flat=True)
    )


def test_milan_conference_and_usti_info_day_are_events(db):
    milan = EventPage.objects.get(kind="conference", place_en__icontains="Milan")
    assert milan.start.date().isoformat() == "2011-10-24"
    usti = EventPage.objects.get(kind="info-day", place_cs__icontains="Ústí nad Labem")
    assert usti.get_site().country.code == "CZ"


def test_lead_partner_and_contact(db):
    lead = PartnerOrganisation.objects.get(is_lead_partner=True)
    assert lead.name_cs == "Regionální rozvojová agentura Ústeckého kraje"
    assert lead.country.code == "CZ"
    assert ContactPerson.objects.get(name="Mgr. Petra Mašková").organisation == lead


def test_every_partner_country_has_clusters_news_and_events(db):
    for country in Country.objects.filter(is_hub=False):
        home = country.home_page
        assert ClusterProfile.objects.filter(country=country).count() >= 2, country.code
        assert NewsPage.objects.descendant_of(home).live().exists(), country.code
        assert EventPage.objects.descendant_of(home).live().exists(), country.code


def test_each_country_writes_in_its_own_language_and_english(db):
    for country in Country.objects.filter(is_hub=False):
        own = country.default_language
        for cluster in ClusterProfile.objects.filter(country=country):
            assert getattr(cluster, f"name_{own}"), (country.code, cluster.slug)
            assert cluster.name_en, (country.code, cluster.slug)


def test_loading_twice_changes_nothing(db, settings):
    before = (Page.objects.count(), ClusterProfile.objects.count(), Revision.objects.count())
    report = load_seed(settings.SITES_DIR / "seed")
    assert report.summary() == "nothing to change"
    assert (
        Page.objects.count(),
        ClusterProfile.objects.count(),
        Revision.objects.count(),
    ) == before


def seeded_news(slug_en: str) -> NewsPage:
    return NewsPage.objects.get(slug_en=slug_en)


def test_loading_again_keeps_what_editors_did(db, settings, tmp_path):
    """``make run`` loads the seed every time; it put back online a page a moderator had
    taken down, published over an editor's draft, undid their published edits and ticked
    again the languages they had unticked. Now, as ``sync_sites``, it writes only what the
    seed changed since, and holds back a page with a draft, moderation or unpublished."""
    taken_down = seeded_news("study-trip-to-austria-how-tourism-clusters-work")
    taken_down.unpublish()
    edited = seeded_news("cluster-organisations-from-central-europe-and-clusters-cord")
    edited.title_en = "Corrected by an editor"
    edited.save_revision().publish()
    drafted = NewsPage.objects.live().exclude(pk__in=[taken_down.pk, edited.pk]).first()
    drafted.title_en = "An editor's draft"
    drafted.save_revision()
    cluster = ClusterProfile.objects.get(slug="klastr-potravinaru-usteckeho-kraje")
    cluster.name_cs = "Opraveno redakcí"
    cluster.ready_languages = []
    cluster.save()

    assert load_seed(settings.SITES_DIR / "seed").summary() == "nothing to change"
    assert not NewsPage.objects.get(pk=taken_down.pk).live
    assert NewsPage.objects.get(pk=edited.pk).title_en == "Corrected by an editor"
    drafted = NewsPage.objects.get(pk=drafted.pk)
    assert drafted.has_unpublished_changes
    assert drafted.get_latest_revision_as_object().title_en == "An editor's draft"
    cluster.refresh_from_db()
    assert (cluster.name_cs, cluster.ready_languages) == ("Opraveno redakcí", [])

    # The seed changes the page that was taken down: held back, not put back online.
    changed = tmp_path / "seed"
    shutil.copytree(settings.SITES_DIR / "seed", changed)
    data = json.loads((changed / "cz.json").read_text())
    data["news"][1]["title"]["en"] = "Study trip to Austria, updated"
    (changed / "cz.json").write_text(json.dumps(data))
    report = load_seed(changed)
    assert report.held_back == {"news items": 1}
    assert not NewsPage.objects.get(pk=taken_down.pk).live


def test_loading_again_neither_remakes_a_deleted_page_nor_doubles_a_renamed_one(db, settings):
    """Found by its place and English slug, a seed page deleted in the admin was made and
    published again, and one renamed (or moved) got a published twin at the seed's place."""
    deleted = seeded_news("study-trip-to-austria-how-tourism-clusters-work")
    moved = seeded_news("cluster-organisations-from-central-europe-and-clusters-cord")
    deleted.delete()
    moved.slug_en = "renamed-by-an-editor"  # no longer where the seed looked for it
    moved.save_revision().publish()
    before = NewsPage.objects.count()

    report = load_seed(settings.SITES_DIR / "seed")
    assert report.left_deleted == {"news items": 1}
    assert not report.created
    assert NewsPage.objects.count() == before
    assert NewsPage.objects.get(pk=moved.pk).slug_en == "renamed-by-an-editor"


def cluster(**fields) -> str:
    item = {"slug": "zz-seed", "name": {"en": "Seed cluster"}} | fields
    return json.dumps({"country": "CZ", "clusters": [item]})


def page(section: str, **fields) -> str:
    item = {"slug": {"en": "zz-seed"}, "title": {"en": "Seed item"}} | fields
    return json.dumps({"country": "CZ", section: [item]})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", r"bad\.json: \(file\)"),
        (json.dumps({"country": "XX"}), r"bad\.json: country"),
        # A list where a text belongs was a traceback (unhashable type: 'list').
        (json.dumps({"country": ["CZ"]}), r"bad\.json: country"),
        (cluster(sectors=[["food"]]), r"clusters\[0\]\.sectors: must be a list of slugs"),
        (page("events", kind=["conference"]), r"events\[0\]\.kind: must be one of"),
        (
            page("news", date="2011-07-26", related_clusters=[["x"]]),
            r"news\[0\]\.related_clusters: must be a list of slugs",
        ),
        (page("news", date="2011-07-26", contact=["x"]), r"news\[0\]\.contact: must be a"),
        (
            json.dumps({"country": "CZ", "clusters": [{"slug": "a", "name": {"cs": "A"}}]}),
            r"bad\.json: clusters\[0\]\.name: needs an English",
        ),
        (
            json.dumps(
                {
                    "country": "CZ",
                    "clusters": [{"slug": "a", "name": {"en": "A"}, "sectors": ["mining"]}],
                }
            ),
            r"bad\.json: clusters\[0\]\.sectors: unknown sector 'mining'",
        ),
        (
            json.dumps(
                {
                    "country": "CZ",
                    "events": [{"slug": {"en": "e"}, "title": {"en": "E"}, "kind": "party"}],
                }
            ),
            r"bad\.json: events\[0\]\.kind",
        ),
        # Each of these was a traceback, or (website, long name) written as it was.
        (json.dumps({"country": "CZ", "clusters": [{"name": {"en": "A"}}]}), r"\[0\]\.slug"),
        (cluster(members="many"), r"clusters\[0\]\.members: must be a whole number"),
        (cluster(name={"en": 5}), r"clusters\[0\]\.name: must map known language codes"),
        (cluster(sectors="food"), r"clusters\[0\]\.sectors: must be a list of slugs"),
        (cluster(website="not a url"), r"clusters\[0\]\.website: Enter a valid URL"),
        (cluster(name={"en": "x" * 300}), r"clusters\[0\]\.name: .*at most 255 characters"),
        (cluster(slug="Bad slug!"), r"clusters\[0\]\.slug: Enter a valid “slug”"),
        (page("events", kind="conference"), r"events\[0\]\.start: is not an ISO date-time"),
        (page("pages", slug="about"), r"pages\[0\]\.slug: must map language codes to slugs"),
        (page("pages", body="text"), r"pages\[0\]\.body: must map language codes to lists"),
        (page("news", date="2011-07-26"), r"news\[0\]\.lead: This field cannot be blank"),
        # Names of other items, each dropped or moved without a word.
        (
            page("news", date="2011-07-26", related_clusters=["no-such"]),
            r"news\[0\]\.related_clusters: unknown",
        ),
        (
            page("news", date="2011-07-26", contact="nobody"),
            r"news\[0\]\.contact: unknown contact 'nobody'",
        ),
        (
            page("news", date="2011-07-26", contact="kontakt-sk"),
            r"news\[0\]\.contact: another country's",
        ),
        (
            json.dumps({"country": "CZ", "clusters": [{"slug": "a", "name": {"en": "A"}}] * 2}),
            r"bad\.json: clusters\[1\]\.slug: is also bad\.json: clusters\[0\]'s",
        ),
        (
            json.dumps(
                {
                    "country": "CZ",
                    "news": [json.loads(page("news", date="2011-07-26"))["news"][0]] * 2,
                }
            ),
            r"bad\.json: news\[1\]\.slug\.en: is also news\[0\]'s",
        ),
    ],
)
def test_malformed_seed_files_are_named_and_nothing_is_written(db, tmp_path, content, message):
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")
    before = Page.objects.count(), ClusterProfile.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("load_demo_content", dir=tmp_path, stdout=io.StringIO())
    assert (Page.objects.count(), ClusterProfile.objects.count()) == before


@pytest.mark.parametrize(
    ("name", "problem"), [("missing", "does not exist"), ("file.json", "is not a directory")]
)
def test_a_seed_directory_that_is_none_is_named(db, tmp_path, name, problem):
    (tmp_path / "file.json").write_text("{}", encoding="utf-8")
    with pytest.raises(
        CommandError, match=rf"^Invalid seed file {name}: \(directory\): {problem}$"
    ):
        call_command("load_demo_content", dir=tmp_path / name, stdout=io.StringIO())


def test_an_event_without_an_end_may_say_null(db, tmp_path):
    """``"end": null`` was "is not an ISO date-time", though an end is optional."""
    item = {
        "slug": {"en": "zz-open-end"},
        "title": {"en": "Open end"},
        "lead": {"en": "Lead"},
        "place": {"en": "Brno"},
        "kind": "conference",
        "start": "2026-12-10T10:00:00+01:00",
        "end": None,
    }
    (tmp_path / "cz.json").write_text(json.dumps({"country": "CZ", "events": [item]}))
    call_command("load_demo_content", dir=tmp_path, stdout=io.StringIO())
    assert EventPage.objects.get(slug_en="zz-open-end").end is None
