from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.users import sign_in_locks
from cms.users.api_tokens import ScopedAPITokenViewSet


@hooks.register("register_admin_urls")
def register_sign_in_lock_urls():
    return [
        path("sign-in-locks/", sign_in_locks.locks, name="sign_in_locks"),
        path("sign-in-locks/<int:pk>/unlock/", sign_in_locks.unlock, name="sign_in_unlock"),
    ]


class SignInLocksMenuItem(MenuItem):
    def is_shown(self, request):
        return sign_in_locks.may_unlock(request.user)


@hooks.register("register_settings_menu_item")
def register_sign_in_locks_menu_item():
    return SignInLocksMenuItem(
        _("Sign-in locks"), reverse("sign_in_locks"), icon_name="lock", order=620
    )


@hooks.register("register_admin_viewset")
def register_api_tokens():
    """Settings -> API tokens, at Wagtail's own names and address (``cms.users.api_tokens``)."""
    return ScopedAPITokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens")
