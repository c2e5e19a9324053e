"""Engine backends whose searches fall back to the database backend when the engine is down.

Every search in the admin (page search, explorer, choosers, snippet, image and
document listings, the admin API) goes through Wagtail's ``default`` backend.
With ``SEARCH_URL`` set that is OpenSearch or Elasticsearch, and a dead engine
made each of those views a 500. ``cms.settings.search`` configures these
subclasses instead, with ``DATABASE_FALLBACK`` naming the database backend it
keeps up to date beside the engine: a search the engine cannot answer is answered
by that backend, with a warning in the log, and the view never notices.

Wagtail's search results are lazy: ``backend.search()`` only compiles the query,
and the engine is called when the results are counted, iterated, sliced and
evaluated, or faceted. So the fallback lives in the results class, around those
public methods (``results()``, ``count()``, ``facet()``), and once an engine call
has failed, the same results object keeps answering from the database, and so does
every search of the process for a few seconds (``engine_outage``, ``cms.ops.pause``).

Index writes: Wagtail's signal handlers catch an engine's indexing errors
(``catch_indexing_errors``), so a save stands, but the update is lost. Here an outage
also notes the object in ``PendingEngineObject`` (``DatabaseFallbackBackend.add`` and
``delete``), and ``search_index_worker`` sends it once the engine answers
(``cms.search.engine_retries``). A failed write pauses the engine as a failed search does;
writes during the pause are noted without asking it and raise ``EngineLeftAlone``. The
project's own documents have their own queue: ``cms.search.indexing`` keeps them in
``PendingIndexUpdate`` until the engine takes them.

The visitor search service (``cms.search.service``) does not use this fallback:
it switches a whole request to the database path at the first failure and says
so (``degraded``), so it asks for the engine alone with :func:`engine_only`, as
the relevance evaluation and the benchmark do, which must measure the engine.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from cms.ops.pause import Pause

logger = logging.getLogger(__name__)


#: The engine failed a moment ago: searches go to the database without asking it (a hung
#: engine cost an admin page search three timeouts, 16.7 s).
engine_outage = Pause("SEARCH_ENGINE_RETRY_SECONDS")


def engine_only(name: str = "default", **options):
    """The backend ``name`` without a database fallback: an engine's failures raise."""
    return get_search_backend(name, DATABASE_FALLBACK=None, **options)


def engine_errors(name: str = "default") -> tuple[type[Exception], ...]:
    """The exceptions by which backend ``name``'s engine client says the engine gave no
    answer (connection refused, timeout, an error status); none for a database backend.

    For commands that call an engine directly (``update_index``, the relevance
    evaluation, the benchmark): they turn these into one line naming the engine.
    """
    return getattr(get_search_backend(name).results_class, "engine_errors", ())


class EngineLeftAlone(RuntimeError):
    """A write not sent: the engine failed a moment ago and is left alone (``engine_outage``).
    An outage for every caller (``is_outage``): retried later, never dropped."""


def is_outage(error: BaseException, errors: tuple[type[Exception], ...]) -> bool:
    """Whether ``error`` says the engine cannot answer now: one of its client's ``errors``
    with no HTTP status (refused, reset, timed out) or a 5xx or 429. A 4xx refuses this one
    query, and anything else is a bug here: neither pauses the engine for everyone
    (``engine_outage``), though the query is answered from the database."""
    if isinstance(error, EngineLeftAlone):
        return True
    if not isinstance(error, errors):
        return False
    status = getattr(error, "status_code", None)  # opensearch-py: "N/A" when no answer
    if isinstance(status, int):
        return status >= 500 or status == 429
    return True


def engine_address(name: str = "default") -> str:
    """Where backend ``name``'s engine is, as configured (``URLS``, without credentials)."""
    return ", ".join(settings.WAGTAILSEARCH_BACKENDS[name].get("URLS", [])) or name


def engine_failure(error: Exception, name: str = "default") -> str:
    """One line for a command whose engine call failed: where the engine is, and why."""
    return f"the search engine at {engine_address(name)} did not answer: {error}"


class DatabaseFallbackResults:
    """Results that come from the database backend when the engine cannot answer.

    Mixed in before an engine's results class; ``engine_errors`` are the engine
    client's exceptions (connection refused, timeout, or an error status). Every
    one of them means the engine gave no answer, and the database can give one.
    """

    engine_errors: tuple[type[Exception], ...] = ()
    #: Set once the engine has failed for this query: its database equivalent.
    database_results = None

    def results(self):
        return self.answer(super().results, lambda database: database.results())

    def count(self):
        return self.answer(super().count, lambda database: database.count())

    def facet(self, field_name):
        return self.answer(
            partial(super().facet, field_name), lambda database: database.facet(field_name)
        )

    def answer(self, from_engine, from_database):
        fallback = self.backend.database_fallback
        if self.database_results is None and fallback and engine_outage.ongoing():
            self.database_results = self.same_query_on(fallback)
        if self.database_results is None:
            try:
                return from_engine()
            except self.engine_errors as error:
                if not fallback:
                    raise
                if is_outage(error, self.engine_errors):
                    engine_outage.note()
                logger.warning("Search engine unavailable, answering from the database: %s", error)
                self.database_results = self.same_query_on(fallback)
        return from_database(self.database_results)

    def same_query_on(self, name: str):
        """This query (search or autocomplete, fields, ordering, slice) on backend ``name``."""
        backend = get_search_backend(name)
        compiler = self.query_compiler
        if isinstance(compiler, self.backend.autocomplete_query_compiler_class):
            run = backend.autocomplete
        else:
            run = backend.search
        results = run(
            compiler.query,
            compiler.queryset,
            fields=compiler.fields,
            order_by_relevance=compiler.order_by_relevance,
        )
        return results[self.start : self.stop]


class DatabaseFallbackBackend:
    """Mixed in before an engine's backend class; reads the ``DATABASE_FALLBACK`` option.

    ``DATABASE_FALLBACK``: the name of the database backend in ``WAGTAILSEARCH_BACKENDS``
    that answers when the engine cannot; ``None`` (the default) for none.
    """

    def __init__(self, params):
        self.database_fallback = params.pop("DATABASE_FALLBACK", None)
        super().__init__(params)

    def search(self, query, model_or_queryset, *args, **kwargs):
        return self.or_database("search", query, model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        return self.or_database("autocomplete", query, model_or_queryset, *args, **kwargs)

    def or_database(self, method: str, *args, **kwargs):
        """The engine's search, or the database's when the queryset is filtered or sorted by
        a field the engine has not indexed (``FilterField``): the admin sorts search results
        by ``title`` (modeltranslation's ``title_sk``), a foreign key or ``file_size``. The
        database backend runs the queryset as given (``cms.search.backends.database``)."""
        try:
            return getattr(super(), method)(*args, **kwargs)
        except (FilterFieldError, OrderByFieldError):
            if not self.database_fallback:
                raise
            return getattr(get_search_backend(self.database_fallback), method)(*args, **kwargs)

    def add_bulk(self, model, obj_list):
        """Imports and the worker index many objects at once: a miss notes each of them."""
        return self.noting_misses(partial(super().add_bulk, model), list(obj_list))

    def add(self, obj):
        return self.noting_misses(super().add, [obj], one=True)

    def delete(self, obj):
        return self.noting_misses(super().delete, [obj], one=True)

    def noting_misses(self, write, objs: list, *, one: bool = False):
        """``write`` ``objs`` (or their one object) to the engine, noting them if an outage
        made it miss them; while the engine is left alone after a failure
        (``engine_outage``), noted without asking it: a hung engine cost every object of a
        deleted section a ``SEARCH_TIMEOUT`` (Wagtail removes each in the editor's request),
        and gunicorn killed the deletion. Commands asking the engine alone
        (``engine_only``) always ask it."""
        if self.database_fallback and engine_outage.ongoing():
            self.note_missed(objs)
            # Raised, not returned: callers must not take the write for done (the worker's
            # queue of the project's documents dropped what it "sent"); Wagtail's signal
            # handlers log it and the save stands.
            raise EngineLeftAlone("the search engine failed a moment ago; not asked now")
        try:
            return write(objs[0] if one else objs)
        except self.results_class.engine_errors as error:
            if is_outage(error, self.results_class.engine_errors):
                engine_outage.note()
                self.note_missed(objs)
            raise

    def note_missed(self, objs: list) -> None:
        """Keep ``objs`` for ``search_index_worker``: an outage made the engine miss their
        change. Never raises: the caller re-raises the engine's error, which Wagtail logs
        and swallows so the editor's save stands (a refused document is a bug to fix, not
        a change to send again: not noted). In a savepoint, as the post-delete signal runs
        inside the editor's transaction."""
        from cms.search.models import PendingEngineObject

        # The project's own documents are not here: PendingIndexUpdate keeps them.
        objs = [obj for obj in objs if getattr(type(obj), "search_auto_update", True)]
        now = timezone.now()
        try:
            with transaction.atomic():
                PendingEngineObject.objects.bulk_create(
                    [
                        PendingEngineObject(
                            content_type=ContentType.objects.get_for_model(obj),
                            object_id=str(obj.pk),
                            missed_at=now,
                            next_attempt_at=now,
                        )
                        for obj in objs
                    ],
                    update_conflicts=True,
                    unique_fields=["content_type", "object_id"],
                    update_fields=["missed_at", "next_attempt_at"],
                )
        except Exception:  # noqa: BLE001 - the save must stand whatever happens here
            logger.exception("Could not note %d objects for the search engine's index", len(objs))
