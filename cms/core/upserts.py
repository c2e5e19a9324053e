"""Idempotent writes for the network's setup: look an object up by a stable key, compare,
save only what differs, and count what was created and updated (``SyncReport``).
``cms.core.services`` and ``cms.core.groups`` (``sync_sites``) and ``cms.core.seed`` use them.

What editors may change in the admin too (sectors, partners, contacts, the pages a sync
makes) is written three-way (``editable``): the values a file gives are compared with
those it gave last time (``SyncedValues``), not with the object, and only those the file
changed are written. A deploy runs ``sync_sites``; comparing with the object reverted
every edit made in the admin since the last one, and made again what had been deleted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from modeltranslation.utils import build_localized_fieldname

from cms.core.languages import LANGUAGE_CODES
from cms.core.models import SyncedValues
from cms.core.translation_status import mark_complete_ready, tracks_readiness


@dataclass
class SyncReport:
    """What a sync created and updated, per kind of object."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    #: Objects a sync made that were deleted since: left deleted (``upsert``).
    left_deleted: Counter = field(default_factory=Counter)
    #: Pages with an editor's draft or moderation, or unpublished: not written this time.
    held_back: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated)

    def summary(self) -> str:
        parts = [f"created {n} {kind}" for kind, n in sorted((+self.created).items())]
        parts += [f"updated {n} {kind}" for kind, n in sorted((+self.updated).items())]
        parts += [
            f"did not make again {n} {kind} deleted in the admin"
            for kind, n in sorted((+self.left_deleted).items())
        ]
        parts += [
            f"held back {n} {kind} with a draft, a moderation or unpublished (the next sync "
            "tries again)"
            for kind, n in sorted((+self.held_back).items())
        ]
        return ", ".join(parts) or "nothing to change"


def same_value(current, value) -> bool:
    """Equality that also understands a StreamField value against ``[(type, value), …]``."""
    if hasattr(current, "raw_data"):  # StreamValue: compare block types and rendered values
        return [(b.block_type, str(b.value)) for b in current] == [(k, str(v)) for k, v in value]
    return current == value


def assign(obj, values: dict) -> bool:
    """Set ``values`` on ``obj``; return True when any attribute really changed."""
    changed = False
    for name, value in values.items():
        if not same_value(getattr(obj, name, None), value):
            setattr(obj, name, value)
            changed = True
    return changed


def localized(field_name: str, texts: dict[str, str], languages=LANGUAGE_CODES) -> dict:
    """``{"title_cs": ..., "title_en": ...}`` for each language (blank where missing)."""
    return {build_localized_fieldname(field_name, code): texts.get(code, "") for code in languages}


def upsert(model, report: SyncReport, kind: str, lookup: dict, values: dict, *, editable=False):
    """The object ``lookup`` finds, made or brought up to ``values``; ``editable``: written
    three-way (the module's docstring), and None if it was deleted since a sync made it."""
    found = model.objects.filter(**lookup)
    # Locked (PostgreSQL): an editor's save landing between this read and the write below
    # was written over with what was read.
    obj = (found.select_for_update() if editable else found).first()
    record, key = None, record_key(model, lookup)
    if editable:
        record = SyncedValues.objects.filter(key=key).first()
        if obj is None and record is not None:
            report.left_deleted[kind] += 1
            return None
    if obj is None:
        obj = model(**lookup)
        assign(obj, values)
        mark_complete_ready(obj)
        obj.save()
        report.created[kind] += 1
    elif not editable:
        if assign(obj, values) | mark_complete_ready(obj):
            obj.save()
            report.updated[kind] += 1
    elif assign(obj, changed := changed_in_files(record, values)):
        # Only the languages the files wrote are ticked: an editor's untick stands.
        mark_complete_ready(obj, languages_written(changed))
        obj.save(update_fields=[*changed, "ready_languages"] if tracks_readiness(obj) else changed)
        report.updated[kind] += 1
    if editable:
        remember(key, values)
    return obj


def changes_for(obj, record: SyncedValues | None, values: dict) -> dict:
    """The ``values`` the files changed since ``record`` that ``obj`` does not hold yet."""
    return {
        name: value
        for name, value in changed_in_files(record, values).items()
        if differs(obj, name, value)
    }


def differs(obj, name: str, value) -> bool:
    """Whether ``obj``'s ``name`` is not ``value`` (a relation: not those objects)."""
    current = getattr(obj, name, None)
    if hasattr(current, "all"):
        return set(current.all()) != set(value)
    return not same_value(current, value)


def held_back(page) -> bool:
    """Whether a file's change must wait for ``page``: with an editor's draft or moderation
    under way, or unpublished. Publishing it would push the draft into the history, cancel
    the moderation, or put the page back online (``sync_sites``, ``load_demo_content``)."""
    return not page.live or page.has_unpublished_changes or page.workflow_in_progress


def languages_written(values: dict) -> set[str]:
    """The languages of the translated fields among ``values`` (``name_cs`` -> ``cs``)."""
    return {code for name in values for code in LANGUAGE_CODES if name.endswith(f"_{code}")}


def record_key(model, lookup: dict) -> str:
    """``core.sector:slug=food``: the object a file's values are remembered for."""
    found = ",".join(f"{name}={plain(value)}" for name, value in sorted(lookup.items()))
    return f"{model._meta.label_lower}:{found}"[:255]


def changed_in_files(record: SyncedValues | None, values: dict) -> dict:
    """The ``values`` the files changed since they were last written (``record``). Without
    a record (an object synced before records were kept), every one: written as before,
    once, since nothing says which of the object's values are the files' (taking them all
    as written lost the file changes an upgrade's deploy brought, for good)."""
    if record is None:
        return dict(values)
    return {
        name: value
        for name, value in values.items()
        if name not in record.values or record.values[name] != plain(value)
    }


def remember(key: str, values: dict) -> None:
    """Keep ``values`` as what the files last gave the object ``key``."""
    written = {name: plain(value) for name, value in values.items()}
    record, created = SyncedValues.objects.get_or_create(key=key, defaults={"values": written})
    if not created and record.values != written:
        record.values = written
        record.save(update_fields=["values"])


def plain(value):
    """A value as JSON keeps it: an object by its pk, a StreamField's ``[(type, value)]``
    by its blocks' text."""
    if hasattr(value, "_meta"):  # a model instance
        return value.pk
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
