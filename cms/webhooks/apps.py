from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Outbound webhooks: signed POSTs to partners' front ends when content changes.

    Comes before ``cms.projections`` (and Wagtail) in ``INSTALLED_APPS``: its
    removal receivers read an item's projection rows, for the languages it was
    served in, before the projections' receivers drop them (``signals``), and its
    tombstones, so it connects the receivers that write those first.
    """

    name = "cms.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from cms.projections import tombstones
        from cms.webhooks import signals

        tombstones.connect()
        signals.connect()
