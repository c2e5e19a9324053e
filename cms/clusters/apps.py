from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "cms.clusters"
    label = "clusters"
