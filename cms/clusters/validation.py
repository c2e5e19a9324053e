"""Validation of the rows of a cluster import, cell by cell.

Each row of a spreadsheet is checked on its own (``validate_row``, ``validate_ready``):
the slug, the country the editor may import, the names each site and the network
require, sectors by any of their names, numbers, addresses, lengths, the ready
languages and the export's ``updated_at``. Every error names its column and, where
there is a list, the valid values, so that an editor can fix the file without asking.
The outcome is a ``RowResult``.

Kept apart from ``cms.clusters.importing``, which compares the valid rows with the
stored clusters and writes them: what a row may hold is one question, what importing
it changes is another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator, validate_slug
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from cms.clusters.models import ClusterProfile, this_year
from cms.clusters.spreadsheet import (
    NUMBERS,
    READY,
    TRANSLATED,
    UPDATED,
    longer_than,
    normal_ready,
    parse_ready,
)
from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.core.models import Sector
from cms.core.publication import language_label, required_by_the_network
from cms.core.translation_status import LanguageRule, is_filled, required_fields

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
    #: The changed descriptions whose links, bold or lists the import drops (plain text).
    reformatted: list[str] = field(default_factory=list)
    #: For each changed description: the stored rich text it replaces, formatting included.
    stored_text: dict[str, str] = field(default_factory=dict)
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


#: A whole number as the export writes one: int() also takes "1_000", "+5" and other
#: scripts' digits ("١٢").
WHOLE_NUMBER = re.compile(r"-?[0-9]+")


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
    named = countries.get(code)
    if named is not None and not named.is_hub:
        # The named country's rule even where the editor may not import it: an Italian
        # editor's Slovenian row was also told its name was missing in English.
        errors.extend(name_errors(row, named))
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
        high = this_year() if high is None else high
        value = row.get(column, "")
        if not value:
            result.values[column] = None
            continue
        if not WHOLE_NUMBER.fullmatch(value):
            errors.append((column, _("“%(value)s” is not a whole number") % {"value": value}))
            continue
        number_value = int(value)
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
            errors.append((column, required_by_the_network(language_label(code))))
    return errors


def complete_in(result: RowResult, language: str) -> bool:
    """Is the row's cluster complete in ``language`` once imported (``status == COMPLETE``)?

    The row's values are the cluster as imported (a column the file lacks has the
    stored value, ``cms.clusters.importing.stored_cells``), so they alone decide.
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
