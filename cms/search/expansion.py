"""Terms added to a query for compounds and typos."""

from __future__ import annotations

from cms.search.query import Term


def compound_terms(text: str, language: str, exact: list[Term]) -> list[Term]:
    """Terms for the parts of the query's compound words (none yet)."""
    return []


def typo_terms(text: str, language: str, exact: list[Term]) -> list[Term]:
    """Terms one or two edits away from the query's unknown words (none yet)."""
    return []
