"""Copying a page: its new titles and slugs asked for as the site's own language first.

wagtail-modeltranslation answers Wagtail's copy view from its ``before_copy_page`` hook,
with a form that requires the new title and slug in English (modeltranslation's rule),
so a Czech editor could not copy a Czech-only news item without inventing an English
title. ``copy_page`` (our ``before_copy_page`` hook, run before that one) answers with
the same form, required as the add and edit forms are (``LanguageRule``), and copies
with Wagtail's ``CopyPageAction``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.actions.copy_page import CopyPageAction
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail_modeltranslation.patch_wagtailadmin_forms import PatchedCopyForm

from cms.core.languages import LANGUAGE_CODES
from cms.core.publication import country_of, language_label, not_published_messages
from cms.core.translation_status import LanguageRule, localized, missing_fields

#: The page's fields the copy form asks for anew, in every language.
NEW_FIELDS = ("title", "slug")


def page_country(page):
    """The country whose site ``page`` (not yet specific) is on; None for the tree's root
    or a bare page (``cms.core.publication.country_of``)."""
    return country_of(page.specific_deferred)


class OwnLanguageFirstCopyForm(PatchedCopyForm):
    """wagtail-modeltranslation's copy form (a new title and slug per language), requiring
    them in the site's main language only, as the add and edit forms do; its slug check
    saying which parent page holds the slug in the editor's language (its own message
    was never translatable: it formats the text before translating it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = LanguageRule.for_country(page_country(self.page)).default
        for name in NEW_FIELDS:
            for code in LANGUAGE_CODES:
                field = self.fields.get(f"new_{localized(name, code)}")
                if field is None:
                    continue
                field.required = code == default
                field.error_messages["required"] = capfirst(
                    _("Required: %(language)s is this site's main language.")
                    % {"language": language_label(code)}
                )

    def clean(self):
        try:
            cleaned_data = super().clean()
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            raise ValidationError(
                {
                    name: self.slug_in_use_error() if name.startswith("new_slug") else messages
                    for name, messages in error.error_dict.items()
                }
            ) from error
        self.require_destination_language(cleaned_data)
        return cleaned_data

    def require_destination_language(self, cleaned_data) -> None:
        """A copy to another country's site (a network administrator may make one) needs
        that site's main language too, not only the source's."""
        parent = cleaned_data.get("new_parent_page")
        if parent is None:
            return
        default = LanguageRule.for_country(page_country(parent)).default
        for name in NEW_FIELDS:
            field = f"new_{localized(name, default)}"
            if field in self.fields and not cleaned_data.get(field) and not self.has_error(field):
                self.add_error(
                    field,
                    capfirst(
                        _("Required: %(language)s is this site's main language.")
                        % {"language": language_label(default)}
                    ),
                )

    def slug_in_use_error(self) -> str:
        """Wagtail's own message (translated) for a slug a sibling of the copy has."""
        parent = self.cleaned_data.get("new_parent_page") or self.page.get_parent()
        return _(
            "This slug is already in use within the context of its parent page "
            '"%(parent_page_title)s"'
        ) % {"parent_page_title": parent.specific_deferred.get_admin_display_title()}


def copy_page(request, page):
    """Wagtail's copy view, with ``OwnLanguageFirstCopyForm``."""
    can_publish = page.get_parent().permissions_for_user(request.user).can_publish_subpage()
    form = OwnLanguageFirstCopyForm(
        request.POST or None, user=request.user, page=page, can_publish=can_publish
    )
    next_url = get_valid_next_url_from_request(request)
    if form.is_valid():
        try:
            return copied(request, page, form, next_url)
        except ValidationError as error:
            # What the model refuses and the form could not see (a slug another language
            # falls back to is a sibling's): said on the form, not a 500.
            for field, texts in error.message_dict.items():
                name = next((n for n in (f"new_{field}", field) if n in form.fields), None)
                for text in texts:
                    form.add_error(name, text)
    return render(
        request,
        "modeltranslation_copy.html",
        # Specific: its title in the editor's language (a plain page's is the seed's English).
        {"page": page.specific_deferred, "form": form, "next": next_url},
    )


def refuse_an_incomplete_live_copy(new_page, language: str) -> None:
    """A copy published at once keeps the publication rules of the edit form: each live page
    of it (subpages too) has its text in the destination site's main language ``language``
    and in the languages the network asks of every item
    (``TRANSLATIONS_REQUIRED_AT_PUBLICATION``). The copy form asks only for the top page's
    title and slug: a Czech item copied live to the Slovak site went out with a Slovak title
    and nothing else, and Slovak visitors found no version of it."""
    required = list(dict.fromkeys([language, *settings.TRANSLATIONS_REQUIRED_AT_PUBLICATION]))
    for page in new_page.get_descendants(inclusive=True).live().specific():
        if not hasattr(page, "real_languages"):
            continue
        value_of = lambda name, page=page: getattr(page, name, None)  # noqa: E731
        lacking = [code for code in required if missing_fields(type(page), code, value_of)]
        if not lacking and not page.real_languages():
            # Complete, but ready in no language of its new site (a tick on the Czech site
            # cannot be one for Slovak), and no English: live in no language, as the edit
            # form refuses (``require_a_served_language``).
            raise ValidationError(
                {
                    "publish_copies": _(
                        "The copy cannot be published at once: “%(title)s” would be in no "
                        "language its site publishes (none ticked ready there, no English "
                        "version). Copy it as a draft and tick its languages ready first."
                    )
                    % {"title": page.title_in_any_language()}
                }
            )
        if not lacking:
            continue
        values = {
            "languages": ", ".join(language_label(code) for code in lacking),
            "title": page.title_in_any_language(),
        }
        if page.pk == new_page.pk:
            text = _(
                "The copy cannot be published at once: it lacks its text in %(languages)s. "
                "Copy it as a draft and translate it first."
            )
        else:
            text = _(
                "The copy cannot be published at once: its subpage “%(title)s” lacks its text "
                "in %(languages)s. Copy it as a draft and translate it first."
            )
        raise ValidationError({"publish_copies": text % values})


def warn_of_languages_not_published(request, new_page) -> None:
    """A copy published at once is told, as a publish is, which of its site's languages do
    not go out and what their visitors get instead (``cms.core.publication``): a Czech item
    copied live to the Slovak site went out there in Czech without a word."""
    new_page = new_page.specific
    if new_page.live:
        for text in not_published_messages(new_page):
            messages.warning(request, text)


def copied(request, page, form, next_url):
    """Copy ``page`` as the valid ``form`` says, and tell the editor, as Wagtail does."""
    data = form.cleaned_data
    parent = data["new_parent_page"] or page.get_parent()
    recursive = data.get("copy_subpages")
    can_publish = parent.permissions_for_user(request.user).can_publish_subpage()
    new_names = [localized(name, code) for name in NEW_FIELDS for code in LANGUAGE_CODES]
    # Saved in the destination site's language: Wagtail checks the title in the active one,
    # the editor's admin language, where a Czech-only copy has none (a 500).
    language = LanguageRule.for_country(page_country(parent)).default
    with transaction.atomic():
        with translation.override(language):
            new_page = CopyPageAction(  # refuses a destination the user may not copy to (403)
                page=page,
                recursive=recursive,
                to=parent,
                update_attrs={name: data[f"new_{name}"] for name in new_names},
                keep_live=can_publish and data.get("publish_copies"),
                user=request.user,
            ).execute()
        # In the editor's language; undoes the copy.
        refuse_an_incomplete_live_copy(new_page, language)
    title = page.specific_deferred.get_admin_display_title()
    if recursive:
        message = _("Page '%(page_title)s' and %(subpages_count)s subpages copied.") % {
            "page_title": title,
            "subpages_count": new_page.get_descendants().count(),
        }
    else:
        message = _("Page '%(page_title)s' copied.") % {"page_title": title}
    edit = messages.button(reverse("wagtailadmin_pages:edit", args=(new_page.id,)), _("Edit"))
    messages.success(request, message, buttons=[edit])
    warn_of_languages_not_published(request, new_page)
    for fn in hooks.get_hooks("after_copy_page"):
        result = fn(request, page, new_page)
        if hasattr(result, "status_code"):
            return result
    return redirect(next_url) if next_url else redirect("wagtailadmin_explore", parent.id)
