"""Bad input gets a 4xx JSON error naming the parameter; nothing gets a 500."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from modeltranslation.utils import build_localized_fieldname

from cms.clusters.models import ClusterProfile
from cms.core.languages import LANGUAGE_CODES
from cms.news.models import NewsPage

BAD_PARAMETERS = [
    ("news/?fields=nonsense", "fields"),
    ("news/?fields=title,-nonsense", "fields"),
    ("clusters/?fields=-meta", "fields"),  # accepted, and every item kept its meta
    ("sectors/1/?fields=-id", "fields"),
    ("news/?date_from=2011-13-45", "date_from"),
    ("news/?date_to=yesterday", "date_to"),
    ("news/?date_from=20261201", "date_from"),  # read as seconds since 1970: 1970-08-23
    ("events/?updated_since=0.5", "updated_since"),
    ("search/?q=klastr&date_from=1303689600", "date_from"),
    ("news/?date_from=2012-01-01&date_to=2011-01-01", "date_to"),
    ("news/?limit=-1", "limit"),
    ("news/?limit=0", "limit"),
    ("news/?limit=101", "limit"),
    ("news/?limit=ten", "limit"),
    ("news/?offset=-5", "offset"),
    ("news/?offset=99999999999999999999999", "offset"),
    ("news/?lang=xx", "lang"),
    ("news/?lang=", "lang"),
    ("news/?lang=cs-XX-", "lang"),
    ("news/?sector=mining", "sector"),
    ("news/?tag=no-such-tag", "tag"),
    ("news/?sector=no%20such%20slug", "sector"),
    ("news/?cluster=no-such-cluster", "cluster"),
    ("news/?country=XX", "country"),
    ("news/?country=C", "country"),
    ("news/?site=XX", "site"),
    ("news/?site=xyz", "site"),
    ("news/?site=", "site"),
    ("news/?order=popularity", "order"),
    ("news/?order=-", "order"),
    ("news/?updated_since=last-week", "updated_since"),
    # Valid ISO 8601, but UTC (what items are compared in) has no such time.
    ("news/?updated_since=0001-01-01T00:00:00%2B14:00", "updated_since"),
    ("events/?updated_since=9999-12-31T23:59:59-14:00", "updated_since"),
    ("sites/?updated_since=0001-01-01T00:00:00%2B01:00", "updated_since"),
    ("news/?rich_text_format=pdf", "rich_text_format"),
    ("news/?sectr=food", "sectr"),
    ("events/?kind=party", "kind"),
    ("pages/?type=news.Nonsense", "type"),
    ("pages/?child_of=0", "child_of"),
    ("pages/?child_of=999999", "child_of"),
    ("pages/1/?fields=kind,nonsense", "fields"),
    ("pages/abc/", "page_id"),
    ("pages/99999999999999999999999/", "page_id"),
    ("news/abc/", "page_id"),
    ("events/0/", "page_id"),
    ("clusters/abc/", "cluster_id"),
    ("partners/0/", "partner_id"),
    ("contacts/99999999999999999999999/", "contact_id"),
    ("sectors/-1/", "sector_id"),
    ("clusters/?order=title", "order"),
    ("contacts/?organisation=nobody", "organisation"),
    ("sites/?fields=hostname,root", "fields"),
    ("sectors/?limit=1000", "limit"),
]


@pytest.mark.parametrize(("path", "parameter"), BAD_PARAMETERS)
def test_bad_parameters_get_a_400_naming_them(api, path, parameter):
    response = api(path)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] in {
        "/api/v3/docs/errors/#invalid-parameter",
        "/api/v3/docs/errors/#unknown-parameter",
    }
    assert body["parameter"] == parameter
    assert parameter in [problem["parameter"] for problem in body["errors"]]
    assert body["status"] == 400
    assert parameter in body["detail"]
    assert body["error"] == body["detail"]  # deprecated, kept for API version 3
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path",
    [
        "pages/999999/",
        "clusters/999999/",
        "partners/999999/",
        "contacts/999999/",
        "sectors/999999/",
        "sites/XY/",
        "nothing-here/",
        "v2/pages/",
    ],
)
def test_unknown_resources_are_a_json_404(api, path):
    response = api(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert body["type"] == "/api/v3/docs/errors/#not-found"
    assert body["title"] == "Not found"
    assert body["errors"] == []


def test_api_404_is_not_redirected_to_a_language_prefix(client, db):
    """Django's LocaleMiddleware would send /api/... 404s to /<lang>/api/... otherwise."""
    response = client.get("/api/v3/pages/999999/", HTTP_HOST="cz.localhost")
    assert response.status_code == 404
    response = client.get("/api/v3/no-such-thing/", HTTP_HOST="cz.localhost")
    assert response.status_code == 404


def test_writes_are_not_allowed(client, db):
    response = client.post("/api/v3/news/", HTTP_HOST="cz.localhost")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "/api/v3/docs/errors/#method-not-allowed"
    assert "HEAD" in response["Allow"]


@pytest.mark.parametrize(
    "path", ["openapi.json", "docs/", "docs/errors/", "no-such-thing/", "news", "sites/CZ/"]
)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_anywhere_under_the_api_are_a_json_405(db, path, method):
    """Not Django's HTML 403 for a missing CSRF token (a browser's form, a client's POST):
    the API is read-only, and says so, at every address."""
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(f"/api/v3/{path}", HTTP_HOST="cz.localhost")
    assert response.status_code == 405
    assert response.json()["type"] == "/api/v3/docs/errors/#method-not-allowed"
    assert response["Allow"] == "GET, HEAD"


def test_head_is_answered_like_get(client, db):
    get = client.get("/api/v3/news/", HTTP_HOST="cz.localhost")
    head = client.head("/api/v3/news/", HTTP_HOST="cz.localhost")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Length"] == str(len(get.content))


def test_a_missing_slash_is_redirected_with_the_query(client, db):
    response = client.get("/api/v3/news?lang=en", HTTP_HOST="cz.localhost")
    assert response.status_code == 301
    assert response["Location"] == "/api/v3/news/?lang=en"


def test_unknown_host_reads_the_default_site(api):
    response = api("sites/", host="unknown.example")
    assert response.status_code == 200


MALFORMED = [
    "lang=%00",
    "site=%00",
    "fields=%00",
    "fields=" + "a," * 2000,
    "order=" + "-" * 500,
    "sector=%00",
    "sector=" + "x" * 500,
    "country=%C3%A9%C3%A9",
    "updated_since=99999999999999999999",
    "updated_since=-1",
    "updated_since=2024-02-30T25:61:00",
    "date_from=0000-00-00",
    "limit=1e3",
    "limit=%20",
    "offset=1.5",
    "cluster=a&cluster=%00",
    "type=",
    "child_of=-1",
    "rich_text_format=",
    "lang=CS",
    "lang=all&fields=*&rich_text_format=markdown",
]


@pytest.mark.parametrize("query", MALFORMED)
@pytest.mark.parametrize("resource", ["news/", "events/", "pages/", "clusters/", "sites/"])
def test_no_request_produces_a_500(api, resource, query):
    response = api(f"{resource}?{query}")
    assert response.status_code < 500, (resource, query, response.content)
    assert response["Content-Type"].startswith(("application/json", "application/problem+json"))


@pytest.mark.parametrize(
    "header",
    [
        {"HTTP_ACCEPT_LANGUAGE": "x" * 5000},
        {"HTTP_ACCEPT_LANGUAGE": ";;;q=abc,,"},
        {"HTTP_ACCEPT_LANGUAGE": "*"},
        {"HTTP_IF_NONE_MATCH": "garbage"},
        {"HTTP_IF_MODIFIED_SINCE": "not a date"},
        {"HTTP_IF_MODIFIED_SINCE": "Tue, 31 Dec 9999 23:59:59 GMT"},
    ],
)
def test_malformed_headers_are_ignored(api, header):
    page = NewsPage.objects.live().first()
    for path in ["news/", f"pages/{page.pk}/?site=INT"]:
        response = api(path, **header)
        assert response.status_code in (200, 304), (path, header, response.content)


# --- problem types ------------------------------------------------------------------


def test_unknown_parameters_are_each_named(api):
    body = api("news/?sectr=food&colour=red&lang=en").json()
    assert body["type"] == "/api/v3/docs/errors/#unknown-parameter"
    assert body["title"] == "Unknown parameter"
    assert body["errors"] == [
        {"parameter": "sectr", "error": "unknown query parameter"},
        {"parameter": "colour", "error": "unknown query parameter"},
    ]


@pytest.mark.parametrize("path", ["news/", "news/1/", "docs/errors/"])
def test_more_parameters_than_django_reads_are_a_json_problem(api, path):
    """Django refuses a query string of more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS``
    parameters; its own answer was an English HTML page, not the API's problem."""
    many = "&".join(f"p{number}=1" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = api(f"{path}?{many}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/api/v3/docs/errors/#invalid-parameter"
    assert body["detail"] == f"more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} query parameters"


@pytest.mark.parametrize(
    ("path", "parameter", "error"),
    [
        ("news/?site=XX", "site", "unknown site 'XX'"),
        ("news/?tag=no-such-tag", "tag", "unknown tag 'no-such-tag'"),
        ("news/?lang=xx", "lang", "Input should be"),
    ],
)
def test_unknown_values_name_their_parameter_in_errors(api, path, parameter, error):
    body = api(path).json()
    assert body["type"] == "/api/v3/docs/errors/#invalid-parameter"
    assert body["title"] == "Invalid parameter"
    ((problem),) = body["errors"]
    assert problem["parameter"] == parameter
    assert problem["error"].startswith(error), problem


def test_an_unencoded_plus_in_a_time_says_to_encode_it(api):
    """``+01:00`` written into a URL arrives as `` 01:00``: say so, not only "invalid"."""
    body = api("news/?updated_since=2026-12-01T10:00:00+01:00").json()
    assert body["status"] == 400
    ((problem),) = body["errors"]
    assert problem["parameter"] == "updated_since"
    assert "%2B" in problem["error"] and "%2B" in body["detail"]
    encoded = api("news/?updated_since=2026-12-01T10:00:00%2B01:00")
    assert encoded.status_code == 200
    assert "%2B" not in api("news/?updated_since=yesterday").json()["detail"]


def test_a_bad_token_is_an_unauthorized_problem_naming_the_header(api):
    response = api("news/", HTTP_AUTHORIZATION="Basic abc")
    body = response.json()
    assert response.status_code == 401
    assert body["type"] == "/api/v3/docs/errors/#unauthorized"
    assert body["errors"][0]["parameter"] == "Authorization"


def test_every_problem_type_is_documented_where_its_uri_points(client, db):
    from cms.api.errors import PROBLEM_TYPES

    response = client.get("/api/v3/docs/errors/", HTTP_HOST="cz.localhost")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    readme = (settings.BASE_DIR / "README.md").read_text()
    for kind in PROBLEM_TYPES:
        path, anchor = kind.uri.split("#")
        assert path == "/api/v3/docs/errors/"
        assert f'id="{anchor}"' in page
        assert f"`{kind.uri}`" in readme, kind.uri
    assert client.head("/api/v3/docs/errors/", HTTP_HOST="cz.localhost").status_code == 200


def test_the_openapi_document_describes_the_problem(api):
    document = api("openapi.json").json()
    schemas = document["components"]["schemas"]
    problem = schemas["APIProblem"]
    assert problem["properties"]["errors"]["items"] == {
        "$ref": "#/components/schemas/ParameterProblem"
    }
    assert set(schemas["ParameterProblem"]["properties"]) == {"parameter", "error"}
    assert problem["properties"]["error"]["deprecated"] is True
    assert "/api/v3/docs/errors/#invalid-parameter" in problem["properties"]["type"]["description"]


def test_a_body_that_breaks_the_contract_is_a_server_error_not_the_callers(client, db):
    """Our own JSON failing our schema is a 500 (logged), never a 400 blaming a parameter."""
    from django.utils import timezone

    from cms.projections.models import Tombstone

    Tombstone.objects.create(
        object_type="clusters.ClusterProfile", object_id=999_999, country="CZ", reason="bogus"
    )
    client.raise_request_exception = False
    since = (timezone.now() - timezone.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = client.get(f"/api/v3/clusters/?updated_since={since}", HTTP_HOST="cz.localhost")
    assert response.status_code == 500
    assert response.json()["errors"] == []


def test_a_filter_cannot_name_what_no_reader_sees(api):
    """A cluster profile named in no language is in no listing and no detail; naming its
    slug in ``?cluster=`` listed nothing (a 200), where a slug that never existed is a 400:
    the difference told that the unpublished profile existed."""
    cluster = ClusterProfile.objects.get(slug="it-klastr-usti")
    assert api("news/?cluster=it-klastr-usti&limit=5").status_code == 200  # before
    nameless = {build_localized_fieldname("name", code): "" for code in LANGUAGE_CODES}
    ClusterProfile.objects.filter(pk=cluster.pk).update(**nameless)
    hidden = api("news/?cluster=it-klastr-usti")
    never = api("news/?cluster=no-such-cluster")
    assert hidden.status_code == never.status_code == 400
    assert hidden.json()["errors"] == [
        {"parameter": "cluster", "error": "unknown cluster 'it-klastr-usti'"}
    ]
