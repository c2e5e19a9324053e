"""The OpenAPI contract is made from the representations, and matches what they produce."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cms.core.blocks import BodyBlock
from cms.projections import schemas
from cms.projections.models import Projection
from cms.projections.registry import served_types
from cms.projections.representations import representations

ALWAYS = {"id", "type", "language", "meta"}


def all_representations():
    """Every type's, a snippet type added to ``Representations`` included."""
    reps = representations()
    return [*reps.pages.values(), *reps.snippets, reps.site]


@pytest.mark.parametrize("every_language", [False, True])
def test_every_type_has_a_schema_with_exactly_its_fields(db, every_language):
    for rep in all_representations():
        schema = schemas.item_schema(rep, every_language)
        fields = {field.alias or name for name, field in schema.model_fields.items()}
        fallback = set() if every_language else {"_fallback"}
        assert fields == ALWAYS | set(rep.field_names) | fallback, rep.model


def keys(value):
    """The structure of a JSON value: its objects' keys, all the way down."""
    if isinstance(value, dict):
        return {name: keys(item) for name, item in value.items()}
    if isinstance(value, list):
        return [keys(item) for item in value]
    return None


def test_every_stored_row_is_exactly_what_its_schema_writes(db):
    """No key the schema does not know (pydantic would drop it) and none it invents."""
    for served in served_types().values():
        for language in ("en", "sk", "all"):
            rows = Projection.objects.filter(object_type=served.label, language=language)
            for data in rows.values_list("data", flat=True)[:20]:
                schema = schemas.item_schema(served.representation, language == "all")
                written = schema.model_validate(data).model_dump(
                    mode="json", by_alias=True, exclude_unset=True
                )
                assert keys(written) == keys(data), (served.label, language)


def test_single_language_text_is_a_string_and_lang_all_a_map(db):
    one = schemas.item_schema(representations().cluster, False).model_json_schema()
    every = schemas.item_schema(representations().cluster, True).model_json_schema()
    assert one["properties"]["name"]["anyOf"][0] == {"type": "string"}
    assert every["properties"]["name"]["anyOf"][0] == {"$ref": "#/$defs/TextByLanguage"}
    assert every["$defs"]["TextByLanguage"]["type"] == "object"
    assert one["properties"]["language"]["$ref"] == "#/$defs/Language"
    assert one["$defs"]["Language"]["enum"] == ["en", "cs", "de", "it", "pl", "sk", "sl"]
    assert every["properties"]["language"]["const"] == "all"
    assert "_fallback" in one["required"] and "_fallback" not in every["properties"]


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
        "/api/v3/news/{page_id}/",
        "/api/v3/events/",
        "/api/v3/events/{page_id}/",
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
    assert "_fallback" in components["NewsPage"]["properties"]
    assert "_fallback" not in components["NewsPageAllLanguages"]["properties"]
    assert components["NewsPageMeta"]["properties"]["type"]["const"] == "news.NewsPage"


def test_schema_names_read_as_the_types_they_describe(api):
    """What a generated client shows a developer: no module paths, no ``Schema`` suffixes."""
    components = api("openapi.json").json()["components"]["schemas"]
    for name in ["NewsPage", "EventPage", "ClusterProfile", "PartnerOrganisation"]:
        assert name in components and f"{name}AllLanguages" in components
    for name in ["ContactPerson", "Sector", "Site", "SectorRef", "Image", "NewsListing"]:
        assert name in components
    for name in components:
        assert name.isidentifier() and "__" not in name and not name.endswith("Schema"), name
    assert "RenditionAllLanguages" not in components  # nothing in it is translated


def test_interactive_docs(api):
    response = api("docs/")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


@override_settings(WAGTAILAPI_DOCS_ENABLED=False)
def test_docs_can_be_switched_off(api):
    assert api("docs/").status_code == 404
    assert api("openapi.json").status_code == 404


def test_a_resource_of_two_words_gets_the_names_a_developer_would_write(monkeypatch):
    """``register`` names the views and schemas after the declared listing: a hyphenated path
    (``funding-programmes``) and a two-word item must give ``listFundingProgrammes`` and
    ``FundingProgrammeListing``, not ``listFunding-programmes`` and ``Funding_ProgrammeListing``."""
    from typing import get_args

    from ninja import Router

    from cms.api import resources
    from cms.api.listings import Listing
    from cms.api.openapi import operation_id
    from cms.core.models import Sector
    from cms.projections.registry import served_type

    declared = Listing(
        path="funding-programmes",
        item="funding_programme",
        tag="network",
        listed="Funding programmes.",
        orderings=("id",),
        default_order=("id",),
    )
    monkeypatch.setattr(Sector, "api_listing", declared)
    monkeypatch.setattr(resources, "SCHEMAS", {})
    router = Router()
    resources.register(router, served_type(Sector))
    assert [str(url.pattern) for url in router.urls_paths("")] == [
        "funding-programmes/",
        "funding-programmes/<funding_programme_id>/",
    ]
    ids = {
        operation_id(operation)
        for view in router.path_operations.values()
        for operation in view.operations
    }
    assert ids == {"listFundingProgrammes", "getFundingProgramme"}
    listing = resources.SCHEMAS["funding-programmes"].listing  # by language: one, or all
    one, every = (get_args(variant)[0] for variant in get_args(get_args(listing)[0]))
    assert (one.__name__, every.__name__) == (
        "FundingProgrammeListing",
        "FundingProgrammeListingAllLanguages",
    )
