"""The registry of served types: one list the API, sitemaps and projections agree on."""

from __future__ import annotations

from wagtail.models import get_page_models

from cms.core.pages import BasePage
from cms.projections.registry import served_page_labels, served_types


def test_every_page_type_an_editor_can_create_is_served():
    """A new page type without a representation would be invisible to the API and sitemaps."""
    creatable = {model._meta.label for model in get_page_models() if issubclass(model, BasePage)}
    assert set(served_page_labels()) == creatable


def test_the_page_labels_are_the_served_page_types():
    """``/pages/`` reads rows of exactly these types, so each must have a representation."""
    served_pages = {served.label for served in served_types().values() if served.is_page}
    assert served_page_labels()
    assert set(served_page_labels()) == served_pages
    assert len(served_page_labels()) == len(served_pages)
