from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "cms.search"
    label = "sitesearch"
    verbose_name = "Site search"

    def ready(self):
        from cms.search import indexing, signals

        indexing.connect_signals()
        signals.connect_signals()
