"""Webhooks move from the Delivery API app (``delivery_api``) to their own app, rows and all.

Only Django's picture of the models moves (``SeparateDatabaseAndState``): the
tables keep their names (``db_table``) and every row, and ``delivery_api``'s
``0006`` forgets the models on its side. In the database itself:

- the two content types are relabelled ``webhooks``, so what points at them
  (permissions and the groups that hold them, admin log entries) follows:
  ``delivery_api.add_webhook`` becomes ``webhooks.add_webhook``;
- webhook tasks waiting in django-tasks-db (a retry scheduled at its backoff time)
  name the task by its new path, so the worker still finds it.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import cms.webhooks.models

OLD_LABEL, NEW_LABEL = "delivery_api", "webhooks"
MODELS = ("webhook", "webhookdelivery")
OLD_TASK = "cms.api.webhooks.deliver_webhooks_task"
NEW_TASK = "cms.webhooks.delivery.deliver_webhooks_task"


def relabel(apps, old: str, new: str, old_task: str, new_task: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=old, model=model).exists():
            continue  # a new database: post_migrate creates the content types afterwards
        # Made for the new label by a migrate in between (back to 0005 and forward):
        # fresh, nobody was given its permissions; the old one, and who holds it, wins.
        ContentType.objects.filter(app_label=new, model=model).delete()
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(task_path=old_task).update(task_path=new_task)


def forwards(apps, schema_editor):
    relabel(apps, OLD_LABEL, NEW_LABEL, OLD_TASK, NEW_TASK)


def backwards(apps, schema_editor):
    relabel(apps, NEW_LABEL, OLD_LABEL, NEW_TASK, OLD_TASK)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),  # permissions follow content types
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_country_updated_at_sector_updated_at"),
        ("delivery_api", "0005_webhook_delivery_item"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Webhook",
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
                            "name",
                            models.CharField(
                                help_text="Who receives it, e.g. 'cz front end'.", max_length=100
                            ),
                        ),
                        (
                            "url",
                            models.URLField(
                                help_text="Receives a JSON POST per event.",
                                max_length=500,
                                validators=[
                                    django.core.validators.URLValidator(schemes=["http", "https"])
                                ],
                            ),
                        ),
                        (
                            "secret",
                            models.CharField(
                                default=cms.webhooks.models.new_webhook_secret,
                                help_text="Key of the HMAC-SHA256 signature in "
                                "X-Clusters-Cord-Signature.",
                                max_length=100,
                            ),
                        ),
                        (
                            "events",
                            models.JSONField(
                                default=cms.webhooks.models.all_webhook_events,
                                help_text="Events to send.",
                            ),
                        ),
                        ("active", models.BooleanField(default=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "country",
                            models.ForeignKey(
                                help_text="Site whose content changes are sent "
                                "(the hub: every site).",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="webhooks",
                                to="core.country",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "delivery_api_webhook",
                        "ordering": ["country__sort_order", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="WebhookDelivery",
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
                        ("event", models.CharField(max_length=20)),
                        ("payload", models.JSONField()),
                        (
                            "object_type",
                            models.CharField(blank=True, default="", max_length=100),
                        ),
                        ("object_id", models.PositiveBigIntegerField(blank=True, null=True)),
                        ("sequence", models.PositiveBigIntegerField(default=0)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "pending"),
                                    ("delivered", "delivered"),
                                    ("failed", "failed (gave up)"),
                                ],
                                db_index=True,
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        (
                            "next_attempt_at",
                            models.DateTimeField(
                                db_index=True, default=django.utils.timezone.now
                            ),
                        ),
                        ("response_code", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("error", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("delivered_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "webhook",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deliveries",
                                to="webhooks.webhook",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "webhook deliveries",
                        "db_table": "delivery_api_webhookdelivery",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(
                                fields=["webhook", "object_type", "object_id", "status"],
                                name="webhook_delivery_item",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
