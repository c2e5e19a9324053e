"""A cheap test of whether a table's rows changed, for caches kept in the process."""

from django.db.models import Count, Max


def fingerprint(queryset) -> tuple:
    """Changes whenever a row of ``queryset`` is added, changed (``updated_at``) or removed.

    One aggregate statement: the row count, the last id and the last change. A process
    keeps what it built from the rows (the typo vocabulary, the synonym lists) while this
    stays the same, so the cache needs nothing from Django's cache and survives Redis
    being down.
    """
    values = queryset.aggregate(count=Count("pk"), last=Max("pk"), changed=Max("updated_at"))
    return (values["count"], values["last"], values["changed"])
