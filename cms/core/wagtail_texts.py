"""Wagtail's chooser texts, translated when shown rather than when Wagtail is imported.

Wagtail's ``ChooserViewSet`` names its texts with gettext in its class body ("Choose",
"Choose another", "Edit", "Search", "Create"), so they are strings in the language active
when Wagtail is imported: none, so English, for every editor. The image and document
choosers' search tab and the snippet choosers' title read "Search" and "Choose" in a
Czech or Polish admin (``tests/test_admin_languages.py``).

``make_chooser_texts_lazy`` (``CoreConfig.ready``, before any viewset makes its views)
gives that base class lazy texts instead, under Wagtail's own msgids, so its catalogues
(and ``locale/_wagtail/``) translate them in each editor's language. A chooser viewset
that names its own (the image chooser's "Choose an image") keeps them. The snippet
viewsets' breadcrumbs and the snippet chooser's buttons are made lazy where they are
built (``cms.core.viewsets``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

#: A msgid of Wagtail's, translated by its catalogues when shown. A name of its own, so that
#: ``makemessages`` leaves it out of ours: Wagtail's translation is the one editors know.
wagtails_own = gettext_lazy

#: ``ChooserViewSet``'s attributes that Wagtail names with gettext at import, and their msgids.
CHOOSER_TEXTS = {
    "choose_one_text": "Choose",
    "choose_another_text": "Choose another",
    "edit_item_text": "Edit",
    "search_tab_label": "Search",
    "create_action_label": "Create",
}


def make_chooser_texts_lazy() -> None:
    from wagtail.admin.viewsets.chooser import ChooserViewSet

    for attribute, message in CHOOSER_TEXTS.items():
        setattr(ChooserViewSet, attribute, wagtails_own(message))
