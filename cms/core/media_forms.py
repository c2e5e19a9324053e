"""Wagtail's image and document forms, keeping what someone else saved meanwhile.

Named by ``WAGTAILIMAGES_IMAGE_FORM_BASE`` and ``WAGTAILDOCS_DOCUMENT_FORM_BASE`` in the
settings. A module of its own because Wagtail's form modules query the database when
imported, and ``cms.core.forms`` is imported while the models load (by the page models).
"""

from __future__ import annotations

import struct

from django.core.exceptions import ValidationError
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from cms.core.concurrent_edits import ConcurrentEditsFormMixin
from cms.core.forms import EditFormBoundField
from cms.core.image_metadata import without_private_metadata


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, refusing a damaged file (a half-finished download, a camera
    copy cut short) with its "not a valid image" error: Pillow raises while reading the
    size, which Wagtail's check lets through as a 500 (wagtail#1354)."""

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except (OSError, SyntaxError, struct.error) as error:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error


class ConcurrentEditsImageForm(ConcurrentEditsFormMixin, BaseImageForm):
    """Wagtail's image form, keeping what someone else saved meanwhile
    (``ConcurrentEditsFormMixin``): translators fill in an image's alternative text each in
    their own language, the same image at the same time, and the second save put back the
    first one's text as the form had shown it.

    A subclass of Wagtail's base, as the setting replaces it: its file handling (the old
    file and renditions deleted on a new upload) stays. A new photo loses its private
    metadata (``clean_file``). Adding an image, nobody else can
    have saved it: the form carries no digests then and saves as Wagtail's.
    """

    bound_field_class = EditFormBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        made = self.fields.get("file")
        if made is not None:  # the multiple uploader's edit forms have none
            self.fields["file"] = CheckedImageField(
                label=made.label, required=made.required, widget=made.widget
            )

    def clean_file(self):
        """A new photo without its EXIF, XMP and IPTC (``cms.core.image_metadata``)."""
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            return without_private_metadata(upload)
        return upload


class ConcurrentEditsDocumentForm(ConcurrentEditsFormMixin, BaseDocumentForm):
    """Wagtail's document form, keeping what someone else saved meanwhile, as the image
    form does (titles and tags edited by two people at once)."""

    bound_field_class = EditFormBoundField

    def add_error(self, field, error):
        """Django's, without the model's file check where the form's own says enough.

        Wagtail's ``Document.clean`` checks the file's extension (``WAGTAILDOCS_EXTENSIONS``)
        and names the field ``file``; its error is dropped:

        - in a form that has no file field: the multiple uploader's forms, one of which
          turns an upload into a document (when the upload form refused another field,
          such as a collection the editor may not use) and so validates a document whose
          file is only attached on save. The check always failed, and Django raises on an
          error for a field the form lacks (a 500 instead of the form's own errors). That
          file passed the upload form's same check already, and these forms never change a
          document's file;
        - when the file field refused the upload already ("The submitted file is empty"):
          the model then has no file, and "File extension “” is not allowed" was a second,
          wrong reason.
        """
        if "file" not in self.fields or self.has_error("file"):
            if field == "file":
                return
            if field is None and hasattr(error, "error_dict"):
                errors = {name: e for name, e in error.error_dict.items() if name != "file"}
                if not errors:
                    return
                error = ValidationError(errors)
        super().add_error(field, error)
