from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cms.api"
    label = "delivery_api"
    verbose_name = "Delivery API"
