from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: probes, outage answers, request ids, and the task worker's memory."""

    name = "cms.ops"
    label = "ops"

    def ready(self):
        from cms.ops import task_memory  # noqa: PLC0415

        task_memory.connect()
