"""The import's ``ready_languages`` column: which translations of a cluster visitors see."""

import pytest

from cms.clusters.exporting import export_rows
from cms.clusters.importing import apply_import
from cms.clusters.models import ClusterProfile
from cms.core import translation_status as ts
from tests.clusters.test_importing import GOOD, HEADER, csv_file, preview


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
    [
        ("cs xx", 'unknown language "xx"; use one of: en, cs, de, it, pl, sk, sl'),
        ('"cs,de"', "de is marked ready but name_de is empty"),
    ],
)
def test_ready_errors_name_the_row_and_column(db, cell, message):
    result = preview(with_ready(GOOD[0] + ",cs", GOOD[1] + "," + cell))
    (bad,) = result.invalid
    assert bad.number == 3 and bad.errors == [("ready_languages", message)]


def test_a_row_visitors_would_find_in_no_language_is_an_error(db):
    """Czech only, Czech held back, no English: the directory would show a nameless card."""
    result = preview(with_ready("jen-cesky,CZ,food,,Jen česky,,,,,,"))
    (bad,) = result.invalid
    assert bad.errors == [
        (
            "ready_languages",
            "visitors would find this cluster in no language: mark a complete language "
            "ready here, or fill in name_en",
        )
    ]


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
