"""Model instances for API responses, built without running ``Model.__init__``.

A listing builds a page object per item, and a Wagtail page's constructor is
several constructors deep: Django's (a ``setattr`` per field and the
``pre_init``/``post_init`` signals), modeltranslation's (rewriting keyword
names), modelcluster's (scanning the model's fields for child relations, on
every instance) and Wagtail's. For an object loaded from the database none of
them does anything the API needs: the row's values are the object's state.
Measured on a 20-item news listing it was half a millisecond per ten objects,
about a sixth of the request.

``ObjectsPlan.of(queryset).run()`` builds a queryset's objects (and those it
``select_related``) the way ``pickle`` restores them: a bare instance, its
``__dict__`` filled from the row, a ``ModelState`` saying it came from the
database. Columns left out by ``only()``/``defer()`` stay deferred and load on
access, as with Django's own loading. ``tests/api/test_loading.py`` checks
that every model the API serves comes out with the same state either way, so
a future ``post_init`` receiver or constructor side effect fails there, not
in production.

This is written here, not taken from a library, because Django exposes no
public switch for it: the code below follows ``ModelIterable`` and
``RelatedPopulator`` line for line apart from the constructor call.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet, prefetch_related_objects
from django.db.models.base import ModelState
from django.db.models.query import ModelIterable, RelatedPopulator

from cms.api.prepared import Scalars, fetched


def built(model, db: str, attnames: list[str], values) -> object:
    """An instance of ``model`` loaded from ``db`` with these column values.

    ``attnames`` in the model's field order, as ``Model.from_db`` takes them.
    """
    extras = _constructor_extras.get(model, _UNKNOWN)
    if extras is _UNKNOWN:
        extras = _constructor_extras[model] = learn_constructor(model, db, attnames, values)
    if extras is None:  # the constructor does more than set attributes: let it run
        return model.from_db(db, attnames, values)
    obj = _bare(model, db, attnames, values)
    obj.__dict__.update(extras)
    return obj


@cache
def columns_of(model, wanted: frozenset[str] | None = None) -> tuple[str, ...]:
    """The model's columns (attnames), or those of them ``wanted``, in the field order
    ``built()`` takes them in."""
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if wanted is None or field.attname in wanted
    )


def _bare(model, db: str, attnames: list[str], values) -> object:
    obj = model.__new__(model)
    state = ModelState()
    state.adding = False
    state.db = db
    obj._state = state
    obj.__dict__.update(zip(attnames, values, strict=True))
    return obj


_UNKNOWN = object()
#: Per model: the plain attributes its constructor sets beyond the row (Wagtail's
#: images set ``decorative`` and ``contextual_alt_text``), or ``None`` when it does
#: something else, in which case its objects are built by ``Model.from_db``.
_constructor_extras: dict[type, dict | None] = {}
#: Set by modeltranslation's constructor and removed again by its ``post_init``.
CONSTRUCTOR_FLAGS = frozenset({"_mt_init"})
_PLAIN = (type(None), bool, int, float, str)


def learn_constructor(model, db: str, attnames: list[str], values) -> dict | None:
    """What ``Model.from_db`` leaves on an object beyond ``_bare``: compared on a real row."""
    if tuple(attnames) != columns_of(model, frozenset(attnames)):
        raise ValueError(f"columns of {model.__name__} out of field order: {attnames}")
    constructed = vars(model.from_db(db, attnames, list(values)))
    bare = vars(_bare(model, db, attnames, values))
    columns = set(columns_of(model))
    extras = {}
    for name, value in constructed.items():
        if name == "_state" or name in CONSTRUCTOR_FLAGS:
            continue
        if name in bare:
            if bare[name] != value:
                return None
        elif name in columns:
            continue  # a deferred column the constructor read: loads on access either way
        elif isinstance(value, _PLAIN):
            extras[name] = value  # assumed constant; tests/api/test_loading.py checks every row
        else:
            return None
    if any(name not in constructed for name in bare):
        return None
    return extras


class _FastRelatedPopulator(RelatedPopulator):
    def __init__(self, klass_info, select, db):
        super().__init__(klass_info, select, db)
        self.related_populators = fast_populators(klass_info, select, db)

    def populate(self, row, from_obj):
        if self.reorder_for_init:
            obj_data = self.reorder_for_init(row)
        else:
            obj_data = row[self.cols_start : self.cols_end]
        if obj_data[self.pk_idx] is None:
            obj = None
        else:
            obj = built(self.model_cls, self.db, self.init_list, obj_data)
            for populator in self.related_populators:
                populator.populate(row, obj)
        self.local_setter(from_obj, obj)
        if obj is not None:
            self.remote_setter(obj, from_obj)


def fast_populators(klass_info, select, db) -> list[_FastRelatedPopulator]:
    return [
        _FastRelatedPopulator(related, select, db)
        for related in klass_info.get("related_klass_infos", [])
    ]


def instances(compiler, results, db: str):
    """The objects of compiled query ``compiler`` from its ``results`` (chunks of rows).

    ``ModelIterable.__iter__`` after the query has run, with ``built()`` (and
    without "known related objects", which ``ObjectsPlan`` refuses).
    """
    select, klass_info = compiler.select, compiler.klass_info
    model_cls = klass_info["model"]
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    populators = fast_populators(klass_info, select, db)
    for row in compiler.results_iter(results):
        obj = built(model_cls, db, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for attr_name, position in (compiler.annotation_col_map or {}).items():
            setattr(obj, attr_name, row[position])
        yield obj


@dataclass(frozen=True)
class ObjectsPlan:
    """A model queryset compiled: ``run()`` executes its SQL and builds its objects.

    What a queryset does when evaluated, split in two so the first half (building
    and compiling the query, most of a small query's cost) can be kept and the
    second run again: see ``cms.api.prepared.PLANS``.

    ``along``: uncorrelated scalar subqueries (``Scalars``) read in the same
    statement, as extra columns of every row; ``run_along()`` gives their values
    beside the objects, or ``None`` when no row came back to carry them.
    """

    db: str
    #: ``None`` when the query can match nothing (Django's ``EmptyResultSet``).
    sql: str | None
    params: tuple
    compiler: Any
    prefetch: tuple
    along: Scalars | None = None
    #: The annotations ``along`` became (``ALONG_PREFIX`` and its position).
    along_names: tuple[str, ...] = ()

    @classmethod
    def of(cls, queryset: QuerySet, along: Scalars | None = None) -> ObjectsPlan:
        if queryset._iterable_class is not ModelIterable or queryset._known_related_objects:
            raise ValueError("ObjectsPlan takes a plain queryset of model instances")
        annotations = along.annotations(ALONG_PREFIX) if along is not None else {}
        if annotations:
            queryset = queryset.annotate(**annotations)
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = None, ()
        return cls(
            db=queryset.db,
            sql=sql,
            params=tuple(params),
            compiler=compiler,
            prefetch=tuple(queryset._prefetch_related_lookups),
            along=along,
            along_names=tuple(annotations),
        )

    def run(self) -> list:
        return self.run_along()[0]

    def run_along(self) -> tuple[list, list | None]:
        """The objects, and the values of ``along`` (``None`` without a row to read them from)."""
        if self.sql is None:
            return [], None
        connection = connections[self.db]
        rows = fetched(connection, self.sql, self.params)
        objects = list(instances(self.compiler, [rows], self.db))
        values = None
        if self.along is not None and objects:
            row = [getattr(objects[0], name) for name in self.along_names]
            values = self.along.converted(row, connection)
            for obj in objects:
                for name in self.along_names:
                    del obj.__dict__[name]
        if self.prefetch and objects:
            prefetch_related_objects(objects, *self.prefetch)
        return objects, values


#: Names of the ``along`` columns while they pass through the objects.
ALONG_PREFIX = "_api_along_"
