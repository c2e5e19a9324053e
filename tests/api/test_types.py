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
    """Rows stored before ``type`` and ``language`` existed gain them on migrate, and the
    digest of the JSON they now hold (what a fresh rendering gives: no difference to check)."""
    from cms.projections.rendering import digest_of

    before = {}
    for row in Projection.objects.filter(object_type__in=["news.NewsPage", "core.Sector"]):
        before[row.pk] = (row.digest, row.updated_at)
        for data in (row.data, row.listing):
            data.pop("type")
            data.pop("language")
        row.digest = digest_of(row.data)
        row.save(update_fields=["data", "listing", "digest"])
    assert before
    migration = importlib.import_module("cms.projections.migrations.0003_top_level_type")
    migration.add_type_and_language(apps, None)
    # And the later one that changed the digest, as ``migrate`` runs them in order.
    later = importlib.import_module("cms.projections.migrations.0012_digests_at_milliseconds")
    later.recompute_digests(apps, None)
    for row in Projection.objects.filter(pk__in=before):
        assert row.data["type"] == row.listing["type"] == row.object_type
        assert row.data["language"] == row.listing["language"] == row.language
        assert (
            (row.digest, row.updated_at) == before[row.pk] == (digest_of(row.data), row.updated_at)
        )


@pytest.mark.parametrize("path", [*LISTINGS, "sites/", "sync/"])
def test_lang_all_and_one_language_validate_against_their_own_schemas(api, path):
    """``language`` at the top tells them apart; translated fields are strings or maps."""
    from cms.api import resources, schemas

    one = api(f"{path}?site=CZ&lang=sk&fields=*").json()
    every = api(f"{path}?site=CZ&lang=all&fields=*").json()
    assert one["language"] == "sk" and every["language"] == "all"
    for item in items_of(one):
        assert item["language"] == item["meta"]["language"] == "sk"
        assert isinstance(item["_fallback"], dict)
    for item in items_of(every):
        assert item["language"] == item["meta"]["language"] == "all"
        assert "_fallback" not in item
    unions = {f"{name}/": schemas.listing for name, schemas in resources.SCHEMAS.items()}
    unions.update({"pages/": schemas.pages.listing, "sites/": schemas.sites.listing})
    union = unions.get(path, schemas.SyncPage)
    from pydantic import TypeAdapter

    adapter = TypeAdapter(union)
    assert type(adapter.validate_python(one)).__name__.endswith("AllLanguages") is False
    assert type(adapter.validate_python(every)).__name__.endswith("AllLanguages")
    # A single-language body is no lang=all body and the other way round.
    other = {**one, "language": "all"}
    with pytest.raises(ValueError):
        adapter.validate_python(other)


def test_a_translated_field_is_a_string_in_one_language_and_a_map_in_all(api):
    one = api("news/?site=CZ&lang=cs").json()["items"][0]
    every = api(f"news/{one['id']}/?site=CZ&lang=all").json()
    assert isinstance(one["title"], str)
    assert isinstance(every["title"], dict) and every["title"]["cs"]


@pytest.mark.parametrize(
    ("path", "label", "other"),
    [("news", "news.NewsPage", "events/"), ("events", "events.EventPage", "news/")],
)
def test_news_and_events_have_detail_routes(api, path, label, other):
    item = api(f"{path}/?site=CZ&lang=en").json()["items"][0]
    response = api(f"{path}/{item['id']}/?site=CZ&lang=en")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["type"] == label
    assert body == api(f"pages/{item['id']}/?site=CZ&lang=en").json()
    assert api(f"{path}/{item['id']}/?site=CZ&lang=all").json()["title"]["en"]
    # Another type's id, and an id on no site: 404 problem+json.
    other_id = api(f"{other}?site=CZ").json()["items"][0]["id"]
    for missing in (other_id, 999999):
        response = api(f"{path}/{missing}/?site=CZ")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/problem+json")
        assert response.json()["type"].endswith("#not-found")
