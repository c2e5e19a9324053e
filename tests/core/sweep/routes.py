"""Every admin URL pattern the sweep knows, with its probes (``ROUTES``), and those it leaves
out or lets show the Slovak structure, each with the reason."""

from __future__ import annotations

from django.core.files.base import ContentFile
from wagtail.models import (
    Page,
)

from tests.core.sweep.probes import (
    Probe,
    bulk_probes,
    copy_probes,
    editing_session_probes,
    listing,
    page_probes,
    page_types,
    plausible_body,
    reports,
    revision_probes,
    workflow_action_probes,
)
from tests.core.sweep.world import CONTENT, FOREIGN, WORD, png

#: Every named admin URL pattern and how to fill it: a function of the world that
#: returns the probes. (Snippet and snippet chooser viewsets and the translation
#: listings are filled per kind of view: ``SNIPPET_VIEWS``, ``SNIPPET_CHOOSER_VIEWS``,
#: ``TRANSLATION_LISTING_VIEWS``; network-wide patterns: ``NETWORK_WIDE``.)
ROUTES = {
    "copy_translation_content": copy_probes,
    "wagtailadmin_home": lambda w: [Probe()],
    "wagtailadmin_api:pages:listing": lambda w: [
        Probe(),
        Probe(query={"search": WORD}),
        Probe(query={"child_of": w.index.pk}),
        Probe(query={"descendant_of": w.foreign.home_page.pk}),
        Probe(query={"for_explorer": "1", "child_of": "root"}),
        Probe(query={"id": w.page.pk}),
    ],
    "wagtailadmin_api:pages:detail": lambda w: page_probes(w, "pk", post=False),
    "wagtailadmin_api:pages:find": lambda w: [
        Probe(query={"id": w.page.pk}),
        Probe(query={"html_path": "/sk/"}),
    ],
    "wagtailadmin_api:pages:action": lambda w: (
        [
            Probe(
                {"pk": page.pk, "action_name": action},
                post={"destination_page_id": w.own_index.pk, "revision_id": w.old_revision.pk},
                get=False,
            )
            for page in (w.page, w.live)
            for action in (
                "convert_alias",
                "copy",
                "delete",
                "publish",
                "unpublish",
                "move",
                "copy_for_translation",
                "create_alias",
                "revert_to_page_revision",
            )
        ]
        + [
            # The own page, moved or copied into Slovakia, or reverted to a Slovak revision.
            Probe(
                {"pk": w.own_page.pk, "action_name": action},
                post={"destination_page_id": w.index.pk, "revision_id": w.old_revision.pk},
                get=False,
            )
            for action in ("copy", "move", "create_alias", "revert_to_page_revision")
        ]
    ),
    "wagtailadmin_api:documents:listing": lambda w: [
        Probe(),
        Probe(query={"search": WORD}),
        Probe(query={"id": w.document.pk}),
    ],
    "wagtailadmin_api:documents:detail": lambda w: [Probe({"pk": w.document.pk})],
    "wagtailadmin_api:documents:find": lambda w: [Probe(query={"id": w.document.pk})],
    "wagtailadmin_api:images:listing": lambda w: [
        Probe(),
        Probe(query={"search": WORD}),
        Probe(query={"id": w.image.pk}),
    ],
    "wagtailadmin_api:images:detail": lambda w: [Probe({"pk": w.image.pk})],
    "wagtailadmin_api:images:find": lambda w: [Probe(query={"id": w.image.pk})],
    "wagtailadmin_explore_root": lambda w: listing(),
    "wagtailadmin_explore": lambda w: [
        *page_probes(w, "parent_page_id", post=False),
        Probe({"parent_page_id": w.foreign.home_page.pk}),
        Probe({"parent_page_id": Page.get_first_root_node().pk}),
        Probe({"parent_page_id": Page.get_first_root_node().pk}, query={"q": WORD}),
    ],
    "wagtailadmin_explore_results": lambda w: [
        Probe({"parent_page_id": w.index.pk}),
        Probe({"parent_page_id": Page.get_first_root_node().pk}, query={"q": WORD}),
        Probe({"parent_page_id": w.own_index.pk}, query={"q": WORD}),
    ],
    "wagtail_bulk_action": bulk_probes,
    "wagtailadmin_pages:add": lambda w: [
        Probe(
            {
                "content_type_app_name": app,
                "content_type_model_name": model,
                "parent_page_id": parent.pk,
            },
            post=plausible_body(w),
        )
        for app, model in page_types()
        for parent in (w.index, w.foreign.home_page)
    ],
    "wagtailadmin_pages:preview_on_add": lambda w: [
        Probe(
            {
                "content_type_app_name": app,
                "content_type_model_name": model,
                "parent_page_id": w.index.pk,
            },
            post=plausible_body(w),
        )
        for app, model in page_types()
    ],
    "wagtailadmin_pages:type_use": lambda w: [
        probe
        for app, model in page_types()
        for probe in (
            Probe({"content_type_app_name": app, "content_type_model_name": model}),
            Probe(
                {"content_type_app_name": app, "content_type_model_name": model},
                query={"q": WORD},
            ),
            Probe(
                {"content_type_app_name": app, "content_type_model_name": model},
                query={"export": "csv"},
            ),
        )
    ],
    "wagtailadmin_pages:type_use_results": lambda w: [
        Probe({"content_type_app_name": app, "content_type_model_name": model})
        for app, model in page_types()
    ],
    "wagtailadmin_pages:choose_parent": lambda w: [
        Probe({"app_label": app, "model_name": model}, post={"parent_page": w.index.pk})
        for app, model in page_types()
    ],
    "wagtailadmin_pages:usage": lambda w: [
        *page_probes(w, post=False),
        Probe({"page_id": w.own_page.pk}),
    ],
    "wagtailadmin_pages:edit": lambda w: page_probes(w),
    "wagtailadmin_pages:preview_on_edit": lambda w: page_probes(w),
    "wagtailadmin_pages:view_draft": lambda w: page_probes(w, post=False),
    "wagtailadmin_pages:add_subpage": lambda w: page_probes(w, "parent_page_id", post=False),
    "wagtailadmin_pages:delete": lambda w: page_probes(w),
    "wagtailadmin_pages:unpublish": lambda w: page_probes(w),
    "wagtailadmin_pages:convert_alias": lambda w: page_probes(w),
    "wagtailadmin_pages:search": lambda w: listing({"q": WORD, "content_type": "news.newspage"}),
    "wagtailadmin_pages:search_results": lambda w: listing(),
    "wagtailadmin_pages:move": lambda w: page_probes(w, "page_to_move_id", post=False),
    "wagtailadmin_pages:move_confirm": lambda w: [
        Probe({"page_to_move_id": w.page.pk, "destination_id": w.own_index.pk}, post={}),
        Probe({"page_to_move_id": w.own_page.pk, "destination_id": w.index.pk}, post={}),
    ],
    "wagtailadmin_pages:set_page_position": lambda w: [
        Probe({"page_to_move_id": page.pk}, query={"position": "0"}, post={}, get=False)
        for page in (w.page, w.live)
    ],
    "wagtailadmin_pages:copy": lambda w: [
        *page_probes(w),
        Probe({"page_id": w.own_page.pk}, post=plausible_body(w)),  # into the Slovak index
    ],
    "wagtailadmin_pages:workflow_action": workflow_action_probes,
    "wagtailadmin_pages:collect_workflow_action_data": workflow_action_probes,
    "wagtailadmin_pages:confirm_workflow_cancellation": lambda w: [Probe({"page_id": w.page.pk})],
    "wagtailadmin_pages:workflow_preview": lambda w: [
        Probe({"page_id": w.page.pk, "task_id": w.task.pk}),
        Probe({"page_id": w.own_page.pk, "task_id": w.task.pk}),
    ],
    "wagtailadmin_pages:set_privacy": lambda w: page_probes(w),
    "wagtailadmin_pages:lock": lambda w: page_probes(w),
    "wagtailadmin_pages:unlock": lambda w: page_probes(w),
    "wagtailadmin_pages:revisions_index": lambda w: page_probes(w, post=False),
    "wagtailadmin_pages:revisions_view": lambda w: revision_probes(w, post=False),
    "wagtailadmin_pages:revisions_revert": lambda w: revision_probes(w),
    "wagtailadmin_pages:revisions_unschedule": lambda w: revision_probes(w),
    "wagtailadmin_pages:revisions_compare": lambda w: [
        Probe({"pk": page.pk, "revision_id_a": a, "revision_id_b": b})
        for page in (w.live, w.own_page)
        for a, b in (
            ("earliest", "latest"),
            (str(w.old_revision.pk), str(w.revision.pk)),
            (str(w.old_revision.pk), "latest"),
            ("live", str(w.scheduled.pk)),
        )
    ],
    "wagtailadmin_pages:workflow_history": lambda w: page_probes(w, post=False),
    "wagtailadmin_pages:workflow_history_detail": lambda w: [
        Probe({"page_id": w.page.pk, "workflow_state_id": w.workflow_state.pk}),
        Probe({"page_id": w.own_page.pk, "workflow_state_id": w.workflow_state.pk}),
    ],
    "wagtailadmin_pages:history": lambda w: page_probes(w, post=False),
    "wagtailadmin_pages:history_results": lambda w: page_probes(w, post=False),
    "wagtailadmin_choose_page": lambda w: listing(),
    "wagtailadmin_choose_page_child": lambda w: [
        *page_probes(w, "parent_page_id", post=False),
        Probe({"parent_page_id": Page.get_first_root_node().pk}),
    ],
    "wagtailadmin_choose_page_search": lambda w: listing(),
    "wagtailadmin_choose_page_chosen_multiple": lambda w: [
        Probe(query=[("id", w.page.pk)]),
        Probe(query=[("id", w.own_page.pk), ("id", w.live.pk)]),
    ],
    "wagtailadmin_tag_autocomplete": lambda w: [Probe(query={"term": CONTENT.lower()[:3]})],
    "wagtailadmin_tag_model_autocomplete": lambda w: [
        Probe({"app_name": app, "model_name": model}, query={"term": CONTENT.lower()[:3]})
        for app, model in (("taggit", "tag"), ("core", "customimage"))
    ],
    "wagtailadmin_collections:index": lambda w: listing(),
    "wagtailadmin_collections:add": lambda w: [Probe(post=plausible_body(w))],
    "wagtailadmin_collections:edit": lambda w: [
        Probe({"pk": w.foreign.collection_id}, post=plausible_body(w))
    ],
    "wagtailadmin_collections:delete": lambda w: [Probe({"pk": w.foreign.collection_id}, post={})],
    "wagtailadmin_collections:set_privacy": lambda w: [
        Probe({"collection_id": w.foreign.collection_id}, post=plausible_body(w))
    ],
    "wagtailadmin_workflows:index": lambda w: listing(),
    "wagtailadmin_workflows:index_results": lambda w: listing(),
    "wagtailadmin_workflows:add": lambda w: [Probe(post=plausible_body(w))],
    "wagtailadmin_workflows:enable": lambda w: [Probe({"pk": w.workflow.pk}, post={})],
    "wagtailadmin_workflows:disable": lambda w: [Probe({"pk": w.workflow.pk}, post={})],
    "wagtailadmin_workflows:edit": lambda w: [Probe({"pk": w.workflow.pk}, post=plausible_body(w))],
    "wagtailadmin_workflows:usage": lambda w: [Probe({"pk": w.workflow.pk})],
    "wagtailadmin_workflows:usage_results": lambda w: [Probe({"pk": w.workflow.pk})],
    "wagtailadmin_workflows:remove": lambda w: [
        Probe({"page_pk": w.foreign.home_page.pk}, post={}),
        Probe({"page_pk": w.foreign.home_page.pk, "workflow_pk": w.workflow.pk}, post={}),
    ],
    "wagtailadmin_workflows:add_task": lambda w: [
        Probe(
            {"app_label": "wagtailcore", "model_name": "groupapprovaltask"}, post=plausible_body(w)
        )
    ],
    "wagtailadmin_workflows:select_task_type": lambda w: [Probe()],
    "wagtailadmin_workflows:task_index": lambda w: listing(),
    "wagtailadmin_workflows:task_index_results": lambda w: listing(),
    "wagtailadmin_workflows:edit_task": lambda w: [
        Probe({"pk": w.task.pk}, post=plausible_body(w))
    ],
    "wagtailadmin_workflows:disable_task": lambda w: [Probe({"pk": w.task.pk}, post={})],
    "wagtailadmin_workflows:enable_task": lambda w: [Probe({"pk": w.task.pk}, post={})],
    "wagtailadmin_workflows:task_chooser": lambda w: listing(),
    "wagtailadmin_workflows:task_chooser_results": lambda w: listing(),
    "wagtailadmin_workflows:task_chooser_create": lambda w: [Probe(post=plausible_body(w))],
    "wagtailadmin_workflows:task_chosen": lambda w: [Probe({"task_id": w.task.pk})],
    # Wagtail's report URLs: the addresses are answered by ours (``cms.core.admin_reports``,
    # routed first), which are swept under their routes below; requested here all the same.
    "wagtailadmin_reports:locked_pages": reports(),
    "wagtailadmin_reports:locked_pages_results": reports(export=False),
    "wagtailadmin_reports:workflow": reports(),
    "wagtailadmin_reports:workflow_results": reports(export=False),
    "wagtailadmin_reports:workflow_tasks": reports(),
    "wagtailadmin_reports:workflow_tasks_results": reports(export=False),
    "wagtailadmin_reports:site_history": reports(),
    "wagtailadmin_reports:site_history_results": reports(export=False),
    "wagtailadmin_reports:aging_pages": reports(),
    "wagtailadmin_reports:aging_pages_results": reports(export=False),
    "wagtailadmin_reports:page_types_usage": reports(),
    "wagtailadmin_reports:page_types_usage_results": reports(export=False),
    "wagtailadmin_editing_sessions:ping": editing_session_probes,
    "wagtailadmin_editing_sessions:release": lambda w: [
        Probe({"session_id": session.pk}, post={}, get=False)
        for session in (w.session, w.snippet_session)
    ],
    "snippet_index": lambda w: listing(),
    "wagtailsnippets:index": lambda w: listing(),
    "translation_status": lambda w: listing(
        {"format": "csv"}, {"country": FOREIGN}, {"country": FOREIGN, "format": "csv"}
    ),
    "cluster_import": lambda w: [
        Probe(post={"token": w.pending_import.token, "skip_invalid": "1"}),
        Probe(
            post={
                "file": ContentFile(
                    b"slug,country,name_en\nsweep-import,SK,Sweep import\n", name="sweep.csv"
                )
            }
        ),
    ],
    "cluster_export": lambda w: [Probe(), Probe(query={"format": "csv"})],
    "wagtailusers_api_tokens:index": lambda w: listing(),
    "wagtailusers_api_tokens:index_results": lambda w: listing(),
    "wagtailusers_api_tokens:add": lambda w: [
        Probe(post={"name": "Changed by the sweep", "user": w.sk_editor.pk})
    ],
    "wagtailusers_api_tokens:edit": lambda w: [
        Probe({"pk": w.token.pk}, post={"name": "Changed by the sweep"})
    ],
    "wagtailusers_api_tokens:delete": lambda w: [Probe({"pk": w.token.pk}, post={})],
    "wagtailusers_api_tokens:history": lambda w: [Probe({"pk": w.token.pk})],
    "wagtailusers_api_tokens:history_results": lambda w: [Probe({"pk": w.token.pk})],
    "wagtailusers_api_tokens:usage": lambda w: [Probe({"pk": w.token.pk})],
    "wagtailredirects:index": lambda w: listing({"export": "csv"}, {"site": w.foreign.site_id}),
    "wagtailredirects:index_results": lambda w: listing({"site": w.foreign.site_id}),
    "wagtailredirects:add": lambda w: [Probe(post=plausible_body(w))],
    "wagtailredirects:edit": lambda w: [
        Probe({"redirect_id": w.redirect.pk}, post=plausible_body(w))
    ],
    "wagtailredirects:delete": lambda w: [Probe({"redirect_id": w.redirect.pk}, post={})],
    "wagtailredirects:start_import": lambda w: [Probe()],
    "wagtailredirects:process_import": lambda w: [Probe(post={"import_file_name": "x.csv"})],
    "wagtaildocs:index": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "wagtaildocs:index_results": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "wagtaildocs:add": lambda w: [
        Probe(
            post={
                "title": "Changed by the sweep",
                "collection": w.foreign.collection_id,
                "file": ContentFile(b"sweep", name="sweep.txt"),
            }
        )
    ],
    # The Slovak document; and the own one, posted with the Slovak collection.
    "wagtaildocs:edit": lambda w: [
        Probe({"document_id": doc.pk}, post=plausible_body(w))
        for doc in (w.document, w.own_document)
    ],
    "wagtaildocs:delete": lambda w: [Probe({"document_id": w.document.pk}, post={})],
    "wagtaildocs:add_multiple": lambda w: [
        Probe(
            post={
                "collection": w.foreign.collection_id,
                "files[]": ContentFile(b"sweep", name="sweep.txt"),
            }
        )
    ],
    "wagtaildocs:edit_multiple": lambda w: [
        Probe({"doc_id": w.document.pk}, post={f"doc-{w.document.pk}-title": "Changed"})
    ],
    "wagtaildocs:create_multiple_from_uploaded_document": lambda w: [
        Probe(
            {"uploaded_file_id": w.uploaded_document.pk},
            post={f"uploaded-document-{w.uploaded_document.pk}-title": "Changed"},
            get=False,
        )
    ],
    "wagtaildocs:delete_multiple": lambda w: [Probe({"doc_id": w.document.pk}, post={})],
    "wagtaildocs:delete_upload_multiple": lambda w: [
        Probe({"uploaded_file_id": w.uploaded_document.pk}, post={}, get=False)
    ],
    "wagtaildocs:document_usage": lambda w: [
        Probe({"document_id": doc.pk}) for doc in (w.document, w.own_document)
    ],
    "wagtailimages:index": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "wagtailimages:index_results": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "wagtailimages:edit": lambda w: [
        Probe({"image_id": image.pk}, post=plausible_body(w)) for image in (w.image, w.own_image)
    ],
    "wagtailimages:delete": lambda w: [Probe({"image_id": w.image.pk}, post={})],
    # Wagtail's image and document edit views, with the locked save (cms.core.wagtail_hooks),
    # at Wagtail's addresses: what those two routes serve.
    "image_edit_keeping_others_saves": lambda w: ROUTES["wagtailimages:edit"](w),
    "document_edit_keeping_others_saves": lambda w: ROUTES["wagtaildocs:edit"](w),
    "wagtailimages:url_generator": lambda w: [Probe({"image_id": w.image.pk})],
    "wagtailimages:url_generator_output": lambda w: [
        Probe({"image_id": w.image.pk}, query={"filter_method": "original"})
    ],
    "wagtailimages:preview": lambda w: [
        Probe({"image_id": w.image.pk, "filter_spec": spec}) for spec in ("original", "width-10")
    ],
    "wagtailimages:add": lambda w: [
        Probe(
            post={
                "title": "Changed by the sweep",
                "collection": w.foreign.collection_id,
                "file": png("sweep.png"),
            }
        )
    ],
    "wagtailimages:image_usage": lambda w: [
        Probe({"image_id": image.pk}) for image in (w.image, w.own_image)
    ],
    "wagtailimages:add_multiple": lambda w: [
        Probe(post={"collection": w.foreign.collection_id, "files[]": png("sweep.png")})
    ],
    "wagtailimages:edit_multiple": lambda w: [
        Probe({"image_id": w.image.pk}, post={f"image-{w.image.pk}-title": "Changed"})
    ],
    "wagtailimages:create_multiple_from_uploaded_image": lambda w: [
        Probe(
            {"uploaded_file_id": w.uploaded_image.pk},
            post={f"uploaded-image-{w.uploaded_image.pk}-title": "Changed"},
            get=False,
        )
    ],
    "wagtailimages:delete_multiple": lambda w: [Probe({"image_id": w.image.pk}, post={})],
    "wagtailimages:delete_upload_multiple": lambda w: [
        Probe({"uploaded_file_id": w.uploaded_image.pk}, post={}, get=False)
    ],
    "wagtaildocs_chooser:choose": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "wagtaildocs_chooser:choose_results": lambda w: listing(
        {"collection_id": w.foreign.collection_id}
    ),
    "wagtaildocs_chooser:chosen": lambda w: [Probe({"pk": str(w.document.pk)})],
    "wagtaildocs_chooser:chosen_multiple": lambda w: [
        Probe(query=[("id", w.own_document.pk), ("id", w.document.pk)])
    ],
    "wagtaildocs_chooser:create": lambda w: [
        Probe(
            post={
                "document-chooser-upload-title": "Changed",
                "document-chooser-upload-collection": w.foreign.collection_id,
                "document-chooser-upload-file": ContentFile(b"sweep", name="sweep.txt"),
            }
        )
    ],
    "wagtailimages_chooser:choose": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "wagtailimages_chooser:choose_results": lambda w: listing(
        {"collection_id": w.foreign.collection_id}
    ),
    "wagtailimages_chooser:chosen": lambda w: [Probe({"pk": str(w.image.pk)})],
    "wagtailimages_chooser:chosen_multiple": lambda w: [
        Probe(query=[("id", w.own_image.pk), ("id", w.image.pk)])
    ],
    "wagtailimages_chooser:create": lambda w: [
        Probe(
            post={
                "image-chooser-upload-title": "Changed",
                "image-chooser-upload-collection": w.foreign.collection_id,
                "image-chooser-upload-file": png("sweep.png"),
            }
        )
    ],
    "wagtailimages_chooser:select_format": lambda w: [
        Probe(
            {"image_id": w.image.pk},
            post={
                "image-chooser-insertion-format": "fullwidth",
                "image-chooser-insertion-alt_text": "x",
            },
        )
    ],
    "wagtailsites:index": lambda w: listing(),
    "wagtailsites:index_results": lambda w: listing(),
    "wagtailsites:add": lambda w: [Probe(post=plausible_body(w))],
    "wagtailsites:edit": lambda w: [Probe({"pk": w.foreign.site_id}, post=plausible_body(w))],
    "wagtailsites:delete": lambda w: [Probe({"pk": w.foreign.site_id}, post={})],
    "wagtailsites:history": lambda w: [Probe({"pk": w.foreign.site_id})],
    "wagtailsites:history_results": lambda w: [Probe({"pk": w.foreign.site_id})],
    "wagtailsites:usage": lambda w: [Probe({"pk": w.foreign.site_id})],
    "wagtailsites:copy": lambda w: [Probe({"pk": w.foreign.site_id})],
    "wagtailusers_users:index": lambda w: listing({"group": w.foreign.editors_group_id}),
    "wagtailusers_users:index_results": lambda w: listing(),
    "wagtailusers_users:add": lambda w: [Probe(post=plausible_body(w))],
    "wagtailusers_users:edit": lambda w: [Probe({"pk": w.sk_editor.pk}, post=plausible_body(w))],
    "wagtailusers_users:delete": lambda w: [Probe({"pk": w.sk_editor.pk}, post={})],
    "wagtailusers_users:history": lambda w: [Probe({"pk": w.sk_editor.pk})],
    "wagtailusers_users:history_results": lambda w: [Probe({"pk": w.sk_editor.pk})],
    "wagtailusers_users:usage": lambda w: [Probe({"pk": w.sk_editor.pk})],
    "wagtailusers_users:copy": lambda w: [Probe({"pk": w.sk_editor.pk})],
    "wagtailusers_groups:index": lambda w: listing(),
    "wagtailusers_groups:index_results": lambda w: listing(),
    "wagtailusers_groups:add": lambda w: [Probe(post=plausible_body(w))],
    "wagtailusers_groups:edit": lambda w: [
        Probe({"pk": w.foreign.editors_group_id}, post=plausible_body(w))
    ],
    "wagtailusers_groups:delete": lambda w: [Probe({"pk": w.foreign.editors_group_id}, post={})],
    "wagtailusers_groups:history": lambda w: [Probe({"pk": w.foreign.editors_group_id})],
    "wagtailusers_groups:history_results": lambda w: [Probe({"pk": w.foreign.editors_group_id})],
    "wagtailusers_groups:usage": lambda w: [Probe({"pk": w.foreign.editors_group_id})],
    "wagtailadmin_dismissibles": lambda w: [Probe(post={"whats-new-in-wagtail-8.0": "true"})],
}

#: Our own routes without a name, by their route: the reports of ``cms.core.admin_reports``
#: (Wagtail's reports with neutralised downloads) and wagtail-modeltranslation's copy.
UNNAMED_ROUTES = {
    # cms.core.admin_tags: tag suggestions of what the user may see, over Wagtail's.
    "admin/tag-autocomplete/": lambda w: [Probe(query={"term": CONTENT.lower()[:3]})],
    "admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/": lambda w: [
        Probe({"app_name": "taggit", "model_name": "tag"}, query={"term": CONTENT.lower()[:3]})
    ],
    "admin/images/": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "admin/images/results/": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "admin/images/chooser/": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "admin/documents/": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "admin/documents/results/": lambda w: listing({"collection_id": w.foreign.collection_id}),
    "admin/reports/locked/": reports(),
    "admin/reports/locked/results/": reports(export=False),
    "admin/reports/workflow/": reports(),
    "admin/reports/workflow/results/": reports(export=False),
    "admin/reports/workflow_tasks/": reports(),
    "admin/reports/workflow_tasks/results/": reports(export=False),
    "admin/reports/site-history/": reports(),
    "admin/reports/site-history/results/": reports(export=False),
    "admin/reports/aging-pages/": reports(),
    "admin/reports/aging-pages/results/": reports(export=False),
    # wagtail-modeltranslation's, answered by the project's checked view before it.
    r"admin/pages/(?P<page_id>\d+)/edit/copy_translation_content/$": lambda w: copy_probes(w),
}

#: Network-wide and harmless: these patterns hold nothing of any one country, so there is
#: no Slovak object to fill them with. Each is still requested (as a listing or its own
#: form), for a 500 or a marker, unless its reason says it is not requested.
NETWORK_WIDE = {
    "wagtailadmin_account": "the requesting user's own account and preferences",
    "wagtailadmin_logout": "ends the session (not requested: the sweep would log itself out)",
    "wagtailadmin_login": "the login form",
    "wagtailadmin_password_reset": "the password reset form (GET only: a POST sends mail)",
    "wagtailadmin_password_reset_done": "a fixed text",
    "wagtailadmin_password_reset_confirm": "a one-time link; requested with an invalid one",
    "wagtailadmin_password_reset_complete": "a fixed text",
    "wagtailadmin_javascript_catalog": "the admin's translated strings",
    "wagtailadmin_sprite": "the admin's icons",
    "wagtailadmin_error_test": (
        "Wagtail's deliberate error (an exception by design, to test error reporting): "
        "not requested"
    ),
    "wagtailadmin_block_preview": "a StreamField block's preview from posted data, reads no object",
    "wagtailadmin_choose_page_external_link": "a form for a URL typed by the editor",
    "wagtailadmin_choose_page_email_link": "a form for an address typed by the editor",
    "wagtailadmin_choose_page_phone_link": "a form for a number typed by the editor",
    "wagtailadmin_choose_page_anchor_link": "a form for an anchor typed by the editor",
    "wagtailembeds:chooser": "a form for an embed URL typed by the editor",
    "wagtailembeds:chooser_upload": (
        "fetches an embed from a provider on the internet (GET only: a POST would go online)"
    ),
    "admin/test404/": "Wagtail's 404 template, rendered",
    "admin/^.*/$": "the admin's catch-all 404",
    "sign_in_locks": (
        "the sign-in locks of every country: network administrators only, a country's "
        "editors are refused (tests/users/test_sign_in_throttle.py)"
    ),
    "sign_in_unlock": "lifts a sign-in lock: network administrators only, as the list",
}

#: Requests made for the network-wide patterns (by name or route).
NETWORK_WIDE_REQUESTS = {
    "wagtailadmin_account": [Probe()],
    "wagtailadmin_login": [Probe()],
    "wagtailadmin_password_reset": [Probe()],
    "wagtailadmin_password_reset_done": [Probe()],
    "wagtailadmin_password_reset_confirm": [Probe({"uidb64": "MQ", "token": "set-password"})],
    "wagtailadmin_password_reset_complete": [Probe()],
    "wagtailadmin_javascript_catalog": [Probe()],
    "wagtailadmin_sprite": [Probe()],
    "wagtailadmin_block_preview": [Probe()],
    "wagtailadmin_choose_page_external_link": [Probe()],
    "wagtailadmin_choose_page_email_link": [Probe()],
    "wagtailadmin_choose_page_phone_link": [Probe()],
    "wagtailadmin_choose_page_anchor_link": [Probe()],
    "wagtailembeds:chooser": [Probe()],
    "wagtailembeds:chooser_upload": [Probe()],
    "admin/test404/": [Probe()],
    "admin/^.*/$": [Probe()],
    "sign_in_locks": [Probe()],
    "sign_in_unlock": [Probe({"pk": 1}, post={}, get=False)],
}


#: Patterns that may show the *names* of the Slovak workflow, task, site or groups (the
#: ``STRUCTURE`` marker), never their content: these names are the network's structure,
#: one per country and named after it ("Moderácia – Slovensko"), with nothing an editor
#: wrote in them. Content and people (``CONTENT``, ``PERSON``) are never allowed anywhere.
STRUCTURE_SHOWN = {
    "admin/reports/workflow/": "the report's Workflow filter offers every workflow by name",
    "admin/reports/workflow_tasks/": "the report's Workflow filter offers every workflow by name",
    "wagtailadmin_workflows:task_chooser": (
        "Wagtail's task chooser lists the active tasks (each country's approval step) to any "
        "admin user; choosing one changes nothing, adding one to a workflow needs workflow rights"
    ),
    "wagtailadmin_workflows:task_chooser_results": "as wagtailadmin_workflows:task_chooser",
    "wagtailadmin_workflows:task_chosen": "as wagtailadmin_workflows:task_chooser",
    "wagtailadmin_pages:workflow_action": (
        "the user's own page with another country's task state: refused, with a message "
        "naming that task ('…is not awaiting moderation in task …'); nothing is changed"
    ),
    "wagtailadmin_pages:collect_workflow_action_data": "as wagtailadmin_pages:workflow_action",
    "wagtailadmin_pages:workflow_preview": (
        "the user's own page with another country's task: refused with the same message"
    ),
}
