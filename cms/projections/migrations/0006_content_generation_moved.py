"""The response cache's generation moves from the Delivery API's app (``delivery_api``) to the
projections as ``ContentGeneration`` (``cms.projections.generation``), its row and all.

Only Django's picture of the model moves (``SeparateDatabaseAndState``), as the tombstones'
did (``0005``): the table keeps its name and its one row, ``delivery_api``'s ``0008``
forgets the model on its side, and the content type is relabelled so that what points at
it follows.
"""

from django.db import migrations, models

OLD = ("delivery_api", "responsecachegeneration")
NEW = ("projections", "contentgeneration")


def relabel(apps, old: tuple[str, str], new: tuple[str, str]) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=old[0], model=old[1]).exists():
        return  # a new database: post_migrate creates the content type afterwards
    ContentType.objects.filter(app_label=new[0], model=new[1]).delete()
    ContentType.objects.filter(app_label=old[0], model=old[1]).update(
        app_label=new[0], model=new[1]
    )


def forwards(apps, schema_editor):
    relabel(apps, OLD, NEW)


def backwards(apps, schema_editor):
    relabel(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("delivery_api", "0007_tombstone_moved_to_projections"),
        ("projections", "0005_tombstone_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContentGeneration",
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
                        ("value", models.PositiveBigIntegerField(default=0)),
                    ],
                    options={"db_table": "delivery_api_responsecachegeneration"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
