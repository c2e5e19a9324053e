"""The OpenAPI contract matches what the representations produce."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cms.api import schemas
from cms.core.blocks import BodyBlock
from cms.projections.representations import representations

ALWAYS = {"id", "type", "meta", "fallback"}


def schema_fields(schema) -> set[str]:
    return set(schema.model_fields) - ALWAYS


def test_every_page_type_has_a_schema_with_exactly_its_fields(db):
    reps = representations()
    assert set(schemas.PAGE_SCHEMAS) == set(reps.pages)
    for model, schema in schemas.PAGE_SCHEMAS.items():
        assert schema_fields(schema) == set(reps.page(model).field_names), model


@pytest.mark.parametrize(
    ("attribute", "schema"),
    [
        ("cluster", schemas.ClusterSchema),
        ("partner", schemas.PartnerSchema),
        ("contact", schemas.ContactSchema),
        ("sector", schemas.SectorSchema),
        ("site", schemas.SiteSchema),
    ],
)
def test_every_snippet_schema_has_exactly_its_fields(db, attribute, schema):
    assert schema_fields(schema) == set(getattr(representations(), attribute).field_names)


def test_every_body_block_has_a_schema():
    described = {
        member.model_fields["type"].annotation.__args__[0]
        for member in (
            schemas.HeadingBlock,
            schemas.ParagraphBlock,
            schemas.ImageBlock,
            schemas.QuoteBlock,
        )
    }
    assert described == set(BodyBlock().child_blocks)


def test_openapi_document_describes_every_endpoint(api):
    response = api("openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    for path in [
        "/api/v3/pages/",
        "/api/v3/pages/{page_id}/",
        "/api/v3/news/",
        "/api/v3/events/",
        "/api/v3/clusters/",
        "/api/v3/clusters/{cluster_id}/",
        "/api/v3/partners/",
        "/api/v3/partners/{partner_id}/",
        "/api/v3/contacts/",
        "/api/v3/contacts/{contact_id}/",
        "/api/v3/sectors/",
        "/api/v3/sectors/{sector_id}/",
        "/api/v3/sites/",
        "/api/v3/sites/{code}/",
    ]:
        assert path in paths, path
    assert set(document["paths"]["/api/v3/news/"]) == {"get"}
    parameters = {p["name"] for p in document["paths"]["/api/v3/news/"]["get"]["parameters"]}
    assert {"lang", "site", "fields", "limit", "offset", "order", "updated_since"} <= parameters
    assert {"sector", "country", "cluster", "date_from", "date_to"} <= parameters
    components = document["components"]["schemas"]
    assert "_fallback" in components["NewsPageSchema"]["properties"]
    assert components["NewsPageMeta"]["properties"]["type"]["const"] == "news.NewsPage"


def test_interactive_docs(api):
    response = api("docs/")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


@override_settings(WAGTAILAPI_DOCS_ENABLED=False)
def test_docs_can_be_switched_off(api):
    assert api("docs/").status_code == 404
    assert api("openapi.json").status_code == 404
