"""Admin for webhooks and their delivery log: superusers and network administrators only.

A webhook's secret is shared with a third party and its deliveries show what
changed across the network, so country editors neither see nor manage them,
whatever model permissions their groups hold. Wagtail's views ask the policy
below for the model, but only after looking the object up (so an existing id
was "permission denied", a missing one "not found"), and its snippet chooser and
bulk delete ask nothing: the views of ``VisibleSnippetViewSet`` and the bulk
delete of ``cms.core.viewsets`` find no webhook at all for other users.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from cms.core.forms import ConcurrentEditsModelForm
from cms.core.permissions import NETWORK_ADMINISTRATORS, is_network_admin
from cms.core.viewsets import VisibleSnippetViewSet
from cms.webhooks.models import WEBHOOK_EVENTS, Webhook, WebhookDelivery


class NetworkAdminPolicy(BasePermissionPolicy):
    """Every ``actions`` for superusers and network administrators, nothing for others."""

    def __init__(self, model, *, actions=frozenset({"add", "change", "delete", "view"})):
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and user.is_active and is_network_admin(user)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        users = get_user_model().objects.filter(is_active=True)
        if not self.actions & set(actions):
            return users.none()
        return users.filter(
            Q(is_superuser=True) | Q(groups__name=NETWORK_ADMINISTRATORS)
        ).distinct()


EVENTS_FIELD = Webhook._meta.get_field("events")


class WebhookForm(ConcurrentEditsModelForm):
    """Events as checkboxes (the model keeps them as a JSON list), labelled as the model's.

    Two administrators editing the same webhook at once keep each other's changes
    (``ConcurrentEditsModelForm``, saved by ``VisibleEditView`` with the row locked).
    """

    events = forms.MultipleChoiceField(
        label=EVENTS_FIELD.verbose_name,
        choices=WEBHOOK_EVENTS,
        widget=forms.CheckboxSelectMultiple,
        required=True,
        help_text=EVENTS_FIELD.help_text,
    )


register_permission_policy(Webhook, NetworkAdminPolicy(Webhook))
register_permission_policy(
    WebhookDelivery, NetworkAdminPolicy(WebhookDelivery, actions={"view", "delete"})
)


class WebhookViewSet(VisibleSnippetViewSet):
    model = Webhook
    icon = "link-external"
    menu_label = _("Webhooks")
    list_display = ["name", "country", "url", "active"]
    list_filter = ["country", "active"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("country"),
            FieldPanel("url"),
            FieldPanel("events"),
            FieldPanel("secret"),
            FieldPanel("active"),
        ],
        base_form_class=WebhookForm,
    )


class WebhookDeliveryViewSet(VisibleSnippetViewSet):
    """The delivery log: what was sent where, and how it went (read-only)."""

    model = WebhookDelivery
    icon = "list-ul"
    menu_label = _("Webhook deliveries")
    list_display = ["event", "webhook", "status", "response_code", "attempts", "created_at"]
    list_filter = ["status", "event"]
    inspect_view_enabled = True


register_snippet(WebhookViewSet)
register_snippet(WebhookDeliveryViewSet)
