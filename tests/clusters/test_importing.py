"""Spreadsheet import of cluster directories: preview, per-row errors, idempotent re-import."""

import io

import pytest
from django.core.management import call_command

from cms.clusters.importing import (
    ImportFileError,
    apply_import,
    export_rows,
    preview_import,
    read_table,
    write_csv,
    write_xlsx,
)
from cms.clusters.models import ClusterProfile
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
        ("x3,CZ,food,,Jméno,,,,,", "name_en"),
        ("x4,XX,food,Name,,,,,,", "country"),
        ("x5,CZ,food,Name,,,,many,,", "members"),
        ("x6,CZ,food,Name,,,,,1066,", "founded"),
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
        (b"\xff\xfe\x00bad", "x.csv", "not UTF-8"),
        (b"not a zip", "x.xlsx", "not a readable XLSX"),
        (b"", "x.csv", "no header"),
    ],
)
def test_unreadable_files_get_a_clear_error(db, content, name, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(content, name)


# --- ready languages ------------------------------------------------------------------


def with_ready(*lines: str) -> bytes:
    return ("\n".join([HEADER + ",ready_languages", *lines]) + "\n").encode("utf-8")


def test_the_ready_column_says_which_translations_visitors_see(db):
    content = with_ready(GOOD[0] + ",", GOOD[1] + ",cs en")
    result = preview(content)
    assert result.ready_column and result.counts()["create"] == 2
    assert [row.published_languages for row in result.rows] == [["en"], ["en", "cs"]]
    apply_import(result)
    brno, plzen = (ClusterProfile.objects.get(slug=s) for s in ("brno-bio", "plzen-auto"))
    assert brno.ready_languages == [] and not ts.has_language(brno, "cs")  # complete, held back
    assert plzen.ready_languages == ["cs"] and ts.has_language(plzen, "cs")
    assert preview(content).counts()["unchanged"] == 2
    # Another spelling of the same languages is no change either.
    assert preview(with_ready(GOOD[0] + ",", GOOD[1] + ",CS")).counts()["unchanged"] == 2


def test_unticking_a_language_in_the_file_hides_it(db):
    apply_import(preview(csv_file(*GOOD)))
    result = preview(with_ready(GOOD[0] + ",", GOOD[1] + ",cs"))
    assert [row.action for row in result.rows] == ["update", "unchanged"]
    apply_import(result)
    assert ClusterProfile.objects.get(slug="brno-bio").ready_languages == []


@pytest.mark.parametrize(
    ("cell", "message"),
    [("cs xx", 'unknown language "xx"'), ('"cs,de"', "de is marked ready but name_de is empty")],
)
def test_ready_errors_name_the_row_and_column(db, cell, message):
    result = preview(with_ready(GOOD[0] + ",cs", GOOD[1] + "," + cell))
    (bad,) = result.invalid
    assert bad.number == 3 and bad.errors == [("ready_languages", message)]


def test_a_translation_imported_without_its_name_is_not_ready(db):
    line = "half,CZ,food,Half cluster,,Food,Jídlo,,,"  # Czech description, no Czech name
    apply_import(preview(csv_file(line)))
    half = ClusterProfile.objects.get(slug="half")
    assert half.ready_languages == [] and ts.status(half, "cs") == ts.PARTIAL


def test_export_writes_the_ready_languages(db):
    cluster = ClusterProfile.objects.filter(ready_languages__isnull=False).first()
    cluster.name_cs, cluster.ready_languages = "Klastr", ["cs"]
    cluster.save()
    header, *rows = export_rows(ClusterProfile.objects.filter(pk=cluster.pk))
    assert dict(zip(header, rows[0], strict=True))["ready_languages"] == "cs"


def test_the_benchmark_reimport_changes_nothing(db):
    """``bench_import`` (every language marked ready), small: the re-import writes nothing."""
    out = io.StringIO()
    call_command("bench_import", rows=30, stdout=out)
    assert (
        "re-import: {'created': 0, 'updated': 0, 'unchanged': 30, 'skipped': 0}" in out.getvalue()
    )
