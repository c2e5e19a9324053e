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

import hashlib
import json
from collections.abc import Iterable

from django import forms
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db.models import Model, Q
from django.utils.html import strip_tags
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.models import DraftStateMixin

from cms.core.languages import LANGUAGES
from cms.core.models import Country
from cms.core.permissions import (
    choosable_instances,
    references_in,
    unchoosable_references,
)
from cms.core.publication import language_label
from cms.core.translation_status import (
    COMPLETE,
    LanguageRule,
    is_filled,
    localized,
    missing_fields,
    required_originals,
    status,
)


def _pks(value) -> list:
    """Primary keys from a form's initial value: a pk, an object, or a list of either."""
    if value is None or value == "":
        return []
    if isinstance(value, Model):
        return [value.pk]
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        # A list, a queryset, or modelcluster's in-memory FakeQuerySet.
        return [pk for item in value for pk in _pks(item)]
    return [value]


class CountryScopedFormMixin:
    """Narrow every model-choice field to the objects ``for_user`` may choose."""

    def __init__(self, *args, **kwargs):
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
            current = _pks(self.initial.get(name))
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
                self.add_error(name, embedding_error(refused))
                # Re-render the field from its saved value, not from the submission: the
                # widget would look the refused objects up and show their titles and URLs.
                # (A disabled field's value is its initial one; StreamField's widget
                # renders no "disabled" attribute, so it stays editable.)
                self.fields[name].disabled = True
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
        self.data.setlist(self.add_prefix(name), [str(pk) for pk in _pks(self.initial.get(name))])

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
                    field.error_messages["required"] = capfirst(
                        _("Required: %(language)s is this site's main language.")
                        % {"language": language}
                    )

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
        return cleaned_data

    def value_after_save(self, cleaned_data, name: str):
        """A localized field's value once saved: submitted, else the object's."""
        if name in self.fields:
            return cleaned_data.get(name)
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

    def is_publishing(self) -> bool:
        return hasattr(self.data, "get") and bool(self.data.get(PUBLISH_ACTION))

    def require_at_publication(self, cleaned_data) -> None:
        """The languages the network requires of a published item, when publishing only."""
        if not self.is_publishing():
            return
        for code in self.language_rule.required_at_publication:
            for name in required_originals(self._meta.model):
                field_name = localized(name, code)
                if field_name in self.fields and not is_filled(cleaned_data.get(field_name)):
                    if not self.has_error(field_name):
                        self.add_error(field_name, self.publication_error(language_label(code)))

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
                    self.add_error(
                        slug,
                        _(
                            "The page has a title in this language (%(language)s), so it "
                            "needs a slug in it too."
                        )
                        % {"language": language_label(code)},
                    )


#: The hidden field of an edit form that says what the editor started from.
OPENED_FIELD = "opened_digests"


def digest(value) -> str:
    """A short fingerprint of a form field's value, the same for its initial value (pk,
    list of objects) and its cleaned one (object, queryset): objects count by primary key,
    lists in any order, None as empty."""
    if value is None:
        value = ""
    elif isinstance(value, Model):
        value = value.pk
    elif isinstance(value, Iterable) and not isinstance(value, (str, bytes, dict)):
        value = sorted(str(pk) for pk in _pks(value))
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class ConcurrentEditsFormMixin:
    """Two people editing the same object at once lose nothing of each other's work.

    Snippets without revisions have no "newer version" Wagtail could warn
    about: the second save wrote every field of its form, so a translator
    saving ``city_en`` put back the ``city_cs`` the form was opened with and
    erased a colleague's Czech edit made meanwhile.

    The edit form carries, in a hidden field (``OPENED_FIELD``), a digest of
    each field's value as the form showed it. On save (the view has re-read
    the object with its row locked, so the form's initial values are what the
    database holds now), per field:

    - unchanged in the database since: the editor's value is saved, as always;
    - changed in the database, left as it was by this editor: the saved value
      is kept (the save is the editor's changes applied to the current object);
    - changed by both, to different values: the save is refused, with a message
      at the top and, on each such field, the value saved meanwhile. The
      editor's input stays in the form, and those fields' digests move to the
      saved ones: saving again keeps the editor's value on purpose, and
      whatever else others changed is still kept.

    Why per field and not ``updated_at``: a timestamp says *that* the row
    changed, not *what*, and refusing every save after any other save would
    make translators of different languages refuse each other all day, which
    is the case this exists for. Digests rather than values, so the page does
    not carry every text twice. Unsigned: it is the editor's own account of what
    they saw, and a forged one can at most let their save overwrite, as every
    save did before. A form posted without it (a script) saves as before; a
    garbled one is refused.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts = []  # the fields both this editor and someone else changed
        if self.instance.pk is None:  # a new object: nobody else can have saved it
            return
        # A callable initial is read when the field renders, after every other
        # ``__init__`` has set its initial values (the ready ticks).
        self.fields[OPENED_FIELD] = forms.CharField(
            required=False,
            widget=forms.HiddenInput,
            initial=lambda: json.dumps(self.digests_now(), separators=(",", ":")),
        )

    def digests_now(self) -> dict[str, str]:
        """Each field's digest as the form would show it now (from the object as loaded)."""
        return {
            name: self.field_digest(name, self.get_initial_for_field(field, name))
            for name, field in self.fields.items()
            if name != OPENED_FIELD
        }

    def field_digest(self, name, value) -> str:
        """``digest`` of a value of field ``name``."""
        from wagtail.admin.rich_text import DraftailRichTextArea  # needs the models loaded

        widget = self.fields[name].widget
        if isinstance(widget, DraftailRichTextArea):
            # Rich text as the editor sees it: Draftail's blocks without their keys, which
            # every save of text stored without them fills with new random ones.
            content = json.loads(widget.format_value(value))
            for block in content.get("blocks", ()):
                block.pop("key", None)
            value = json.dumps(content, sort_keys=True)
        return digest(value)

    def opened_digests(self) -> dict[str, str] | None:
        """The digests the editor's form was opened with; None if it did not say."""
        if OPENED_FIELD not in self.fields:
            return None
        text = self.data.get(self.add_prefix(OPENED_FIELD))
        if not text:
            return None
        try:
            opened = json.loads(text)
        except ValueError:
            opened = None
        if not isinstance(opened, dict) or not all(isinstance(v, str) for v in opened.values()):
            raise ValidationError(
                _(
                    "This form could not be compared with the saved version. Reload the "
                    "page and make your changes again."
                )
            )
        return opened

    def clean(self):
        cleaned_data = super().clean()
        try:
            opened = self.opened_digests()
        except ValidationError as error:
            self.add_error(None, error)
            return cleaned_data
        if opened is None:
            return cleaned_data
        now = self.digests_now()
        for name, then in opened.items():
            if now.get(name, then) == then or name not in cleaned_data:
                continue  # nobody else changed it (or it is not in this form, or invalid)
            mine = self.field_digest(name, cleaned_data[name])
            if mine == then:  # someone else changed it, this editor did not
                try:
                    cleaned_data[name] = self.saved_value(name)
                except ValidationError:
                    self.conflicts.append(name)
            elif mine != now[name]:
                self.conflicts.append(name)
        if self.conflicts:
            self.refuse(opened, now)
        return cleaned_data

    def saved_value(self, name):
        """The cleaned value of what the database holds now, as the form would show it."""
        field = self.fields[name]
        return field.clean(field.prepare_value(self.get_initial_for_field(field, name)))

    def refuse(self, opened, now) -> None:
        self.add_error(
            None,
            _(
                "Someone else saved this item while you were editing it, and changed "
                "some of the fields you changed. Nothing is saved yet. Check the marked "
                "fields and save again to keep your version, or reload to start over "
                "from the saved one."
            ),
        )
        for name in self.conflicts:
            self.add_error(
                name,
                _("Changed meanwhile by someone else to: “%(value)s”")
                % {"value": self.shown_value(name)},
            )
        # Saving again keeps the editor's values of these fields: they have seen the others'.
        self.data = self.data.copy()  # request.POST is immutable
        self.data[self.add_prefix(OPENED_FIELD)] = json.dumps(
            {**opened, **{name: now[name] for name in self.conflicts}}, separators=(",", ":")
        )

    def shown_value(self, name) -> str:
        """The saved value of ``name`` as plain text, for the editor to compare."""
        field = self.fields[name]
        value = self.get_initial_for_field(field, name)
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            text = ", ".join(str(item) for item in queryset.filter(pk__in=_pks(value)))
        elif getattr(field, "choices", None) and isinstance(value, (list, tuple)):
            labels = dict(field.choices)
            text = ", ".join(str(labels.get(code, code)) for code in value)
        else:
            text = strip_tags("" if value is None else str(value))
        return Truncator(text).chars(200)


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
        return _(
            "Required: the network asks for every item in this language too (%(language)s)."
        ) % {"language": language}


class CountryScopedPageForm(
    OwnLanguageFirstFormMixin, CountryScopedFormMixin, WagtailAdminPageForm
):
    """Base form of every page type (``BasePage.base_form_class``)."""

    def form_country(self):
        """The page's country; for a new page, its parent's (the site it is added to)."""
        page = self.instance if self.instance.pk else getattr(self, "parent_page", None)
        page = getattr(page, "specific", page)
        get_country = getattr(page, "get_country", None)
        if get_country is None:
            return None
        try:
            return get_country()
        except ObjectDoesNotExist:  # a new home page before its country is chosen
            return None
