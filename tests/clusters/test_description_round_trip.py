"""A description through a spreadsheet and back: paragraphs and line breaks kept, and the
preview saying when a change drops formatting a cell cannot hold.

The export ran the paragraphs together ("První odstavec.Druhý"), and an import of a changed
cell made the whole text one paragraph; a link or bold text went without a word.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from cms.clusters.exporting import export_rows, write_csv
from cms.clusters.importing import apply_import, preview_import
from cms.clusters.models import ClusterProfile
from cms.clusters.reading import read_table
from tests.factories import network_admin

STORED = (
    '<p data-block-key="a1">První odstavec.</p>'
    '<p data-block-key="b2">Druhý <a href="https://x.cz">odkaz</a> a <b>tučně</b>.<br/>'
    "Nový řádek &amp; víc.</p>"
)


def exported(cluster) -> bytes:
    return write_csv(export_rows(ClusterProfile.objects.filter(pk=cluster.pk)))


def previewed(content: bytes):
    return preview_import(read_table(content, "clusters.csv"), allowed_countries=None)


def test_paragraphs_and_line_breaks_survive_a_round_trip(db):
    cluster = ClusterProfile.objects.get(slug="it-klastr-usti")
    cluster.description_cs = STORED
    cluster.save()
    content = exported(cluster)
    assert "První odstavec.\n\nDruhý odkaz a tučně.\nNový řádek & víc." in content.decode(
        "utf-8-sig"
    ).replace("\r\n", "\n")

    unchanged = previewed(content)
    assert [row.action for row in unchanged.rows] == ["unchanged"]

    edited = previewed(content.replace("víc.".encode(), "více.".encode()))
    (row,) = edited.rows
    assert row.action == "update" and row.reformatted == ["description_cs"]
    apply_import(edited)
    cluster.refresh_from_db()
    assert cluster.description_cs == (
        "<p>První odstavec.</p><p>Druhý odkaz a tučně.<br/>Nový řádek &amp; více.</p>"
    )
    # Now plain paragraphs: a change of them drops nothing, and says nothing.
    again = previewed(exported(cluster).replace("více.".encode(), "ještě víc.".encode()))
    assert again.rows[0].reformatted == []


def test_the_preview_warns_of_the_formatting_a_change_drops(client, db):
    cluster = ClusterProfile.objects.get(slug="it-klastr-usti")
    cluster.description_cs = STORED
    cluster.save()
    content = exported(cluster).replace("víc.".encode(), "více.".encode())
    client.force_login(network_admin())
    file = SimpleUploadedFile("clusters.csv", content, content_type="text/csv")
    response = client.post("/admin/clusters/import/", {"file": file})
    assert response.status_code == 200
    assert "description_cs: its links, bold text and lists are not in the spreadsheet" in (
        response.content.decode()
    )
