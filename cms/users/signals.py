"""An editor's admin speaks their country's language from the first login.

When a user joins a country's editor or moderator group and has not chosen
an admin language yet, their Wagtail profile gets the country's default
language. It is only a default: the editor can change it in their account,
and joining another group later never overrides a choice already made.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from wagtail.users.models import UserProfile

from cms.core.models import Country


def default_admin_language(user, group_ids) -> None:
    """Set ``user``'s admin language from the first country among ``group_ids``, if unset."""
    country = (
        Country.objects.filter(Q(editors_group__in=group_ids) | Q(moderators_group__in=group_ids))
        .order_by("sort_order", "code")
        .first()
    )
    if country is None:
        return
    profile = UserProfile.get_for_user(user)
    if not profile.preferred_language:
        profile.preferred_language = country.default_language
        profile.save(update_fields=["preferred_language"])


@receiver(m2m_changed, sender=get_user_model().groups.through)
def on_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "post_add" or not pk_set:
        return
    if reverse:  # group.user_set.add(user, ...)
        for user in get_user_model().objects.filter(pk__in=pk_set):
            default_admin_language(user, [instance.pk])
    else:  # user.groups.add(group, ...)
        default_admin_language(instance, list(pk_set))
