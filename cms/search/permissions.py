"""Who may keep the synonyms and promoted results of which language.

Synonyms and promoted results change what every visitor of a language finds
the moment they are saved, on every country site in that language: that is
publishing, not drafting. So:

- **superusers and network administrators** keep every language's lists;
- **a country's moderators** (who publish its pages) keep its own languages'
  lists: the Czech moderators Czech, the German and the Austrian moderators
  German (the language's visitors are both countries'), the hub's moderators
  every language, since the hub publishes in all of them. English, the common
  language, is a country's own only where it is the default (the hub);
- **editors** (who only draft) and everybody else: nothing; the menu item is
  not shown, the views answer "permission denied", another language's row is
  a 404.

Roles come from the groups ``manage.py sync_sites`` writes
(``Country.moderators_group``), not from model permissions, so no group
needs to be granted anything for these two models.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies import BasePermissionPolicy

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.core.models import Country
from cms.core.permissions import NETWORK_ADMINISTRATORS, is_network_admin

ACTIONS = frozenset({"add", "change", "delete", "view"})
_LANGUAGES_CACHE = "_cms_search_list_languages"


def country_languages(country: Country) -> tuple[str, ...]:
    """A country's own languages: English only where it is the default."""
    languages = [country.default_language, *(country.languages or [])]
    if country.default_language != COMMON_LANGUAGE:
        languages = [code for code in languages if code != COMMON_LANGUAGE]
    return tuple(dict.fromkeys(code for code in languages if code in LANGUAGE_CODES))


def list_languages(user) -> tuple[str, ...]:
    """The languages whose synonyms and promoted results ``user`` keeps (cached on the user)."""
    if not (user.is_authenticated and user.is_active):
        return ()
    if is_network_admin(user):
        return LANGUAGE_CODES
    if not hasattr(user, _LANGUAGES_CACHE):
        codes: list[str] = []
        for country in Country.objects.filter(moderators_group__in=user.groups.all()):
            codes += [code for code in country_languages(country) if code not in codes]
        setattr(user, _LANGUAGES_CACHE, tuple(code for code in LANGUAGE_CODES if code in codes))
    return getattr(user, _LANGUAGES_CACHE)


class LanguagePermissionPolicy(BasePermissionPolicy):
    """Every action on the rows of the user's languages (``list_languages``)."""

    def user_has_permission(self, user, action):
        return action in ACTIONS and bool(list_languages(user))

    def user_has_permission_for_instance(self, user, action, instance):
        return action in ACTIONS and instance.language in list_languages(user)

    def instances_user_has_any_permission_for(self, user, actions):
        if not ACTIONS.intersection(actions):
            return self.model.objects.none()
        return self.model.objects.filter(language__in=list_languages(user))

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not ACTIONS.intersection(actions):
            return users.none()
        moderators = Country.objects.exclude(moderators_group=None).values("moderators_group")
        return users.filter(
            Q(is_superuser=True) | Q(groups__name=NETWORK_ADMINISTRATORS) | Q(groups__in=moderators)
        ).distinct()

    def users_with_any_permission_for_instance(self, actions, instance):
        users = get_user_model().objects.filter(is_active=True)
        if not ACTIONS.intersection(actions):
            return users.none()
        groups = [
            country.moderators_group_id
            for country in Country.objects.exclude(moderators_group=None)
            if instance.language in country_languages(country)
        ]
        return users.filter(
            Q(is_superuser=True) | Q(groups__name=NETWORK_ADMINISTRATORS) | Q(groups__in=groups)
        ).distinct()
