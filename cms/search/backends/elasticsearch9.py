"""Elasticsearch9, falling back to the database backend for searches (see cms.search.backends)."""

from elasticsearch import ApiError, TransportError
from wagtail.search.backends.elasticsearch9 import (
    Elasticsearch9SearchBackend,
    Elasticsearch9SearchResults,
)

from cms.search.backends import DatabaseFallbackBackend, DatabaseFallbackResults


class SearchResults(DatabaseFallbackResults, Elasticsearch9SearchResults):
    #: Connection failures and timeouts (TransportError) and error statuses (ApiError).
    engine_errors = (TransportError, ApiError)


class SearchBackend(DatabaseFallbackBackend, Elasticsearch9SearchBackend):
    results_class = SearchResults
