"""The OpenAPI document as a generated client sees it: operation ids, servers, every header.

The header test requests every operation of the document with every status it can
answer (200, 304, 400, 401, 404 for details, 429 with the rate limit on), through the
whole middleware stack, with the response cache on (``X-Cache``), CORS for a partner's
origin, HTTPS with HSTS, and with and without an API token; every header sent must be
declared for that operation and status, and every header declared ``required`` sent.
"""

from __future__ import annotations

import io
import json
from collections import defaultdict

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

#: Not declared on purpose: ``Content-Type`` (OpenAPI ignores it as a response header; the
#: media types say it) and what the HTTP server frames the message with.
UNDECLARED = frozenset(
    {"content-type", "content-length", "date", "server", "connection", "transfer-encoding"}
)
PARTNER = "https://partner.example.org"
#: Values for required query parameters (search needs words).
REQUIRED_QUERY = {"q": "cluster"}
#: An id no object has.
MISSING = {"code": "QQ"}


@pytest.fixture
def document(api):
    return api("openapi.json").json()


def operations(document):
    """(operation id, path, operation) for every operation in the document."""
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            assert method == "get", f"{method} {path}: the API is read-only"
            yield operation["operationId"], path, operation


def declared_headers(document, response: dict) -> dict[str, dict]:
    """The response's declared headers by lower-case name, references resolved."""
    result = {}
    for name, header in response.get("headers", {}).items():
        if "$ref" in header:
            header = document["components"]["headers"][header["$ref"].rsplit("/", 1)[1]]
        result[name.lower()] = header
    return result


def test_operation_ids_are_what_a_developer_would_write(document):
    ids = {path: operation_id for operation_id, path, _ in operations(document)}
    assert ids["/api/v3/news/"] == "listNews"
    assert ids["/api/v3/pages/"] == "listPages"
    assert ids["/api/v3/pages/{page_id}/"] == "getPage"
    assert ids["/api/v3/pages/{page_id}/preview/"] == "previewPage"
    assert ids["/api/v3/clusters/"] == "listClusters"
    assert ids["/api/v3/clusters/{cluster_id}/"] == "getCluster"
    assert ids["/api/v3/sync/"] == "sync"
    assert ids["/api/v3/"] == "getIndex"
    assert ids["/api/v3/search/"] == "searchContent"
    assert ids["/api/v3/search/autocomplete/"] == "autocompleteTitles"
    if "/api/v3/news/{page_id}/" in ids:  # "getNews" would read as the whole listing
        assert ids["/api/v3/news/{page_id}/"] == "getNewsItem"
    for operation_id in ids.values():
        assert operation_id.isidentifier() and "_" not in operation_id, operation_id
        assert operation_id[0].islower(), operation_id
    # Ninja only warns about a repeated id; a generated client would break.
    repeated = {i for i in ids.values() if list(ids.values()).count(i) > 1}
    assert not repeated, f"{repeated}: add the views to cms.api.openapi.OPERATION_IDS"


def test_servers_are_relative_to_the_document(api, document):
    # Resolved against where the document was fetched from: the same on every host.
    assert [server["url"] for server in document["servers"]] == ["/"]
    assert api("openapi.json", host="sk.localhost").json()["servers"] == document["servers"]
    assert all(path.startswith("/api/v3/") for path in document["paths"])


def test_the_webhooks_are_in_the_document(document):
    assert document["webhooks"], "cms.webhooks.schema describes webhooks"
    for hook in document["webhooks"].values():
        assert hook["post"]["requestBody"]


def test_the_management_command_writes_the_served_document(api, document):
    out = io.StringIO()
    call_command("openapi", stdout=out)
    assert json.loads(out.getvalue()) == document


def detail_value(api, path: str, param: str):
    """A real value for ``{param}`` in ``path``: the first item of the listing above it."""
    listing = path.split("{", 1)[0]
    body = api(listing.removeprefix("/api/v3/"), secure=True).json()
    item = body["items"][0]
    return item["code"] if param == "code" else item["id"]


def concrete(api, path: str, operation: dict, *, missing: bool = False) -> str:
    """``path`` with real (or missing) path parameters and the required query parameters."""
    query = []
    for parameter in operation.get("parameters", []):
        name = parameter["name"]
        if parameter["in"] == "path":
            if missing:
                value = MISSING.get(name, 999_999_999)
            elif path.endswith("/preview/"):
                # A page the token's (Czech) user may edit: a Czech news item.
                value = api("news/", secure=True).json()["items"][0]["id"]
            else:
                value = detail_value(api, path, name)
            path = path.replace("{" + name + "}", str(value))
        elif parameter.get("required"):
            query.append(f"{name}={REQUIRED_QUERY[name]}")
    return path.removeprefix("/api/v3/") + ("?" + "&".join(query) if query else "")


def with_query(path: str, extra: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}{extra}"


@override_settings(
    API_RESPONSE_CACHE_SECONDS=300,
    CORS_ALLOWED_ORIGINS=[PARTNER],
    SECURE_HSTS_SECONDS=3600,
    API_RATE_LIMIT=0,
)
def test_every_header_sent_is_declared_for_its_operation_and_status(api, api_token, document):
    cache.clear()
    seen: dict[str, set[str]] = defaultdict(set)
    problems: list[str] = []

    def check(operation_id: str, operation: dict, response, expected: int):
        status = str(response.status_code)
        assert response.status_code == expected, (operation_id, status, response.content[:300])
        seen[operation_id].add(status)
        declared_response = operation["responses"].get(status)
        if declared_response is None:
            problems.append(f"{operation_id} {status}: status not declared")
            return
        declared = declared_headers(document, declared_response)
        sent = {name.lower() for name in response.headers} - UNDECLARED
        for name in sorted(sent - set(declared)):
            problems.append(f"{operation_id} {status}: {name} sent, not declared")
        for name, header in declared.items():
            if header.get("required") and name not in sent:
                problems.append(f"{operation_id} {status}: {name} declared required, not sent")

    origin = {"HTTP_ORIGIN": PARTNER, "secure": True}
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {api_token}"}
    for operation_id, path, operation in operations(document):
        needs_token = bool(operation.get("security"))
        token = bearer if needs_token else {}
        url = concrete(api, path, operation)
        cache.clear()  # the listings read for the path's ids were cached
        for round_ in ("MISS", "HIT"):
            ok = api(url, **origin, **token)
            check(operation_id, operation, ok, 200)
            if not needs_token:
                assert ok["X-Cache"] == round_, (operation_id, ok["X-Cache"])
            not_modified = api(url, HTTP_IF_NONE_MATCH=ok["ETag"], **origin, **token)
            check(operation_id, operation, not_modified, 304)
        if not needs_token:  # public reads with a token: private, Vary: Authorization
            check(operation_id, operation, api(url, **origin, **bearer), 200)
        if ok.has_header("Last-Modified"):
            since = api(url, HTTP_IF_MODIFIED_SINCE=ok["Last-Modified"], **origin, **token)
            check(operation_id, operation, since, 304)
        # Refused before the operation runs, then by the operation itself (twice: cached path).
        check(operation_id, operation, api(with_query(url, "bogus=1"), **origin, **token), 400)
        for _ in range(2):
            check(operation_id, operation, api(with_query(url, "lang=xx"), **origin, **token), 400)
        bad_token = {"HTTP_AUTHORIZATION": "Bearer not-a-token"}
        check(operation_id, operation, api(url, **origin, **bad_token), 401)
        if needs_token:
            check(operation_id, operation, api(url, **origin), 401)
        if "{" in path:
            missing = concrete(api, path, operation, missing=True)
            for _ in range(2):
                check(operation_id, operation, api(missing, **origin, **token), 404)

    urls = {
        operation_id: concrete(api, path, op) for operation_id, path, op in operations(document)
    }
    with override_settings(API_RATE_LIMIT=1, API_RATE_LIMIT_WINDOW=3600):
        cache.clear()
        for operation_id, _path, operation in operations(document):
            url = urls[operation_id]
            token = bearer if operation.get("security") else {}
            response = api(url, **origin, **token)
            if response.status_code != 429:  # the first request of the window, or a new window
                response = api(url, **origin, **token)
            check(operation_id, operation, response, 429)

    assert problems == []
    for operation_id, path, _ in operations(document):
        expected = {"200", "304", "400", "401", "429"} | ({"404"} if "{" in path else set())
        assert seen[operation_id] == expected, operation_id


def test_the_document_names_the_orders_and_fields_each_operation_takes(api):
    """``order`` and ``fields`` said only "comma-separated fields": a client generated from
    the document (and schemathesis) could not know ``news/?order=members`` is a 400."""
    document = api("openapi.json").json()
    parameters = {
        (path, parameter["name"]): parameter.get("description", "")
        for path, operations in document["paths"].items()
        for parameter in operations["get"].get("parameters", [])
    }
    news_order = parameters[("/api/v3/news/", "order")]
    assert "`date`, `title`, `first_published_at`, `last_published_at`, `id`" in news_order
    assert "default: `-date,-id`" in news_order
    assert "`members`" in parameters[("/api/v3/clusters/", "order")]
    assert "`members`" not in news_order
    assert "`funding_note`" in parameters[("/api/v3/news/{page_id}/", "fields")]
    assert "`hostname`" in parameters[("/api/v3/sites/", "fields")]
