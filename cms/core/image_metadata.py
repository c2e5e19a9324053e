"""Uploaded photos lose what they tell about who took them, where and with what.

A JPEG from a phone carries EXIF: the GPS position it was taken at, the time, the
camera's serial number, often the author; XMP and IPTC blocks carry more. Willow copies
the EXIF into every JPEG rendition (``save_as_jpeg``), so visitors and API consumers got
the position of a partner's photo, which its editor never saw. The upload keeps its
pixels and their orientation (the one EXIF tag renditions need to stand upright) and its
colour profile, nothing else: re-saved with Pillow's ``quality="keep"`` (the original's
quantisation tables and subsampling: no visible loss).

Other formats are stored as uploaded: Willow writes no metadata into PNG, WebP or AVIF
renditions.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

#: The EXIF tag that says which way up the picture is.
ORIENTATION = 0x0112
#: Where Pillow puts the metadata blocks of a JPEG it read.
METADATA = ("exif", "xmp", "photoshop")  # photoshop: the IPTC block (APP13)


def without_private_metadata(upload):
    """``upload`` (an uploaded file) as it is, unless it is a JPEG with metadata: then a new
    upload of the same name and pixels with only its orientation and colour profile."""
    upload.seek(0)
    with Image.open(upload) as image:
        if image.format != "JPEG" or not any(image.info.get(key) for key in METADATA):
            upload.seek(0)
            return upload
        kept = Image.Exif()
        orientation = image.getexif().get(ORIENTATION)
        if orientation:
            kept[ORIENTATION] = orientation
        options = {"quality": "keep", "subsampling": "keep", "exif": kept.tobytes()}
        if image.info.get("icc_profile"):
            options["icc_profile"] = image.info["icc_profile"]
        if image.info.get("progressive"):
            options["progressive"] = True
        written = io.BytesIO()
        image.save(written, "JPEG", **options)
    return SimpleUploadedFile(upload.name, written.getvalue(), upload.content_type)
