"""Idempotent writes for the network's setup: look an object up by a stable key, compare,
save only what differs, and count what was created and updated (``SyncReport``).
``cms.core.services`` and ``cms.core.groups`` (``sync_sites``) and ``cms.core.seed`` use them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from modeltranslation.utils import build_localized_fieldname

from cms.core.languages import LANGUAGE_CODES
from cms.core.translation_status import mark_complete_ready


@dataclass
class SyncReport:
    """What a sync created and updated, per kind of object."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated)

    def summary(self) -> str:
        parts = [f"created {n} {kind}" for kind, n in sorted((+self.created).items())]
        parts += [f"updated {n} {kind}" for kind, n in sorted((+self.updated).items())]
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


def upsert(model, report: SyncReport, kind: str, lookup: dict, values: dict):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup)
        assign(obj, values)
        mark_complete_ready(obj)
        obj.save()
        report.created[kind] += 1
    elif assign(obj, values) | mark_complete_ready(obj):
        obj.save()
        report.updated[kind] += 1
    return obj
