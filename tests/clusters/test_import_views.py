"""The admin import: upload, per-row preview, confirm; own country only."""

import csv
import io

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from openpyxl import load_workbook

from cms.clusters.confirmation import refusal
from cms.clusters.models import ClusterProfile, PendingImport
from cms.clusters.reading import read_table
from cms.core.models import Country
from cms.partners.models import ContactPerson
from tests.core.test_concurrent_edits import edit_url, opened
from tests.factories import country_user, logged_in

HEADER = "slug,country,sectors,name_en,name_cs,website\n"


def upload(client, text: str, name="list.csv"):
    return client.post(
        "/admin/clusters/import/",
        {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")},
    )


def czech(message: str, **values) -> str:
    """A message as the Czech editor reads it (their admin language)."""
    with translation.override("cs"):
        return gettext(message) % values


def token_of(response) -> str:
    html = response.content.decode()
    return html.split('name="token" value="')[1].split('"')[0]


def test_editor_previews_then_confirms(client, db):
    client.force_login(country_user("CZ"))
    preview = upload(client, HEADER + "new-cz,CZ,food,New CZ,Nový CZ,https://example.org\n")
    assert preview.status_code == 200
    assert not ClusterProfile.objects.filter(slug="new-cz").exists()  # preview writes nothing
    html = preview.content.decode()
    assert "create" in html
    with translation.override("cs"):  # the Czech editor's admin language
        heading = gettext("Ready to publish")
    assert heading in html and "<td>en cs</td>" in html  # no column: complete = ready
    confirmed = client.post("/admin/clusters/import/", {"token": token_of(preview)})
    assert confirmed.status_code == 302
    created = ClusterProfile.objects.get(slug="new-cz")
    assert (created.name_cs, created.ready_languages) == ("Nový CZ", ["cs"])


def test_preview_names_row_and_column_and_another_country_is_refused(client, db):
    client.force_login(country_user("CZ"))
    text = HEADER + "ok-cz,CZ,food,Ok,,\nsk-row,SK,food,Slovak,,\nbad-url,CZ,food,Bad,,nope\n"
    html = upload(client, text).content.decode()
    refused = czech(
        "you may not import clusters of %(code)s; use one of: %(valid)s", code="SK", valid="CZ"
    )
    assert f"<strong>country</strong>: {refused}" in html
    assert "<strong>website</strong>" in html
    response = client.post("/admin/clusters/import/", {"token": token_of(upload(client, text))})
    assert response.status_code == 200  # the preview again, with the message (no "skip" tick)
    assert not ClusterProfile.objects.filter(slug__in=["ok-cz", "sk-row", "bad-url"]).exists()


def test_export_contains_only_own_country(client, db):
    client.force_login(country_user("SK"))
    response = client.get("/admin/clusters/export/?format=csv")
    assert response.status_code == 200
    rows = read_table(response.content, "export.csv")
    assert rows and {row["country"] for row in rows} == {"SK"}


def test_users_without_cluster_rights_are_refused(client, db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("nobody", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/clusters/import/").status_code in (302, 403)
    assert client.get("/admin/clusters/export/").status_code in (302, 403)


# --- limits, and the upload kept for every app server ------------------------------------


def form_errors(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get("file", []))


def test_a_huge_cell_is_a_form_error_naming_row_and_column(client, db):
    client.force_login(country_user("CZ"))
    text = HEADER + "ok-cz,CZ,food,Ok,,\nhuge,CZ,food,Huge," + "x" * 200_000 + ",\n"
    errors = form_errors(upload(client, text))
    problem = czech("longer than %(limit)s characters", limit=32767)
    where = "%(file)s: row %(row)s, column %(column)s: %(problem)s"
    assert czech(where, file="list.csv", row=3, column="name_cs", problem=problem) in errors
    assert not PendingImport.objects.exists()


def test_a_nul_byte_is_a_form_error_naming_row_and_column(client, db):
    client.force_login(country_user("CZ"))
    errors = form_errors(upload(client, HEADER + "nul,CZ,food,Nul\x00,,\n"))
    problem = czech("contains a NUL byte (is the file really text?)")
    where = "%(file)s: row %(row)s, column %(column)s: %(problem)s"
    assert czech(where, file="list.csv", row=2, column="name_en", problem=problem) in errors


def test_a_file_over_the_byte_limit_is_refused(client, db):
    client.force_login(country_user("CZ"))
    text = HEADER + "big,CZ,food,Big,,\n" + " " * (10 * 1024 * 1024)
    too_large = czech("%(file)s: larger than %(megabytes)s MB", file="list.csv", megabytes=10)
    assert too_large in form_errors(upload(client, text))
    assert not PendingImport.objects.exists()


def test_the_confirmation_works_without_the_cache(client, db):
    """Another app server has another cache: the upload waits in the database."""
    client.force_login(country_user("CZ"))
    token = token_of(upload(client, HEADER + "anywhere,CZ,food,Anywhere,,\n"))
    cache.clear()
    assert client.post("/admin/clusters/import/", {"token": token}).status_code == 302
    assert ClusterProfile.objects.filter(slug="anywhere").exists()
    assert not PendingImport.objects.filter(token=token).exists()  # imported once


def test_only_the_uploader_may_confirm(client, db):
    owner, other = country_user("CZ"), country_user("CZ")
    client.force_login(owner)
    token = token_of(upload(client, HEADER + "mine,CZ,food,Mine,,\n"))
    client.force_login(other)
    refused = client.post("/admin/clusters/import/", {"token": token}, follow=True)
    with translation.override("cs"):  # the editor's admin language
        expired = gettext("The upload has expired; please upload the file again.")
    assert [str(message).strip() for message in refused.context["messages"]] == [expired]
    assert not ClusterProfile.objects.filter(slug="mine").exists()
    client.force_login(owner)
    client.post("/admin/clusters/import/", {"token": token})
    assert ClusterProfile.objects.filter(slug="mine").exists()


def test_an_expired_upload_is_refused_and_deleted(client, db):
    client.force_login(country_user("CZ"))
    token = token_of(upload(client, HEADER + "late,CZ,food,Late,,\n"))
    PendingImport.objects.update(created_at=timezone.now() - PendingImport.LIFETIME)
    client.post("/admin/clusters/import/", {"token": token})
    assert not ClusterProfile.objects.filter(slug="late").exists()
    assert not PendingImport.objects.exists()


def test_the_xlsx_export_uploads_back_unchanged_with_formula_text(client, db):
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    cluster.name_en = '=HYPERLINK("http://evil.example","x")'
    cluster.save()
    client.force_login(country_user("CZ"))
    exported = client.get("/admin/clusters/export/").content
    cells = {c.value: c for c in load_workbook(io.BytesIO(exported)).worksheets[0]["D"]}
    assert cells["'" + cluster.name_en].data_type == "s"
    preview = client.post(
        "/admin/clusters/import/", {"file": SimpleUploadedFile("clusters.xlsx", exported)}
    )
    counts = preview.context["counts"]
    assert counts["unchanged"] == ClusterProfile.objects.filter(country__code="CZ").count()
    assert counts["create"] == counts["update"] == counts["error"] == 0


# --- the confirmation writes what the preview showed, or nothing -------------------------


def exported_with(client, slug: str, **cells) -> bytes:
    """The admin's CSV export with cells of one row changed, as the editor's spreadsheet
    saves it again (the cells exactly as exported otherwise)."""
    content = client.get("/admin/clusters/export/?format=csv").content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("slug")] == slug:
            for column, value in cells.items():
                row[header.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def upload_file(client, content: bytes, name="clusters.csv"):
    return client.post("/admin/clusters/import/", {"file": SimpleUploadedFile(name, content)})


def updates(response) -> dict[str, list]:
    return {row.slug: row.changes for row in response.context["preview"].rows if row.changes}


def changed_message(*clusters: str) -> str:
    """The refusal, as the Czech editor reads it."""
    with translation.override("cs"):
        return refusal(list(clusters))


def messages_of(response) -> list[str]:
    return [str(message).strip() for message in response.context["messages"]]


def test_a_rename_saved_between_preview_and_confirm_is_not_put_back(client, db):
    """The reviewer's case: A exports, changes one website and previews; B renames the
    cluster in the edit form; A's confirmation would have written the website and the
    file's old name. It writes nothing and shows the new preview; confirming that one
    (A has now seen the rename go) applies it."""
    cluster = ClusterProfile.objects.filter(country__code="CZ").exclude(name_cs="").first()
    old_name, old_website = cluster.name_en, cluster.website
    client.force_login(country_user("CZ"))
    preview = upload_file(client, exported_with(client, cluster.slug, website="https://new.cz/"))
    assert updates(preview) == {cluster.slug: [("website", old_website, "https://new.cz/")]}
    token = token_of(preview)

    editor_b = logged_in(country_user("CZ", "moderators"))
    form = opened(editor_b, edit_url(cluster))
    form["name_en"] = ["Renamed by editor 2 meanwhile"]
    assert editor_b.post(edit_url(cluster), form).status_code == 302

    refused = client.post("/admin/clusters/import/", {"token": token})
    assert refused.status_code == 200
    cluster.refresh_from_db()
    assert (cluster.name_en, cluster.website) == ("Renamed by editor 2 meanwhile", old_website)
    assert updates(refused) == {
        cluster.slug: [
            ("name_en", "Renamed by editor 2 meanwhile", old_name),
            ("website", old_website, "https://new.cz/"),
        ]
    }
    with translation.override("cs"):
        item = gettext("%(cluster)s (columns %(columns)s)") % {
            "cluster": cluster.slug,
            "columns": "name_en",
        }
    assert messages_of(refused) == [changed_message(item)]
    assert messages_of(refused)[0].startswith("Nic nebylo zapsáno")  # in the editor's language
    assert "<strong>name_en</strong>" in refused.content.decode()
    assert token_of(refused) == token

    done = client.post("/admin/clusters/import/", {"token": token})
    assert done.status_code == 302
    cluster.refresh_from_db()
    assert (cluster.name_en, cluster.website) == (old_name, "https://new.cz/")
    assert not PendingImport.objects.filter(token=token).exists()


def test_formatting_added_between_preview_and_confirm_is_not_dropped_unseen(client, db):
    """B made a word of the description bold: its text, all the preview compares, stayed
    the same, and A's import replaced it with plain text, with no warning at either step."""
    cluster = ClusterProfile.objects.filter(country__code="CZ").first()
    cluster.description_en = "<p>Software companies.</p>"
    cluster.save()
    client.force_login(country_user("CZ"))
    content = exported_with(client, cluster.slug, description_en="Software firms.")
    token = token_of(upload_file(client, content))
    cluster.description_en = "<p><b>Software</b> companies.</p>"
    cluster.save()

    refused = client.post("/admin/clusters/import/", {"token": token})
    assert refused.status_code == 200
    cluster.refresh_from_db()
    assert "<b>Software</b>" in cluster.description_en
    assert "description_en" in messages_of(refused)[0]


def test_an_edit_the_file_does_not_touch_does_not_stop_the_import(client, db):
    """The ordinary confirmation of an update writes the previewed change only; a save
    meanwhile of what the file leaves alone (the contact person, not a column) and of
    what it would not change anyway changes nothing the editor saw."""
    cluster = ClusterProfile.objects.filter(country__code="CZ").exclude(name_cs="").first()
    client.force_login(country_user("CZ"))
    token = token_of(
        upload_file(client, exported_with(client, cluster.slug, website="https://new.cz/"))
    )
    contact = ContactPerson.objects.create(
        name="Jana Nováková", slug="jana", country=cluster.country
    )
    cluster.contact = contact
    cluster.save()

    done = client.post("/admin/clusters/import/", {"token": token})
    assert done.status_code == 302, messages_of(done)
    cluster.refresh_from_db()
    assert (cluster.website, cluster.contact) == ("https://new.cz/", contact)


def test_a_cluster_created_between_preview_and_confirm_is_not_overwritten(client, db):
    client.force_login(country_user("CZ"))
    token = token_of(upload(client, HEADER + "twice,CZ,food,From the file,Ze souboru,\n"))
    ClusterProfile.objects.create(
        slug="twice", country=Country.objects.get(code="CZ"), name_en="Saved", name_cs="Uložený"
    )

    refused = client.post("/admin/clusters/import/", {"token": token})
    assert refused.status_code == 200
    with translation.override("cs"):
        item = gettext("%(cluster)s (now: %(action)s)") % {
            "cluster": "twice",
            "action": pgettext("import action", "update"),
        }
    assert messages_of(refused) == [changed_message(item)]
    assert ClusterProfile.objects.get(slug="twice").name_en == "Saved"

    assert client.post("/admin/clusters/import/", {"token": token}).status_code == 302
    assert ClusterProfile.objects.get(slug="twice").name_en == "From the file"


# --- an old export: which updates would undo an edit saved since ------------------------


def test_an_old_export_says_which_updates_would_undo_an_edit_saved_since(client, db):
    """The export writes when each cluster was saved (``updated_at``); a cluster saved after
    that is marked in the preview: its "old" value may be the edit the file would undo."""
    renamed, edited = ClusterProfile.objects.filter(country__code="CZ").exclude(name_cs="")[:2]
    client.force_login(country_user("CZ"))
    old_export = exported_with(client, edited.slug, website="https://edited.cz/")
    renamed.name_en = "Renamed in the admin"
    renamed.save()
    renamed.refresh_from_db()

    preview = upload_file(client, old_export)
    rows = {row.slug: row for row in preview.context["preview"].rows if row.changes}
    assert set(rows) == {renamed.slug, edited.slug}
    assert rows[renamed.slug].changes[0][:2] == ("name_en", "Renamed in the admin")
    assert rows[renamed.slug].saved_since_export == renamed.updated_at
    assert rows[edited.slug].saved_since_export is None  # the file's own edit
    html = preview.content.decode()
    assert html.count('class="import-saved-since"') == 1
    assert "Uloženo v CMS" in html  # in the editor's language


def test_a_file_without_the_updated_at_column_still_imports(client, db):
    """Files written before the column (and hand-made ones) import as before, unmarked."""
    cluster = ClusterProfile.objects.filter(country__code="CZ").exclude(name_cs="").first()
    client.force_login(country_user("CZ"))
    content = exported_with(client, cluster.slug, website="https://edited.cz/")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    without = [row[:-1] for row in rows]
    assert rows[0][-1] == "updated_at"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(without)
    cluster.name_en = "Renamed in the admin"
    cluster.save()

    preview = upload_file(client, buffer.getvalue().encode("utf-8-sig"))
    (row,) = [row for row in preview.context["preview"].rows if row.changes]
    assert row.saved_since_export is None
    assert client.post("/admin/clusters/import/", {"token": token_of(preview)}).status_code == 302
    cluster.refresh_from_db()
    assert cluster.website == "https://edited.cz/"


# --- a file of some columns -----------------------------------------------------------------


def test_a_file_of_some_columns_previews_and_writes_only_those(client, db):
    """The reviewer's case in the admin: a file of ``slug,country,name_en`` previewed every
    other column as emptied and the confirmation wrote that; now it changes ``name_en``."""
    from tests.clusters.test_importing import full_slovak_cluster, snapshot

    cluster = full_slovak_cluster()
    before = snapshot(cluster)
    client.force_login(country_user("SK"))
    preview = upload(client, f"slug,country,name_en\n{cluster.slug},SK,Kosice IT Cluster\n")
    assert updates(preview) == {cluster.slug: [("name_en", "Kosice IT", "Kosice IT Cluster")]}
    assert client.post("/admin/clusters/import/", {"token": token_of(preview)}).status_code == 302
    assert snapshot(cluster) == {
        **before,
        "name_en": "Kosice IT Cluster",
        "name": "Kosice IT Cluster",
    }


def test_an_unreadable_xlsx_is_refused_in_the_editors_words(client, db):
    """The reader's own explanation ("File is not a zip file") was shown in brackets, in
    English, in the middle of the Czech refusal."""
    client.force_login(country_user("CZ"))
    file = SimpleUploadedFile("seznam.xlsx", b"not a zip", content_type="application/zip")
    html = client.post("/admin/clusters/import/", {"file": file}).content.decode()
    assert "seznam.xlsx: nečitelný soubor XLSX. Uložte jej v tabulkovém programu" in html
    assert "zip file" not in html
