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


def test_every_snippet_representation_is_served_and_buried():
    """A ``Representations`` field is all a snippet type needs to be served: projections,
    checks, tombstones and webhooks read the one list, so none can miss it."""
    from cms.projections.representations import representations
    from cms.projections.tombstones import snippet_models

    snippets = {rep.model for rep in representations().snippets}
    assert {"ClusterProfile", "PartnerOrganisation", "ContactPerson", "Sector"} <= {
        model.__name__ for model in snippets
    }
    assert {served.model for served in served_types().values() if not served.is_page} == snippets
    assert set(snippet_models()) == snippets
