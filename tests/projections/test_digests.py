"""What counts as a change of a stored row (``cms.projections.rendering.digest_of``): a
change of what a reader sees moves its ``updated_at`` (syncs, webhooks, ETags follow), a
save that shows nothing new does not."""

from __future__ import annotations

import pytest
from django.utils import timezone
from wagtail.models import Revision

from cms.partners.models import ContactPerson
from tests.factories import news_page
from tests.projections.test_projections import rows


def test_saving_without_a_change_keeps_updated_at(country):
    contact = ContactPerson.objects.filter(country__code="CZ").first()
    before = {code: row.updated_at for code, row in rows(contact).items()}
    contact.save()
    assert {code: row.updated_at for code, row in rows(contact).items()} == before


@pytest.mark.parametrize("microsecond", [123456, 456])
def test_publishing_a_stored_revision_changes_only_the_languages_edited(
    country, monkeypatch, microsecond
):
    """Scheduled publishing and approving publish a revision read back from the database,
    whose ``first_published_at`` has lost its microseconds: every language counted as
    changed (syncs, webhooks, ETags) though only Czech was edited."""
    page = news_page(country("CZ"), title={"en": "Info day", "cs": "Informační den"})
    stamp = timezone.now().replace(microsecond=microsecond)
    with monkeypatch.context() as patched:
        patched.setattr(timezone, "now", lambda: stamp)
        page.save_revision().publish()
    page.refresh_from_db()
    assert page.first_published_at == stamp  # as publishing stamps it: microseconds too
    before = {code: row.updated_at for code, row in rows(page).items()}
    page.title_cs = "Informační den v Brně"
    revision = page.save_revision()
    Revision.objects.get(pk=revision.pk).publish()
    page.refresh_from_db()
    written = stamp.replace(microsecond=microsecond // 1000 * 1000)
    assert page.first_published_at == written  # as Wagtail wrote it back (``.000`` for 456)
    after = {code: row.updated_at for code, row in rows(page).items()}
    changed = {code for code in after if after[code] != before[code]}
    assert changed == {"cs", "sk", "all"}  # Slovak falls back to Czech
