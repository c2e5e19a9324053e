from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cms.api"
    label = "delivery_api"
    verbose_name = "Delivery API"

    def ready(self):
        # Every change empties the response cache; the tombstones' receivers
        # (cms.projections.tombstones) are connected after those, as before.
        from cms.api import signals

        signals.connect()
