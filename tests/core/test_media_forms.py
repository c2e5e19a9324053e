"""The document form gives one reason per refused upload: the file field's."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Collection

from tests.factories import logged_in, network_admin

ALLOWED = "File extension"


@pytest.fixture
def admin_client(db):
    return logged_in(network_admin())


def upload(client, name: str, content: bytes) -> tuple[list[str], str]:
    """The add form's errors on ``file`` and the multiple uploader's error message."""
    collection = Collection.get_first_root_node().pk
    added = client.post(
        "/admin/documents/add/",
        {"title": "Programme", "collection": collection, "file": SimpleUploadedFile(name, content)},
    )
    multiple = client.post(
        "/admin/documents/multiple/add/",
        {"collection": collection, "files[]": SimpleUploadedFile(name, content)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    return added.context["form"].errors["file"], json.loads(multiple.content)["error_message"]


def test_an_empty_file_is_refused_as_empty_only(admin_client):
    errors, message = upload(admin_client, "programme.pdf", b"")
    assert errors == ["The submitted file is empty."]
    assert message == "The submitted file is empty."


def test_a_file_of_a_refused_type_is_refused_for_its_extension(admin_client):
    errors, message = upload(admin_client, "programme.exe", b"MZ")
    assert len(errors) == 1 and errors[0].startswith(f"{ALLOWED} “exe” is not allowed")
    assert message.startswith(f"{ALLOWED} “exe” is not allowed")
