"""Documents used only by what visitors cannot see are not served to them.

Wagtail's view (``/documents/<id>/<file name>``, ``WAGTAILDOCS_SERVE_METHOD =
"serve_view"``) checks the document's collection privacy and nothing else: a PDF linked
only from a never-published news draft, or only from a page behind a password, was a 200
for anyone holding its address (a shared preview, a forwarded draft). Drafts and private
content never reach visitors, so ``before_serve_document`` (``cms.core.wagtail_hooks``)
answers such a document with the visitors' 404 (``cms.core.views.page_not_found``, in
their language) when ``used_only_where_hidden`` says so.

What uses a document is Wagtail's reference index (``ReferenceIndex.get_references_to``),
the one the admin's "Usage" tab reads: foreign keys, chooser blocks and rich text links of
pages and registered snippets. A user counts as public when it is

- a page visitors may see: live and under no view restriction (``shown_to_visitors``,
  Wagtail's ``live().public()``; the same answer its own page serving gives), using it
  where they read it: a link only in a held-back translation (its language unticked, its
  text blanked for visitors) counts for nothing (``read_on_a_visible_page``);
- a snippet the visitor sites and the API serve, in a language visitors read
  (``cms.projections.registry``: its type's ``public()``, e.g. a cluster profile).

Decisions:

(a) A document used by nothing is served, as Wagtail serves it: documents are uploaded to
    be linked from outside too (a newsletter, an e-mail, a partner's site), and nothing
    says it is a draft's. Its collection's privacy still applies (Wagtail's own hook).

(b) The index records a page's row, which for a live page holds its *live* content; Wagtail
    does not index revisions (``Revision`` is ``wagtail_reference_index_ignore``), and a
    draft saved on a live page leaves the row as published. So a document linked only from
    an unpublished draft of a live page is "used by nothing" and served, by (a). A page
    never published keeps its draft in the row, so its documents are found and refused.
    That limitation is the index's; closing it would mean reading every revision per
    download.

Refused only when sure: every user is a page or a served snippet, and none is public. A
user of any other kind (a type this module cannot judge, a content type whose model is
gone) serves the document, as does any failure of the check itself (logged): a broken
check must not turn every public document into an error, and the collection's own
privacy is checked by Wagtail either way. Editors who may change or choose the document
in the admin (Wagtail's document permission policy, so their country's collection) always
get it: they preview the drafts that link it. So does a visitor a restricted page that uses
it admits (its password given, a member signed in): they read the page.

Queries: the common case (a document on a public page) is two, the view restrictions
(``restricted_q``) and one ``EXISTS`` of a public page among the document's users (a link
only in translations other than English then loads those pages, to read their languages); a
document with no public page user adds the list of its users and one ``EXISTS`` per
snippet type among them, and, only when refused to a signed-in user, the permission check.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField
from django.db.models.functions import Cast
from django.http import Http404
from wagtail.models import Page, ReferenceIndex, get_page_models
from wagtail.permissions import policy_registry

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.core.translation_status import is_ready, translated_fields
from cms.core.visibility import shown_to_visitors

logger = logging.getLogger(__name__)


def refuse_hidden_documents(document, request) -> None:
    """The ``before_serve_document`` hook: a 404 to a visitor for a document used only by
    content visitors cannot see (this module's docstring says what counts and why).

    Raises ``Http404`` rather than returning a response, so Django's ``handler404`` renders
    the visitors' friendly 404 in their language, as for any other missing address.
    """
    try:
        hidden = used_only_where_hidden(document)
    except Exception:
        # Refuse only when sure: a failed check serves the document (its collection's
        # privacy is still Wagtail's to check) instead of a 500 for a public one.
        logger.exception("Could not check the users of document %s; serving it", document.pk)
        return None
    if hidden and not (
        may_use_in_admin(request.user, document) or passed_a_restriction(request, document)
    ):
        raise Http404("This document is used only by content visitors cannot see.")
    return None


#: How many restricted live pages using a document are asked whether this visitor passed
#: their restrictions (a document linked from more is served on the first that says yes).
RESTRICTED_PAGES_ASKED = 20


def passed_a_restriction(request, document) -> bool:
    """Whether this visitor may see a live page that uses ``document`` behind a view
    restriction: the password given (Wagtail keeps it in the session), a member signed in,
    in a group it admits. They read the page, so they download what it links; every
    restriction on the page and its ancestors must admit them, as for the page itself
    (Wagtail's ``PageViewRestriction.accept_request``)."""
    for page in page_users(document).live()[:RESTRICTED_PAGES_ASKED]:
        restrictions = page.get_view_restrictions()
        if restrictions and all(r.accept_request(request) for r in restrictions):
            return True
    return False


def may_use_in_admin(user, document) -> bool:
    """Whether ``user`` may change or choose ``document`` in the admin (their country's
    collection): they preview the drafts that link it, so they download it too."""
    if not (user.is_active and user.is_authenticated):
        return False
    policy = policy_registry.get_by_type(type(document))
    return policy.user_has_any_permission_for_instance(user, ["change", "choose"], document)


def page_users(document):
    """The pages that use ``document``, by Wagtail's reference index (one subquery)."""
    page_type = ContentType.objects.get_for_model(Page)
    users = ReferenceIndex.get_references_to(document).filter(base_content_type=page_type)
    return Page.objects.filter(pk__in=page_ids(users))


def used_only_where_hidden(document) -> bool:
    """Whether ``document`` has users and every one is a page or a served snippet that
    visitors cannot see. ``False`` for a document used by nothing (decision (a)) and for
    one used by anything this module cannot judge (refuse only when sure)."""
    from cms.projections.registry import served_type

    references = ReferenceIndex.get_references_to(document)
    page_type = ContentType.objects.get_for_model(Page)
    if read_on_a_visible_page(references.filter(base_content_type=page_type)):
        return False  # the common case
    others: dict[int, set[str]] = defaultdict(set)
    has_users = False
    for type_id, object_id in (
        references.values_list("base_content_type_id", "object_id").distinct().iterator()
    ):
        has_users = True
        if type_id != page_type.pk:
            others[type_id].add(object_id)
    if not has_users:
        return False  # (a): uploaded to be linked from outside
    for type_id, object_ids in others.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        served = served_type(model) if model is not None else None
        if served is None or served.is_page:
            return False  # a user this module cannot judge: not sure, so serve
        if served.public().filter(pk__in=object_ids).exists():
            return False
    return True


def read_on_a_visible_page(page_references) -> bool:
    """Whether a page visitors may see uses the document where they read it: in a field of
    no language or of the common one (one query), else of a language the page has not held
    back (those pages loaded). A link only in a held-back translation (Czech unticked: its
    text is blanked for visitors, who get the fallback) is read by nobody."""
    in_every_language = page_references.exclude(model_path__regex=HELD_BACK_FIELD).exclude(
        model_path__regex=translated_originals()
    )
    if shown_to_visitors(Page.objects.filter(pk__in=page_ids(in_every_language))).exists():
        return True
    fields_of: dict[int, set[str]] = defaultdict(set)
    in_a_language = page_references.filter(model_path__regex=HELD_BACK_FIELD)
    for object_id, model_path in in_a_language.values_list("object_id", "model_path"):
        fields_of[int(object_id)].add(model_path.split(".")[0])
    for page in shown_to_visitors(Page.objects.filter(pk__in=fields_of)).specific():
        if any(is_ready(page, name.rpartition("_")[2]) for name in fields_of[page.pk]):
            return True
    return False


#: A reference from a translated field in a language an editor may hold back (``body_cs``).
HELD_BACK_FIELD = r"^[a-z0-9_]+_({})(\.|$)".format(
    "|".join(code for code in LANGUAGE_CODES if code != COMMON_LANGUAGE)
)


@lru_cache(maxsize=1)
def translated_originals() -> str:
    """A reference from a translated field's original (``body``), which the reference index
    records too, read in the language active when it was indexed (the editor's): it says
    nothing of what visitors read; each language's own column (``body_cs``) does."""
    names = sorted({name for model in get_page_models() for name in translated_fields(model)})
    return r"^({})(\.|$)".format("|".join(map(re.escape, names)))


def page_ids(references):
    """The ids of the pages ``references`` come from, as a subquery."""
    return references.values(as_int=Cast("object_id", IntegerField()))
