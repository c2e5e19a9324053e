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


def test_an_animation_keeps_every_frame_and_its_timing(client, db):
    """Written again without its EXIF, an animated WebP kept its first frame only."""
    kind = "WEBP"
    exif = Image.Exif()
    exif[ARTIST] = "Secret Photographer"
    frames = [Image.new("RGB", (32, 24), colour) for colour in ("red", "green", "blue")]
    written = io.BytesIO()
    frames[0].save(
        written,
        kind,
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        exif=exif,
    )
    client.force_login(country_user("CZ"))
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Banner",
            "collection": str(Country.objects.get(code="CZ").collection.pk),
            "file": SimpleUploadedFile(f"banner.{kind.lower()}", written.getvalue()),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    with Image.open(CustomImage.objects.get().file.path) as stored:
        assert stored.n_frames == 3 and ARTIST not in stored.getexif()
        durations = []
        for index in range(3):
            stored.seek(index)
            stored.load()  # WebP reads a frame's duration with the frame
            durations.append(stored.info["duration"])
    assert durations == [100, 200, 300]


@pytest.mark.parametrize(("url", "field"), UPLOADS)
@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
def test_a_damaged_image_is_a_form_error_not_a_500(client, db, url, field, kind):
    """A half-finished download: Pillow raised while Wagtail read its size (wagtail#1354)."""
    written = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 10, 10)).save(written, kind)
    damaged = written.getvalue()[: len(written.getvalue()) * 2 // 3]
    client.force_login(country_user("CZ"))
    response = client.post(
        url,
        {
            "title": "Cut short",
            "collection": str(Country.objects.get(code="CZ").collection.pk),
            field: SimpleUploadedFile(f"cut.{kind.lower()}", damaged),
        },
    )
    assert response.status_code == 200
    assert not CustomImage.objects.exists()
    assert "Nahrajte platn" in response.content.decode()  # "Upload a valid image", in Czech
