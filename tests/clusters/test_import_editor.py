"""The import as a national partner meets it: files as their Excel saves them, messages in
their language naming the valid values, a preview that survives a failed confirm and says
what an update changes."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook

from cms.clusters.csv_reading import detect_encoding
from cms.clusters.importing import apply_import, preview_import
from cms.clusters.models import ClusterProfile, PendingImport
from cms.clusters.reading import read_table
from cms.clusters.spreadsheet import ImportFileError
from tests.factories import country_user

#: Profiles as partners write them: long descriptions, full of commas, so that the first 4 KB
#: of the file (what the separator is guessed from) end in the middle of a row.
LONG = "Plasty, formy a nástroje pro automobilový průmysl, obaly, recyklace. " * 25
ROWS = [
    ["slug", "country", "sectors", "name_en", "name_cs", "description_cs", "members"],
    ["zlin-plast", "CZ", "manufacturing", "Zlín Plastics", "Zlínský klastr", LONG, "12"],
    ["ostrava-eko", "CZ", "food", "Ostrava Eco", "Ostravský ekoklastr", "Čistá energie", ""],
    ["brno-ict", "CZ", "ict", "Brno ICT", "Brněnský klastr ICT", LONG, "30"],
    ["liberec-tex", "CZ", "manufacturing", "Liberec Textile", "Liberecký textil", LONG, "8"],
]


def csv_bytes(separator: str, encoding: str) -> bytes:
    """What Excel writes: its list separator, its encoding, quotes only where the separator is."""
    lines = []
    for row in ROWS:
        cells = [f'"{cell}"' if separator in cell else cell for cell in row]
        lines.append(separator.join(cells))
    content = ("\r\n".join(lines) + "\r\n").encode(encoding)
    assert len(content) > 4096  # longer than the part the separator is told from
    return content


def imported(content: bytes, name="clusters.csv"):
    preview = preview_import(read_table(content, name))
    assert preview.counts() == {"create": 4, "update": 0, "unchanged": 0, "error": 0}, [
        row.errors for row in preview.rows
    ]
    apply_import(preview)
    return ClusterProfile.objects.get(slug="zlin-plast")


def test_a_semicolon_csv_as_czech_excel_saves_it_imports(db):
    cluster = imported(csv_bytes(";", "utf-8"))
    assert (cluster.name_cs, cluster.members) == ("Zlínský klastr", 12)
    assert "Plasty, formy a nástroje" in cluster.description_cs  # commas stay in their cell


def test_blank_lines_and_emptied_rows_are_skipped(db):
    """Excel writes an emptied row as a line of separators, and files end in blank lines:
    each was a row of errors (no slug, no country, no name) that stopped the import."""
    content = csv_bytes(";", "utf-8")
    lines = content.split(b"\r\n")
    with_blanks = b"\r\n".join([*lines[:2], b";;;;;;", *lines[2:], b"", b" ; ;", b""])
    preview = preview_import(read_table(with_blanks, "clusters.csv"))
    assert preview.counts() == {"create": 4, "update": 0, "unchanged": 0, "error": 0}
    assert [row.number for row in preview.rows] == [2, 4, 5, 6]  # numbered as in the file


def test_a_tab_separated_file_imports(db):
    assert imported(csv_bytes("\t", "utf-8")).name_cs == "Zlínský klastr"


def test_a_utf8_file_with_a_bom_imports(db):
    """Excel's "CSV UTF-8": a BOM, and the list separator of the region (";" in Czechia)."""
    cluster = imported(csv_bytes(";", "utf-8-sig"))
    assert cluster.slug == "zlin-plast" and cluster.name_cs == "Zlínský klastr"


def test_a_windows_1250_file_as_older_excel_writes_it_imports(db):
    content = csv_bytes(";", "cp1250")
    assert not is_utf8(content)
    assert imported(content).name_cs == "Zlínský klastr"
    assert "Čistá energie" in ClusterProfile.objects.get(slug="ostrava-eko").description_cs


#: An Italian and an Austrian partner's lists, as their older Excel saves them (Windows-1252).
WESTERN_ROWS = [
    ["slug", "country", "sectors", "name_en", "name_it", "description_it"],
    ["torino-caffe", "IT", "food", "Turin Coffee", "Caffè Torino", "La città del caffè è qui."],
    ["milano-ict", "IT", "ict", "Milan ICT", "Attività digitali", "Più qualità per le imprese."],
]
GERMAN_ROWS = [
    ["slug", "country", "sectors", "name_en", "name_de", "description_de"],
    ["graz-food", "AT", "food", "Graz Food", "Süßwaren Österreich", "Lebensmittel für Straßen"],
]


def legacy_csv(rows, encoding: str) -> bytes:
    return ("\r\n".join(";".join(row) for row in rows) + "\r\n").encode(encoding)


def imports_as_written(content: bytes) -> None:
    preview = preview_import(read_table(content, "list.csv"))
    assert all(row.ok for row in preview.rows), [row.errors for row in preview.rows]
    apply_import(preview)


def test_a_windows_1252_file_as_italian_excel_writes_it_imports(db):
    """à, è, ù are Czech ŕ, č, ů in Windows-1250: read as 1250 the city would be "cittŕ"."""
    content = legacy_csv(WESTERN_ROWS, "cp1252")
    assert not is_utf8(content)
    imports_as_written(content)
    torino = ClusterProfile.objects.get(slug="torino-caffe")
    assert torino.name_it == "Caffè Torino"
    assert torino.description_it == "<p>La città del caffè è qui.</p>"  # rich text
    milano = ClusterProfile.objects.get(slug="milano-ict")
    assert milano.description_it == "<p>Più qualità per le imprese.</p>"


def test_a_windows_1252_file_as_german_excel_writes_it_imports(db):
    imports_as_written(legacy_csv(GERMAN_ROWS, "cp1252"))
    graz = ClusterProfile.objects.get(slug="graz-food")
    assert graz.name_de == "Süßwaren Österreich"
    assert graz.description_de == "<p>Lebensmittel für Straßen</p>"


def test_czech_polish_and_slovak_words_tell_windows_1250_from_1252(db):
    """The letters both encodings have (č/è, ě/ì, ň/ò, ů/ù) decide by their place in a word."""
    for rows in (
        [["slug", "country", "name_cs"], ["plzen", "CZ", "Město Plzeň, Děčín"]],
        [["slug", "country", "name_pl"], ["slask", "PL", "Śląski klaster żywności"]],
        [["slug", "country", "name_sk"], ["kosice", "SK", "Klaster ľahkého priemyslu"]],
    ):
        content = legacy_csv(rows, "cp1250")
        assert detect_encoding(content) == "cp1250"
        assert read_table(content, "list.csv")[0] == dict(zip(rows[0], rows[1], strict=True))
    italian = legacy_csv([["slug", "country", "name_it"], ["x", "IT", "Università"]], "cp1252")
    assert detect_encoding(italian) == "cp1252"


LATIN2_ROWS = [
    [
        ["slug", "country", "name_pl", "city_pl"],
        ["slask", "PL", "Śląski Klaster Żywności", "Świętochłowice"],
    ],
    [["slug", "country", "name_cs"], ["sumava", "CZ", "Šumavský klastr řemesel a šperků"]],
    [["slug", "country", "name_cs"], ["zatec", "CZ", "Žatecký chmel, šťastný obchod"]],
    [["slug", "country", "name_cs"], ["ceske", "CZ", "ěščřžýáíé"]],
    [["slug", "country", "name_sk"], ["kosice", "SK", "Košický klaster šťastných ľudí"]],
    [["slug", "country", "name_pl"], ["lodz", "PL", "Łódzki klaster, Kraków, Gdańsk, Poznań"]],
]


@pytest.mark.parametrize("rows", LATIN2_ROWS, ids=[rows[1][0] for rows in LATIN2_ROWS])
def test_an_iso_8859_2_file_reads_as_written(rows):
    """Read as Windows-1250, Śląski was "¦l±ski" and Czech ěščřž "ěąčřľ", marked ready and
    published without a word. (A file without any letter the two write differently, like
    the Łódź row, reads the same either way.)"""
    content = legacy_csv(rows, "iso-8859-2")
    assert read_table(content, "list.csv")[0] == dict(zip(rows[0], rows[1], strict=True))


WINDOWS_ROWS = [
    # ©, ®, ±, », ¶ as the signs they are.
    ("cp1250", ["znacka", "CZ", "Značka® s.r.o. © 2011, ±5 %, »Nové«"]),
    ("cp1250", ["firma", "CZ", "©firma a ®značka"]),
    # Slovak ľ (ISO-8859-2's ž) beside Czech ř.
    ("cp1250", ["polana", "SK", "Klaster Poľana, Třinec"]),
    # Italian ù and ì (ISO-8859-2's ů and ě).
    ("cp1252", ["citta", "IT", "Città più così, l'attività"]),
]


@pytest.mark.parametrize(("encoding", "row"), WINDOWS_ROWS, ids=[r[1][0] for r in WINDOWS_ROWS])
def test_windows_text_with_what_iso_8859_2_has_as_letters_stays_windows(encoding, row):
    rows = [["slug", "country", "name"], row]
    content = legacy_csv(rows, encoding)
    assert detect_encoding(content) == encoding


def is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_a_header_in_one_column_gets_a_hint_about_the_separator(db):
    workbook = Workbook()
    for row in ROWS:  # a CSV pasted into column A
        workbook.active.append([";".join(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    try:
        read_table(buffer.getvalue(), "pasted.xlsx")
    except ImportFileError as error:
        message = str(error)
    assert "unknown column slug;country;" in message
    assert "separated by “;”" in message


# --- errors name the valid values, sectors by name in any language --------------------


def test_an_unknown_sector_lists_the_valid_ones(db):
    rows = [{"slug": "x", "country": "CZ", "name_en": "X", "sectors": "mining"}]
    (row,) = preview_import(rows).rows
    assert row.errors == [
        (
            "sectors",
            "unknown sector “mining”; use one of: "
            "energy-environment, food, ict, manufacturing, tourism",
        )
    ]


def test_a_sector_may_be_named_in_any_language(db):
    rows = [
        {"slug": "x", "country": "CZ", "name_en": "X", "sectors": "Potravinářství; Tourismus"},
        {"slug": "y", "country": "SK", "name_en": "Y", "sectors": "výrobné technológie, ICT"},
    ]
    first, second = preview_import(rows).rows
    assert first.ok and first.sectors == ["food", "tourism"]
    assert second.ok and second.sectors == ["ict", "manufacturing"]


def test_another_country_lists_the_editors_own(db):
    rows = [{"slug": "x", "country": "SK", "name_en": "X"}, {"slug": "y", "country": "ZZ"}]
    first, second = preview_import(rows, allowed_countries={"CZ"}).rows
    assert ("country", "you may not import clusters of SK; use one of: CZ") in first.errors
    assert ("country", "unknown country “ZZ”; use one of: CZ") in second.errors


def test_a_row_of_another_country_is_told_only_what_is_wrong_with_it(db):
    """An Italian editor's Slovenian row named in Slovenian: refused for its country alone,
    not also for a name "missing in English" (the rule of no country)."""
    rows = [
        {"slug": "x", "country": "SI", "name_sl": "Grozd X"},
        {"slug": "y", "country": "ZZ", "name_sl": "Grozd Y"},
    ]
    first, second = preview_import(rows, allowed_countries={"IT"}).rows
    assert first.errors == [("country", "you may not import clusters of SI; use one of: IT")]
    assert second.errors == [("country", "unknown country “ZZ”; use one of: IT")]


def test_messages_are_in_czech_for_a_czech_editor(db):
    rows = [{"slug": "x", "country": "CZ", "name_en": "", "sectors": "mining", "members": "moc"}]
    with translation.override("cs"):
        (row,) = preview_import(rows).rows
        label = row.action_label
        try:
            read_table(b"slug;country;colour\n", "x.csv")
        except ImportFileError as error:
            header = str(error)
    errors = dict(row.errors)
    assert errors["sectors"].startswith("neznámé odvětví „mining“; použijte jedno z: ")
    assert errors["name_cs"] == (
        "název je povinný v hlavním jazyce tohoto webu (čeština) nebo v angličtině"
    )
    assert errors["members"] == "„moc“ není celé číslo"
    assert label == "chyba"
    assert header == "x.csv: neznámý sloupec colour"


# --- the admin: a failed confirm, the diff ---------------------------------------------

HEADER = "slug,country,sectors,name_en,name_cs,members,website\n"


def upload(client, text: str):
    file = SimpleUploadedFile("list.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post("/admin/clusters/import/", {"file": file})


def token_of(response) -> str:
    return response.content.decode().split('name="token" value="')[1].split('"')[0]


def test_a_failed_confirm_keeps_the_preview_and_the_upload(client, db):
    client.force_login(country_user("CZ"))
    preview = upload(client, HEADER + "good-cz,CZ,food,Good,Dobrý,,\nbad-cz,CZ,mining,Bad,,,\n")
    token = token_of(preview)
    refused = client.post("/admin/clusters/import/", {"token": token})  # no "skip" tick
    assert refused.status_code == 200
    assert refused.context["preview"].counts() == {
        "create": 1,
        "update": 0,
        "unchanged": 0,
        "error": 1,
    }
    assert token_of(refused) == token and PendingImport.objects.filter(token=token).exists()
    html = refused.content.decode()
    assert 'name="skip_invalid"' in html and "neznámé odvětví „mining“" in html
    with translation.override("cs"):  # the Czech editor's admin language
        message = translation.ngettext(
            "%(count)s row has errors; nothing was written. "
            "Fix it, or confirm to import only the valid rows.",
            "%(count)s rows have errors; nothing was written. "
            "Fix them, or confirm to import only the valid rows.",
            1,
        ) % {"count": 1}
    assert message.startswith("1 řádek obsahuje chyby")
    assert [str(m).strip() for m in refused.context["messages"]] == [message]
    assert not ClusterProfile.objects.filter(slug="good-cz").exists()
    done = client.post("/admin/clusters/import/", {"token": token, "skip_invalid": "1"})
    assert done.status_code == 302
    assert ClusterProfile.objects.filter(slug="good-cz").exists()
    assert not PendingImport.objects.filter(token=token).exists()


def test_a_second_confirmation_says_the_file_was_imported_not_that_it_expired(client, db):
    """A double click, or Back and Import again: the second answer asked to upload the file
    again ("expired"), as if the first had failed."""
    client.force_login(country_user("CZ"))
    token = token_of(upload(client, HEADER + "twice-cz,CZ,food,Twice,Dvakrát,,\n"))
    first = client.post("/admin/clusters/import/", {"token": token}, follow=True)
    assert [str(m).strip() for m in first.context["messages"]][0].startswith("Importováno: 1")
    again = client.post("/admin/clusters/import/", {"token": token}, follow=True)
    messages = [str(m).strip() for m in again.context["messages"]]
    assert messages == ["Tento soubor už byl naimportován; nic se znovu neprovedlo."]
    assert ClusterProfile.objects.filter(slug="twice-cz").count() == 1
    unknown = client.post("/admin/clusters/import/", {"token": "not-a-token"}, follow=True)
    assert [str(m).strip() for m in unknown.context["messages"]] == [
        "Platnost nahraného souboru vypršela; nahrajte jej prosím znovu."
    ]


def test_an_update_shows_old_and_new_of_the_changed_columns_only(client, db):
    client.force_login(country_user("CZ"))
    text = HEADER + "diff-cz,CZ,food,Diff cluster,Klastr rozdílů,10,https://example.org\n"
    client.post("/admin/clusters/import/", {"token": token_of(upload(client, text))})
    changed = text.replace(",10,", ",12,").replace("food", "food;ict")
    preview = upload(client, changed)
    (row,) = preview.context["preview"].rows
    assert row.action == "update"
    assert row.changes == [("members", "10", "12"), ("sectors", "food", "food, ict")]
    html = preview.content.decode()
    assert "<strong>members</strong>: <del>10</del> → <ins>12</ins>" in html
    assert "Klastr rozdílů" in html  # the name, in the Czech editor's language
    assert "<strong>name_en</strong>" not in html  # unchanged columns are not listed


def test_the_command_reads_a_windows_1250_semicolon_file(db, tmp_path):
    path = tmp_path / "klastry.csv"
    path.write_bytes(csv_bytes(";", "cp1250"))
    out = io.StringIO()
    call_command("import_clusters", str(path), "--commit", stdout=out)
    assert ClusterProfile.objects.get(slug="zlin-plast").name_cs == "Zlínský klastr"
