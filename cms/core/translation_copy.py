"""The editor's "copy content from another language" button for a StreamField, refusing
what it cannot copy.

wagtail-modeltranslation's view behind the button (``copy_translation_content``) reads
its request without a check: another method, malformed JSON, a missing value or a
field that is no StreamField of the page was a 500, and it took requests without a
CSRF token. ``copy_translation_content`` here answers those with a 400 (or 405) naming
the problem, and hands a well-formed request to it. Served at its address, before it
(``cms.core.wagtail_hooks``).
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail_modeltranslation.wagtail_hooks import (
    return_translation_target_field_rendered_html as render_copied_field,
)


@require_POST
def copy_translation_content(request: HttpRequest, page_id: int):
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    problem = request_problem(request, page)
    if problem:
        return JsonResponse({"error": problem}, status=400)
    try:
        return render_copied_field(request, page_id)
    except (ValueError, LookupError, TypeError, ValidationError) as error:
        return JsonResponse({"error": f"serializedOriginField: {error}"}, status=400)


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
    return None
