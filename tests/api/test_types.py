"""Types a generated client can use (issue 14): a top-level ``type`` on every item, unions
keyed on it, lang=all apart from one language, a detail route for every resource."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from cms.projections.models import Projection

LISTINGS = ["news/", "events/", "pages/", "clusters/", "partners/", "contacts/", "sectors/"]


def items_of(body: dict) -> list[dict]:
    return body["items"] if "items" in body else [body]


@pytest.mark.parametrize("lang", ["en", "sk", "all"])
@pytest.mark.parametrize("path", [*LISTINGS, "sites/", "sync/"])
def test_every_item_carries_its_type_beside_meta_type(api, path, lang):
    response = api(f"{path}?site=CZ&lang={lang}&limit=50")
    assert response.status_code == 200, response.content
    items = items_of(response.json())
    assert items, path
    for item in items:
        assert item["type"] == item["meta"]["type"], item
        detail = api(item["meta"]["detail_url"].split("/api/v3/", 1)[1])
        assert detail.status_code == 200, detail.content
        assert detail.json()["type"] == item["type"]


def test_fields_never_drops_type(api):
    item = api("news/?fields=_,date").json()["items"][0]
    assert item["type"] == "news.NewsPage"


def test_the_unions_are_discriminated_by_the_top_level_type(api):
    document = api("openapi.json").json()
    schemas = document["components"]["schemas"]

    def union_of(schema: dict) -> dict:
        if "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    unions = [
        document["paths"]["/api/v3/pages/{page_id}/"]["get"]["responses"]["200"]["content"][
            "application/json"
        ]["schema"],
        schemas["PageListing"]["properties"]["items"]["items"],
        schemas["SyncPage"]["properties"]["items"]["items"],
    ]
    for union in unions:
        # One union keyed on type, or one per variant (one language, lang=all).
        found = [union] if "discriminator" in union else [union_of(u) for u in union["oneOf"]]
        for member in found:
            assert member["discriminator"]["propertyName"] == "type", member
            for ref in member["oneOf"]:
                target = union_of(ref)
                label = target["properties"]["type"]["const"]
                assert member["discriminator"]["mapping"][label] == ref["$ref"]
                assert "type" in target["required"]


def test_stored_rows_without_type_get_it_from_the_migration(country):
    """Rows stored before the top-level ``type`` existed gain it on migrate."""
    label = "news.NewsPage"
    rows = Projection.objects.filter(object_type=label)
    assert rows.exists()
    for row in rows:
        row.data.pop("type")
        row.listing.pop("type")
        row.save(update_fields=["data", "listing"])
    migration = importlib.import_module("cms.projections.migrations.0003_top_level_type")
    migration.add_type(apps, None)
    for data, listing in rows.values_list("data", "listing"):
        assert data["type"] == listing["type"] == label
