"""Search backends, chosen by the ``SEARCH_URL`` environment variable (imported by base.py).

- unset: Wagtail's database backend only (SQLite or PostgreSQL full-text search);
- ``opensearch2://host:9200`` (or ``opensearch3``, ``elasticsearch8``, ``elasticsearch9``,
  ``https`` via e.g. ``opensearch2+https://user:pass@host:443``): that engine is the
  ``default`` backend, and the database backend is kept up to date beside it as
  ``database``, so search degrades to it when the engine is unreachable: the
  visitor search service by itself, every other search (the admin's) through the
  engine backends of ``cms.search.backends`` and their ``DATABASE_FALLBACK``.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from cms.settings.environment import env_duration, env_str, one_of

ENGINE_BACKENDS = {
    "opensearch2": "cms.search.backends.opensearch2",
    "opensearch3": "cms.search.backends.opensearch3",
    "elasticsearch8": "cms.search.backends.elasticsearch8",
    "elasticsearch9": "cms.search.backends.elasticsearch9",
}
DATABASE_SEARCH_BACKEND = {
    # Wagtail's database backend; the admin's queries analysed (cms.search.admin_search).
    "BACKEND": "cms.search.backends.database",
    # Documents are pre-analysed by cms.search.analysis; PostgreSQL must not stem them again.
    "SEARCH_CONFIG": "simple",
}


#: Merged by modelsearch into its index settings for an engine. Autocomplete matches the
#: typed prefix, analysed by the engine's ``standard`` search analyser (lower-cased only),
#: against the edge n-grams of the titles. modelsearch's ``edgengram_analyzer`` folds those to
#: ASCII and stops at 15 characters, so a prefix with a diacritic ("Služ" against ``sluz…``)
#: or a typed word longer than 15 letters matched nothing. Here each word keeps its
#: lower-cased form beside the folded one, so prefixes match with or without diacritics,
#: and its n-grams reach the standard tokenizer's longest token (255). Takes effect when the
#: index is created: rebuild existing ones (``manage.py rebuild_search_documents --engine``).
ENGINE_INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "analyzer": {
                "edgengram_analyzer": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["lowercase", "asciifolding_keep_original", "edgengram"],
                },
            },
            "filter": {
                "asciifolding_keep_original": {"type": "asciifolding", "preserve_original": True},
                "edgengram": {"type": "edge_ngram", "min_gram": 1, "max_gram": 255},
            },
        },
    },
}


def search_backends_from_url(url: str) -> dict:
    if not url:
        return {"default": DATABASE_SEARCH_BACKEND}
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed [IPv6] bracket; the URL is not echoed
        raise ImproperlyConfigured("SEARCH_URL: not a URL (opensearch2://host:9200)") from None
    engine, _, scheme = parts.scheme.partition("+")
    one_of("SEARCH_URL", engine, ENGINE_BACKENDS, what="engine")
    try:
        port = parts.port or 9200
    except ValueError:  # the URL is not echoed: it may hold a password
        raise ImproperlyConfigured(
            f"SEARCH_URL: the port must be a number from 1 to 65535 ({engine}://host:9200)"
        ) from None
    if not parts.hostname:
        raise ImproperlyConfigured(f"SEARCH_URL: no host ({engine}://host:9200)")
    if scheme not in ("", "http", "https"):
        raise ImproperlyConfigured(
            f"SEARCH_URL: unknown transport {scheme!r}; use {engine}+http or {engine}+https"
        )
    host = f"{scheme or 'http'}://{parts.hostname}:{port}"
    # A slow or dead engine must fail fast: search then degrades to the database. So a
    # timeout is not repeated; a request that failed fast (refused, reset, or a balancer's
    # 502-504 for a node that died under it) is sent once more, at once, before the failure
    # pauses the engine for every search of the process (tests/search/test_engine_node_lost.py).
    options = {"max_retries": 1, "retry_on_timeout": False, "retry_on_status": (502, 503, 504)}
    if parts.username:
        options["http_auth"] = (parts.username, parts.password or "")
    return {
        "default": {
            "BACKEND": ENGINE_BACKENDS[engine],
            "URLS": [host],
            "INDEX_PREFIX": env_str("SEARCH_INDEX_PREFIX", "cms_"),
            "TIMEOUT": env_duration("SEARCH_TIMEOUT", 5, minimum=0.001),
            "OPTIONS": options,
            "INDEX_SETTINGS": ENGINE_INDEX_SETTINGS,
            "DATABASE_FALLBACK": "database",
        },
        "database": DATABASE_SEARCH_BACKEND,
    }


SEARCH_URL = env_str("SEARCH_URL")
WAGTAILSEARCH_BACKENDS = search_backends_from_url(SEARCH_URL)
#: After an engine failed to answer (refused, or silent for ``SEARCH_TIMEOUT``), each process
#: answers from the database without asking it for this many seconds
#: (``cms.ops.pause``).
SEARCH_ENGINE_RETRY_SECONDS = env_duration("SEARCH_ENGINE_RETRY_SECONDS", 10)

#: Results per page on the visitor search page and the API default.
SEARCH_PAGE_SIZE = 10
SEARCH_MAX_PAGE_SIZE = 50
SEARCH_MAX_QUERY_CHARS = 300

#: Typo matching and did-you-mean read a per-process vocabulary of the indexed words
#: (cms.search.suggest): how often its fingerprint is checked, and whether a stale one is
#: rebuilt in a background thread while it keeps serving (tests: at once, inline).
SEARCH_VOCABULARY_CHECK_SECONDS = env_duration("SEARCH_VOCABULARY_CHECK_SECONDS", 5)
SEARCH_VOCABULARY_BACKGROUND = True
