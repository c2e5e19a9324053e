from django.apps import AppConfig


class ProjectionsConfig(AppConfig):
    name = "cms.projections"
    label = "projections"
    verbose_name = "Projections"

    def ready(self):
        # Tombstones are written from signals, so a consumer mirroring the content
        # learns about unpublished and deleted items (cms.projections.tombstones).
        # cms.webhooks' ready, which runs first, has connected them already, so that
        # they run before its receivers read them; connecting twice is a no-op
        # (dispatch_uid).
        from cms.projections import generation, signals, tombstones

        tombstones.connect()
        # Every change of what readers see makes their cached answers stale.
        generation.connect()
        # Every publication, unpublication, deletion and save of something an
        # item shows re-renders that item's projections (cms.projections.signals).
        signals.connect()
