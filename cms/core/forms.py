"""Admin form bases that offer an editor only their own country's objects.

Every choice of a country-owned object in an admin form (the country of a
cluster profile, the contact of a news item, the related clusters, the
organisation of a contact person) is narrowed to what the editing user may
see, so other countries' objects are neither listed nor accepted on submit:
the narrowed queryset *is* the server-side validation. Values the object
already holds stay valid, so editing a page that a network administrator
linked to another country's cluster never silently drops that link.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db.models import Q
from django.forms import BoundField
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.models import DraftStateMixin

from cms.core.concurrent_edits import ConcurrentEditsFormMixin, TakeTheirsBoundField, pks_of
from cms.core.embedded import without_references
from cms.core.languages import COMMON_LANGUAGE, LANGUAGES
from cms.core.models import Country
from cms.core.permissions import (
    choosable_instances,
    references_in,
    unchoosable_references,
)
from cms.core.publication import (
    country_of,
    language_label,
    needs_a_slug,
    read_in_no_language,
    required_as_main_language,
    required_by_the_network,
)
from cms.core.translation_status import (
    COMPLETE,
    LanguageRule,
    is_filled,
    localized,
    missing_fields,
    required_fields,
    required_originals,
    status,
)


class ShownValueBoundField(BoundField):
    """A form field that re-renders the form's ``shown_values[name]``, when it has one,
    instead of what was submitted; otherwise as Django's own.

    For a submission refused because it names objects the user may not see: the
    widget would look them up and show them. Only the rendering changes: the
    field keeps its error, and the form, being invalid, saves nothing.
    """

    def value(self):
        shown_values = getattr(self.form, "shown_values", {})  # a form without the mixin: none
        if self.name in shown_values:
            return self.field.prepare_value(shown_values[self.name])
        return super().value()


class EditFormBoundField(TakeTheirsBoundField, ShownValueBoundField):
    """A field of the country-scoped edit forms: re-rendered without objects the user may
    not see, and offering to take the other editor's value after a conflict."""


class ConcurrentEditsModelForm(ConcurrentEditsFormMixin, WagtailAdminModelForm):
    """Base form of the admin's other edit forms (sectors, synonyms, promoted results,
    webhooks): two people saving the same object at once keep each other's changes
    (``ConcurrentEditsFormMixin``). Their edit views lock the row while the form compares
    (``cms.core.viewsets.ConcurrentEditsViewMixin``)."""

    bound_field_class = EditFormBoundField


class CountryScopedFormMixin:
    """Narrow every model-choice field to the objects ``for_user`` may choose."""

    bound_field_class = ShownValueBoundField

    def __init__(self, *args, **kwargs):
        self.shown_values = {}  # see ShownValueBoundField
        super().__init__(*args, **kwargs)
        self.scoped_fields = []
        user = getattr(self, "for_user", None)
        if user is None:  # a form built outside an admin request: nothing to narrow for
            return
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            allowed = choosable_instances(queryset.model, user)
            if allowed is None:
                continue
            self.scoped_fields.append(name)
            current = pks_of(self.initial.get(name))
            field.queryset = queryset.filter(Q(pk__in=allowed.values("pk")) | Q(pk__in=current))
            if queryset.model is Country and field.required and field.queryset.count() == 1:
                # A single-country editor never has to pick their own country.
                field.empty_label = None

    def clean(self):
        """Objects embedded in StreamField and rich text (image blocks, document links)
        follow the same rule as the form's choice fields: the user's own country's only,
        or what the object already held. The error names the kind and id, never the title.
        """
        cleaned_data = super().clean()
        user = getattr(self, "for_user", None)
        if user is None:
            return cleaned_data
        for name in self.scoped_fields:
            if self.has_error(name):
                self.show_saved_choice(name)
        for name, model_field in self.embedding_fields():
            if name not in cleaned_data:
                continue
            kept = references_in(model_field, model_field.value_from_object(self.instance))
            refused = unchoosable_references(model_field, cleaned_data[name], user, kept=kept)
            if refused:
                submitted = cleaned_data[name]  # add_error takes it out of cleaned_data
                self.add_error(name, embedding_error(refused))
                self.show_without(name, model_field, submitted, refused)
        return cleaned_data

    def show_saved_choice(self, name) -> None:
        """Put the saved choice of ``name`` back in the form's data, for the re-rendering.

        A chooser widget looks the submitted id up and shows that object's title
        and preview; for an object the user may not choose, that is what must
        not be shown. The field's error stays.
        """
        if not hasattr(self.data, "setlist"):
            return
        self.data = self.data.copy()  # request.POST is immutable
        self.data.setlist(self.add_prefix(name), [str(pk) for pk in pks_of(self.initial.get(name))])

    def show_without(self, name, model_field, submitted, refused) -> None:
        """Re-render field ``name`` with the editor's ``submitted`` value less the ``refused``
        objects (``without_references``), not with the submission itself: its widget would
        look those objects up and show their titles, file names and previews.
        """
        shown = without_references(model_field, submitted, refused)
        if references_in(model_field, shown) & set(refused):
            # A block this cannot take apart: its saved value, rather than a leak.
            shown = self.initial.get(name)
        self.shown_values[name] = shown

    def embedding_fields(self):
        """The form's model fields that can embed other objects (StreamField, rich text)."""
        for name in self.fields:
            try:
                model_field = self.instance._meta.get_field(name)  # Django's public Meta API
            except FieldDoesNotExist:
                continue
            if hasattr(model_field, "extract_references"):
                yield name, model_field


def embedding_error(refused) -> ValidationError:
    """ "You cannot use image 12 here", naming kind and id only (no other country's title)."""
    items = ", ".join(f"{model._meta.verbose_name} {pk}" for model, pk in refused)
    return ValidationError(
        _("Not available to you (another country's or missing): %(items)s.") % {"items": items}
    )


#: The submit button of Wagtail's "Publish" action (the edit and create views read it too).
PUBLISH_ACTION = "action-publish"
#: The buttons of Wagtail's workflows that send the form's content towards visitors:
#: "Submit for moderation", "Resubmit", and a moderator's task action taken in the edit
#: view (named by ``workflow-action-name``; only approving publishes, "request changes"
#: must stay possible on any page).
SUBMIT_ACTION = "action-submit"
RESTART_WORKFLOW_ACTION = "action-restart-workflow"
WORKFLOW_ACTION = "action-workflow-action"
WORKFLOW_ACTION_NAME = "workflow-action-name"
APPROVING_ACTIONS = ("approve",)


class OwnLanguageFirstFormMixin:
    """The site's own language first: what is required, and which translations to publish.

    modeltranslation makes every required field required in English, so a
    Czech partner could not save a Czech-only draft. Here the site decides
    (``LanguageRule``): its default language is required, the others are not;
    Wagtail's deferred validation (``defer_required_fields``, used when saving
    a draft or autosaving) still lets a draft go without its lead or slug, and
    the languages the network requires at publication are asked for only when
    the editor publishes.

    The ready choice ("Publish these translations") lists only the site's
    languages and ticks each by default: a tick means "publish once complete",
    so completing a language publishes it unless the editor unticked it. A
    stored hold is a complete language left out of ``ready_languages``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language_rule = LanguageRule.for_country(self.form_country())
        self.require_site_language()
        self.offer_site_languages_ready()

    def form_country(self):
        """The country whose site the object belongs to (None: the network's rule)."""
        return None

    def require_site_language(self) -> None:
        default = self.language_rule.default
        language = language_label(default)
        model = self._meta.model
        for name in required_originals(model):
            for code, _name in LANGUAGES:
                field = self.fields.get(localized(name, code))
                if field is None:
                    continue
                field.required = code == default
                if field.required:
                    field.error_messages["required"] = required_as_main_language(language)

    def offer_site_languages_ready(self) -> None:
        field = self.fields.get("ready_languages")
        if field is None:
            return
        offered = self.language_rule.ready_choices
        field.choices = [(code, name) for code, name in LANGUAGES if code in offered]
        field.label = _("Publish these translations")
        field.help_text = _(
            "A ticked language is published as soon as its required fields are filled. "
            "Languages left unticked are shown to visitors in the fallback language."
        )
        self.initial["ready_languages"] = self.ticked_by_default(offered)

    def ticked_by_default(self, offered) -> list[str]:
        """Every offered language, except a complete one the editor held back (not ready)."""
        if self.instance.pk is None:
            return list(offered)
        ready = set(self.instance.ready_languages or ())
        return [
            code for code in offered if code in ready or status(self.instance, code) != COMPLETE
        ]

    def clean(self):
        cleaned_data = super().clean()
        if not self.is_deferred_validation:
            self.require_at_publication(cleaned_data)
            self.require_slugs_of_served_languages(cleaned_data)
        if "ready_languages" in cleaned_data:
            cleaned_data["ready_languages"] = self.ready_after_save(cleaned_data)
            self.instance.readiness_checked_by_form = True  # see TranslationReadiness.clean
            if self.is_publishing() or self.is_submitting() or self.is_approving():
                self.require_a_served_language(cleaned_data)
        return cleaned_data

    def value_after_save(self, cleaned_data, name: str):
        """A localized field's value once saved: submitted, else the object's.

        A field refused (left out of ``cleaned_data``) counts as the editor typed it: a
        field both editors changed (``ConcurrentEditsFormMixin``) is not empty, and the
        refused form said its language was held back.
        """
        if name in cleaned_data:
            return cleaned_data[name]
        if name in self.fields:
            return self[name].data if self.has_error(name) else None
        return getattr(self.instance, name, None)

    def ready_after_save(self, cleaned_data) -> list[str]:
        """The ticked languages that are complete, plus languages the site does not offer
        that were ready before (never dropped by a form that does not show them)."""
        offered = self.language_rule.ready_choices
        kept = [code for code in (self.instance.ready_languages or ()) if code not in offered]
        ticked = [*kept, *cleaned_data["ready_languages"]]
        model = self._meta.model

        def complete(code: str) -> bool:
            value_of = lambda name: self.value_after_save(cleaned_data, name)  # noqa: E731
            return not missing_fields(model, code, value_of)

        return [code for code, _name in LANGUAGES if code in ticked and complete(code)]

    def sent(self, name: str):
        """A value the form was submitted with (None for an unbound form)."""
        return self.data.get(name) if hasattr(self.data, "get") else None

    def is_publishing(self) -> bool:
        return bool(self.sent(PUBLISH_ACTION))

    def is_submitting(self) -> bool:
        """Sent for moderation (again): an approval publishes the item as it is submitted."""
        return bool(self.sent(SUBMIT_ACTION) or self.sent(RESTART_WORKFLOW_ACTION))

    def is_approving(self) -> bool:
        """Approved by a moderator in the edit view, which saves the form, then publishes."""
        return bool(self.sent(WORKFLOW_ACTION)) and (
            self.sent(WORKFLOW_ACTION_NAME) in APPROVING_ACTIONS
        )

    def require_at_publication(self, cleaned_data) -> None:
        """The languages the network requires of a published item, when publishing (or
        approving, which publishes) only."""
        if not (self.is_publishing() or self.is_approving()):
            return
        for code in self.language_rule.required_at_publication:
            for name in required_originals(self._meta.model):
                field_name = localized(name, code)
                if field_name in self.fields and not is_filled(cleaned_data.get(field_name)):
                    if not self.has_error(field_name):
                        self.add_error(field_name, self.publication_error(language_label(code)))

    def require_a_served_language(self, cleaned_data) -> None:
        """Refuse to publish an object visitors would find in no language.

        English is always ready but may be empty (the site's language comes first); with
        every other language unticked or incomplete, the directory showed a card without
        a name and a profile page with an empty heading, and a page went live with an
        empty title. Not asked of a contact person, whose name (untranslated) names it in
        every language.
        """
        model = self._meta.model
        if cleaned_data["ready_languages"] or self.has_error("ready_languages"):
            return
        if set(required_fields(model)) != set(getattr(model, "translation_required_fields", ())):
            return  # what names it is not translated (a contact's name): shown in any language
        value_of = lambda name: self.value_after_save(cleaned_data, name)  # noqa: E731
        if not missing_fields(model, COMMON_LANGUAGE, value_of):
            return
        self.add_error(
            "ready_languages", read_in_no_language(language_label(self.language_rule.default))
        )

    def publication_error(self, language: str) -> str:
        return _(
            "Required to publish: the network asks for every item in this "
            "language too (%(language)s). A draft or a submission for "
            "moderation can do without it."
        ) % {"language": language}

    def require_slugs_of_served_languages(self, cleaned_data) -> None:
        """A page needs an address in each of the site's languages it has a title in."""
        for code in self.language_rule.languages:
            slug, title = localized("slug", code), localized("title", code)
            if slug not in self.fields or title not in self.fields:
                continue
            if is_filled(cleaned_data.get(title)) and not is_filled(cleaned_data.get(slug)):
                if not self.has_error(slug):
                    self.add_error(slug, needs_a_slug(language_label(code)))


class CountryScopedModelForm(
    OwnLanguageFirstFormMixin,
    ConcurrentEditsFormMixin,
    CountryScopedFormMixin,
    WagtailAdminModelForm,
):
    """Base form of the country-owned snippets (see ``CountrySnippetViewSet``).

    The same rule as pages (``OwnLanguageFirstFormMixin``): a Czech partner
    saves a cluster profile with only its Czech name. A snippet without drafts
    is published by every save, so the languages the network requires at
    publication are asked for on every save; one with drafts, when published.
    Saves made meanwhile by someone else are kept (``ConcurrentEditsFormMixin``);
    it comes after ``OwnLanguageFirstFormMixin`` so that the ready languages are
    worked out from the merged values.
    """

    bound_field_class = EditFormBoundField

    def form_country(self):
        """The country chosen in the form (submitted, saved, or the user's only one)."""
        field = self.fields.get("country")
        if field is None:
            return getattr(self.instance, "country", None)
        if self.is_bound:
            submitted = self.data.get(self.add_prefix("country"))
            if submitted:
                try:
                    return field.queryset.get(pk=submitted)
                except (ValueError, ValidationError, ObjectDoesNotExist):
                    pass  # the country field reports it; the network's rule meanwhile
        if self.instance.country_id is not None:
            return self.instance.country
        choices = list(field.queryset[:2])
        return choices[0] if len(choices) == 1 else None

    def is_publishing(self) -> bool:
        if isinstance(self.instance, DraftStateMixin):
            return super().is_publishing()
        return True

    def publication_error(self, language: str) -> str:
        if isinstance(self.instance, DraftStateMixin):
            return super().publication_error(language)
        return required_by_the_network(language)


class CountryScopedPageForm(
    OwnLanguageFirstFormMixin,
    ConcurrentEditsFormMixin,
    CountryScopedFormMixin,
    WagtailAdminPageForm,
):
    """Base form of every page type (``BasePage.base_form_class``).

    Saves made meanwhile by someone else are kept (``ConcurrentEditsFormMixin``), as on
    snippets: Wagtail's edit view builds the form on the latest revision, and warns of a
    newer one only through its editing-session script, so a translator's stale form
    posted back every field of the revision it was opened on (and a "revert" form is
    built on the revision it reverts to, so it reverts as before).
    """

    bound_field_class = EditFormBoundField

    def form_country(self):
        """The page's country; for a new page, its parent's (the site it is added to)."""
        page = self.instance if self.instance.pk else getattr(self, "parent_page", None)
        return country_of(getattr(page, "specific", page))
