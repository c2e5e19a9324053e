from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Page

from cms.search.backends import engine_errors, engine_failure
from cms.search.documents import kind_of, searched_models
from cms.search.indexing import (
    backends,
    process_pending_updates,
    publish_to_backends,
    sync_objects,
)
from cms.search.models import SearchDocument

#: Items per bulk write (sync_objects): one transaction, a few statements per batch.
BATCH = 200


def chunks(iterator, size: int):
    """Lists of up to ``size`` items from ``iterator``."""
    batch = []
    for item in iterator:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Command(BaseCommand):
    help = (
        "Recreate every search document from published content, then (with --engine) rebuild "
        "the engine's indexes behind an alias, so searches keep working during the rebuild."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--engine",
            action="store_true",
            help="Also rebuild all engine indexes from scratch (Wagtail's update_index, atomic).",
        )

    def handle(self, *args, engine=False, **options):
        if engine and not any(name == "default" and not db for name, _b, db in backends()):
            raise CommandError(
                "--engine: SEARCH_URL names no search engine here; without --engine the "
                "command rebuilds everything the database search uses"
            )
        seen: set[tuple[str, int]] = set()
        changed = 0
        sources = [
            model.objects.live().order_by("pk")
            if issubclass(model, Page)
            else model.objects.prefetch_related("sectors").select_related("country").order_by("pk")
            for model in searched_models()
        ]
        for items in sources:
            # Bulk writes, a transaction per batch: the documents of BATCH items at a time
            # (the full-text index follows in the same statements, cms.search.fulltext).
            for batch in chunks(items.iterator(chunk_size=BATCH), BATCH):
                changed += sync_objects(batch)
                seen.update((kind_of(item), item.pk) for item in batch)
        stale = [
            pk
            for pk, kind, object_id in SearchDocument.objects.values_list(
                "pk", "kind", "object_id"
            ).iterator(chunk_size=5000)
            if (kind, object_id) not in seen
        ]
        for batch in chunks(iter(stale), 1000):
            with transaction.atomic():
                SearchDocument.objects.filter(pk__in=batch).delete()
                publish_to_backends([], batch)
        self.stdout.write(
            f"Search documents: {SearchDocument.objects.count()} "
            f"({changed} changed, {len(stale)} stale removed)."
        )
        if engine:
            # The engine's indexes only ("default"): the database backend kept beside it is
            # written as content changes.
            try:
                call_command("update_index", backend_name="default", stdout=self.stdout)
            except engine_errors() as error:
                # The new index is built beside the old one, and the alias switched last.
                raise CommandError(
                    f"--engine: {engine_failure(error)}. The search documents are written, "
                    "the engine's indexes are not rebuilt (searches keep the old ones)."
                ) from error
        else:
            counts = process_pending_updates()
            self.stdout.write(f"Engine updates: {counts['sent']} sent, {counts['failed']} pending.")
        call_command("optimize_search_index", stdout=self.stdout)
