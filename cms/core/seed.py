"""Load the demo content in ``sites/seed/*.json``: clusters, news, events, pages.

Idempotent like ``sync_sites``: items are found by their slug and updated in
place, so the demo can be reloaded at any time. A malformed file stops the
load before anything is written, naming the file, the item and the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from modeltranslation.utils import build_localized_fieldname
from wagtail.rich_text import RichText

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.core.models import Country, Sector, SyncedValues
from cms.core.translation_status import mark_complete_ready
from cms.core.upserts import (
    SyncReport,
    assign,
    changes_for,
    held_back,
    languages_written,
    localized,
    record_key,
    remember,
    upsert,
)

TRANSLATED = {
    "clusters": ("name", "region", "city", "description"),
    "news": ("title", "lead", "funding_note"),
    "events": ("title", "lead", "place"),
    "pages": ("title", "lead"),
}
EVENT_KINDS = {"info-day", "exchange-forum", "study-trip", "conference"}


class SeedError(ValueError):
    def __init__(self, path: Path, where: str, message: str):
        super().__init__(f"{path.name}: {where}: {message}")


@dataclass
class SeedReport(SyncReport):
    """What a load created, updated, held back and left deleted (``SyncReport``'s)."""


def check_seed_directory(directory: Path) -> None:
    """A SeedError unless ``directory`` is one (checked before anything is written)."""
    if not directory.is_dir():
        problem = "is not a directory" if directory.exists() else "does not exist"
        raise SeedError(directory, "(directory)", problem)


def read_seed_files(directory: Path) -> list[tuple[Path, dict]]:
    """Parse and validate every seed file; raise SeedError on the first fault."""
    check_seed_directory(directory)
    files = sorted(directory.glob("*.json"))
    if not files:
        raise SeedError(directory, "(directory)", "holds no seed files")
    sector_slugs = set(Sector.objects.values_list("slug", flat=True))
    country_codes = set(Country.objects.values_list("code", flat=True))
    parsed = []
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise SeedError(path, "(file)", str(error)) from error
        if not isinstance(data, dict):
            raise SeedError(path, "(file)", "must hold a JSON object")
        country = data.get("country")
        if not isinstance(country, str) or country not in country_codes:
            raise SeedError(path, "country", f"{data.get('country')!r} is not a synced country")
        for kind, fields in TRANSLATED.items():
            items = data.get(kind, [])
            if not isinstance(items, list):
                raise SeedError(path, kind, "must be a list")
            for position, item in enumerate(items):
                validate_item(path, f"{kind}[{position}]", item, fields, sector_slugs, kind)
        parsed.append((path, data))
    check_references(parsed)
    return parsed


def check_references(parsed: list[tuple[Path, dict]]) -> None:
    """What items name across the files: a cluster slug once in the whole seed (a second
    one moved the first's cluster to its file's country), a page's English slug once per
    file and kind, related clusters that the seed or the database has, and contacts of
    the file's own country, any on the hub's (an unknown one was dropped without a word)."""
    from cms.clusters.models import ClusterProfile
    from cms.partners.models import ContactPerson

    contacts = dict(ContactPerson.objects.values_list("slug", "country__code"))
    hubs = set(Country.objects.filter(is_hub=True).values_list("code", flat=True))
    clusters: dict[str, str] = {}
    for path, data in parsed:
        for position, item in enumerate(data.get("clusters", [])):
            where = f"{path.name}: clusters[{position}]"
            if item["slug"] in clusters:
                raise SeedError(
                    path, f"clusters[{position}].slug", f"is also {clusters[item['slug']]}'s"
                )
            clusters[item["slug"]] = where
    known_clusters = set(clusters) | set(ClusterProfile.objects.values_list("slug", flat=True))
    for path, data in parsed:
        for kind in ("news", "events"):
            english: dict[str, int] = {}
            for position, item in enumerate(data.get(kind, [])):
                where = f"{kind}[{position}]"
                slug = item["slug"].get(COMMON_LANGUAGE)
                if slug is not None and slug in english:
                    raise SeedError(path, f"{where}.slug.en", f"is also {kind}[{english[slug]}]'s")
                english[slug] = position
                for related in item.get("related_clusters", []):
                    if related not in known_clusters:
                        raise SeedError(
                            path, f"{where}.related_clusters", f"unknown cluster {related!r}"
                        )
                contact = item.get("contact")
                if contact and contact not in contacts:
                    raise SeedError(path, f"{where}.contact", f"unknown contact {contact!r}")
                if contact and data["country"] not in hubs and contacts[contact] != data["country"]:
                    # The hub shows the whole network: any country's contact.
                    raise SeedError(path, f"{where}.contact", f"another country's {contact!r}")


def is_texts(value) -> bool:
    """A table of known language codes to text, as every translated field of a seed item."""
    return isinstance(value, dict) and all(
        code in LANGUAGE_CODES and isinstance(text, str) for code, text in value.items()
    )


def validate_item(path, where, item, fields, sector_slugs, kind) -> None:
    if not isinstance(item, dict):
        raise SeedError(path, where, "must be an object")
    if kind == "clusters":
        # A cluster's slug is one key; a page's is per language.
        if not isinstance(item.get("slug"), str) or not item["slug"]:
            raise SeedError(path, f"{where}.slug", "is required (a text)")
        for name in ("members", "founded"):
            value = item.get(name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise SeedError(path, f"{where}.{name}", "must be a whole number")
    else:
        slugs = item.get("slug")
        if not is_texts(slugs) or not slugs or not all(slugs.values()):
            raise SeedError(path, f"{where}.slug", "must map language codes to slugs")
        body = item.get("body", {})
        if not isinstance(body, dict) or any(
            code not in LANGUAGE_CODES
            or not isinstance(paragraphs, list)
            or not all(isinstance(html, str) for html in paragraphs)
            for code, paragraphs in body.items()
        ):
            raise SeedError(path, f"{where}.body", "must map language codes to lists of HTML")
    for name in fields:
        if not is_texts(item.get(name, {})):
            raise SeedError(path, f"{where}.{name}", "must map known language codes to text")
    title_field = "name" if kind == "clusters" else "title"
    if COMMON_LANGUAGE not in item.get(title_field, {}):
        raise SeedError(path, f"{where}.{title_field}", "needs an English (en) version")
    for name in ("sectors", "related_clusters"):
        slugs = item.get(name, [])
        if not isinstance(slugs, list) or not all(isinstance(slug, str) for slug in slugs):
            raise SeedError(path, f"{where}.{name}", "must be a list of slugs")
    if not isinstance(item.get("contact") or "", str):
        raise SeedError(path, f"{where}.contact", "must be a contact's slug")
    for slug in item.get("sectors", []):
        if slug not in sector_slugs:
            raise SeedError(path, f"{where}.sectors", f"unknown sector {slug!r}")
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise SeedError(path, f"{where}.tags", "must be a list of keywords")
    if kind == "events":
        if not isinstance(item.get("kind"), str) or item["kind"] not in EVENT_KINDS:
            raise SeedError(path, f"{where}.kind", f"must be one of {sorted(EVENT_KINDS)}")
        for name in ("start", "end"):
            if item.get(name) is not None or name == "start":  # an end is optional
                try:
                    datetime.fromisoformat(item.get(name))
                except (TypeError, ValueError) as error:
                    raise SeedError(path, f"{where}.{name}", "is not an ISO date-time") from error
    if kind == "news":
        try:
            date.fromisoformat(item.get("date", ""))
        except (TypeError, ValueError) as error:
            raise SeedError(path, f"{where}.date", "is not an ISO date") from error


def stream(paragraphs: dict) -> dict:
    """A StreamField value per language from lists of HTML paragraphs."""
    return {
        build_localized_fieldname("body", code): [
            ("paragraph", RichText(html)) for html in paragraphs.get(code, [])
        ]
        for code in LANGUAGE_CODES
    }


def aware(value: str | None):
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


@transaction.atomic
def load_seed(directory: Path) -> SeedReport:
    """Load every seed file in one transaction: an item the models refuse (a field too
    long, a web address that is none) is a ``SeedError`` naming it, and nothing is kept."""
    report = SeedReport()
    with translation.override(COMMON_LANGUAGE):
        for path, data in read_seed_files(directory):
            country = Country.objects.get(code=data["country"])
            home = country.home_page
            for kind, load in (
                ("clusters", partial(load_cluster, country)),
                ("news", partial(load_news, home)),
                ("events", partial(load_event, home)),
                ("pages", partial(load_page, home)),
            ):
                for position, item in enumerate(data.get(kind, [])):
                    try:
                        load(item, report)
                    except ValidationError as error:
                        field_name, message = first_refusal(error)
                        where = f"{kind}[{position}]{field_name}"
                        raise SeedError(path, where, message) from error
    return report


def first_refusal(error: ValidationError) -> tuple[str, str]:
    """(``.field`` or "", its messages) of the first field a model's ``ValidationError`` names."""
    if not hasattr(error, "error_dict"):
        return "", " ".join(error.messages)
    name, messages = next(iter(error.message_dict.items()))
    return ("" if name == NON_FIELD_ERRORS else f".{name}"), " ".join(messages)


def load_cluster(country, item: dict, report: SeedReport) -> None:
    """A cluster profile made, or brought up to what the seed changed since it last wrote
    it (``cms.core.upserts.upsert``, three-way): an editor's or an import's edit, a
    language unticked, stands until the seed changes that value. ``make run`` loads the
    seed every time."""
    from cms.clusters.models import ClusterProfile

    values = {
        **localized("name", item["name"]),
        **localized("region", item.get("region", {})),
        **localized("city", item.get("city", {})),
        **localized("description", item.get("description", {})),
        "country": country,
        "members": item.get("members"),
        "founded": item.get("founded"),
        "website": item.get("website", ""),
        "email": item.get("email", ""),
    }
    lookup = {"slug": item["slug"]}
    probe = ClusterProfile.objects.filter(**lookup).first() or ClusterProfile(**lookup)
    assign(probe, values)
    probe.full_clean()  # as the admin's form would: a snippet's save() checks nothing
    cluster = upsert(ClusterProfile, report, "clusters", lookup, values, editable=True)
    if cluster is None:  # deleted in the admin since the seed made it
        return
    key = f"{record_key(ClusterProfile, lookup)}:sectors"  # a relation: remembered apart
    wanted = sorted(item.get("sectors", []))
    record = SyncedValues.objects.filter(key=key).first()
    if record is None or record.values.get("sectors") != wanted:
        if sorted(cluster.sectors.values_list("slug", flat=True)) != wanted:
            cluster.sectors.set(Sector.objects.filter(slug__in=wanted))
            cluster.save()
        remember(key, {"sectors": wanted})


def upsert_page(parent, model, item: dict, values: dict, relations: dict, report, kind):
    """A child page of ``parent`` found by its English slug: made and published, or brought
    up to what the seed changed since it last wrote it, as ``sync_sites`` writes its pages
    (``cms.core.services.publish_changes``): an editor's published edit stands until the
    seed changes that value, and a page with a draft, a moderation under way or
    unpublished is held back, not published over (``make run`` loads the seed every
    time: it put a page a moderator had taken down back online)."""
    slugs = item["slug"]
    slug_en = slugs.get(COMMON_LANGUAGE) or next(iter(slugs.values()))
    # Remembered by where the seed puts it, the page by its id: moved or renamed in the
    # admin, it is still the seed's item (not made again beside it); deleted, it stays so.
    key = record_key(model, {"parent": parent.pk, "slug_en": slug_en})
    record = SyncedValues.objects.filter(key=key).first()
    if record is not None and "page" in record.values:
        page = model.objects.filter(pk=record.values["page"]).first()
        if page is None:
            report.left_deleted[kind] += 1
            return None
    else:
        page = model.objects.child_of(parent).filter(slug_en=slug_en).first()
    slug_values = {
        build_localized_fieldname("slug", code): slugs.get(code, "") for code in LANGUAGE_CODES
    }
    slug_values[build_localized_fieldname("slug", COMMON_LANGUAGE)] = slug_en
    wanted = {**values, **slug_values, **relations}
    if page is None:
        page = model(slug=slug_en)
        assign(page, {**values, **slug_values})
        mark_complete_ready(page)
        for name, objects in relations.items():
            getattr(page, name).set(objects)
        parent.add_child(instance=page)
        page.save_revision().publish()
        report.created[kind] += 1
        remember(key, {**wanted, "page": page})
        return page
    changed = changes_for(page, record, wanted)
    if changed and held_back(page):
        report.held_back[kind] += 1
        return page
    if changed:
        for name, value in changed.items():
            if name in relations:
                getattr(page, name).set(value)
            else:
                setattr(page, name, value)
        mark_complete_ready(page, languages_written(changed))  # the seed's reviewed text
        page.save_revision().publish()
        report.updated[kind] += 1
    remember(key, {**wanted, "page": page})
    return page


def _tags(names: list[str]):
    """The taggit tags named (created when new): keywords are the same in every language."""
    from taggit.models import Tag

    return [Tag.objects.get_or_create(name=name.strip())[0] for name in names]


def _contact(slug):
    from cms.partners.models import ContactPerson

    return ContactPerson.objects.filter(slug=slug).first() if slug else None


def load_news(home, item: dict, report: SeedReport) -> None:
    from cms.clusters.models import ClusterProfile
    from cms.news.models import NewsIndexPage, NewsPage

    index = NewsIndexPage.objects.child_of(home).get()
    values = {
        **localized("title", item["title"]),
        **localized("lead", item.get("lead", {})),
        **localized("funding_note", item.get("funding_note", {})),
        **stream(item.get("body", {})),
        "date": date.fromisoformat(item["date"]),
        "contact": _contact(item.get("contact")),
    }
    relations = {
        "sectors": list(Sector.objects.filter(slug__in=item.get("sectors", []))),
        "tags": _tags(item.get("tags", [])),
        "related_clusters": list(
            ClusterProfile.objects.filter(slug__in=item.get("related_clusters", []))
        ),
    }
    upsert_page(index, NewsPage, item, values, relations, report, "news items")


def load_event(home, item: dict, report: SeedReport) -> None:
    from cms.events.models import EventIndexPage, EventPage

    index = EventIndexPage.objects.child_of(home).get()
    values = {
        **localized("title", item["title"]),
        **localized("lead", item.get("lead", {})),
        **localized("place", item.get("place", {})),
        **stream(item.get("body", {})),
        "kind": item["kind"],
        "start": aware(item["start"]),
        "end": aware(item.get("end")),
        "registration_url": item.get("registration_url", ""),
        "contact": _contact(item.get("contact")),
    }
    relations = {
        "sectors": list(Sector.objects.filter(slug__in=item.get("sectors", []))),
        "tags": _tags(item.get("tags", [])),
    }
    upsert_page(index, EventPage, item, values, relations, report, "events")


def load_page(home, item: dict, report: SeedReport) -> None:
    from cms.home.models import StandardPage

    values = {
        **localized("title", item["title"]),
        **localized("lead", item.get("lead", {})),
        **stream(item.get("body", {})),
    }
    values["show_in_menus"] = True
    upsert_page(home, StandardPage, item, values, {}, report, "standard pages")
