"""Import and export of cluster directories as CSV or XLSX spreadsheets.

National partners keep their cluster lists in spreadsheets: one row per
cluster, translated columns such as ``name_cs`` or ``description_de``. An
import is two steps. ``preview_import`` validates every row and says what
would happen (create, update, unchanged) or what is wrong, naming the row and
the column; nothing is written. ``apply_import`` then writes, and only when
the preview has no errors or the user has confirmed to take the valid rows.
The ``slug`` column is the stable key: re-importing the same file updates in
place and, when nothing changed, writes nothing.

Snippets have no drafts, so a partner imports what they mean to publish: the
optional ``ready_languages`` column (``cs en`` or ``cs,en``) says which
translations visitors may see, and without it every language that is
complete after the import is marked ready. Otherwise imported translations
would stay hidden behind the fallback until someone ticked each profile's
boxes (see ``cms.core.translation_status``).
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from html import unescape
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator, validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from cms.clusters.models import ClusterProfile
from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.core.models import Country, Sector
from cms.core.translation_status import is_filled, required_fields
from cms.search.indexing import backends, sync_objects

logger = logging.getLogger(__name__)

TRANSLATED = ("name", "region", "city", "description")
PLAIN = ("website", "email", "phone")
NUMBERS = {"members": (0, 10_000_000), "founded": (1800, 2100)}
READY = "ready_languages"
COLUMNS = (
    ["slug", "country", "sectors"]
    + [build_localized_fieldname(name, code) for name in TRANSLATED for code in LANGUAGE_CODES]
    + list(NUMBERS)
    + list(PLAIN)
    + [READY]
)
MAX_ROWS = 20_000
MAX_BYTES = 20 * 1024 * 1024


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, size, header)."""


@dataclass
class RowResult:
    number: int  # spreadsheet row number, the header being row 1
    slug: str
    action: str = ""  # "create", "update", "unchanged" or "error"
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    values: dict = field(default_factory=dict)
    sectors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

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


def read_table(content: bytes, filename: str) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as dicts keyed by the (lower-cased) header."""
    if len(content) > MAX_BYTES:
        raise ImportFileError(f"{filename}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        rows = _read_csv(content, filename)
    elif suffix == ".xlsx":
        rows = _read_xlsx(content, filename)
    else:
        raise ImportFileError(
            f"{filename}: unsupported file type {suffix or '(none)'}; use .csv or .xlsx"
        )
    if not rows:
        raise ImportFileError(f"{filename}: no header row")
    header = [str(cell or "").strip().lower() for cell in rows[0]]
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        raise ImportFileError(f"{filename}: unknown column(s) {', '.join(unknown)}")
    for required in ("slug", "country", build_localized_fieldname("name", COMMON_LANGUAGE)):
        if required not in header:
            raise ImportFileError(f"{filename}: missing column {required}")
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(f"{filename}: more than {MAX_ROWS} rows")
    return [
        {name: _cell(value) for name, value in zip(header, row, strict=False) if name}
        for row in rows[1:]
    ]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_csv(content: bytes, filename: str) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{filename}: not UTF-8 text ({error})") from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _read_xlsx(content: bytes, filename: str) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ImportFileError(f"{filename}: not a readable XLSX file ({error})") from error
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def preview_import(
    rows: list[dict[str, str]], *, allowed_countries: set[str] | None = None
) -> ImportPreview:
    """Validate every row and work out what applying it would do. Writes nothing.

    ``allowed_countries``: country codes the importing editor may write (None: all).
    """
    countries = {country.code: country for country in Country.objects.all()}
    sector_slugs = set(Sector.objects.values_list("slug", flat=True))
    existing = {
        cluster.slug: cluster
        for cluster in ClusterProfile.objects.filter(
            slug__in=[row.get("slug", "") for row in rows]
        ).prefetch_related("sectors")
    }
    # Short CSV lines lack trailing cells, so ask every row whether the header had the column.
    ready_column = any(READY in row for row in rows)
    results, seen = [], {}
    for number, row in enumerate(rows, start=2):
        result = validate_row(number, row, countries, sector_slugs, allowed_countries)
        validate_ready(result, row.get(READY, "") if ready_column else None)
        if result.slug in seen:
            result.errors.append(("slug", f"also used in row {seen[result.slug]}"))
        elif result.slug:
            seen[result.slug] = number
        current = existing.get(result.slug)
        if result.ok and current is not None and allowed_countries is not None:
            if current.country.code not in allowed_countries:
                result.errors.append(("slug", "belongs to a cluster of another country"))
        if not result.ok:
            result.action = "error"
        elif current is None:
            result.action = "create"
        else:
            result.action = "update" if differs(current, result) else "unchanged"
        results.append(result)
    return ImportPreview(rows=results, ready_column=ready_column)


def validate_row(number, row, countries, sector_slugs, allowed_countries) -> RowResult:
    result = RowResult(number=number, slug=row.get("slug", ""))
    errors = result.errors
    try:
        validate_slug(result.slug)
    except ValidationError:
        errors.append(("slug", f"{result.slug!r} is not a valid key (letters, digits, - and _)"))
    code = row.get("country", "").upper()
    if code not in countries or countries[code].is_hub:
        errors.append(("country", f"unknown country {row.get('country', '')!r}"))
    elif allowed_countries is not None and code not in allowed_countries:
        errors.append(("country", f"you may not import clusters of {code}"))
    else:
        result.values["country"] = countries[code]
    name_en = build_localized_fieldname("name", COMMON_LANGUAGE)
    if not row.get(name_en):
        errors.append((name_en, "the English name is required"))
    for name in TRANSLATED:
        for language in LANGUAGE_CODES:
            column = build_localized_fieldname(name, language)
            value = row.get(column, "")
            limit = (
                0 if name == "description" else ClusterProfile._meta.get_field(column).max_length
            )
            if limit and len(value) > limit:
                errors.append((column, f"longer than {limit} characters"))
            result.values[column] = value  # descriptions: plain text, see differs()/apply
    sectors = [
        slug.strip() for slug in row.get("sectors", "").replace(",", ";").split(";") if slug.strip()
    ]
    for slug in sectors:
        if slug not in sector_slugs:
            errors.append(("sectors", f"unknown sector {slug!r}"))
    result.sectors = sorted(set(sectors))
    for column, (low, high) in NUMBERS.items():
        value = row.get(column, "")
        if not value:
            result.values[column] = None
            continue
        try:
            number_value = int(value)
        except ValueError:
            errors.append((column, f"{value!r} is not a whole number"))
            continue
        if not low <= number_value <= high:
            errors.append((column, f"must be between {low} and {high}"))
        result.values[column] = number_value
    for column, validator in (
        ("website", URLValidator(schemes=["http", "https"])),
        ("email", EmailValidator()),
    ):
        value = row.get(column, "")
        if value:
            try:
                validator(value)
            except ValidationError:
                errors.append((column, f"{value!r} is not a valid {column}"))
        result.values[column] = value
    result.values["phone"] = row.get("phone", "")[:50]
    return result


def complete_in(result: RowResult, language: str) -> bool:
    """Is the row's cluster complete in ``language`` once imported (``status == COMPLETE``)?

    The row sets every translated column (a missing column blanks it), so its
    values alone decide.
    """
    return all(
        is_filled(result.values.get(build_localized_fieldname(name, language)))
        for name in required_fields(ClusterProfile)
    )


def parse_ready(cell: str) -> list[str]:
    """``"cs en"``, ``"cs,en"`` or ``"cs; en"`` → ``["cs", "en"]`` (lower-cased, in order)."""
    return [code for code in cell.lower().replace(",", " ").replace(";", " ").split() if code]


def normal_ready(codes) -> list[str]:
    """Ready languages as stored: no duplicates, no common language, in site order.

    One spelling for one meaning, so an unchanged row compares equal and a
    re-import writes nothing whatever order the cell or the form used.
    """
    wanted = set(codes or ())
    return [code for code in LANGUAGE_CODES if code in wanted and code != COMMON_LANGUAGE]


def validate_ready(result: RowResult, cell: str | None) -> None:
    """Set the row's ready languages: the cell's, or (``cell`` None: no column) the complete ones.

    English, the common language, is always ready; naming it is allowed and
    changes nothing. A language named ready must be complete, as in the edit
    form: visitors would otherwise see a half-translated profile.
    """
    if cell is None:
        result.values[READY] = [
            code for code in LANGUAGE_CODES if code != COMMON_LANGUAGE and complete_in(result, code)
        ]
        return
    codes = parse_ready(cell)
    for code in codes:
        if code not in LANGUAGE_CODES:
            result.errors.append((READY, _('unknown language "%(code)s"') % {"code": code}))
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


def current_value(cluster: ClusterProfile, name: str):
    """A field as the spreadsheet sees it: descriptions (rich text) as plain text."""
    value = getattr(cluster, name, None)  # None for a new cluster's country
    if name == READY:
        return normal_ready(value)
    return _plain(value) if name.startswith("description_") else value


def differs(cluster: ClusterProfile, row: RowResult) -> bool:
    for name, value in row.values.items():
        if current_value(cluster, name) != value:
            return True
    return sorted(sector.slug for sector in cluster.sectors.all()) != row.sectors


def assign_row(cluster: ClusterProfile, row: RowResult) -> None:
    """Set the row's values; a description is only replaced when its text changed,
    so formatting added in the admin survives a round trip through a spreadsheet."""
    for name, value in row.values.items():
        if current_value(cluster, name) == value:
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
        raise ImportFileError(
            f"{len(preview.invalid)} row(s) have errors; nothing was written. "
            "Fix them, or confirm to import only the valid rows."
        )
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
    Through.objects.filter(clusterprofile_id__in=[c.pk for c in updated]).delete()
    Through.objects.bulk_create(
        [
            Through(clusterprofile_id=cluster.pk, sector_id=sectors[slug])
            for cluster in touched
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


def export_rows(queryset) -> list[list]:
    """The header and one row per cluster, in the import format."""
    rows = [list(COLUMNS)]
    for cluster in queryset.select_related("country").prefetch_related("sectors").order_by("slug"):
        row = []
        for column in COLUMNS:
            if column == "country":
                row.append(cluster.country.code)
            elif column == "sectors":
                row.append(";".join(sorted(sector.slug for sector in cluster.sectors.all())))
            elif column.startswith("description_"):
                row.append(_plain(getattr(cluster, column)))
            elif column == READY:
                row.append(" ".join(normal_ready(cluster.ready_languages)))
            else:
                value = getattr(cluster, column)
                row.append("" if value is None else value)
        rows.append(row)
    return rows


def _plain(html: str) -> str:
    return unescape(strip_tags(html or "")).strip()


def write_csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("clusters")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
