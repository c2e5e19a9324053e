from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cms.core"
    label = "core"
    verbose_name = "Core: languages, countries, taxonomy, images"

    def ready(self):
        from cms.core import (
            checks,  # noqa: F401 (registers the system checks)
            frontend_cache,
            frontend_cache_snippets,
            redirects,
            wagtail_texts,
        )

        frontend_cache.connect()  # purges the CDN on publish, when one is configured
        frontend_cache_snippets.connect()  # and when a snippet, image or document changes
        redirects.connect()  # a page's old addresses redirect when its slug or place changes
        wagtail_texts.make_chooser_texts_lazy()  # before any chooser viewset makes its views
