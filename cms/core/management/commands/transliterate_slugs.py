from django.core.management.base import BaseCommand, CommandError

from cms.core.slugs import PagesRefused, ascii_slugs


class Command(BaseCommand):
    help = (
        "Rewrite every page slug that is not ASCII ('ústí' -> 'usti', in every language) and "
        "redirect each address that changes (the page's and its descendants') to the new one. "
        "Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list the slugs that would change"
        )

    def handle(self, *args, dry_run=False, **options):
        try:
            report = ascii_slugs(dry_run=dry_run)
        except PagesRefused as error:
            refused = "\n".join(
                f"page {page_pk} [{language}]: {message}"
                for page_pk, language, message in error.report.refused
            )
            pages = f"{error.pages} page{'s' if error.pages != 1 else ''}"
            raise CommandError(
                f"{pages} cannot be saved with ASCII slugs; nothing was written:\n{refused}"
            ) from error
        for page_pk, language, old, new in report.slugs:
            self.stdout.write(f"page {page_pk} [{language}]: {old} -> {new}")
        for page_pk, language, message in report.refused:
            self.stdout.write(f"page {page_pk} [{language}]: cannot be saved: {message}")
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.slugs)} slugs {verb}, {report.redirects} redirects added."
            )
        )
