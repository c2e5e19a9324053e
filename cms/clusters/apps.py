from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "cms.clusters"
    label = "clusters"

    def ready(self):
        from cms.clusters import redirects

        redirects.connect()  # a profile's old addresses redirect after a new slug or country
