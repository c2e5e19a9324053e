"""Prepared queries answer as the ORM does, and refuse what they cannot reuse."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.api.loading import ALONG_PREFIX, ObjectsPlan
from cms.api.prepared import NotPreparable, Prepared, Scalars
from cms.core.models import Country, Sector


def sectors_by_id(*ids):
    return (
        Sector.objects.rewrite(False)
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "slug", "updated_at")
    )


@pytest.mark.django_db
def test_rows_equal_the_orm_for_new_values_of_the_same_shape():
    prepared = Prepared(sectors_by_id)
    ids = list(Sector.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) >= 4
    for chosen in (ids[:2], ids[2:4], [ids[0], -1]):
        assert prepared.rows(*chosen) == list(sectors_by_id(*chosen))
    # Datetimes come back converted (SQLite stores them as text).
    assert prepared.rows(ids[0])[0][2] == Sector.objects.get(pk=ids[0]).updated_at


@pytest.mark.django_db
def test_compiled_once_per_shape():
    prepared = Prepared(sectors_by_id)
    ids = list(Sector.objects.order_by("pk").values_list("pk", flat=True))
    prepared.rows(ids[0])
    prepared.rows(ids[1])
    prepared.rows(ids[0], ids[1])
    assert len(prepared._compiled) == 2  # one IN list of length 1, one of length 2
    with CaptureQueriesContext(connection) as queries:
        rows = prepared.rows(ids[2])
    assert len(queries) == 1, queries.captured_queries
    assert rows == list(sectors_by_id(ids[2]))


@pytest.mark.django_db
def test_structure_goes_into_the_shape():
    prepared = Prepared(
        lambda ordering, *codes: (
            Country.objects.rewrite(False)
            .filter(code__in=codes)
            .order_by(ordering)
            .values_list("code")
        )
    )
    assert prepared.rows("CZ", "SK", shape=("code",)) == [("CZ",), ("SK",)]
    assert prepared.rows("CZ", "SK", shape=("-code",)) == [("SK",), ("CZ",)]


@pytest.mark.django_db
def test_a_query_whose_parameters_the_orm_transforms_is_refused():
    """``startswith`` turns "C" into the pattern "C%": reusing the SQL with a raw value is wrong."""
    prepared = Prepared(
        lambda prefix: Country.objects.filter(code__startswith=prefix).values_list("code")
    )
    with pytest.raises(NotPreparable):
        prepared.rows("C")


@pytest.mark.django_db
def test_a_query_modeltranslation_rewrites_is_refused():
    """Its columns come back in an order of modeltranslation's choosing."""
    prepared = Prepared(lambda *ids: Sector.objects.filter(pk__in=ids).values_list("pk", "name"))
    with pytest.raises(NotPreparable, match="rewrite"):
        prepared.rows(1)


@pytest.mark.django_db
def test_scalars_in_one_select(country):
    czechia = country("CZ")
    with CaptureQueriesContext(connection) as queries:
        total, latest, nothing = Scalars.of(
            Country.objects.filter(is_hub=False).values("pk"),
            Country.objects.order_by("-updated_at").values("updated_at")[:1],
            Country.objects.filter(code="XX").values("updated_at")[:1],
            count_first=True,
        ).run()
    assert len(queries) == 1
    assert total == Country.objects.filter(is_hub=False).count()
    assert latest == Country.objects.order_by("-updated_at").first().updated_at
    assert nothing is None
    assert czechia.updated_at <= latest


@pytest.mark.django_db
def test_scalars_take_one_column():
    with pytest.raises(ValueError, match="one-column"):
        Scalars.of(Country.objects.values("pk", "code"))


@pytest.mark.django_db
def test_scalars_of_a_query_that_matches_nothing():
    """Django refuses to compile ``pk__in=[]``; its count is 0 and its value none."""
    total, value = Scalars.of(
        Country.objects.filter(pk__in=[]).values("pk"),
        Country.objects.filter(pk__in=[]).values("updated_at")[:1],
        count_first=True,
    ).run()
    assert (total, value) == (0, None)


@pytest.mark.django_db
def test_scalars_ride_along_a_query_of_objects(country):
    """The values read with the objects are the values ``run()`` reads on its own."""
    country("CZ")
    stamps = Scalars.of(
        Country.objects.filter(is_hub=False).values("pk"),
        Country.objects.order_by("-updated_at").values("updated_at")[:1],
        Country.objects.filter(pk__in=[]).values("updated_at")[:1],
        count_first=True,
    )
    plan = ObjectsPlan.of(Country.objects.order_by("code")[:2], along=stamps)
    with CaptureQueriesContext(connection) as queries:
        objects, values = plan.run_along()
    assert len(queries) == 1
    assert values == stamps.run()
    assert isinstance(values[1], datetime.datetime) and values[1].tzinfo is not None
    assert [obj.code for obj in objects] == list(
        Country.objects.order_by("code")[:2].values_list("code", flat=True)
    )
    assert not [name for obj in objects for name in vars(obj) if name.startswith(ALONG_PREFIX)]


@pytest.mark.django_db
def test_no_rows_carry_no_values(country):
    country("CZ")
    stamps = Scalars.of(Country.objects.values("pk"), count_first=True)
    assert ObjectsPlan.of(Country.objects.filter(code="XX"), along=stamps).run_along() == ([], None)
    assert ObjectsPlan.of(Country.objects.filter(pk__in=[]), along=stamps).run_along() == ([], None)
