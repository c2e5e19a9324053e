"""Name each country's moderation workflow and task in the country's language.

``sync_sites`` used to name them "CZ moderation" and "CZ moderators approval",
which Wagtail shows inside its buttons ("Potvrdit CZ moderation"); see
``cms.core.workflows``. Rows renamed by hand are left alone.
"""

from django.db import migrations


def rename_all(apps, *, to_new: bool):
    from cms.core.workflows import legacy_moderation_names, moderation_names

    Country = apps.get_model("core", "Country")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for country in Country.objects.all():
        names = (legacy_moderation_names(country), moderation_names(country))
        (old_workflow, old_task), (new_workflow, new_task) = names if to_new else names[::-1]
        Workflow.objects.filter(name=old_workflow).update(name=new_workflow)
        Task.objects.filter(name=old_task).update(name=new_task)


def rename(apps, schema_editor):
    rename_all(apps, to_new=True)


def rename_back(apps, schema_editor):
    rename_all(apps, to_new=False)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_verbose_names_i18n"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
