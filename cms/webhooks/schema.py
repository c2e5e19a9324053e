"""The webhooks a consumer receives, as the OpenAPI 3.1 ``webhooks`` object.

``webhooks_openapi()`` describes the one request the CMS sends to a registered
endpoint (``contentChanged``): its JSON body (``cms.webhooks.payload.event_payload``),
the signature and timestamp headers, and the answer expected (any 2xx; anything
else, or no answer within ``WEBHOOK_TIMEOUT``, is retried with backoff). The
document's ``webhooks`` section is this dict; the schemas are inline so the
section stands on its own.
"""

from __future__ import annotations

from cms.core.languages import LANGUAGE_CODES
from cms.webhooks.delivery import EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER
from cms.webhooks.models import all_webhook_events

EVENT_DESCRIPTION = (
    "What happened to the item on its site: `published` (published for the first time, or "
    "anything it shows changed, in `languages`; also an item that entered this site from "
    "another country), `unpublished`, `deleted`, `moved` (moved to another country: gone from "
    "`site`, see `moved_to`; the site it entered gets a `published` event)."
)


def payload_schema() -> dict:
    """JSON Schema of the body of a delivery."""
    return {
        "type": "object",
        "title": "WebhookEvent",
        "required": ["id", "event", "occurred_at", "sequence", "object"],
        "additionalProperties": False,
        "properties": {
            "id": {
                "type": "string",
                "format": "uuid",
                "description": "The event's id: the same on every retry of it (deduplicate on it).",
            },
            "event": {
                "type": "string",
                "enum": all_webhook_events(),
                "description": EVENT_DESCRIPTION,
            },
            "occurred_at": {
                "type": "string",
                "format": "date-time",
                "description": "When the change was recorded (UTC, `Z`).",
            },
            "sequence": {
                "type": "integer",
                "minimum": 1,
                "description": (
                    "Position of this event among the events of the same item (`object.type` and "
                    "`object.id`): later events have higher numbers. Events of one item reach an "
                    "endpoint in this order (a later one waits while an earlier one is retried); "
                    "a gap means an earlier event was given up after `WEBHOOK_MAX_ATTEMPTS` "
                    "failed attempts, or went to another site's webhooks."
                ),
            },
            "object": {
                "type": "object",
                "required": ["type", "id", "site", "languages", "api_url", "html_url"],
                "additionalProperties": False,
                "properties": {
                    "type": {
                        "type": "string",
                        "description": "The served type, as `meta.type` in the API: "
                        "`news.NewsPage`, `clusters.ClusterProfile`, …",
                        "examples": ["news.NewsPage"],
                    },
                    "id": {"type": "integer", "description": "The item's id in the API."},
                    "site": {
                        "type": ["string", "null"],
                        "description": "Code of the country whose site the event concerns "
                        "(for `moved`, the site it left); null for network-wide items (sectors).",
                        "examples": ["CZ"],
                    },
                    "languages": {
                        "type": "array",
                        "items": {"type": "string", "enum": list(LANGUAGE_CODES)},
                        "description": "Languages affected: for `published`, those whose content "
                        "changed (all the item is served in when it is new to the site); for the "
                        "others, those it was served in.",
                    },
                    "api_url": {
                        "type": ["string", "null"],
                        "format": "uri",
                        "description": "The item's detail in the Delivery API, scoped to `site`"
                        " (a 404 after `unpublished`, `deleted`, `moved`).",
                    },
                    "html_url": {
                        "type": ["object", "null"],
                        "additionalProperties": {"type": "string", "format": "uri"},
                        "description": "Visitor URL per affected language, for `published` "
                        "items that have a page of their own; null otherwise.",
                    },
                    "moved_to": {
                        "type": ["string", "null"],
                        "description": "`moved` only: code of the country it moved to.",
                    },
                },
            },
        },
    }


def example_payload() -> dict:
    return {
        "id": "0f8e3c1e-3e0c-4a59-9a55-2f3b7e0cde11",
        "event": "published",
        "occurred_at": "2026-12-03T10:15:00Z",
        "sequence": 4,
        "object": {
            "type": "news.NewsPage",
            "id": 42,
            "site": "CZ",
            "languages": ["cs", "en"],
            "api_url": "https://cms.example.org/api/v3/pages/42/?site=CZ",
            "html_url": {
                "cs": "https://cz.example.org/cs/novinky/setkani/",
                "en": "https://cz.example.org/en/news/meeting/",
            },
        },
    }


def webhooks_openapi() -> dict:
    """The OpenAPI 3.1 ``webhooks`` object: one ``contentChanged`` POST."""
    header = {"required": True, "schema": {"type": "string"}}
    return {
        "contentChanged": {
            "post": {
                "operationId": "contentChanged",
                "summary": "Content of a site changed",
                "description": (
                    "Sent to each active webhook registered for the item's site (a hub webhook: "
                    "every site) that subscribed to the event. Verify the signature: "
                    f"`{SIGNATURE_HEADER}` is `sha256=` and the hex HMAC-SHA256, keyed with the "
                    f"webhook's secret, of `<{TIMESTAMP_HEADER}>.<raw body>`; compare it in "
                    "constant time and reject a timestamp more than a few minutes old (a "
                    "replayed request). Answer any 2xx within a few seconds; anything else is "
                    "retried with exponential backoff, with the same body and `id`. Events of "
                    "one item arrive in `sequence` order."
                ),
                "parameters": [
                    {
                        **header,
                        "name": SIGNATURE_HEADER,
                        "in": "header",
                        "description": "`sha256=<hex>`: HMAC-SHA256(secret, `<timestamp>.<body>`).",
                        "schema": {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$"},
                    },
                    {
                        **header,
                        "name": TIMESTAMP_HEADER,
                        "in": "header",
                        "description": "Unix seconds when this attempt was signed.",
                        "schema": {"type": "string", "pattern": "^[0-9]+$"},
                    },
                    {
                        **header,
                        "name": EVENT_HEADER,
                        "in": "header",
                        "description": "The body's `event`.",
                        "schema": {"type": "string", "enum": all_webhook_events()},
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": payload_schema(),
                            "example": example_payload(),
                        }
                    },
                },
                "responses": {
                    "2XX": {"description": "Taken: the event is not sent again."},
                    "default": {
                        "description": "Not taken (or no answer within the timeout): the same "
                        "event is sent again with exponential backoff, until the attempts run out."
                    },
                },
            }
        }
    }
