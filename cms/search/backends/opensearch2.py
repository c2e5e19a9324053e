"""OpenSearch2, falling back to the database backend for searches (see cms.search.backends)."""

from opensearchpy.exceptions import SerializationError, TransportError
from wagtail.search.backends.opensearch2 import OpenSearch2SearchBackend, OpenSearch2SearchResults

from cms.search.backends import DatabaseFallbackBackend, DatabaseFallbackResults


class SearchResults(DatabaseFallbackResults, OpenSearch2SearchResults):
    #: The client's errors, connection failures and timeouts included; and an answer that is
    #: not the engine's JSON (a proxy's or load balancer's maintenance page).
    engine_errors = (TransportError, SerializationError)


class SearchBackend(DatabaseFallbackBackend, OpenSearch2SearchBackend):
    results_class = SearchResults
