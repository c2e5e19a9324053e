"""Who may edit what: each country's groups, collections and moderation workflow.

Set up by ``sync_sites`` (``cms.core.services.sync_network``), idempotently: the
groups' page, snippet and collection permissions, the shared collection every
country may pick from, the network administrators, and each site's workflow.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms.core.models import Country
from cms.core.permissions import NETWORK_ADMINISTRATORS
from cms.core.upserts import SyncReport, upsert
from cms.core.workflows import legacy_moderation_names, moderation_names

#: Page permissions per role, on the country's home page and everything below it.
#: Wagtail lets "change" delete leaf pages: editors only unpublished drafts (they
#: cannot publish, so cannot unpublish either), moderators published pages too.
PAGE_PERMISSIONS = {
    "editors": ("add_page", "change_page", "lock_page"),
    "moderators": ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
}
#: What may be done with a snippet type one has a permission on.
EVERY_ACTION = ("add", "change", "delete", "view")


def snippet_permissions(*, network: bool = False) -> tuple[tuple[str, str, tuple], ...]:
    """Model permissions on every snippet type the network serves (``Representations``).

    A country keeps the types that have a ``country`` (profiles, partners, contacts):
    every action, which ``CountryPermissionPolicy`` limits to the group's own country.
    The shared ones (sectors) it may only read; network administrators (``network``)
    may do everything with all of them. Read from the registry, so a new snippet type
    reaches the editors' groups with the next ``sync_sites``.
    """
    from cms.projections.registry import served_types

    found = []
    for model, served in served_types().items():
        if served.is_page:
            continue
        owned = any(field.name == "country" for field in model._meta.get_fields())
        actions = EVERY_ACTION if network or owned else ("view",)
        found.append((model._meta.app_label, model._meta.model_name, actions))
    return tuple(found)


COLLECTION_PERMISSIONS = (
    # Wagtail checks image permissions on its own Image model, even with a custom one.
    ("wagtailimages", "image", ("add", "change", "choose")),
    ("wagtaildocs", "document", ("add", "change", "choose")),
)
#: What every country's groups may do in the shared collection: pick, not change.
SHARED_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "image", ("choose",)),
    ("wagtaildocs", "document", ("choose",)),
)
#: The collection of images and documents that belong to no one country.
SHARED_COLLECTION = "Network – shared"
#: Groups a fresh Wagtail install creates with rights over the whole page tree.
WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators")


def disarm_wagtail_default_groups(report: SyncReport) -> None:
    """Take the whole-tree page and collection rights from Wagtail's default groups.

    Otherwise adding a national editor to "Editors" would quietly bypass
    country isolation. The groups (and their members) stay; rights come from
    the per-country groups only.
    """
    groups = Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS)
    deleted, _ = GroupPagePermission.objects.filter(group__in=groups).delete()
    deleted_collections, _ = GroupCollectionPermission.objects.filter(group__in=groups).delete()
    if deleted or deleted_collections:
        report.updated["wagtail default groups disarmed"] += 1


def sync_collection(country: Country, report: SyncReport) -> Collection:
    """The country's collection of images and documents, linked from ``Country.collection``.

    A collection made before the link existed is found by its name ("CZ – …")
    and linked, so a second run creates nothing.
    """
    name = f"{country.code} – {country.name_en}"
    collection = country.collection or find_child_collection(f"{country.code} – ")
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=name)
        report.created["collections"] += 1
    elif collection.name != name:
        collection.name = name
        collection.save()
        report.updated["collections"] += 1
    if country.collection_id != collection.pk:
        country.collection = collection
        country.save(update_fields=["collection"])
        report.updated["country collections linked"] += 1
    return collection


def find_child_collection(prefix: str) -> Collection | None:
    """The top-level collection whose name starts with ``prefix``, if any."""
    for child in Collection.get_first_root_node().get_children():
        if child.name.startswith(prefix):
            return child
    return None


def sync_shared_collection(report: SyncReport) -> Collection:
    """The network's shared collection: images and documents every country may choose.

    Network administrators keep it (their rights on the root collection reach
    it); each country's groups get only ``choose`` on it (``sync_groups``), so
    the project's and the funding programme's marks can be used on every
    site but changed by none of them.
    """
    collection = find_child_collection(SHARED_COLLECTION)
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=SHARED_COLLECTION)
        report.created["collections"] += 1
    return collection


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def sync_group(name: str, model_permissions, collection: Collection, report: SyncReport) -> Group:
    """The group ``name`` with admin access, ``model_permissions`` and image/document access."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        report.created["groups"] += 1
    wanted = {_permission("wagtailadmin", "access_admin")}
    for app_label, model, actions in model_permissions:
        wanted |= {_permission(app_label, f"{action}_{model}") for action in actions}
    missing = wanted - set(group.permissions.all())
    if missing:
        group.permissions.add(*missing)
        report.updated["group permissions"] += len(missing)
    grant_collection_permissions(group, collection, COLLECTION_PERMISSIONS, report)
    return group


def grant_collection_permissions(group, collection, permissions, report: SyncReport) -> None:
    """Give ``group`` each of ``permissions`` on ``collection`` (and so its descendants)."""
    for app_label, model, actions in permissions:
        for action in actions:
            _, created = GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=_permission(app_label, f"{action}_{model}"),
            )
            report.created["collection permissions"] += int(created)


def sync_network_administrators(report: SyncReport) -> None:
    """Network administrators: every country's snippets, the sectors, all images, and the
    sign-in locks.

    They get no page permissions here; whoever runs the hub is added to the
    "INT" groups, and a country's pages stay with that country's groups.
    """
    sync_group(
        NETWORK_ADMINISTRATORS,
        (*snippet_permissions(network=True), *SIGN_IN_LOCK_PERMISSIONS, *API_TOKEN_PERMISSIONS),
        Collection.get_first_root_node(),
        report,
    )


#: Wagtail's API tokens (Settings -> API tokens), which unlock the Delivery API's draft
#: previews. Without ``auth.change_user`` (no group has it) Wagtail lets a holder make,
#: rename and revoke only their own: a token acts for its user, never for a colleague.
API_TOKEN_PERMISSIONS = (("wagtailcore", "apitoken", ("add", "change", "delete", "view")),)

#: The admin's sign-in locks (``cms.users.sign_in_locks``): seen and lifted by network
#: administrators, whom a locked-out editor is told to ask.
SIGN_IN_LOCK_PERMISSIONS = (("axes", "accessattempt", ("view", "delete")),)


def sync_groups(
    country: Country, home, collection: Collection, shared: Collection, report: SyncReport
) -> None:
    page_type = ContentType.objects.get_for_model(Page)
    for role, page_codenames in PAGE_PERMISSIONS.items():
        permissions = (*snippet_permissions(), *API_TOKEN_PERMISSIONS)
        group = sync_group(f"{country.code} {role}", permissions, collection, report)
        grant_collection_permissions(group, shared, SHARED_COLLECTION_PERMISSIONS, report)
        for codename in page_codenames:
            permission = Permission.objects.get(content_type=page_type, codename=codename)
            _, created = GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=permission
            )
            report.created["page permissions"] += int(created)
        field_name = f"{role}_group"
        if getattr(country, f"{field_name}_id") != group.pk:
            setattr(country, field_name, group)
            country.save(update_fields=[field_name])


def sync_workflow(country: Country, home, report: SyncReport) -> None:
    """The country's moderation: its editors submit, its moderators approve.

    Wagtail's own machinery: one ``Workflow`` with one ``GroupApprovalTask``
    for the country's moderators, assigned to the home page and so to the
    whole country tree (it overrides Wagtail's default workflow on the root).
    Both are named in the country's language (``cms.core.workflows``): Wagtail
    shows the names in its buttons. The workflow is the one assigned to the
    home page (else found by its name, or the English name it had before), its
    task the workflow's own, so a second run, or a renamed row, changes nothing.
    """
    workflow_name, task_name = moderation_names(country)
    old_workflow_name, old_task_name = legacy_moderation_names(country)
    assigned = WorkflowPage.objects.filter(page=home).select_related("workflow").first()
    workflow = (
        assigned.workflow
        if assigned is not None
        else Workflow.objects.filter(name__in=[workflow_name, old_workflow_name]).first()
    )
    if workflow is None:
        workflow = Workflow.objects.create(name=workflow_name, active=True)
        report.created["workflows"] += 1
    elif (workflow.name, workflow.active) != (workflow_name, True):
        workflow.name, workflow.active = workflow_name, True
        workflow.save(update_fields=["name", "active"])
        report.updated["workflows"] += 1
    task = (
        GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).first()
        or GroupApprovalTask.objects.filter(name__in=[task_name, old_task_name]).first()
    )
    if task is None:
        task = GroupApprovalTask.objects.create(name=task_name)
        report.created["workflow tasks"] += 1
    elif (task.name, task.active) != (task_name, True):
        task.name, task.active = task_name, True
        task.save(update_fields=["name", "active"])
        report.updated["workflow tasks"] += 1
    if set(task.groups.all()) != {country.moderators_group}:
        task.groups.set([country.moderators_group])
        report.updated["workflow task groups"] += 1
    if list(workflow.workflow_tasks.values_list("task", flat=True)) != [task.pk]:
        workflow.workflow_tasks.all().delete()
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        report.updated["workflow steps"] += 1
    upsert(WorkflowPage, report, "workflow pages", {"page": home}, {"workflow": workflow})
