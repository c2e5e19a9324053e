"""Who may touch which country's content in the admin.

Every national partner edits only its own country. A user's countries come
from group membership: ``Country.editors_group`` and
``Country.moderators_group`` (both written by ``manage.py sync_sites``).
Superusers and members of the "Network administrators" group work across
the whole network.

- Snippets that belong to a country (cluster profiles, partner
  organisations, contact people) use :class:`CountryPermissionPolicy`: the
  usual model permissions say *what* a user may do, the object's country says
  *where*. The admin views, choosers, forms and bulk actions all ask this
  policy, so one rule holds everywhere.
- Pages are scoped by Wagtail's own ``GroupPagePermission`` on each country's
  home page; :func:`reachable_pages` is the set the admin may show a user.
- Images and documents belong to the country whose collection holds them
  (``Country.collection``); Wagtail's own ``GroupCollectionPermission`` on
  that collection (and ``choose`` on the network's shared one) decides who
  sees them. Wagtail's views already ask its collection permission policy;
  :func:`visible_media` gives the same answer to the routes that do not (the
  admin API, bulk actions) and :func:`choosable_instances` to page and
  snippet forms.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import page_permission_policy, policy_registry

from cms.core.models import Country
from cms.core.visibility import shown_to_visitors

#: The group whose members edit every country's snippets and the shared taxonomy.
NETWORK_ADMINISTRATORS = "Network administrators"

#: Having any of these on a model lets a user see (list, choose) that model's objects.
VISIBLE_ACTIONS = ("add", "change", "delete", "view")

_COUNTRY_IDS_CACHE = "_cms_country_ids"
_NETWORK_ADMIN_CACHE = "_cms_is_network_admin"


def is_network_admin(user) -> bool:
    """True for active superusers and members of the network administrators group."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, _NETWORK_ADMIN_CACHE):
        in_group = user.groups.filter(name=NETWORK_ADMINISTRATORS).exists()
        setattr(user, _NETWORK_ADMIN_CACHE, in_group)
    return getattr(user, _NETWORK_ADMIN_CACHE)


def user_country_ids(user) -> frozenset[int]:
    """Ids of the countries whose editor or moderator group the user belongs to.

    Cached on the user object, which Django loads afresh for every request.
    """
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if not hasattr(user, _COUNTRY_IDS_CACHE):
        groups = user.groups.all()
        ids = Country.objects.filter(
            Q(editors_group__in=groups) | Q(moderators_group__in=groups)
        ).values_list("pk", flat=True)
        setattr(user, _COUNTRY_IDS_CACHE, frozenset(ids))
    return getattr(user, _COUNTRY_IDS_CACHE)


def countries_for_user(user):
    """Countries a user may file content under: all for network admins, else their own."""
    if is_network_admin(user):
        return Country.objects.all()
    return Country.objects.filter(pk__in=user_country_ids(user))


class CountryPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, limited to objects of the user's own countries.

    ``add``/``change``/``delete``/``view`` come from ordinary Django
    permissions (granted to the country groups by ``sync_sites``), so the
    admin menus and buttons keep working. On top, every per-object question
    (may this user edit *this* profile? which profiles may they list or
    choose?) also requires the object's country to be one of the user's.
    Network administrators and superusers are not limited.
    """

    def __init__(self, model, *, country_field: str = "country"):
        super().__init__(model)
        self.country_field = country_field

    def restrict(self, queryset, user):
        """``queryset`` narrowed to the user's countries (unchanged for network admins)."""
        if is_network_admin(user):
            return queryset
        return queryset.filter(**{f"{self.country_field}__in": user_country_ids(user)})

    def instance_in_users_countries(self, user, instance) -> bool:
        if is_network_admin(user):
            return True
        return getattr(instance, f"{self.country_field}_id") in user_country_ids(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self.instance_in_users_countries(
            user, instance
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self.instance_in_users_countries(
            user, instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return self.restrict(super().instances_user_has_any_permission_for(user, actions), user)

    def visible_instances(self, user):
        """What a user may list, open and choose: any permission, own countries."""
        return self.instances_user_has_any_permission_for(user, VISIBLE_ACTIONS)

    def users_with_any_permission_for_instance(self, actions, instance):
        country = getattr(instance, self.country_field)
        groups = [country.editors_group_id, country.moderators_group_id] if country else []
        return (
            self.users_with_any_permission(actions)
            .filter(
                Q(is_superuser=True)
                | Q(groups__name=NETWORK_ADMINISTRATORS)
                | Q(groups__in=[group for group in groups if group])
            )
            .distinct()
        )


def country_policy_for(model) -> CountryPermissionPolicy | None:
    """The model's country policy, or None for models every editor shares (e.g. sectors)."""
    policy = policy_registry.get_by_type(model, fallback=False)
    return policy if isinstance(policy, CountryPermissionPolicy) else None


#: Seeing an image or document in the admin: any of these on its collection. ("add"
#: alone reaches only what the user uploaded: Wagtail's ownership rule, kept.)
MEDIA_VISIBLE_ACTIONS = ("change", "delete", "choose")


def is_media_model(model) -> bool:
    """True for the image and the document model, which collections scope."""
    return model in (get_image_model(), get_document_model())


def visible_media(model, user):
    """The images (or documents) a user may list, open or choose: their collections' ones."""
    policy = policy_registry.get_by_type(model)
    return policy.instances_user_has_any_permission_for(user, MEDIA_VISIBLE_ACTIONS)


def choosable_media(model, user):
    """The images (or documents) a user may put on a page or snippet: as the chooser offers."""
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(
        user, ["choose"]
    )


def choosable_instances(model, user):
    """Objects of ``model`` a user may pick in a form, or None if the model is not scoped."""
    if model is Country:
        return countries_for_user(user)
    if is_media_model(model):
        return choosable_media(model, user)
    if issubclass(model, Page):
        return choosable_pages(model, user)
    policy = country_policy_for(model)
    if policy is None:
        return None
    return policy.visible_instances(user)


def unchoosable_references(field, value, user, *, kept=()) -> list[tuple[type, str]]:
    """The ``(model, pk)`` of objects that ``value`` of a StreamField or rich text ``field``
    embeds and ``user`` may not choose (images and document links of another country…).

    Read through Wagtail's ``extract_references``, the walk its reference index
    uses, so every block and rich-text entity is covered. References in ``kept``
    (what the object held before this edit) stay allowed, as for plain links.
    """
    wanted: dict[type, set[str]] = {}
    for model, pk, _path, _content_path in field.extract_references(value):
        if (model, str(pk)) not in kept and choosable_instances(model, user) is not None:
            wanted.setdefault(model, set()).add(str(pk))
    refused = []
    for model, pks in wanted.items():
        try:
            found = choosable_instances(model, user).filter(pk__in=pks).values_list("pk", flat=True)
            allowed = {str(pk) for pk in found}
        except (ValueError, OverflowError, ValidationError):
            allowed = set()  # a malformed or oversized id names nothing one may choose
        refused += [(model, pk) for pk in sorted(pks - allowed)]
    return refused


def references_in(field, value) -> set[tuple[type, str]]:
    """Every ``(model, pk)`` that ``value`` of ``field`` embeds."""
    return {(model, str(pk)) for model, pk, *_ in field.extract_references(value)}


def reachable_pages_filter(user) -> Q | None:
    """A filter for the pages the admin may show a user, or None when nothing is hidden.

    Those are the trees under the user's ``GroupPagePermission`` pages (each
    country's home page for its groups) plus the ancestors leading there, so
    the explorer and the page chooser can still be walked down from the root.
    A user without any page permission reaches no page. Built from ``path``
    alone, a filter field of every search backend, so it also narrows searches.
    """
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    condition = Q(pk__in=[])
    for permission in page_permission_policy.get_cached_permissions_for_user(user):
        path = permission.page.path
        ancestors = [path[: Page.steplen * depth] for depth in range(1, len(path) // Page.steplen)]
        condition |= Q(path__startswith=path) | Q(path__in=ancestors)
    return condition


def choosable_pages(model, user):
    """Pages of ``model`` a user may choose or link to: those of their own country's tree,
    and any page visitors see. A link to another country's published news is welcome; one
    to its draft would show the editor the draft's address and title (Wagtail renders a
    page link by id, and the admin's chooser only hides what it lists)."""
    condition = reachable_pages_filter(user)
    if condition is None:
        return model.objects.all()
    public = shown_to_visitors(Page.objects.all()).values("pk")
    return model.objects.filter(condition | Q(pk__in=public))


def reachable_pages(user):
    """The pages the admin may show a user (see ``reachable_pages_filter``)."""
    condition = reachable_pages_filter(user)
    return Page.objects.all() if condition is None else Page.objects.filter(condition)


def users_among(user_ids):
    """The users of ``user_ids`` (a list or a ``values()`` queryset), by name: what an admin
    filter offers once narrowed to the people of the rows a user may see."""
    User = get_user_model()
    return User.objects.filter(pk__in=user_ids).order_by(User.USERNAME_FIELD)
