"""Uploaded photos lose what they tell about who took them, where and with what.

A photo from a phone carries EXIF: the GPS position it was taken at, the time, the
camera's serial number, often the author; XMP, IPTC and PNG text chunks carry more.
Willow copies the EXIF into every rendition it writes (``save_as_jpeg``, ``save_as_png``,
``save_as_webp``), so visitors and API consumers got the position of a partner's photo,
which its editor never saw. An upload keeps its pixels, its orientation (the one EXIF tag
renditions need to stand upright) and its colour profile, nothing else:

- a JPEG is written again with Pillow's ``quality="keep"`` (the original's quantisation
  tables and subsampling: no visible loss); a multi-picture JPEG (``MPO``, as phones
  write) keeps its first picture, at quality 95;
- a PNG is written again losslessly, its palette and transparency kept;
- a WebP is written again losslessly when it has an alpha channel, else at quality 95;
- an animated WebP keeps every frame and its timing (Wagtail refuses animated PNGs).

Other formats (GIF, AVIF, ...) are stored as uploaded.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageSequence

#: The EXIF tag that says which way up the picture is.
ORIENTATION = 0x0112
#: Where Pillow puts the metadata blocks it read (IPTC: ``photoshop``; PNG's XMP: the
#: ``XML:com.adobe.xmp`` text chunk, among ``text``).
METADATA = ("exif", "xmp", "photoshop", "XML:com.adobe.xmp")
#: Formats written again without their metadata, and as what.
REWRITTEN = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}


def has_metadata(image: Image.Image) -> bool:
    return any(image.info.get(key) for key in METADATA) or bool(getattr(image, "text", None))


def without_private_metadata(upload):
    """``upload`` (an uploaded file) as it is, unless it is a JPEG, PNG or WebP with
    metadata: then a new upload of the same name and picture, with only its orientation
    and colour profile."""
    upload.seek(0)
    with Image.open(upload) as image:
        if image.format not in REWRITTEN or not has_metadata(image):
            upload.seek(0)
            return upload
        written = io.BytesIO()
        image.save(written, REWRITTEN[image.format], **kept_options(image))
    return SimpleUploadedFile(upload.name, written.getvalue(), upload.content_type)


def kept_options(image: Image.Image) -> dict:
    """What Pillow is told to write of ``image`` besides its pixels."""
    options: dict = {}
    orientation = image.getexif().get(ORIENTATION)
    if orientation:
        kept = Image.Exif()
        kept[ORIENTATION] = orientation
        options["exif"] = kept.tobytes()
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if image.format == "JPEG":
        options.update(quality="keep", subsampling="keep")
        if image.info.get("progressive"):
            options["progressive"] = True
    elif image.format == "MPO":
        options["quality"] = 95
    elif image.format == "PNG":
        if "transparency" in image.info:
            options["transparency"] = image.info["transparency"]
    elif image.format == "WEBP":
        if image.mode in ("RGBA", "LA"):
            options["lossless"] = True
        else:
            options["quality"] = 95
    if image.format == "WEBP" and getattr(image, "is_animated", False):
        # Every frame, each shown as long as it was (written as the first frame alone, an
        # animation stood still).
        durations = [duration_of(frame) for frame in ImageSequence.Iterator(image)]
        image.seek(0)
        options.update(save_all=True, duration=durations, loop=image.info.get("loop", 0))
    return options


def duration_of(frame: Image.Image) -> int:
    """How long a frame of an animation is shown (ms); WebP reads it with the frame."""
    frame.load()
    return frame.info.get("duration", 0)
