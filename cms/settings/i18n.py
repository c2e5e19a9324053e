"""Languages, translation and locale settings (imported by base.py)."""

from cms.core.languages import COMMON_LANGUAGE, FALLBACK_CHAINS, LANGUAGE_CODES, LANGUAGES
from cms.settings.environment import env_choices
from cms.settings.paths import BASE_DIR

LANGUAGE_CODE = COMMON_LANGUAGE
LANGUAGES = LANGUAGES
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Prague"
# Our own catalogues first (they win), then the Wagtail admin strings Wagtail itself leaves
# untranslated in cs and sk (locale/_wagtail/README.md); makemessages writes only the first.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "_wagtail"]

# Field-level translation: one object holds every language (title_cs, title_de, ...).
MODELTRANSLATION_DEFAULT_LANGUAGE = COMMON_LANGUAGE
MODELTRANSLATION_LANGUAGES = LANGUAGE_CODES
MODELTRANSLATION_FALLBACK_LANGUAGES = FALLBACK_CHAINS

# Wagtail's own page-copy localisation is off: modeltranslation translates fields.
WAGTAIL_I18N_ENABLED = False
# The admin follows the editor's own language preference.
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILMODELTRANSLATION_LOCALE_PICKER = True

# The language a visitor picks in the switcher (cms.core.views.choose_language), remembered
# for a year and read by "/" before Accept-Language. Sent on that one redirect only, so
# pages stay cacheable.
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Dates, times and numbers in each language's own way (Django's formats, cms/formats/ first):
# English as in Britain and the EU ("20 May 2011", 24-hour times), not "05/20/2011".
FORMAT_MODULE_PATH = ["cms.formats"]

#: Languages every page must have before it is published, whatever its site (the network's
#: rule: e.g. TRANSLATIONS_REQUIRED_AT_PUBLICATION=en). Drafts, autosaves and submissions
#: never need them; the site's default language is always required
#: (cms.core.translation_status). Empty by default: a national site publishes in its own.
TRANSLATIONS_REQUIRED_AT_PUBLICATION = tuple(
    env_choices("TRANSLATIONS_REQUIRED_AT_PUBLICATION", LANGUAGE_CODES)
)
