from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.clusters.importing import apply_import, cluster_countries, preview_import
from cms.clusters.reading import read_table
from cms.clusters.spreadsheet import ImportFileError


def shown(value: str, limit: int = 80) -> str:
    """A cell in the list of changes: quoted, a long one shortened (the file has it whole)."""
    if not value:
        return _("(empty)")
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def refused_for_row_errors(count: int) -> str:
    """Why a file with row errors was not imported, naming the command's option: the
    admin's wording (``unconfirmed_errors``) asks to confirm, which a command cannot."""
    return ngettext(
        "%(count)s row has errors; nothing was written. "
        "Fix it, or use --commit --skip-invalid to import only the valid rows.",
        "%(count)s rows have errors; nothing was written. "
        "Fix them, or use --commit --skip-invalid to import only the valid rows.",
        count,
    ) % {"count": count}


class Command(BaseCommand):
    help = (
        "Import cluster profiles from a CSV or XLSX file (one row per cluster, translated "
        "columns like description_cs; a column the file lacks is left as stored). Shows a "
        "per-row report, each update's changed columns (old → new); writes only with --commit. "
        "A file that cannot be read (too large, too many rows, a cell too long or with a NUL "
        "byte) stops the command with a non-zero exit and a message naming the row and column. "
        "Row errors go to stderr, and exit non-zero (also without --commit) unless "
        "--commit --skip-invalid writes the valid rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--country", action="append", default=None, help="Only allow these country codes"
        )
        parser.add_argument("--commit", action="store_true", help="Write the changes")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="With --commit: write the valid rows only"
        )

    def handle(self, *args, path, country, commit, skip_invalid, **options):
        if skip_invalid and not commit:
            raise CommandError("--skip-invalid writes the valid rows: use it with --commit")
        try:
            allowed = cluster_countries(country)
        except ValueError as error:
            raise CommandError(str(error)) from error
        try:
            with path.open("rb") as file:  # read as a stream, refused early when too large
                rows = read_table(file, path.name)
        except OSError as error:
            raise CommandError(f"{path}: {error}") from error
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        preview = preview_import(rows, allowed_countries=allowed)
        for row in preview.invalid:
            for column, message in row.errors:
                self.stderr.write(
                    _("%(file)s: row %(row)s, column %(column)s: %(problem)s")
                    % {"file": path.name, "row": row.number, "column": column, "problem": message}
                )
        # What --commit would write, as the admin's preview lists it.
        for row in preview.rows:
            if row.action == "update":
                self.stdout.write(
                    _("%(file)s: row %(row)s, %(cluster)s: %(action)s")
                    % {
                        "file": path.name,
                        "row": row.number,
                        "cluster": row.slug,
                        "action": row.action_label,
                    }
                )
                for column, old, new in row.changes:
                    self.stdout.write(f"  {column}: {shown(old)} → {shown(new)}")
        # The admin's wording and catalogue (the command speaks settings.LANGUAGE_CODE).
        self.stdout.write(
            _(
                "%(create)s to create, %(update)s to update, %(unchanged)s unchanged, "
                "%(error)s with errors."
            )
            % preview.counts()
        )
        if preview.invalid and not skip_invalid:
            # Non-zero, so a script's dry run does not take a file with errors for a good one.
            raise CommandError(refused_for_row_errors(len(preview.invalid)))
        if not commit:
            self.stdout.write(_("Nothing written (use --commit)."))
            return
        try:
            result = apply_import(preview, confirm_skipping_invalid=skip_invalid)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Imported: %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged, %(skipped)s skipped."
                )
                % result
            )
        )
