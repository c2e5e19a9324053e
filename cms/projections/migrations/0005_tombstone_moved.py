"""Tombstones move from the Delivery API app (``delivery_api``) to the projections, rows and all.

Only Django's picture of the model moves (``SeparateDatabaseAndState``): the table
keeps its name (``db_table``, ``delivery_api_tombstone``) and every row, and
``delivery_api``'s ``0007`` forgets the model on its side. In the database itself
the content type is relabelled ``projections``, so what points at it (permissions
and the groups that hold them, admin log entries) follows:
``delivery_api.view_tombstone`` becomes ``projections.view_tombstone``.
"""

import django.utils.timezone
from django.db import migrations, models

OLD_LABEL, NEW_LABEL = "delivery_api", "projections"
MODEL = "tombstone"


def relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=old, model=MODEL).exists():
        return  # a new database: post_migrate creates the content type afterwards
    # Made for the new label by a migrate in between (back to 0004 and forward):
    # fresh, nobody was given its permissions; the old one, and who holds it, wins.
    ContentType.objects.filter(app_label=new, model=MODEL).delete()
    ContentType.objects.filter(app_label=old, model=MODEL).update(app_label=new)


def forwards(apps, schema_editor):
    relabel(apps, OLD_LABEL, NEW_LABEL)


def backwards(apps, schema_editor):
    relabel(apps, NEW_LABEL, OLD_LABEL)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),  # permissions follow content types
        ("contenttypes", "0002_remove_content_type_name"),
        ("delivery_api", "0006_webhooks_moved"),
        ("projections", "0004_body_and_columns"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Tombstone",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "object_type",
                            models.CharField(
                                help_text="Model label, e.g. news.NewsPage", max_length=100
                            ),
                        ),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("country", models.CharField(blank=True, max_length=3)),
                        (
                            "reason",
                            models.CharField(
                                choices=[
                                    ("unpublished", "unpublished"),
                                    ("deleted", "deleted"),
                                    ("moved", "moved to another country"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "removed_at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                        ),
                    ],
                    options={
                        "db_table": "delivery_api_tombstone",
                        "ordering": ["removed_at", "pk"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("object_type", "object_id"), name="unique_tombstone"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
