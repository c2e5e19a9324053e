"""Write the Delivery API's OpenAPI document, as ``/api/v3/openapi.json`` serves it.

For generating clients without a running server (``.ci/clients``):
``python manage.py openapi --output var/openapi.json``. Ninja's
``export_openapi_schema``, told which API and indented.
"""

from django.core.management.base import CommandError
from ninja.management.commands import export_openapi_schema


class Command(export_openapi_schema.Command):
    help = "Write the Delivery API's OpenAPI document (JSON) to standard output or --output."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(api="cms.api.api.api", indent=2)

    def handle(self, *args, **options):
        try:
            super().handle(*args, **options)
        except OSError as error:  # --output in a missing folder, on a folder, read-only
            raise CommandError(f"--output {options['output']}: {error}") from error
