"""Synonyms and abbreviations per language, which editors extend in the admin."""

from __future__ import annotations

from cms.search.query import Term


def synonym_terms(text: str, language: str, exact: list[Term]) -> list[Term]:
    """Terms for the synonyms of the query's words (none yet)."""
    return []
