"""Write the Delivery API's OpenAPI document, as ``/api/v3/openapi.json`` serves it.

For generating clients without a running server (``.ci/clients``):
``python manage.py openapi --output var/openapi.json``.
"""

import json

from django.core.management.base import BaseCommand

from cms.api.api import api


class Command(BaseCommand):
    help = "Write the Delivery API's OpenAPI document (JSON) to standard output or --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write (default: standard output).")
        parser.add_argument("--indent", type=int, default=2, help="JSON indentation (2).")

    def handle(self, *args, output: str | None, indent: int, **options):
        text = json.dumps(api.get_openapi_schema(), indent=indent, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text + "\n")
        else:
            self.stdout.write(text)
