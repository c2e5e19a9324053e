from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from cms.clusters.models import ClusterProfile
from cms.events.models import EventPage
from cms.home.models import StandardPage
from cms.news.models import NewsPage
from cms.search.documents import kind_of
from cms.search.indexing import process_pending_updates, publish_to_backends, sync_object
from cms.search.models import SearchDocument


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
        seen: set[tuple[str, int]] = set()
        changed = 0
        for model in (NewsPage, EventPage, StandardPage):
            for page in model.objects.live().specific():
                changed += sync_object(page)
                seen.add((kind_of(page), page.pk))
        for cluster in ClusterProfile.objects.prefetch_related("sectors").select_related("country"):
            changed += sync_object(cluster)
            seen.add(("cluster", cluster.pk))
        stale = [
            doc.pk
            for doc in SearchDocument.objects.only("kind", "object_id")
            if (doc.kind, doc.object_id) not in seen
        ]
        with transaction.atomic():
            SearchDocument.objects.filter(pk__in=stale).delete()
            publish_to_backends([], stale)
        self.stdout.write(
            f"Search documents: {SearchDocument.objects.count()} "
            f"({changed} changed, {len(stale)} stale removed)."
        )
        if engine:
            call_command("update_index", stdout=self.stdout)
        else:
            counts = process_pending_updates()
            self.stdout.write(f"Engine updates: {counts['sent']} sent, {counts['failed']} pending.")
        call_command("optimize_search_index", stdout=self.stdout)
