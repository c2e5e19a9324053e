"""Documents reach visitors only through Wagtail's view, which checks their collection's
privacy; no other address hands out their files (``cms.core.views.serve_media`` in
development, the reverse proxy in production: README, "Media")."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import CollectionViewRestriction

from cms.core.views import serve_media
from tests.core.test_media_isolation import make_document, make_image


@pytest.fixture
def document(db):
    return make_document("CZ", "Ustecke own minutes", "ustecke-vlastni.txt")


def test_a_private_document_is_served_only_after_its_collections_password(client, document):
    """A document in a password-protected collection: Wagtail's view asks for the password,
    and no other address hands out its file (the file under /media/ was public: a file name
    is easy to guess)."""
    CollectionViewRestriction.objects.create(
        collection=document.collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="minutes",
    )
    assert document.url.startswith("/documents/")  # links go through the view, never /media/
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"minutes of the meeting" not in b"".join(response)
    name = document.file.name  # documents/<file name>
    request = RequestFactory().get(f"/media/{name}")
    for path in (name, f"./{name}", f"images/../{name}", f"/{name}"):
        with pytest.raises(Http404):
            serve_media(request, path)
    image = make_image("CZ", "Krkonose own photo", "krkonose-vlastni.png").file.name
    assert serve_media(request, image).status_code == 200
