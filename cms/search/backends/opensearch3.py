"""OpenSearch3, falling back to the database backend for searches (see cms.search.backends)."""

from opensearchpy.exceptions import TransportError
from wagtail.search.backends.opensearch3 import OpenSearch3SearchBackend, OpenSearch3SearchResults

from cms.search.backends import DatabaseFallbackBackend, DatabaseFallbackResults


class SearchResults(DatabaseFallbackResults, OpenSearch3SearchResults):
    #: The client's errors, connection failures and timeouts included.
    engine_errors = (TransportError,)


class SearchBackend(DatabaseFallbackBackend, OpenSearch3SearchBackend):
    results_class = SearchResults
