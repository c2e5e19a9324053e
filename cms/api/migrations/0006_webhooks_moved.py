"""Webhooks moved to their own app (``cms.webhooks``): forget them here, keep their tables.

State only: the tables stay, now ``webhooks``' models (``webhooks/0001_initial``).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("delivery_api", "0005_webhook_delivery_item"),
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="WebhookDelivery"),
                migrations.DeleteModel(name="Webhook"),
            ],
            database_operations=[],
        ),
    ]
