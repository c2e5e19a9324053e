from django.apps import AppConfig


class ProjectionsConfig(AppConfig):
    name = "cms.projections"
    label = "projections"
    verbose_name = "Projections"

    def ready(self):
        # Every publication, unpublication, deletion and save of something an
        # item shows re-renders that item's projections (cms.projections.signals).
        from cms.projections import signals

        signals.connect()
