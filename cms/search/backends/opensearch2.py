"""OpenSearch2, falling back to the database backend for searches (see cms.search.backends)."""

from opensearchpy.exceptions import TransportError
from wagtail.search.backends.opensearch2 import OpenSearch2SearchBackend, OpenSearch2SearchResults

from cms.search.backends import DatabaseFallbackBackend, DatabaseFallbackResults


class SearchResults(DatabaseFallbackResults, OpenSearch2SearchResults):
    #: The client's errors, connection failures and timeouts included.
    engine_errors = (TransportError,)


class SearchBackend(DatabaseFallbackBackend, OpenSearch2SearchBackend):
    results_class = SearchResults
