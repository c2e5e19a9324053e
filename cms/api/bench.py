"""A bare Django JSON view, the baseline of ``make bench-api`` (mounted only with BENCH=1).

Served through the same middleware and gunicorn as the Delivery API, so the
benchmark shows what the API itself costs on top of Django answering JSON.
"""

from django.http import JsonResponse


def ping(request):
    return JsonResponse({"ok": True})
