"""Import of cluster directories from CSV or XLSX spreadsheets.

National partners keep their cluster lists in spreadsheets: one row per
cluster, translated columns such as ``name_cs`` or ``description_de``. An
import is two steps. ``preview_import`` validates every row and says what
would happen (create, update, unchanged) or what is wrong, naming the row and
the column; nothing is written. ``apply_import`` then writes, and only when
the preview has no errors or the user has confirmed to take the valid rows.
The ``slug`` column is the stable key: re-importing the same file updates in
place and, when nothing changed, writes nothing.

A CSV is read as spreadsheet programs write it: the separator (comma,
semicolon as Excel writes in much of Europe, or tab) is told by the header,
whose names are known; the encoding is UTF-8, with or without a BOM, else
Windows-1250, which older Czech, Polish and Slovak Excel versions write, or
Windows-1252, which older German and Italian ones write (``legacy_encoding``).

Reading the file (formats, encodings, limits) is ``cms.clusters.spreadsheet``;
export is ``cms.clusters.exporting``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator, validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language, ngettext, pgettext_lazy
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from cms.clusters.exporting import export_cells
from cms.clusters.models import ClusterProfile
from cms.clusters.spreadsheet import (
    NUMBERS,
    READY,
    TRANSLATED,
    UPDATED,
    ImportFileError,
    longer_than,
    normal_ready,
    parse_ready,
    plain_text,
)
from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.core.models import Country, Sector
from cms.core.publication import language_label
from cms.core.translation_status import LanguageRule, is_filled, required_fields
from cms.search.indexing import backends, sync_objects

logger = logging.getLogger(__name__)

#: What each action means to the editor (the keys stay English: tests, counts, CSS).
ACTION_LABELS = {
    "create": pgettext_lazy("import action", "create"),
    "update": pgettext_lazy("import action", "update"),
    "unchanged": pgettext_lazy("import action", "unchanged"),
    "error": pgettext_lazy("import action", "error"),
}


@dataclass
class RowResult:
    number: int  # spreadsheet row number, the header being row 1
    slug: str
    action: str = ""  # "create", "update", "unchanged" or "error"
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    values: dict = field(default_factory=dict)
    sectors: list[str] = field(default_factory=list)
    #: For an update: (column, old, new) of each changed column, as the spreadsheet shows it.
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    current_name: str = ""  # the existing cluster's name, for an update
    #: The ``updated_at`` cell: when the cluster was last saved as the export found it.
    exported_at: datetime | None = None
    #: For an update: when the cluster was saved after the export (``exported_at``).
    saved_since_export: datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def name(self) -> str:
        """The row's name in the active language, else English, else the existing cluster's."""
        language = get_language() or COMMON_LANGUAGE
        for code in (language.split("-")[0], COMMON_LANGUAGE):
            if code in LANGUAGE_CODES and self.values.get(build_localized_fieldname("name", code)):
                return self.values[build_localized_fieldname("name", code)]
        return self.current_name

    @property
    def published_languages(self) -> list[str]:
        """The languages visitors will read this cluster in after the import."""
        return [COMMON_LANGUAGE, *self.values.get(READY, [])]


@dataclass
class ImportPreview:
    rows: list[RowResult]
    ready_column: bool = False  # the file says which languages are ready

    @property
    def valid(self) -> list[RowResult]:
        return [row for row in self.rows if row.ok]

    @property
    def invalid(self) -> list[RowResult]:
        return [row for row in self.rows if not row.ok]

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts


def cluster_countries(codes: list[str] | None) -> set[str] | None:
    """The country codes a command's ``--country`` names (any case), None for all of them.

    A code that is no partner country's (the hub has no clusters) is a ``ValueError``
    naming it and the valid ones: a typo must not import or export nothing, silently.
    """
    if not codes:
        return None
    valid = sorted(Country.objects.filter(is_hub=False).values_list("code", flat=True))
    chosen = {code.strip().upper() for code in codes}
    unknown = sorted(chosen.difference(valid))
    if unknown:
        raise ValueError(
            f"--country: unknown country {', '.join(unknown)}; use one of: {one_of(valid)}"
        )
    return chosen


def preview_import(
    rows: list[dict[str, str]], *, allowed_countries: set[str] | None = None, lock: bool = False
) -> ImportPreview:
    """Validate every row and work out what applying it would do. Writes nothing.

    ``rows``: dicts by column, as ``read_table`` reads them (a ``Table``, which says
    which columns the file has); for a plain list, the columns any row has.
    ``allowed_countries``: country codes the importing editor may write (None: all).
    ``lock``: lock the existing clusters the rows name until the transaction ends
    (call it inside one), so that nobody saves them between this preview and
    ``apply_import``: the admin's confirmation then writes what it checked.

    A file need not have every column: on an existing cluster, a column the file
    lacks keeps its stored value (the row is validated and compared as if the file
    had the stored cell there, ``stored_cells``), so a file of a few columns changes
    those columns only. A new cluster's missing columns are empty.
    """
    columns = file_columns(rows)
    countries = {country.code: country for country in Country.objects.all()}
    by_id = {country.pk: country for country in countries.values()}
    sector_slugs = sector_aliases()
    clusters = ClusterProfile.objects.filter(slug__in=[row.get("slug", "") for row in rows])
    if lock:
        clusters = clusters.select_for_update()
    existing = {cluster.slug: cluster for cluster in clusters.prefetch_related("sectors")}
    for cluster in existing.values():
        cluster.country = by_id[cluster.country_id]  # loaded above: no query per row
    ready_column = READY in columns
    results, seen = [], {}
    for number, row in enumerate(rows, start=2):
        current = existing.get(row.get("slug", ""))
        cells = row if current is None else {**stored_cells(current), **row}
        result = validate_row(number, cells, countries, sector_slugs, allowed_countries)
        result.errors[:0] = missing_cells(row, columns)
        stored_ready = None if current is None else normal_ready(current.ready_languages)
        validate_ready(result, row.get(READY, "") if ready_column else None, stored_ready, columns)
        if result.slug in seen:
            result.errors.append(
                ("slug", _("also used in row %(row)s") % {"row": seen[result.slug]})
            )
        elif result.slug:
            seen[result.slug] = number
        if result.ok and current is not None and allowed_countries is not None:
            if current.country.code not in allowed_countries:
                result.errors.append(("slug", _("belongs to a cluster of another country")))
        if not result.ok:
            result.action = "error"
        elif current is None:
            result.action = "create"
        else:
            result.changes = changes(current, result)
            result.current_name = str(current)
            result.action = "update" if result.changes else "unchanged"
            if result.changes and saved_after(current.updated_at, result.exported_at):
                result.saved_since_export = current.updated_at
        results.append(result)
    return ImportPreview(rows=results, ready_column=ready_column)


def file_columns(rows) -> list[str]:
    """The columns of the file ``rows`` were read from (``Table.columns``), else of any row."""
    columns = getattr(rows, "columns", None)
    if columns is not None:
        return list(columns)
    return list(dict.fromkeys(column for row in rows for column in row))


def stored_cells(cluster: ClusterProfile) -> dict[str, str]:
    """An existing cluster's cells as an export would write them, for the columns a file
    lacks: compared with the stored values they are no change, so nothing is written.

    ``updated_at`` is the file's own: without it the preview marks nothing.
    """
    cells = export_cells(cluster)
    del cells[UPDATED]
    return {column: "" if value is None else str(value) for column, value in cells.items()}


def missing_cells(row: dict[str, str], columns: list[str]) -> list[tuple[str, str]]:
    """An error when the row has fewer cells than the header (a CSV line that stops early).

    Refused, not read as empty cells: a short line is mostly a broken file (a line
    break typed inside a cell without quotes cuts a row in two, the rest of the
    row landing in a row of its own), and empty cells would blank those columns
    of an existing cluster, a loss the preview would show only among many
    changes. Nor are the missing columns left alone: the row is not what its
    author wrote. Spreadsheet programs write the separators of empty cells at
    the end of a line, so a whole file never has this. (An XLSX row that stops at
    its last filled cell has empty cells after it: ``read_table`` fills them in.)
    """
    missing = [column for column in columns if column not in row]
    if not missing or not row:  # a blank line: its empty slug says it
        return []
    return [
        (
            ", ".join(missing),
            _(
                "the row ends before these columns: is the line cut in two (a line break "
                "inside a cell without quotes)? Nothing of the row is imported"
            ),
        )
    ]


def saved_after(saved: datetime, exported_at: datetime | None) -> bool:
    """Was the cluster saved after the export that wrote ``exported_at`` (None: no column)?

    Then an update may not be an edit made in the file: its "old" value may be
    the edit saved since, which the file's value, as exported, would undo. To the
    second, as the export writes it.
    """
    return exported_at is not None and saved.replace(microsecond=0) > exported_at


def exported_time(cell: str) -> datetime:
    """The ``updated_at`` cell as a time (``ValueError`` when it is none).

    As the export writes it (``2026-01-31T12:00:00Z``), or as a spreadsheet may
    save it again: with a space, without seconds or the zone (UTC, as exported).
    """
    value = datetime.fromisoformat(cell)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)


def sector_aliases() -> dict[str, str]:
    """Every way a cell may name a sector, case-folded, → its slug.

    The slug, and the sector's name in each of the network's languages: a
    partner types "Potravinářství" or "Lebensmittel" as readily as ``food``.
    """
    aliases = {}
    for sector in Sector.objects.all():
        names = [build_localized_fieldname("name", code) for code in LANGUAGE_CODES]
        for name in filter(None, (getattr(sector, column, "") for column in names)):
            aliases.setdefault(name.strip().casefold(), sector.slug)
        aliases[sector.slug.casefold()] = sector.slug  # a slug always wins over a name
    return aliases


def one_of(values) -> str:
    return ", ".join(values)


def validate_row(number, row, countries, sector_slugs, allowed_countries) -> RowResult:
    """Check one row: each error names its column, and the valid values where there is a list.

    ``sector_slugs`` maps each accepted spelling of a sector to its slug (``sector_aliases``).
    """
    result = RowResult(number=number, slug=row.get("slug", ""))
    errors = result.errors
    try:
        validate_slug(result.slug)
    except ValidationError:
        errors.append(
            (
                "slug",
                _("“%(value)s” is not a valid key (letters, digits, - and _)")
                % {"value": result.slug},
            )
        )
    errors.extend(length_errors(row, "slug"))
    code = row.get("country", "").upper()
    importable = sorted(
        country_code
        for country_code, country in countries.items()
        if not country.is_hub and (allowed_countries is None or country_code in allowed_countries)
    )
    if code not in countries or countries[code].is_hub:
        errors.append(
            (
                "country",
                _("unknown country “%(value)s”; use one of: %(valid)s")
                % {"value": row.get("country", ""), "valid": one_of(importable)},
            )
        )
    elif allowed_countries is not None and code not in allowed_countries:
        errors.append(
            (
                "country",
                _("you may not import clusters of %(code)s; use one of: %(valid)s")
                % {"code": code, "valid": one_of(importable)},
            )
        )
    else:
        result.values["country"] = countries[code]
    errors.extend(name_errors(row, result.values.get("country")))
    for name in TRANSLATED:
        for language in LANGUAGE_CODES:
            column = build_localized_fieldname(name, language)
            errors.extend(length_errors(row, column))
            result.values[column] = row.get(column, "")  # descriptions: plain text, see apply
    sectors = set()
    for name in row.get("sectors", "").replace(",", ";").split(";"):
        if not name.strip():
            continue
        slug = sector_slugs.get(name.strip().casefold())
        if slug is None:
            valid = one_of(sorted(set(sector_slugs.values())))
            errors.append(
                (
                    "sectors",
                    _("unknown sector “%(value)s”; use one of: %(valid)s")
                    % {"value": name.strip(), "valid": valid},
                )
            )
        else:
            sectors.add(slug)
    result.sectors = sorted(sectors)
    for column, (low, high) in NUMBERS.items():
        value = row.get(column, "")
        if not value:
            result.values[column] = None
            continue
        try:
            number_value = int(value)
        except ValueError:
            errors.append((column, _("“%(value)s” is not a whole number") % {"value": value}))
            continue
        if not low <= number_value <= high:
            errors.append(
                (column, _("must be between %(low)s and %(high)s") % {"low": low, "high": high})
            )
        result.values[column] = number_value
    for column, validator, problem in (
        (
            "website",
            URLValidator(schemes=["http", "https"]),
            _("“%(value)s” is not a valid web address (https://…)"),
        ),
        ("email", EmailValidator(), _("“%(value)s” is not a valid email address")),
    ):
        value = row.get(column, "")
        if value:
            try:
                validator(value)
            except ValidationError:
                errors.append((column, problem % {"value": value}))
        errors.extend(length_errors(row, column))
        result.values[column] = value
    errors.extend(length_errors(row, "phone"))
    result.values["phone"] = row.get("phone", "")
    if cell := row.get(UPDATED, ""):
        try:
            result.exported_at = exported_time(cell)
        except ValueError:
            errors.append(
                (
                    UPDATED,
                    _(
                        "“%(value)s” is not a time as the export writes it "
                        "(2026-01-31T12:00:00Z); leave the column as exported, or delete it"
                    )
                    % {"value": cell},
                )
            )
    return result


def length_errors(row, column: str) -> list[tuple[str, str]]:
    """An error when the cell is longer than its model field holds (``max_length``).

    Never cut to fit: the editor would not know what was lost. Unchecked, a
    longer value was stored on SQLite (whose columns have no length) and then
    refused by the edit form on every save, and on PostgreSQL it stopped the
    whole import with a database error. A field without a limit (a description)
    has only the cell's own (``MAX_CELL_CHARS``).
    """
    limit = ClusterProfile._meta.get_field(column).max_length
    if limit and len(row.get(column, "")) > limit:
        return [(column, longer_than(limit))]
    return []


def name_errors(row, country) -> list[tuple[str, str]]:
    """The row's name, as the edit form asks for it (``LanguageRule``): in the main language
    of the country's site, or (files written before that rule) in English; and in every
    language the network requires at publication, since an import publishes.
    """
    rule = LanguageRule.for_country(country)
    main = build_localized_fieldname("name", rule.default)
    english = build_localized_fieldname("name", COMMON_LANGUAGE)
    errors = []
    if not row.get(main) and not row.get(english):
        errors.append(
            (
                main,
                _("the name is required in this site's main language (%(language)s) or in English")
                % {"language": language_label(rule.default)},
            )
        )
    for code in rule.required_at_publication:
        column = build_localized_fieldname("name", code)
        if not row.get(column):
            errors.append(
                (
                    column,
                    _(
                        "Required: the network asks for every item in this language too "
                        "(%(language)s)."
                    )
                    % {"language": language_label(code)},
                )
            )
    return errors


def complete_in(result: RowResult, language: str) -> bool:
    """Is the row's cluster complete in ``language`` once imported (``status == COMPLETE``)?

    The row's values are the cluster as imported (a column the file lacks has the
    stored value, ``stored_cells``), so they alone decide.
    """
    return all(
        is_filled(result.values.get(build_localized_fieldname(name, language)))
        for name in required_fields(ClusterProfile)
    )


def validate_ready(
    result: RowResult,
    cell: str | None,
    stored: list[str] | None = None,
    columns: list[str] | None = None,
) -> None:
    """Set the row's ready languages: the cell's, or (``cell`` None: no column) the complete ones.

    English, the common language, is always ready; naming it is allowed and
    changes nothing. A language named ready must be complete, as in the edit
    form: visitors would otherwise see a half-translated profile.

    Without the column, an existing cluster's languages (``stored``: its ready
    ones) stay as they are unless the file has one of their required columns
    (``columns``, e.g. ``name_de``): a language the file makes complete is then
    ready, one it empties is not; so a file of a few columns leaves the other
    translations' publication alone, and a whole file marks every complete
    language ready, as for a new cluster. A language no longer complete is never
    ready.
    """
    if cell is None:
        required = required_fields(ClusterProfile)
        result.values[READY] = [
            code
            for code in LANGUAGE_CODES
            if code != COMMON_LANGUAGE
            and complete_in(result, code)
            and (
                stored is None
                or code in stored
                or any(
                    build_localized_fieldname(name, code) in (columns or ()) for name in required
                )
            )
        ]
        require_a_served_language(result)
        return
    codes = parse_ready(cell)
    for code in codes:
        if code not in LANGUAGE_CODES:
            result.errors.append(
                (
                    READY,
                    _('unknown language "%(code)s"; use one of: %(valid)s')
                    % {"code": code, "valid": one_of(LANGUAGE_CODES)},
                )
            )
        elif code != COMMON_LANGUAGE and not complete_in(result, code):
            required = ", ".join(
                build_localized_fieldname(name, code) for name in required_fields(ClusterProfile)
            )
            result.errors.append(
                (
                    READY,
                    _("%(code)s is marked ready but %(columns)s is empty")
                    % {"code": code, "columns": required},
                )
            )
    result.values[READY] = normal_ready(codes)
    require_a_served_language(result)


def require_a_served_language(result: RowResult) -> None:
    """An import publishes: a row visitors would find in no language (every translation
    held back or incomplete, English empty) would be a nameless card in the directory."""
    if result.values[READY] or complete_in(result, COMMON_LANGUAGE):
        return
    english = ", ".join(
        build_localized_fieldname(name, COMMON_LANGUAGE) for name in required_fields(ClusterProfile)
    )
    result.errors.append(
        (
            READY,
            _(
                "visitors would find this cluster in no language: mark a complete language "
                "ready here, or fill in %(columns)s"
            )
            % {"columns": english},
        )
    )


def current_value(cluster: ClusterProfile, name: str):
    """A field as the spreadsheet sees it: descriptions (rich text) as plain text, an
    empty translation as an empty cell.

    The edit form saves an empty translation as None (modeltranslation's nullable
    columns), the file has "" for it, as the export writes it: both are the same
    empty cell, not a change to show in the preview or to write.
    """
    value = getattr(cluster, name, None)  # None for a new cluster's country
    if name == READY:
        return normal_ready(value)
    if value is None and name.rsplit("_", 1)[0] in TRANSLATED:
        return ""
    return plain_text(value) if name.startswith("description_") else value


def changes(cluster: ClusterProfile, row: RowResult) -> list[tuple[str, str, str]]:
    """(column, old, new) for each column the row would change, as the spreadsheet shows them.

    Empty when re-importing would write nothing (the row is "unchanged").
    """
    found = []
    for name, value in row.values.items():
        old = current_value(cluster, name)
        if old != value:
            found.append((name, shown(old), shown(value)))
    old_sectors = sorted(sector.slug for sector in cluster.sectors.all())
    if old_sectors != row.sectors:
        found.append(("sectors", ", ".join(old_sectors), ", ".join(row.sectors)))
    return found


def shown(value) -> str:
    """A value as a spreadsheet cell shows it: a country by its code, a list joined."""
    if value is None:
        return ""
    if isinstance(value, Country):
        return value.code
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    return str(value)


def assign_row(cluster: ClusterProfile, row: RowResult) -> None:
    """Set the row's values; a description is only replaced when its text changed,
    so formatting added in the admin survives a round trip through a spreadsheet.
    A new cluster (no pk yet) gets every value, its empty translations as "", not None.
    An existing cluster's values of the columns the file lacks are its own
    (``stored_cells``), so they are left as they are."""
    for name, value in row.values.items():
        if cluster.pk is not None and current_value(cluster, name) == value:
            continue
        if name.startswith("description_"):
            value = f"<p>{escape(value)}</p>" if value else ""
        setattr(cluster, name, value)


@transaction.atomic
def apply_import(
    preview: ImportPreview, *, confirm_skipping_invalid: bool = False
) -> dict[str, int]:
    """Write the valid rows. With any invalid row, writes nothing unless confirmed.

    Writes in bulk (thousands of rows in seconds), then indexes the touched
    clusters for search in one batch: ``bulk_create`` sends no ``post_save``,
    so nothing is indexed one row at a time.
    """
    if preview.invalid and not confirm_skipping_invalid:
        raise ImportFileError(unconfirmed_errors(len(preview.invalid)))
    sectors = {sector.slug: sector.pk for sector in Sector.objects.all()}
    rows = [row for row in preview.valid if row.action != "unchanged"]
    existing = {c.slug: c for c in ClusterProfile.objects.filter(slug__in=[r.slug for r in rows])}
    created, updated, fields = [], [], set()
    for row in rows:
        cluster = existing.get(row.slug)
        if cluster is None:
            cluster = ClusterProfile(slug=row.slug)
            assign_row(cluster, row)
            created.append(cluster)
        else:
            before = {name: getattr(cluster, name) for name in row.values}
            assign_row(cluster, row)
            fields |= {name for name in row.values if getattr(cluster, name) != before[name]}
            updated.append(cluster)
    now = timezone.now()
    for cluster in created + updated:
        cluster.updated_at = now
    ClusterProfile.objects.bulk_create(created, batch_size=500)
    if updated:
        update_fields = sorted(
            {"country_id" if name == "country" else name for name in fields} | {"updated_at"}
        )
        ClusterProfile.objects.bulk_update(updated, update_fields, batch_size=500)
    by_slug = {row.slug: row for row in rows}
    Through = ClusterProfile.sectors.through
    touched = created + updated
    # Only where they change (a file without the column leaves them: stored_cells).
    resorted = created + [
        cluster
        for cluster in updated
        if any(column == "sectors" for column, _old, _new in by_slug[cluster.slug].changes)
    ]
    Through.objects.filter(
        clusterprofile_id__in=[c.pk for c in resorted if c not in created]
    ).delete()
    Through.objects.bulk_create(
        [
            Through(clusterprofile_id=cluster.pk, sector_id=sectors[slug])
            for cluster in resorted
            for slug in by_slug[cluster.slug].sectors
        ],
        batch_size=1000,
    )
    reindex(touched)
    return {
        "created": len(created),
        "updated": len(updated),
        "unchanged": len(preview.valid) - len(rows),
        "skipped": len(preview.invalid),
    }


def unconfirmed_errors(count: int) -> str:
    return ngettext(
        "%(count)s row has errors; nothing was written. "
        "Fix it, or confirm to import only the valid rows.",
        "%(count)s rows have errors; nothing was written. "
        "Fix them, or confirm to import only the valid rows.",
        count,
    ) % {"count": count}


def reindex(clusters: list[ClusterProfile]) -> None:
    """Index imported clusters in every search backend (admin search and visitor search)."""
    if not clusters:
        return
    fresh = list(
        ClusterProfile.objects.filter(pk__in=[c.pk for c in clusters])
        .select_related("country")
        .prefetch_related("sectors")
    )
    for _name, backend, is_database in backends():
        try:
            backend.add_bulk(ClusterProfile, fresh)
        except Exception:  # noqa: BLE001 - an engine outage must not lose the import
            if is_database:
                raise
            logger.exception("Admin search index of imported clusters failed; rebuild later")
    sync_objects(fresh)
