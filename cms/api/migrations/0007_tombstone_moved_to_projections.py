"""Tombstones moved to the projections (``cms.projections``): forget them here, keep their table.

State only: the table stays, now ``projections``' model (``projections/0005_tombstone_moved``).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("delivery_api", "0006_webhooks_moved"),
        ("projections", "0005_tombstone_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Tombstone"),
            ],
            database_operations=[],
        ),
    ]
