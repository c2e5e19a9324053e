from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "cms.partners"
    label = "partners"
