"""Cells an import once read as something else than their author wrote, now refused by name:
a value past the header's last CSV column, a number int() alone would take, a slug that
matches a cluster's in another case only, a UTF-8 file whose text is not UTF-8."""

import codecs

import pytest

from cms.clusters.importing import apply_import, preview_import
from cms.clusters.models import ClusterProfile
from cms.clusters.reading import read_table
from cms.clusters.spreadsheet import ImportFileError

HEADER = "slug,country,sectors,name_en,city_en,members"
BRNO = "brno-bio,CZ,food,Brno Bio Cluster,Brno,12"


def preview(*lines: str):
    content = ("\n".join([HEADER, *lines]) + "\n").encode()
    return preview_import(read_table(content, "clusters.csv"))


def test_a_text_with_the_separator_and_no_quotes_is_refused_naming_the_cell(db):
    """``Acme, Inc.`` split in two: every later cell moved one column, the last one dropped."""
    with pytest.raises(ImportFileError, match=r"clusters.csv: row 3, column G: a value in a"):
        preview(BRNO, "acme,CZ,food,Acme, Inc.,Brno,12")
    assert not ClusterProfile.objects.filter(slug__in=["brno-bio", "acme"]).exists()


def test_empty_cells_past_the_header_are_what_spreadsheets_write(db):
    result = preview(BRNO + ",,", "plzen-auto,CZ,food,Pilsen Auto,Plzen,40,")
    assert [row.action for row in result.rows] == ["create", "create"]


@pytest.mark.parametrize("members", ["1_000", "+5", "١٢", "1 000", "12.0"])
def test_only_digits_are_a_whole_number(db, members):
    """int() took ``1_000``, ``+5`` and Arabic-Indic digits: the export then wrote another cell."""
    (row,) = preview(f"brno-bio,CZ,food,Brno Bio Cluster,Brno,{members}").rows
    assert row.errors == [("members", f"“{members}” is not a whole number")]


def test_a_negative_number_is_out_of_range_not_malformed(db):
    (row,) = preview("brno-bio,CZ,food,Brno Bio Cluster,Brno,-5").rows
    assert row.errors == [("members", "must be between 0 and 10000000")]


def test_a_slug_in_another_case_is_refused_not_copied(db):
    apply_import(preview(BRNO))
    (row,) = preview("Brno-Bio,CZ,food,Brno Bio Cluster,Brno,13").rows
    assert row.action == "error"
    assert row.errors[0][0] == "slug" and "“brno-bio” of an existing cluster" in row.errors[0][1]
    stored = ClusterProfile.objects.filter(slug__iexact="brno-bio")
    assert list(stored.values_list("slug", "members")) == [("brno-bio", 12)]


def test_a_file_starting_with_utf8s_byte_order_mark_is_read_as_utf8(db):
    """A BOM, then Windows-1250 text: read as Windows-1250 the first column was
    "unknown column ď»żslug"; as UTF-8 the error names the row that is not."""
    content = codecs.BOM_UTF8 + f"{HEADER}\n{BRNO.replace('Brno', 'Plzeň')}\n".encode("cp1250")
    expected = r"clusters.csv: row 2, column name_en: the text is in none of the known"
    with pytest.raises(ImportFileError, match=expected):
        read_table(content, "clusters.csv")


def test_another_countrys_slug_in_another_case_is_not_named(db):
    """A Czech editor's row must not learn another country's slug, nor be told to update it."""
    apply_import(preview("bratislava-ict,SK,ict,Bratislava ICT,Bratislava,30"))
    content = f"{HEADER}\nBratislava-ICT,CZ,ict,Foo,Brno,1\n".encode()
    (row,) = preview_import(read_table(content, "clusters.csv"), allowed_countries={"CZ"}).rows
    assert row.errors == [("slug", "belongs to a cluster of another country")]


def test_a_stray_quote_is_refused_not_read_as_a_text_spanning_rows(db):
    """Read leniently, ``"Says ""hi`` opened a text that took the next rows into it: two
    clusters were never created and their CSV lines were published as a description."""
    with pytest.raises(ImportFileError, match=r"clusters.csv: row 3: not valid CSV"):
        preview(
            BRNO,
            'acme,CZ,food,Acme,Brno,"Says ""hi',
            "plzen-auto,CZ,food,Pilsen Auto,Plzen,40",
            'ostrava-it,CZ,ict,"Ostrava" IT,Ostrava,5',
        )


def test_a_value_under_an_empty_header_cell_is_refused_naming_it(db):
    """A header cell cleared by mistake (``name_cs``) dropped its column without a word."""
    content = f"slug,country,name_en,,city_en\n{BRNO.split(',')[0]},CZ,Brno,Brněnský,Brno\n"
    with pytest.raises(ImportFileError, match=r"clusters.csv: row 2, column D: a value in a col"):
        preview_import(read_table(content.encode(), "clusters.csv"))
    # Empty, it is a column nobody filled: read as before.
    content = content.replace("Brněnský", "")
    assert [row.action for row in preview_import(read_table(content.encode(), "x.csv")).rows] == [
        "create"
    ]
