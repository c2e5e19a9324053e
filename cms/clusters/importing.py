"""Import of cluster directories from CSV or XLSX spreadsheets.

National partners keep their cluster lists in spreadsheets: one row per
cluster, translated columns such as ``name_cs`` or ``description_de``. An
import is two steps. ``preview_import`` validates every row and says what
would happen (create, update, unchanged) or what is wrong, naming the row and
the column; nothing is written. ``apply_import`` then writes, and only when
the preview has no errors or the user has confirmed to take the valid rows.
The ``slug`` column is the stable key: re-importing the same file updates in
place and, when nothing changed, writes nothing. What each row's cells may hold
is checked by ``cms.clusters.validation``.

A CSV is read as spreadsheet programs write it: the separator (comma,
semicolon as Excel writes in much of Europe, or tab) is told by the header,
whose names are known; the encoding is UTF-8, with or without a BOM, else
Windows-1250, which older Czech, Polish and Slovak Excel versions write, or
Windows-1252, which older German and Italian ones write
(``cms.clusters.csv_reading.legacy_encoding``).

Reading the file (formats, encodings, limits) is ``cms.clusters.reading`` (its
columns and limits: ``cms.clusters.spreadsheet``, CSV: ``cms.clusters.csv_reading``);
export is ``cms.clusters.exporting``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.clusters.exporting import export_cells
from cms.clusters.models import ClusterProfile
from cms.clusters.redirects import moved_in_bulk
from cms.clusters.spreadsheet import (
    READY,
    TRANSLATED,
    UPDATED,
    ImportFileError,
    loses_formatting,
    normal_ready,
    paragraphs,
    plain_text,
)
from cms.clusters.validation import (
    RowResult,
    missing_cells,
    one_of,
    sector_aliases,
    validate_ready,
    validate_row,
)
from cms.core.frontend_cache_snippets import purge_profiles_written_in_bulk
from cms.core.models import Country, Sector
from cms.projections import signals as projection_signals
from cms.search.indexing import index_bulk_written


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
    other_case = slugs_in_other_case(rows, existing)
    ready_column = READY in columns
    results, seen = [], {}
    for number, row in enumerate(rows, start=2):
        if not any(value.strip() for value in row.values()):
            # Nothing in it, as the spreadsheet program shows it: Excel writes an emptied row
            # as a line of separators, and files end in blank lines. Each was a row of
            # errors (no slug, no country, no name) that stopped the whole import.
            continue
        current = existing.get(row.get("slug", ""))
        cells = row if current is None else {**stored_cells(current), **row}
        result = validate_row(number, cells, countries, sector_slugs, allowed_countries)
        result.errors[:0] = missing_cells(row, columns)
        stored_ready = None if current is None else normal_ready(current.ready_languages)
        validate_ready(result, row.get(READY, "") if ready_column else None, stored_ready, columns)
        earlier = seen.get(result.slug.lower())  # a slug is one cluster in any case
        if earlier is not None and earlier[1] == result.slug:
            result.errors.append(("slug", _("also used in row %(row)s") % {"row": earlier[0]}))
        elif earlier is not None:
            result.errors.append(
                (
                    "slug",
                    _("differs from “%(slug)s” in row %(row)s only in upper and lower case")
                    % {"slug": earlier[1], "row": earlier[0]},
                )
            )
        elif result.slug:
            seen[result.slug.lower()] = (number, result.slug)
        if current is None and (stored := other_case.get(result.slug.lower())):
            stored_slug, stored_country = stored
            if allowed_countries is not None and stored_country not in allowed_countries:
                # Named neither its slug nor a way to update it: not this editor's.
                result.errors.append(("slug", _("belongs to a cluster of another country")))
            else:
                result.errors.append(
                    (
                        "slug",
                        _(
                            "differs from the slug “%(slug)s” of an existing cluster only in "
                            "upper and lower case; write it as that to update the cluster"
                        )
                        % {"slug": stored_slug},
                    )
                )
        if result.ok and current is not None and allowed_countries is not None:
            if current.country.code not in allowed_countries:
                result.errors.append(("slug", _("belongs to a cluster of another country")))
        if not result.ok:
            result.action = "error"
        elif current is None:
            result.action = "create"
        else:
            result.changes = changes(current, result)
            descriptions = [c for c, _old, _new in result.changes if c.startswith("description_")]
            result.reformatted = [c for c in descriptions if loses_formatting(getattr(current, c))]
            result.stored_text = {c: str(getattr(current, c) or "") for c in descriptions}
            result.current_name = str(current)
            result.action = "update" if result.changes else "unchanged"
            if result.changes and saved_after(current.updated_at, result.exported_at):
                result.saved_since_export = current.updated_at
        results.append(result)
    return ImportPreview(rows=results, ready_column=ready_column)


def slugs_in_other_case(rows, existing: dict) -> dict[str, tuple[str, str]]:
    """Stored slugs and their clusters' country codes, by the slugs' lower case, that a
    row's slug matches in another case only.

    Slugs are compared exactly (``ACME-cluster`` is not ``acme-cluster``), so such a row
    made a second cluster with the first one's content: a copy, where its author
    meant an update.
    """
    unmatched = {slug.lower() for row in rows if (slug := row.get("slug", "")) not in existing}
    unmatched.discard("")
    if not unmatched:
        return {}
    found = ClusterProfile.objects.annotate(folded=Lower("slug")).filter(folded__in=unmatched)
    return {
        folded: (slug, country)
        for folded, slug, country in found.values_list("folded", "slug", "country__code")
    }


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


def saved_after(saved: datetime, exported_at: datetime | None) -> bool:
    """Was the cluster saved after the export that wrote ``exported_at`` (None: no column)?

    Then an update may not be an edit made in the file: its "old" value may be
    the edit saved since, which the file's value, as exported, would undo. To the
    second, as the export writes it.
    """
    return exported_at is not None and saved.replace(microsecond=0) > exported_at


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
            value = paragraphs(value)
        setattr(cluster, name, value)


@transaction.atomic
def apply_import(
    preview: ImportPreview, *, confirm_skipping_invalid: bool = False
) -> dict[str, int]:
    """Write the valid rows. With any invalid row, writes nothing unless confirmed.

    Writes in bulk (thousands of rows in seconds), then has the touched clusters indexed
    for search and rendered (with the news showing them) for the API, here if they are
    few, else by the task worker after the commit: ``bulk_create`` sends no ``post_save``,
    so nothing of that happens row by row.
    """
    if preview.invalid and not confirm_skipping_invalid:
        raise ImportFileError(unconfirmed_errors(len(preview.invalid)))
    sectors = {sector.slug: sector.pk for sector in Sector.objects.all()}
    rows = [row for row in preview.valid if row.action != "unchanged"]
    existing = {c.slug: c for c in ClusterProfile.objects.filter(slug__in=[r.slug for r in rows])}
    created, updated, moved, fields = [], [], [], set()
    addresses = set()  # where the CDN may keep the profiles: before, and (below) after
    for row in rows:
        cluster = existing.get(row.slug)
        if cluster is not None:
            addresses.add((cluster.slug, cluster.country_id))
        if cluster is None:
            cluster = ClusterProfile(slug=row.slug)
            assign_row(cluster, row)
            created.append(cluster)
        else:
            before = {name: getattr(cluster, name) for name in row.values}
            assign_row(cluster, row)
            changed = {name for name in row.values if getattr(cluster, name) != before[name]}
            fields |= changed
            updated.append(cluster)
            if "country" in changed:
                moved.append(cluster)
    now = timezone.now()
    for cluster in created + updated:
        cluster.updated_at = now
    ClusterProfile.objects.bulk_create(created, batch_size=500)
    if updated:
        update_fields = sorted(
            {"country_id" if name == "country" else name for name in fields} | {"updated_at"}
        )
        moved_in_bulk(  # a new country: its old addresses redirect, as a save's do
            moved,
            lambda: ClusterProfile.objects.bulk_update(updated, update_fields, batch_size=500),
        )
    by_slug = {row.slug: row for row in rows}
    Through = ClusterProfile.sectors.through
    touched = created + updated
    # Only where they change (a file without the column leaves them: stored_cells).
    resorted = created + [
        cluster
        for cluster in updated
        if any(column == "sectors" for column, _old, _new in by_slug[cluster.slug].changes)
    ]
    # By pk: a model's ``==`` costs, and ``in`` a list of thousands is quadratic.
    created_ids = {cluster.pk for cluster in created}
    Through.objects.filter(
        clusterprofile_id__in=[c.pk for c in resorted if c.pk not in created_ids]
    ).delete()
    Through.objects.bulk_create(
        [
            Through(clusterprofile_id=cluster.pk, sector_id=sectors[slug])
            for cluster in resorted
            for slug in by_slug[cluster.slug].sectors
        ],
        batch_size=1000,
    )
    index_bulk_written(ClusterProfile, [cluster.pk for cluster in touched])
    projection_signals.saved_in_bulk(touched)  # bulk writes send no post_save
    addresses |= {(cluster.slug, cluster.country_id) for cluster in touched}
    purge_profiles_written_in_bulk(
        addresses, about=f"the import of {len(touched)} clusters", written=touched
    )
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
