"""The editor's "copy content from another language" button for a StreamField, refusing
what it cannot copy.

wagtail-modeltranslation's view behind the button (``copy_translation_content``) reads
its request without a check: another method, malformed JSON, a missing value or a
field that is no StreamField of the page was a 500, and it took requests without a
CSRF token. It also rendered whatever the posted value embeds: another country's
images, documents and draft pages, titles and addresses included, for any id an editor
typed. ``copy_translation_content`` here answers those with a 400 (or 405) naming the
problem, refuses a value embedding what the editor may not choose in the page form
(``cms.core.permissions.unchoosable_references``), and hands the rest to it. Served at
its address, before it (``cms.core.wagtail_hooks``).
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail_modeltranslation.wagtail_hooks import (
    return_translation_target_field_rendered_html as render_copied_field,
)

from cms.core.forms import embedding_error
from cms.core.permissions import references_in, unchoosable_references


@require_POST
def copy_translation_content(request: HttpRequest, page_id: int):
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    problem = request_problem(request, page)
    if problem:
        return JsonResponse({"error": problem}, status=400)
    try:
        refused = references_refused(request, page)
        if refused:
            (message,) = embedding_error(refused).messages
            return JsonResponse({"error": f"serializedOriginField: {message}"}, status=400)
        return render_copied_field(request, page_id)
    except (ValueError, LookupError, TypeError, ValidationError) as error:
        return JsonResponse({"error": f"serializedOriginField: {error}"}, status=400)


def references_refused(request: HttpRequest, page) -> list:
    """What the posted value embeds that the editor may not choose, as the page form
    judges it: another country's media and pages, unless the page holds them already
    (in its latest revision, in either field)."""
    name = request.POST["origin_field_name"]
    field = page._meta.get_field(name)
    posted = QueryDict(mutable=True)
    for item in json.loads(request.POST["serializedOriginField"]):
        value = item.get("value")
        posted.appendlist(item["name"], "" if value is None else str(value))
    value = field.stream_block.value_from_datadict(posted, {}, name)
    latest = page.get_latest_revision_as_object()
    kept = set()
    for held in (name, request.POST["target_field_name"]):
        kept |= references_in(page._meta.get_field(held), getattr(latest, held))
    return unchoosable_references(field, value, request.user, kept=kept)


def request_problem(request: HttpRequest, page) -> str | None:
    """What makes the request one the button does not send, or ``None``."""
    if request.headers.get("X-Requested-With") != "XMLHttpRequest":
        return "X-Requested-With: must be XMLHttpRequest"
    stream_fields = {
        field.name for field in page._meta.get_fields() if isinstance(field, StreamField)
    }
    for name in ("origin_field_name", "target_field_name"):
        if request.POST.get(name) not in stream_fields:
            return f"{name}: not a StreamField of this page"
    try:
        serialized = json.loads(request.POST.get("serializedOriginField", ""))
    except ValueError:
        return "serializedOriginField: not JSON"
    if not isinstance(serialized, list) or not all(
        isinstance(item, dict) and isinstance(item.get("name"), str) for item in serialized
    ):
        return "serializedOriginField: must be a list of {name, value} objects"
    origin = request.POST["origin_field_name"]
    for item in serialized:
        # Each the origin field's: the library renames them to the target's and renders
        # that, so an item already named as the target's was rendered without our check.
        if item["name"] != origin and not item["name"].startswith(f"{origin}-"):
            return f"serializedOriginField: {item['name']!r} is not a part of {origin}"
    return None
