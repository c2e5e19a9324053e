"""The admin's list of sign-in locks, where a network administrator unlocks a name.

The throttle (``cms/settings/signin.py``) tells a locked-out editor to ask their network
administrator; this is where that administrator looks and unlocks, without the server's
``manage.py axes_reset_username``. Shown to whoever may delete django-axes' access
attempts: superusers and the network administrators (``cms.core.groups``). It lists the
names locked now, at which address, since when; unlocking one clears its failed
attempts, as a successful sign-in would.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

#: Who may see and lift the locks.
PERMISSION = "axes.delete_accessattempt"


def may_unlock(user) -> bool:
    return user.has_perm(PERMISSION)


def current_locks():
    """The (user name, address) pairs locked now: their failures within the cool-off, their
    last attempt, and one of their rows (``row``, which ``unlock`` is given): one query."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"), row=Max("pk"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("username", "ip_address")
    )


def locks(request):
    if not may_unlock(request.user):
        raise PermissionDenied
    return TemplateResponse(request, "users/sign_in_locks.html", {"locks": current_locks()})


@require_POST
def unlock(request, pk: int):
    if not may_unlock(request.user):
        raise PermissionDenied
    attempt = get_object_or_404(AccessAttempt, pk=pk)
    reset(ip=attempt.ip_address, username=attempt.username)
    messages.success(
        request,
        _("%(username)s may sign in again from %(address)s.")
        % {"username": attempt.username, "address": attempt.ip_address},
    )
    return redirect("sign_in_locks")
