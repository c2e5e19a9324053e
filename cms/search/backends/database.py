"""Wagtail's database backend (SQLite FTS5, PostgreSQL), with the admin's queries analysed.

``cms.settings.search`` names this module as the database backend. Every search
of a page, snippet, image or document (the admin's page search, explorer,
choosers and listings) goes through it with the words an editor typed; here
they become :func:`cms.search.admin_search.admin_query`: each word matches as
typed, without diacritics, or analysed like the visitor search, against what
``AllLanguagesSearch.admin_search_text`` indexes in every language.

Filters and orderings: Wagtail's backends refuse a queryset filtered or sorted by a
field the model does not declare an ``index.FilterField``, which an engine needs. The
database backends run the queryset itself in SQL, so here any filter or ordering
stands (``QuerysetAsGiven``): the admin sorts search results by ``title``, which
modeltranslation makes ``title_sk``, by a foreign key (``country``) or ``file_size``, and
its translation filter asks for every language's title; each was a 500.

The visitor search's ``SearchDocument`` holds tokens analysed already and is
searched with analysed queries: its model says so (``search_query_analysed``),
and its queries pass through untouched.

Rebuilding (``update_index``): the backends' first step, dropping the entries of objects
that are gone, annotates each model's rows with ``object_id``, which ``SearchDocument``
has as a field of its own: every rebuild of the database backend stopped there with a
traceback ("The annotation 'object_id' conflicts with a field on the model"). For such a
model the rebuild drops all its entries instead (``EntriesOfKeyedModels``); the objects
are written again in the next step, as every model's are.
"""

from __future__ import annotations

from functools import cache

from django.db.models import QuerySet
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.search.backends import database
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError
from wagtail.search.query import MATCH_NONE, PlainText

from cms.search.admin_search import admin_query


def model_of(model_or_queryset):
    if isinstance(model_or_queryset, QuerySet):
        return model_or_queryset.model
    return model_or_queryset


def analysed(query, model_or_queryset):
    """``query`` as :func:`admin_query` builds it, for a query in an editor's words.

    A query without a word (``"``, ``*``, a control character) finds nothing: passed on
    as typed, SQLite's full-text query parser refused a lone quote ("unterminated
    string"), a 500 on every admin listing, chooser and the admin's API."""
    if getattr(model_of(model_or_queryset), "search_query_analysed", False):
        return query
    if isinstance(query, PlainText):  # the engine's query, answered here in its outage
        query = query.query_string
    if not isinstance(query, str):
        return query
    return admin_query(query) or MATCH_NONE


class AdminQueries:
    """Mixed in before the database backend class chosen for the database's vendor."""

    def search(self, query, model_or_queryset, *args, **kwargs):
        return super().search(
            analysed(query, model_or_queryset), model_or_queryset, *args, **kwargs
        )

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        query = analysed(query, model_or_queryset)
        return super().autocomplete(query, model_or_queryset, *args, **kwargs)


class QuerysetAsGiven:
    """Mixed into a database backend's query compilers: the searched fields are checked,
    the queryset's filters and ordering are left to the SQL that runs them."""

    def check(self):
        try:
            super().check()  # the searched fields first: an unknown one still raises
        except (FilterFieldError, OrderByFieldError):
            pass


#: The annotation the database backends' rebuild gives each model's rows.
REBUILD_ANNOTATION = "object_id"


class EntriesOfKeyedModels:
    """Mixed into a database backend's index: a model with a field named like the
    rebuild's annotation has all its entries dropped at the start of a rebuild, not only
    those of removed objects (which the backend cannot work out for it)."""

    def delete_stale_model_entries(self, model):
        if not any(field.name == REBUILD_ANNOTATION for field in model._meta.get_fields()):
            return super().delete_stale_model_entries(model)
        self.entries.filter(content_type_id__in=get_descendants_content_types_pks(model)).delete()
        return None


@cache
def with_admin_queries(backend_class: type) -> type:
    def compiler(compiler_class: type) -> type:
        return type(compiler_class.__name__, (QuerysetAsGiven, compiler_class), {})

    return type(
        backend_class.__name__,
        (AdminQueries, backend_class),
        {
            "__module__": __name__,
            "query_compiler_class": compiler(backend_class.query_compiler_class),
            "autocomplete_query_compiler_class": compiler(
                backend_class.autocomplete_query_compiler_class
            ),
            "index_class": type(
                backend_class.index_class.__name__,
                (EntriesOfKeyedModels, backend_class.index_class),
                {},
            ),
        },
    )


def SearchBackend(params):  # noqa: N802 (Wagtail looks the backend up by this name)
    """The backend ``wagtail.search.backends.database`` picks, analysing queries."""
    vendor_class = type(database.SearchBackend(dict(params)))
    return with_admin_queries(vendor_class)(params)
