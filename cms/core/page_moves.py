"""Moving live pages to another country's site says what that site will lack.

A copy published at once must have its text in the destination site's main language
(``cms.core.page_copy.refuse_an_incomplete_live_copy``); a move went through without a
word: a Czech item moved to the German site was live there with no German, served in
English (``tests/core/test_redirects.py``: a move keeps every old address working), and
its next edit or revert was refused ("Required: German is this site's main language")
until someone translated it. The move stays allowed; its confirmation page now warns,
naming the page and the languages it lacks. A move within a site, or of drafts, is
Wagtail's.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.models import Page

from cms.core.page_copy import page_country
from cms.core.publication import language_label
from cms.core.translation_status import LanguageRule, missing_fields


def first_incomplete(page, required: list[str]):
    """The first live page of ``page``'s subtree lacking text in any of ``required``, and
    those languages; None when every one has them."""
    for live in page.get_descendants(inclusive=True).live().specific():
        value_of = lambda name, live=live: getattr(live, name, None)  # noqa: E731
        lacking = [code for code in required if missing_fields(type(live), code, value_of)]
        if lacking:
            return live, lacking
    return None


def warn_of_an_incomplete_move(request, page, destination):
    """``before_move_page``: on the move confirmation, a warning of the languages the new
    site requires that a live page of the subtree lacks; the move itself is Wagtail's."""
    if request.method != "GET":
        return None
    country = page_country(destination)
    if country is None or country == page_country(page):
        return None
    language = LanguageRule.for_country(country).default
    required = list(dict.fromkeys([language, *settings.TRANSLATIONS_REQUIRED_AT_PUBLICATION]))
    found = first_incomplete(page, required)
    if found is None:
        return None
    live, lacking = found
    messages.warning(
        request,
        _(
            "“%(title)s” is live and lacks its text in %(languages)s, which that site "
            "requires: moved, it is served there in another language, and its next edit "
            "asks for that text."
        )
        % {
            "title": live.title_in_any_language(),
            "languages": ", ".join(language_label(code) for code in lacking),
        },
    )
    return None


#: What Wagtail's move validates, on the page as a plain ``Page`` (not the project's
#: ``BasePage``, whose validation follows the site's languages): the English title and slug
#: (wagtail-modeltranslation makes them required there) and the untranslated names.
ENGLISH_FIELDS = {"title", "title_en", "slug", "slug_en"}


def cannot_be_moved(page) -> bool:
    """Whether Wagtail's move would refuse to save ``page`` for its English title or slug:
    the check it makes, on the page as a plain ``Page``, in the request's language."""
    base = Page.objects.get(pk=page.pk)
    try:
        base.full_clean() if base.live else base.minimal_clean()
    except ValidationError as error:
        # A draft's check (``minimal_clean``) is of the title and slug, and names neither.
        fields = set(error.message_dict) if hasattr(error, "error_dict") else ENGLISH_FIELDS
        return bool(ENGLISH_FIELDS & fields)
    return False


def refusal(page) -> str:
    return _(
        "“%(title)s” cannot be moved yet: moving a page checks its English title and "
        "slug, and it has none. Give it its English title and slug, then move it."
    ) % {"title": page.specific_deferred.title_in_any_language()}


def refuse(request, page) -> None:
    messages.error(request, refusal(page))


def refuse_a_move_wagtail_cannot_save(request, page, destination):
    """``before_move_page``: a page Wagtail's move cannot save is refused with a message.

    The move saves the page as a plain ``Page``, validated in English: a page written only
    in its country's language (own language first) failed there, a 500 on the move and on
    a move within its site alike. Until it has its English title and slug it stays where it
    is, and the editor is told why.
    """
    if not cannot_be_moved(page):
        return None
    refuse(request, page)
    return redirect("wagtailadmin_explore", page.get_parent().pk)


def refuse_a_bulk_move_wagtail_cannot_save(request, action_type, objects, action):
    """``before_bulk_action``: the bulk "Move" refuses, naming them, the pages its move
    could not save (``cannot_be_moved``); none of the selection moves."""
    if action_type != "move":
        return None
    refused = [page for page in objects if isinstance(page, Page) and cannot_be_moved(page)]
    for page in refused:
        refuse(request, page)
    return redirect(action.next_url) if refused else None
