"""Re-render every public item and report projections that differ from the stored ones."""

from django.core.management.base import BaseCommand, CommandError

from cms.projections import writing
from cms.projections.checking import differences


class Command(BaseCommand):
    help = (
        "Render every public item in every language and compare with the stored projections; "
        "exit 1 if any row is missing, different or left over. --write stores the renderings."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--write", action="store_true", help="Store fresh projections for what differs."
        )
        parser.add_argument(
            "--limit", type=int, default=20, help="Differences to print (default 20)."
        )

    def handle(self, *args, write=False, limit=20, **options):
        if limit < 0:
            raise CommandError("--limit must be 0 or more")
        found = list(differences())
        for difference in found[:limit]:
            self.stdout.write(str(difference))
        if len(found) > limit:
            self.stdout.write(f"… and {len(found) - limit} more")
        if write and found:
            by_label: dict[str, set[int]] = {}
            for difference in found:
                by_label.setdefault(difference.label, set()).add(difference.object_id)
            changed = sum(
                writing.project_ids(label, ids, rederive=True) for label, ids in by_label.items()
            )
            self.stdout.write(f"Wrote {changed} projection rows.")
            return
        if found:
            raise CommandError(f"{len(found)} projection rows differ from a fresh rendering.")
        self.stdout.write("Projections: 0 differences.")
