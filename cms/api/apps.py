from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cms.api"
    label = "delivery_api"
    verbose_name = "Delivery API"

    def ready(self):
        # Tombstones are written from signals, so a consumer mirroring the
        # content learns about unpublished and deleted items.
        from cms.api import signals

        signals.connect()
