"""The admin import: upload, per-row preview, confirm; own country only."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from cms.clusters.importing import read_table
from cms.clusters.models import ClusterProfile
from tests.factories import country_user

HEADER = "slug,country,sectors,name_en,name_cs,website\n"


def upload(client, text: str, name="list.csv"):
    return client.post(
        "/admin/clusters/import/",
        {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")},
    )


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
    assert "<strong>country</strong>: you may not import clusters of SK" in html
    assert "<strong>website</strong>" in html
    response = client.post("/admin/clusters/import/", {"token": token_of(upload(client, text))})
    assert response.status_code == 302
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
