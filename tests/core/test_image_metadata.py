"""A photo uploaded in the admin loses its EXIF, XMP and IPTC, but not its orientation.

Willow copies a JPEG's EXIF into every JPEG rendition: visitors and API consumers got the
GPS position a partner's photo was taken at, and its author, which its editor never saw.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cms.core.image_metadata import ORIENTATION
from cms.core.models import Country, CustomImage
from tests.factories import country_user

ARTIST, GPS = 0x013B, 0x8825


def phone_photo(kind: str = "JPEG", mode: str = "RGB") -> bytes:
    """A picture as a phone writes it: where, who, and which way up."""
    exif = Image.Exif()
    exif[ARTIST] = "Secret Photographer"
    exif[ORIENTATION] = 6
    exif.get_ifd(GPS).update({1: "N", 2: (50.0, 40.0, 12.0), 3: "E", 4: (14.0, 2.0, 3.0)})
    written = io.BytesIO()
    picture = Image.new(mode, (64, 48), (30, 120, 200))
    # A multi-picture JPEG has a second picture (a phone's depth map, a 3D view).
    more = {"save_all": True, "append_images": [picture.copy()]} if kind == "MPO" else {}
    picture.save(written, kind, exif=exif, **more)
    return written.getvalue()


def metadata(path_or_file) -> Image.Exif:
    with Image.open(path_or_file) as image:
        return image.getexif()


UPLOADS = [("/admin/images/add/", "file"), ("/admin/images/multiple/add/", "files[]")]
FORMATS = [
    ("JPEG", "RGB", "jpg"),
    ("PNG", "RGBA", "png"),
    ("WEBP", "RGB", "webp"),
    ("MPO", "RGB", "jpg"),
]


@pytest.mark.parametrize(("url", "field"), UPLOADS)
@pytest.mark.parametrize(("kind", "mode", "suffix"), FORMATS)
def test_an_uploaded_photo_keeps_only_its_orientation(client, db, url, field, kind, mode, suffix):
    client.force_login(country_user("CZ"))
    response = client.post(
        url,
        {
            "title": "Trip",
            "collection": str(Country.objects.get(code="CZ").collection.pk),
            field: SimpleUploadedFile(f"trip.{suffix}", phone_photo(kind, mode)),
        },
    )
    assert response.status_code in (200, 302)
    image = CustomImage.objects.get()
    stored = metadata(image.file.path)
    assert ARTIST not in stored and not stored.get_ifd(GPS)
    assert stored[ORIENTATION] == 6
    for spec in ("fill-32x32|format-jpeg", "fill-32x32|format-png", "fill-32x32|format-webp"):
        shown = metadata(image.get_rendition(spec).file.path)
        assert ARTIST not in shown and not shown.get_ifd(GPS), spec
    assert (image.width, image.height) == (64, 48)
