"""Elasticsearch8, falling back to the database backend for searches (see cms.search.backends)."""

from elasticsearch import ApiError, TransportError
from wagtail.search.backends.elasticsearch8 import (
    Elasticsearch8SearchBackend,
    Elasticsearch8SearchResults,
)

from cms.search.backends import DatabaseFallbackBackend, DatabaseFallbackResults


class SearchResults(DatabaseFallbackResults, Elasticsearch8SearchResults):
    #: Connection failures and timeouts (TransportError) and error statuses (ApiError).
    engine_errors = (TransportError, ApiError)


class SearchBackend(DatabaseFallbackBackend, Elasticsearch8SearchBackend):
    results_class = SearchResults
