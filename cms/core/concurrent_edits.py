"""Two people editing the same snippet, page, image or document at once lose nothing of each
other's work.

``ConcurrentEditsFormMixin`` (see its docstring for the rule) is used by:

- ``cms.core.forms.CountryScopedModelForm``: the country-owned snippets (cluster profiles,
  partner organisations, contact people);
- ``cms.core.forms.ConcurrentEditsModelForm``: sectors (``cms.core.wagtail_hooks``),
  synonyms and promoted results (``cms.search.editing``), webhooks
  (``cms.webhooks.wagtail_hooks``);
- ``cms.core.media_forms``: Wagtail's image and document forms, through the settings
  ``WAGTAILIMAGES_IMAGE_FORM_BASE`` and ``WAGTAILDOCS_DOCUMENT_FORM_BASE``;
- ``cms.core.forms.CountryScopedPageForm``: pages, whose form Wagtail's edit view builds on
  the page's latest revision (a newer one is what "saved meanwhile" means for a page).

The edit views of all but pages (``cms.core.viewsets.ConcurrentEditsViewMixin``: the
snippets', and Wagtail's image and document edit views served at Wagtail's addresses)
re-read the object with its row locked before the form compares, and offer "Discard my
changes and reload" after a refusal; for pages, ``ConcurrentEditsPageEditView``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models import Model
from django.forms import BoundField
from django.utils.html import format_html, strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from taggit.forms import TagField
from taggit.utils import edit_string_for_tags
from wagtail.blocks import StreamValue


def pks_of(value) -> list:
    """Primary keys from a form's initial value: a pk, an object, or a list of either."""
    if value is None or value == "":
        return []
    if isinstance(value, Model):
        return [value.pk]
    if isinstance(value, dict):  # data, not a collection of keys: all of it counts
        return [json.dumps(value, sort_keys=True, default=str)]
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        # A list, a queryset, or modelcluster's in-memory FakeQuerySet.
        return [pk for item in value for pk in pks_of(item)]
    return [value]


#: The keys the rich text editor gives a rich text block's paragraphs, new at every save of
#: text stored without them (seeded, imported, written in code): no change an editor made.
BLOCK_KEYS = re.compile(r' data-block-key="[^"]*"')


def without_ids(data):
    """Stored StreamField data without the blocks' ``id`` keys, at every depth, and its rich
    text without the paragraphs' ``data-block-key`` attributes."""
    if isinstance(data, dict):
        return {key: without_ids(value) for key, value in data.items() if key != "id"}
    if isinstance(data, list):
        return [without_ids(item) for item in data]
    if isinstance(data, str):
        return BLOCK_KEYS.sub("", data)
    return data


#: The hidden field of an edit form that says what the editor started from.
OPENED_FIELD = "opened_digests"

#: The checkboxes of a refused form: the fields whose saved value the editor takes.
TAKE_THEIRS_FIELD = "take_theirs"


def digest(value) -> str:
    """A short fingerprint of a form field's value, the same for its initial value (pk,
    list of objects) and its cleaned one (object, queryset): objects count by primary key,
    lists in any order, files by name, None as empty."""
    if value is None:
        value = ""
    elif isinstance(value, File):
        # An image's or document's file (stored, or just uploaded) by its name: a file is
        # iterable too, and its lines are no fingerprint worth reading from storage.
        value = value.name or ""
    elif isinstance(value, Model):
        value = value.pk
    elif isinstance(value, Iterable) and not isinstance(value, (str, bytes, dict)):
        value = sorted(str(pk) for pk in pks_of(value))
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
      is kept (the save is the editor's changes applied to the current object).
      Should the save be refused for another reason (a rule the merged values
      break: an English name emptied meanwhile, and this editor unticks the
      site's language), the form shows those saved values, says whose they
      are, and its digests move to them: what the editor then types there is
      their change, even the value they first opened;
    - changed by both, to different values: the save is refused, with a message
      at the top and, on each such field, the value saved meanwhile. The
      editor's input stays in the form, and those fields' digests move to the
      saved ones: saving again keeps the editor's value on purpose, and
      whatever else others changed is still kept. Under each such field a box,
      "Take their value instead of mine" (``TAKE_THEIRS_FIELD``), saves the
      value saved meanwhile there instead; and the edit view's "Discard my
      changes and reload" (``cms.core.viewsets``) opens the saved version,
      dropping all of the editor's changes, for snippets and pages alike.

    A page saved in the background (Wagtail's autosave, which posts the form and
    leaves it open) moves the digests to what the editor just saved, through
    Wagtail's own ``get_field_updates_for_resave``; otherwise the next save
    compared the form with the version it was opened on and took the editor's
    own autosave for someone else's change.

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
        self.merged = []  # the fields only someone else changed: their value is kept
        self.saved_digests = None  # the digests once this form's values are saved (clean)
        if not hasattr(self, "shown_values"):  # see cms.core.forms.ShownValueBoundField
            self.shown_values = {}
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
        if isinstance(value, StreamValue):
            # A page's StreamField: its blocks' stored form without their ids, which a
            # save gives to new blocks at random; as JSON text, since ``digest`` reads a
            # list as primary keys (a list of blocks counted only how many there were).
            value = json.dumps(without_ids(value.get_prep_value()), sort_keys=True)
        elif isinstance(self.fields[name], TagField):
            # Tags: shown as objects, cleaned as names.
            value = sorted(getattr(tag, "name", tag) for tag in value or ())
        elif isinstance(value, datetime.datetime):
            # As the editor's form shows it: in their time zone, to the minute (a stored
            # start may hold seconds the form never shows, and so never posts back).
            value = widget.format_value(self.fields[name].prepare_value(value))
        elif isinstance(widget, DraftailRichTextArea):
            # Rich text as the editor sees it: Draftail's blocks without their keys, which
            # every save of text stored without them fills with new random ones.
            content = json.loads(widget.format_value(value))
            for block in content.get("blocks", ()):
                block.pop("key", None)
            value = json.dumps(content, sort_keys=True)
        return digest(value)

    def taken_fields(self) -> set[str]:
        """The fields whose "Take their value" box the editor ticked (after a refusal)."""
        getlist = getattr(self.data, "getlist", None)
        return set(getlist(self.add_prefix(TAKE_THEIRS_FIELD))) if getlist else set()

    def take_theirs_choice(self, name) -> str:
        """The box under a conflicting field's input: save the value saved meanwhile there,
        instead of the editor's (see ``TakeTheirsBoundField``)."""
        return format_html(
            '<div class="w-mt-3"><label><input type="checkbox" name="{}" value="{}"{}> {}'
            "</label></div>",
            self.add_prefix(TAKE_THEIRS_FIELD),
            name,
            " checked" if name in self.taken_fields() else "",
            _("Take their value instead of mine"),
        )

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
        taken = self.taken_fields()
        # What the editor's form shows once saved: their values (where they left a field
        # as it was, that is what they opened, whatever someone else saved meanwhile).
        self.saved_digests = dict(opened)
        for name, then in opened.items():
            if name not in cleaned_data:
                continue  # not in this form, or invalid
            mine = self.field_digest(name, cleaned_data[name])
            self.saved_digests[name] = mine
            if name in taken:  # the editor takes the saved value instead of theirs
                try:
                    cleaned_data[name] = self.saved_value(name)
                    continue
                except ValidationError:
                    pass  # no longer a valid choice: compared as any other field
            if now.get(name, then) == then:
                continue  # nobody else changed it
            if mine == then:  # someone else changed it, this editor did not
                try:
                    cleaned_data[name] = self.shown_values[name] = self.saved_value(name)
                    self.merged.append(name)
                except ValidationError:
                    self.conflicts.append(name)
            elif mine != now[name]:
                self.conflicts.append(name)
        if self.conflicts:
            self.refuse(opened, now)
        elif self.merged:
            self.reopen(opened, now, self.merged)
        return cleaned_data

    def full_clean(self):
        """Django's; then, if the save is refused, say whose values the form now shows."""
        super().full_clean()
        if self.merged and self.errors and not self.conflicts:
            fields = ", ".join(
                f"{self.fields[name].label or name} (“{self.shown_value(name)}”)"
                for name in self.merged
            )
            self.add_error(
                None,
                _(
                    "Someone else saved this item while you were editing it. Their values "
                    "of these fields, which you had not changed, are kept and now shown: "
                    "%(fields)s."
                )
                % {"fields": fields},
            )

    def reopen(self, opened, now, names) -> None:
        """The form, shown again, counts as opened on the saved values of ``names``."""
        self.data = self.data.copy()  # request.POST is immutable
        self.data[self.add_prefix(OPENED_FIELD)] = json.dumps(
            {**opened, **{name: now[name] for name in names}}, separators=(",", ":")
        )

    def get_field_updates_for_resave(self):
        """Wagtail's updates to a form that stays open after a background save (autosave):
        the digests move to what was just saved, so that the next save compares with it."""
        updates = list(super().get_field_updates_for_resave())
        if self.saved_digests is not None and not self.conflicts:
            text = json.dumps(self.saved_digests, separators=(",", ":"))
            updates.append((self.add_prefix(OPENED_FIELD), text))
        return updates

    def saved_value(self, name):
        """The cleaned value of what the database holds now, as the form would show it."""
        field = self.fields[name]
        initial = self.get_initial_for_field(field, name)
        if isinstance(initial, StreamValue):
            return initial  # already what the form cleans a StreamField to
        if isinstance(field, TagField):
            return field.clean(edit_string_for_tags(initial or []))  # as its widget shows it
        return field.clean(field.prepare_value(initial))

    def refuse(self, opened, now) -> None:
        self.add_error(
            None,
            _(
                "Someone else saved this item while you were editing it, and changed "
                "some of the fields you changed. Nothing is saved yet. Each marked field "
                "shows their value: save again to keep yours, or tick “Take their value "
                "instead of mine” under it. What they changed elsewhere stays. To take "
                "their version of everything, discard your changes and reload."
            ),
        )
        for name in self.conflicts:
            self.add_error(
                name,
                _(
                    "Changed meanwhile by someone else to: “%(value)s”. Saving again "
                    "keeps your value here."
                )
                % {"value": self.shown_value(name)},
            )
        # Saving again keeps the editor's values of these fields: they have seen the others'
        # (and the form shows the others' values where only they changed one).
        self.reopen(opened, now, self.conflicts + self.merged)

    def shown_value(self, name) -> str:
        """The saved value of ``name`` as plain text, for the editor to compare."""
        field = self.fields[name]
        value = self.get_initial_for_field(field, name)
        queryset = getattr(field, "queryset", None)
        if queryset is not None:
            text = ", ".join(str(item) for item in queryset.filter(pk__in=pks_of(value)))
        elif getattr(field, "choices", None) and isinstance(value, (list, tuple)):
            labels = dict(field.choices)
            text = ", ".join(str(labels.get(code, code)) for code in value)
        else:
            text = strip_tags("" if value is None else str(value))
        return Truncator(text).chars(200)


class TakeTheirsBoundField(BoundField):
    """A form field that, when both editors changed it (``ConcurrentEditsFormMixin``),
    offers under its input to take the value saved meanwhile instead of the editor's.

    Added to the field's rendering (``as_widget``, Django's public API) rather than to
    its error message, which Wagtail also lists, escaped, in the message at the top.
    A StreamField renders itself with its errors and goes without: reloading takes
    theirs there.
    """

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        html = super().as_widget(widget, attrs, only_initial)
        if only_initial or not hasattr(self.form, "take_theirs_choice"):
            return html
        if self.name in self.form.conflicts or self.name in self.form.taken_fields():
            # Also once ticked: a save refused for another reason keeps the editor's choice.
            return html + self.form.take_theirs_choice(self.name)
        return html
