"""Editors' synonyms and promoted results ("best bets") per language, and a first list
of synonyms and abbreviations for each of the network's seven languages.

The seed is a start that each language's moderators extend in the admin
(Search > Synonyms); it is written once, when the tables are created.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

#: One group of words, phrases and abbreviations that mean the same per line.
SEED = {
    "en": [
        "IT, ICT, information technology, information technologies, "
        "information and communication technologies",
        "renewables, renewable energy, renewable energy sources, RES",
        "R&D, RTD, research and development",
        "EU, European Union",
        "SME, small and medium-sized enterprises",
        "ERDF, European Regional Development Fund",
        "e-mobility, electromobility, electric mobility",
        "photovoltaics, PV, solar power, solar energy",
        "agritourism, agrotourism, farm tourism, rural tourism",
        "start-up, startup",
    ],
    "cs": [
        "IT, ICT, IKT, informační technologie, informační a komunikační technologie",
        "obnovitelné zdroje, obnovitelné zdroje energie, obnovitelná energie, OZE",
        "VaV, výzkum a vývoj, R&D",
        "EU, Evropská unie",
        "MSP, malé a střední podniky, SME",
        "EFRR, ERDF, Evropský fond pro regionální rozvoj",
        "cestovní ruch, turismus",
        "fotovoltaika, FVE, solární energie, sluneční energie",
        "agroturistika, agroturismus, venkovská turistika",
        "startup, start-up, začínající podnik",
        "elektromobilita, e-mobilita",
    ],
    "de": [
        "IT, IKT, ICT, Informationstechnik, Informationstechnologie, "
        "Informations- und Kommunikationstechnik",
        "erneuerbare Energien, erneuerbare Energie, regenerative Energien, Ökostrom",
        "F&E, FuE, Forschung und Entwicklung, R&D",
        "EU, Europäische Union",
        "KMU, kleine und mittlere Unternehmen, SME",
        "EFRE, ERDF, Europäischer Fonds für regionale Entwicklung",
        "Tourismus, Fremdenverkehr",
        "Photovoltaik, PV, Solartechnik, Solarenergie, Solarstrom",
        "Agrotourismus, Urlaub auf dem Bauernhof, Landtourismus",
        "Start-up, Startup, Jungunternehmen",
        "Elektromobilität, E-Mobilität",
    ],
    "it": [
        "IT, ICT, TIC, informatica, tecnologie dell'informazione, "
        "tecnologie dell'informazione e della comunicazione",
        "rinnovabili, energie rinnovabili, fonti rinnovabili, FER",
        "R&S, ricerca e sviluppo, R&D",
        "UE, Unione europea, EU",
        "PMI, piccole e medie imprese, SME",
        "FESR, ERDF, Fondo europeo di sviluppo regionale",
        "fotovoltaico, FV, energia solare",
        "agriturismo, turismo rurale",
        "startup, start-up",
        "mobilità elettrica, elettromobilità, e-mobility",
    ],
    "pl": [
        "IT, ICT, TIK, informatyka, technologie informacyjne, "
        "technologie informacyjno-komunikacyjne",
        "OZE, odnawialne źródła energii, energia odnawialna",
        "B+R, badania i rozwój, R&D",
        "UE, Unia Europejska, EU",
        "MŚP, małe i średnie przedsiębiorstwa, SME",
        "EFRR, ERDF, Europejski Fundusz Rozwoju Regionalnego",
        "turystyka, ruch turystyczny",
        "fotowoltaika, PV, energia słoneczna",
        "agroturystyka, turystyka wiejska",
        "startup, start-up",
        "elektromobilność, e-mobilność",
    ],
    "sk": [
        "IT, IKT, ICT, informačné technológie, informačné a komunikačné technológie",
        "obnoviteľné zdroje, obnoviteľné zdroje energie, obnoviteľná energia, OZE",
        "VaV, výskum a vývoj, R&D",
        "EÚ, EU, Európska únia",
        "MSP, malé a stredné podniky, SME",
        "EFRR, ERDF, Európsky fond regionálneho rozvoja",
        "cestovný ruch, turizmus",
        "fotovoltika, FVE, solárna energia, slnečná energia",
        "agroturistika, vidiecky cestovný ruch",
        "startup, start-up, začínajúca firma",
        "elektromobilita, e-mobilita",
    ],
    "sl": [
        "IT, IKT, ICT, informacijske tehnologije, informacijsko-komunikacijske tehnologije",
        "obnovljivi viri energije, obnovljivi viri, obnovljiva energija, OVE",
        "R&R, raziskave in razvoj, R&D",
        "EU, Evropska unija",
        "MSP, mala in srednja podjetja, SME",
        "ESRR, ERDF, Evropski sklad za regionalni razvoj",
        "fotovoltaika, sončna energija, sončne elektrarne",
        "agroturizem, turistične kmetije, turizem na kmetiji, kmečki turizem",
        "startup, zagonsko podjetje",
        "elektromobilnost, e-mobilnost",
    ],
}


def seed_synonyms(apps, schema_editor):
    SynonymGroup = apps.get_model("sitesearch", "SynonymGroup")
    SynonymGroup.objects.bulk_create(
        SynonymGroup(language=language, terms=terms)
        for language, groups in SEED.items()
        for terms in groups
    )


def unseed_synonyms(apps, schema_editor):
    pass  # the tables go with the migration


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0005_verbose_names_i18n"),
        ("sitesearch", "0002_fulltext_index"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SynonymGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[
                            ("en", "English"),
                            ("cs", "Čeština"),
                            ("de", "Deutsch"),
                            ("it", "Italiano"),
                            ("pl", "Polski"),
                            ("sk", "Slovenčina"),
                            ("sl", "Slovenščina"),
                        ],
                        db_index=True,
                        max_length=5,
                        verbose_name="language",
                    ),
                ),
                (
                    "terms",
                    models.TextField(
                        help_text="Words, phrases or abbreviations that mean the same, separated by commas or on separate lines, e.g. “IT, ICT, informační technologie”.",
                        verbose_name="words and phrases",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
            ],
            options={
                "verbose_name": "synonym group",
                "verbose_name_plural": "synonyms",
                "ordering": ["language", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Promotion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[
                            ("en", "English"),
                            ("cs", "Čeština"),
                            ("de", "Deutsch"),
                            ("it", "Italiano"),
                            ("pl", "Polski"),
                            ("sk", "Slovenčina"),
                            ("sl", "Slovenščina"),
                        ],
                        max_length=5,
                        verbose_name="language",
                    ),
                ),
                (
                    "query",
                    models.CharField(
                        help_text="The words visitors search for, e.g. “info day”.",
                        max_length=200,
                        verbose_name="search query",
                    ),
                ),
                (
                    "description",
                    models.TextField(
                        blank=True,
                        help_text="Shown under the title instead of the item's own summary (optional).",
                        verbose_name="description",
                    ),
                ),
                (
                    "sort_order",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="Lower numbers come first.", verbose_name="order"
                    ),
                ),
                ("query_key", models.CharField(editable=False, max_length=255)),
                ("target_kind", models.CharField(editable=False, max_length=10)),
                ("target_id", models.PositiveBigIntegerField(editable=False)),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "cluster",
                    models.ForeignKey(
                        blank=True,
                        help_text="Or a cluster profile instead of a page.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="clusters.clusterprofile",
                        verbose_name="cluster organisation",
                    ),
                ),
                (
                    "page",
                    models.ForeignKey(
                        blank=True,
                        help_text="A news item, event or standard page.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.WAGTAIL_PAGE_MODEL,
                        verbose_name="page",
                    ),
                ),
            ],
            options={
                "verbose_name": "promoted result",
                "verbose_name_plural": "promoted results",
                "ordering": ["language", "query_key", "sort_order", "pk"],
                "indexes": [
                    models.Index(
                        fields=["language", "query_key"], name="sitesearch__languag_f211a0_idx"
                    )
                ],
            },
        ),
        migrations.RunPython(seed_synonyms, unseed_synonyms),
    ]
