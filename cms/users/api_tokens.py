"""The admin's screens of Wagtail's API tokens (Settings -> API tokens), which unlock the
Delivery API's draft previews: a partner makes the token its front end previews with.

Wagtail adds these screens only with its ``wagtail.api.v3`` app, which the project does
not serve (its API is ``cms.api``), so they are registered here, with two views scoped as
Wagtail scopes the listing, edit and revoke views: a token's history and usage were shown
to anyone with a permission on tokens, a Slovak token's name and its holder to a Czech
editor (found by ``tests/core/test_admin_sweep.py``). Who may manage a token, as Wagtail
decides it: its holder, and a user with ``auth.change_user`` (no group has it) any but a
superuser's.
"""

from __future__ import annotations

from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.models import APIToken
from wagtail.users.utils import get_manageable_token_owners
from wagtail.users.views.api_tokens import APITokenViewSet


def manageable_tokens(user):
    """The tokens ``user`` may see and manage: Wagtail's rule (``get_manageable_token_owners``)."""
    return APIToken.objects.filter(user__in=get_manageable_token_owners(user))


class ManageableTokensOnly:
    """A token view that finds only the tokens the user may manage (else a 404)."""

    def get_base_object_queryset(self):
        return manageable_tokens(self.request.user)


class TokenHistoryView(ManageableTokensOnly, HistoryView):
    pass


class TokenUsageView(ManageableTokensOnly, UsageView):
    pass


class ScopedAPITokenViewSet(APITokenViewSet):
    history_view_class = TokenHistoryView
    usage_view_class = TokenUsageView
