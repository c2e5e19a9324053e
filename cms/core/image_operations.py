"""Wagtail's ``fill`` image operation, refusing a size it cannot make.

``fill-0x0`` (or any zero side) divides by zero while the rendition is made, so
``/admin/images/<id>/preview/fill-0x0/`` was a 500. Refused where the filter is parsed, a
``ValueError`` becomes Wagtail's ``InvalidFilterSpecError``: the preview's 400, and for a
template's ``{% image %}`` the same error as any other malformed filter.
"""

from __future__ import annotations

from wagtail.images.image_operations import FillOperation


class SizedFillOperation(FillOperation):
    """``fill-<width>x<height>``, each side at least 1 pixel."""

    def construct(self, size, *extra):
        super().construct(size, *extra)
        if self.width < 1 or self.height < 1:
            raise ValueError(f"fill needs a width and a height of at least 1 pixel, not {size}")
