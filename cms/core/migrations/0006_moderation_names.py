"""Name each country's moderation workflow and task in the country's language.

``sync_sites`` used to name them "CZ moderation" and "CZ moderators approval",
which Wagtail shows inside its buttons ("Potvrdit CZ moderation"); see
``cms.core.workflows``. Rows renamed by hand are left alone.
"""

from django.db import migrations


def rename(apps, schema_editor):
    from cms.core.workflows import legacy_moderation_names, moderation_names

    Country = apps.get_model("core", "Country")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for country in Country.objects.all():
        workflow_name, task_name = moderation_names(country)
        old_workflow_name, old_task_name = legacy_moderation_names(country)
        Workflow.objects.filter(name=old_workflow_name).update(name=workflow_name)
        Task.objects.filter(name=old_task_name).update(name=task_name)


def rename_back(apps, schema_editor):
    from cms.core.workflows import legacy_moderation_names, moderation_names

    Country = apps.get_model("core", "Country")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for country in Country.objects.all():
        workflow_name, task_name = moderation_names(country)
        old_workflow_name, old_task_name = legacy_moderation_names(country)
        Workflow.objects.filter(name=workflow_name).update(name=old_workflow_name)
        Task.objects.filter(name=task_name).update(name=old_task_name)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_verbose_names_i18n"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
