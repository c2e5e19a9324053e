"""Uploads kept between an import's preview and its confirmation, for every app server.

The admin import is two requests (``cms.clusters.views``); the file the
editor previewed waits in a ``PendingImport`` row in between, under a random
token that only its uploader can redeem.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from cms.clusters.models import PendingImport

KEPT_PER_USER = 3  # a few browser tabs; older uploads of the same user are dropped


def forget_expired() -> None:
    """Delete every upload older than ``PendingImport.LIFETIME`` (anyone's)."""
    PendingImport.objects.filter(created_at__lt=timezone.now() - PendingImport.LIFETIME).delete()


@transaction.atomic
def keep_upload(*, user, filename: str, content: bytes, previewed: dict) -> str:
    """Store an upload for ``user`` and return the token that confirms it.

    ``previewed``: what its preview showed (``cms.clusters.confirmation.fingerprints``), which the
    confirmation must find again before it writes.
    """
    forget_expired()
    token = secrets.token_urlsafe(24)
    PendingImport.objects.create(
        token=token, user=user, filename=filename, content=content, previewed=previewed
    )
    older = PendingImport.objects.filter(user=user).order_by("-created_at", "-pk")[KEPT_PER_USER:]
    PendingImport.objects.filter(pk__in=list(older.values_list("pk", flat=True))).delete()
    return token


def claim_upload(*, user, token: str) -> PendingImport | None:
    """The user's unexpired upload with this token, locked until the transaction ends.

    None when there is none: expired, already imported, or another user's (the
    same answer for each, so a token reveals nothing). Call it inside a
    transaction and delete the row once imported, so that a double click
    imports once.
    """
    forget_expired()
    return PendingImport.objects.select_for_update().filter(user=user, token=token).first()
