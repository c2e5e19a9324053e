from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "cms.search"
    label = "sitesearch"
    verbose_name = "Site search"

    def ready(self):
        from django.db.backends.signals import connection_created

        from cms.search import (
            checks,  # noqa: F401 (registers the system check)
            content_signals,
            fulltext,
            signals,
        )

        content_signals.connect_signals()
        signals.connect_signals()
        connection_created.connect(fulltext.configure_sqlite, dispatch_uid="sitesearch-sqlite")
