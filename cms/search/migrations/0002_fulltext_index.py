# Placeholder kept in the migration chain so that parallel work on the search app
# (the database full-text index; synonyms and best bets) does not fork it.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0001_initial")]

    operations = []
