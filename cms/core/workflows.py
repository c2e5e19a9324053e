"""What each country's moderation is called: in the country's own language.

Wagtail shows a workflow's and a task's name inside its buttons and status
lines ("Submit to %(workflow_name)s", "awaiting 'task' in the 'workflow'
workflow"). The names are data, so a Czech editor read "CZ moderation" in an
otherwise Czech admin. Each country's workflow and task are named in its
site's default language (the language its editors and moderators work in);
``sync_sites`` keeps them so and the migration
``core.0006_moderation_names`` renamed the rows made before.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES


def country_name_in(country, language: str) -> str:
    """The country's name in ``language``, else in English, else its code."""
    for code in (language, COMMON_LANGUAGE):
        name = getattr(country, build_localized_fieldname("name", code), "")
        if name:
            return name
    return country.code


def moderation_names(country) -> tuple[str, str]:
    """(workflow name, task name) of the country's moderation, in its default language.

    Reads only ``code``, ``default_language`` and the ``name_<lang>`` columns, so a
    migration's historical ``Country`` will do.
    """
    language = country.default_language if country.default_language in LANGUAGE_CODES else "en"
    with translation.override(language):
        workflow = _("Moderation – %(country)s") % {"country": country_name_in(country, language)}
        task = _("Approval by the moderators (%(code)s)") % {"code": country.code}
    return workflow, task


#: The names ``sync_sites`` gave before, for finding rows made then.
def legacy_moderation_names(country) -> tuple[str, str]:
    return f"{country.code} moderation", f"{country.code} moderators approval"
