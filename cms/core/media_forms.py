"""Wagtail's image and document forms, keeping what someone else saved meanwhile.

Named by ``WAGTAILIMAGES_IMAGE_FORM_BASE`` and ``WAGTAILDOCS_DOCUMENT_FORM_BASE`` in the
settings. A module of its own because Wagtail's form modules query the database when
imported, and ``cms.core.forms`` is imported while the models load (by the page models).
"""

from __future__ import annotations

from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from cms.core.concurrent_edits import ConcurrentEditsFormMixin
from cms.core.forms import EditFormBoundField


class ConcurrentEditsImageForm(ConcurrentEditsFormMixin, BaseImageForm):
    """Wagtail's image form, keeping what someone else saved meanwhile
    (``ConcurrentEditsFormMixin``): translators fill in an image's alternative text each in
    their own language, the same image at the same time, and the second save put back the
    first one's text as the form had shown it.

    A subclass of Wagtail's base, as the setting replaces it: its file handling (the old
    file and renditions deleted on a new upload) stays. Adding an image, nobody else can
    have saved it: the form carries no digests then and saves as Wagtail's.
    """

    bound_field_class = EditFormBoundField


class ConcurrentEditsDocumentForm(ConcurrentEditsFormMixin, BaseDocumentForm):
    """Wagtail's document form, keeping what someone else saved meanwhile, as the image
    form does (titles and tags edited by two people at once)."""

    bound_field_class = EditFormBoundField
