"""The response cache's generation moved to the projections (``ContentGeneration``): forget it
here, keep its table (``projections/0006_content_generation_moved``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("delivery_api", "0007_tombstone_moved_to_projections"),
        ("projections", "0006_content_generation_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ResponseCacheGeneration")],
            database_operations=[],
        ),
    ]
