"""Seed synonyms the visitor review missed (2026-12-05), added where editors left the seed.

- Slovenian "MSP": the texts say "mala in srednje velika podjetja", the seed only "mala in
  srednja podjetja"; since a synonym of several words matches as a phrase (it used to match
  each word alone, "podjetja" anywhere), "MSP" found nothing.
- Italian "alimentare": the sector and the clusters say "agroalimentare", one word.
- Slovenian "živila": the sector says "živilstvo", the profiles "živilski"; the analysis
  stems the three apart.

A group an editor has changed since the seed is left as it is.
"""

from django.db import migrations
from django.utils import timezone

SLOVENIAN_SME = "MSP, mala in srednja podjetja, SME"
ADDED_TO_SLOVENIAN_SME = ", mala in srednje velika podjetja"
NEW_GROUPS = {
    "it": ["agroalimentare, alimentare, alimentari, filiera alimentare"],
    "sl": ["živilstvo, živila, živilski, živilska industrija"],
}


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("sitesearch", "SynonymGroup")
    # updated_at too: running processes notice a change by the rows' fingerprint.
    SynonymGroup.objects.filter(language="sl", terms=SLOVENIAN_SME).update(
        terms=SLOVENIAN_SME + ADDED_TO_SLOVENIAN_SME, updated_at=timezone.now()
    )
    for language, groups in NEW_GROUPS.items():
        for terms in groups:
            SynonymGroup.objects.get_or_create(language=language, terms=terms)


def unseed(apps, schema_editor):
    SynonymGroup = apps.get_model("sitesearch", "SynonymGroup")
    SynonymGroup.objects.filter(
        language="sl", terms=SLOVENIAN_SME + ADDED_TO_SLOVENIAN_SME
    ).update(terms=SLOVENIAN_SME, updated_at=timezone.now())
    for language, groups in NEW_GROUPS.items():
        SynonymGroup.objects.filter(language=language, terms__in=groups).delete()


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0009_pending_sector")]

    operations = [migrations.RunPython(seed, unseed)]
