"""Each item's counter of event numbers, starting where its recorded deliveries left off.

Before, an event's ``sequence`` was the highest recorded one plus one, read in the
writer's transaction: two writers announcing one item at once could both take the
same number. Now each item has a counter row, locked while a writer takes numbers.
"""

from django.db import migrations, models
from django.db.models import Max


def counters_from_deliveries(apps, schema_editor):
    WebhookDelivery = apps.get_model("webhooks", "WebhookDelivery")
    ItemSequence = apps.get_model("webhooks", "ItemSequence")
    tops = (
        WebhookDelivery.objects.filter(object_id__isnull=False)
        .exclude(object_type="")
        .values("object_type", "object_id")
        .annotate(top=Max("sequence"))
        .order_by()
    )
    ItemSequence.objects.bulk_create(
        (
            ItemSequence(
                object_type=row["object_type"], object_id=row["object_id"], last=row["top"]
            )
            for row in tops.iterator()
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ItemSequence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_type", models.CharField(max_length=100)),
                ("object_id", models.PositiveBigIntegerField()),
                ("last", models.PositiveBigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("object_type", "object_id"), name="unique_item_sequence"
                    )
                ],
            },
        ),
        migrations.RunPython(counters_from_deliveries, migrations.RunPython.noop),
    ]
