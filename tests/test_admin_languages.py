"""No English of ours in a national editor's admin.

A Czech, German, Italian, Polish, Slovak or Slovenian editor's admin is in their language
(``UserProfile.preferred_language``, set when they join their country's group,
``cms.users.signals``). Wagtail's own strings come from its catalogues (and
``locale/_wagtail/``); ``tests/test_translations.py`` checks that every string our code marks
for translation has a translation. Neither notices English text of ours that never went
through gettext (a ``help_text`` without ``_()``, a message built from a literal, a template's
bare text), nor a catalogue entry whose "translation" is still the English.

This test logs in as each country's editor (and moderator, for the screens only moderators
use), opens every admin screen an editor works with, saves, publishes, gets refused, and
looks for our English in what the page shows: the text, the attributes a reader sees
(``title``, ``placeholder``, ``aria-label``, buttons) and the labels in the JSON the admin's
scripts render (sidebar, StreamField blocks). "Our English" is

- every msgid of our catalogue whose translation in the editor's language differs from it;
- every string literal in ``cms/`` (outside gettext calls, docstrings and migrations) and
  every bare text of our templates that reads like prose.

A string whose translation is rightly the English (a proper name, a code) is left out of the
first by the catalogue itself, and of the second by ``ALLOWED`` (each with its reason).

The catalogues themselves are checked in ``tests/test_catalogues.py``.

``ADMIN_LANGUAGES_DUMP=/some/folder`` writes every screen's HTML there, to look at a finding
in its page.
"""

from __future__ import annotations

import ast
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.base import Lexer, TokenType
from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import gettext
from wagtail.users.models import UserProfile

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from cms.core.languages import LANGUAGE_CODES, LANGUAGES
from cms.core.models import Country
from cms.events.models import EventIndexPage, EventPage
from cms.home.models import StandardPage
from cms.news.models import NewsIndexPage, NewsPage
from cms.partners.models import ContactPerson, PartnerOrganisation
from cms.settings.paths import BASE_DIR
from cms.webhooks.models import Webhook, WebhookDelivery
from tests.core.test_concurrent_edits import posted_back
from tests.core.test_media_isolation import make_document, make_image
from tests.core.test_own_language_first import EMPTY_FORMSETS, news_in
from tests.factories import country_user, draft_page, network_admin
from tests.test_catalogues import catalogue, msgid_texts, msgstr_texts

#: The editor languages and the country whose editor speaks each.
COUNTRY_OF = {"cs": "CZ", "de": "DE", "it": "IT", "pl": "PL", "sk": "SK", "sl": "SI"}

#: English strings of ours that are rightly shown as they are, with the reason.
ALLOWED: dict[str, str] = {
    "Clusters Cord": "the network's name, in every language (cms/core/templatetags/chrome.py)",
    "Network – shared": "the shared collection's name (SHARED_COLLECTION, cms/core/groups.py), "
    "in the image and document choosers' collection filter: a Wagtail collection has one name "
    "for every editor, kept in the database",
    **{
        name: "a language's own name (cms.core.languages.LANGUAGES): the language filters, "
        "badges and the account's language list name each language in itself"
        for _code, name in LANGUAGES
    },
}

#: English that Wagtail hard-codes in its templates (no gettext there): cut out of the page
#: before it is read, since it is not ours to translate.
WAGTAILS_OWN = {
    '<input type="submit" value="Search" class="button" />': "the screen-reader-only submit "
    "button of the header's search box (wagtailadmin/shared/header.html, home.html)",
}


# --- what is ours --------------------------------------------------------------------------

GETTEXT_CALLS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "_lazy",
}
#: Placeholders in msgids and template text: %(name)s, %s, {name}, {{ name }}, {% tag %}.
PLACEHOLDER = re.compile(
    r"%\(\w+\)[sdifr]|%[sdifr]|\{\{.*?\}\}|\{%.*?%\}|\{\w*(?:![rsa])?(?::[^}]*)?\}"
)
WORD = re.compile(r"[A-Za-z]+")


def prose(text: str) -> bool:
    """Whether a literal reads like words for people, not like code or data."""
    text = text.strip()
    if len(text) < 4 or not re.search(r"[a-z]", text):
        return False
    if re.search(r"[_=<>\\|@#$^`~]|://|\w\.\w|\w/\w|^\W|\w\(", text):
        return False
    words = WORD.findall(text)
    if len(words) >= 2:
        return " " in text
    return bool(re.fullmatch(r"[A-Z][a-z]{3,}", text))  # one capitalised word: a label


def fragments(text: str) -> list[str]:
    """The prose between a string's placeholders, as it appears in a page."""
    parts = [" ".join(part.split()) for part in PLACEHOLDER.split(text)]
    return [part.strip(" :;,") for part in parts if prose(part)]


def python_literals(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skipped.add(id(body[0].value))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(id(node.value))  # attribute docstrings, comments as strings
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in GETTEXT_CALLS:
                for arg in ast.walk(node):
                    skipped.add(id(arg))
            if name in {"getLogger", "debug", "info", "warning", "error", "exception"} and (
                isinstance(node.func, ast.Attribute)
                and getattr(node.func.value, "id", "") in {"logger", "log", "logging"}
            ):
                for arg in ast.walk(node):
                    skipped.add(id(arg))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in skipped:
                found.update(fragments(node.value))
    return found


def template_texts(path: Path) -> set[str]:
    """Bare text of a template: what it shows without {% translate %}."""
    source = path.read_text(encoding="utf-8")
    found = set()
    inside = None  # a {% comment %} or {% blocktranslate %}: not shown, or a msgid
    ends = {"comment": "endcomment", "blocktranslate": "endblocktranslate"}
    ends["blocktrans"] = "endblocktrans"
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            word = token.contents.split()[0] if token.contents else ""
            if inside is None and word in ends:
                inside = ends[word]
            elif word == inside:
                inside = None
            continue
        if token.token_type != TokenType.TEXT or inside:
            continue
        text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", token.contents, flags=re.S)
        for piece in re.split(r"<[^>]*>", text):
            found.update(fragments(piece))
    return found


def our_sources() -> tuple[list[Path], list[Path]]:
    python = [
        path
        for path in sorted((BASE_DIR / "cms").rglob("*.py"))
        # The benchmarks' generated corpus is never shown in the admin.
        if not {"migrations", "tests", "bench"} & set(path.parts)
    ]
    templates = sorted((BASE_DIR / "templates").rglob("*.html")) + sorted(
        (BASE_DIR / "cms").rglob("templates/**/*.html")
    )
    return python, templates


@pytest.fixture(scope="module")
def literals() -> dict[str, str]:
    """Prose literals of our code and templates -> where the first one is."""
    python, templates = our_sources()
    found: dict[str, str] = {}
    for path in python:
        for text in python_literals(path):
            found.setdefault(text, str(path.relative_to(BASE_DIR)))
    for path in templates:
        for text in template_texts(path):
            found.setdefault(text, str(path.relative_to(BASE_DIR)))
    return found


def english_of_ours(language: str, literals: dict[str, str]) -> dict[str, str]:
    """What must not be seen in ``language``'s admin: English text -> where it comes from."""
    english: dict[str, str] = {}
    for message in catalogue(language):
        if not message.id:
            continue
        same = set(msgid_texts(message)) & set(msgstr_texts(message))
        for text in msgid_texts(message):
            if text in same:
                continue
            for fragment in fragments(text):
                english.setdefault(fragment, f"msgid {text!r}")
    for text, where in literals.items():
        english.setdefault(text, where)
    for text in ALLOWED:
        english.pop(text, None)
    return english


# --- what a page shows ---------------------------------------------------------------------

SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "aria-description"}
#: Keys under which the admin's JSON (sidebar props, block definitions) holds shown text.
SHOWN_KEYS = {
    "label",
    "title",
    "helpText",
    "help_text",
    "description",
    "placeholder",
    "footer_text",
    "text",
    "heading",
    "messages",
    "html",
    "caption",
}


def json_texts(value, key=None):
    """The shown strings of a JSON value: those under ``SHOWN_KEYS``, HTML read as HTML."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from json_texts(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from json_texts(item, key)
    elif isinstance(value, str) and key in SHOWN_KEYS:
        if key == "html" or "<" in value:
            yield from shown_texts(value)
        else:
            yield value


class ShownText(HTMLParser):
    """Text a reader sees: text nodes, shown attributes, button values, labels in JSON."""

    #: Not read: styles, and what the editor typed (a textarea's content).
    HIDDEN = {"style", "textarea"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.hidden = 0
        self.script: str | None = None  # the text of the <script> being read
        self.script_json = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.HIDDEN:
            self.hidden += 1
        if tag == "script":
            self.script = ""
            self.script_json = "json" in (attributes.get("type") or "")
        for name, value in attrs:
            if not value:
                continue
            if name in SHOWN_ATTRIBUTES or name.endswith("-content-value"):
                self.texts.append(value)
            elif name == "value" and attributes.get("type") in ("submit", "button"):
                self.texts.append(value)
            elif value[:1] in "{[" and (name.startswith("data-") or name == "value"):
                try:
                    self.texts.extend(json_texts(json.loads(value)))
                except ValueError:
                    pass

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in self.HIDDEN:
            self.hidden -= 1
        if tag == "script":
            self.script = None

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        if tag == "script" and self.script is not None:
            if self.script_json:
                try:
                    self.texts.extend(json_texts(json.loads(self.script)))
                except ValueError:
                    pass
            self.script = None

    def handle_data(self, data):
        if self.script is not None:
            self.script += data
        elif not self.hidden:
            self.texts.append(data)


def shown_texts(html: str) -> list[str]:
    """What ``html`` shows a reader, one text per node, attribute or JSON label."""
    parser = ShownText()
    parser.feed(html)
    parser.close()
    return [" ".join(text.split()) for text in parser.texts if text.strip()]


def english_shown(html: str, english: dict[str, str], content: set[str]) -> dict[str, str]:
    """The strings of ``english`` a page shows -> the shown text they are in: one word only
    as a whole text, longer ones anywhere in a text (as whole words). A text that is an
    item's title or name (``content``, e.g. the English title "News" of a news index in
    the site history) is what an editor wrote, not ours."""
    for snippet in WAGTAILS_OWN:
        html = html.replace(snippet, "")
    texts = [text for text in shown_texts(html) if text not in content]
    whole = {text.strip(" :*…()[]"): text for text in texts}
    joined = "\n".join(texts)
    found = {}
    for text in english:
        if text in whole:
            found[text] = whole[text]
        elif " " in text and len(text) >= 12 and text in joined:
            match = re.search(r"(?<![\w])" + re.escape(text) + r"(?![\w])", joined)
            if match:
                start = joined.rfind("\n", 0, match.start()) + 1
                end = joined.find("\n", match.end())
                found[text] = joined[start : end if end > 0 else None]
    return found


#: A folder to write every screen's HTML to, for a look at what a finding is in.
DUMP = os.environ.get("ADMIN_LANGUAGES_DUMP")

# --- the screens ---------------------------------------------------------------------------


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class Visit:
    """One editor's (or moderator's) tour; what each screen showed in English."""

    def __init__(self, client: Client, language: str, english: dict[str, str]):
        self.client, self.language, self.english = client, language, english
        self.content = content_texts()
        self.found: dict[str, dict[str, str]] = {}
        self.screens: list[str] = []

    def check(self, screen: str, html: str) -> None:
        self.screens.append(screen)
        if DUMP:
            name = re.sub(r"\W+", "-", f"{self.language}-{screen}")
            Path(DUMP, f"{name}.html").write_text(html, encoding="utf-8")
        for text, shown in english_shown(html, self.english, self.content).items():
            where = self.english[text]
            entry = self.found.setdefault(text, {"where": where, "shown": shown, "screens": []})
            entry["screens"].append(screen)

    def get(self, url: str, screen: str | None = None, *, status=200, **params):
        response = self.client.get(url, params)
        assert response.status_code == status, f"{url}: {response.status_code}"
        html = response.content.decode()
        if response.get("Content-Type", "").startswith("application/json"):
            html = json.loads(html).get("html", "")
        else:
            assert f'lang="{self.language}"' in html, f"{url}: not in {self.language}"
        self.check(screen or url, html)
        return response

    def post(self, url: str, data: dict, screen: str, **kwargs):
        response = self.client.post(url, data, follow=True, **kwargs)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        self.check(screen, response.content.decode())
        return response


def content_texts() -> set[str]:
    """Titles and names editors wrote, in every language, and as the page logs recorded them."""
    from wagtail.models import Page, PageLogEntry

    texts = set(PageLogEntry.objects.values_list("label", flat=True))
    texts.update(ContactPerson.objects.values_list("name", flat=True))
    for code in LANGUAGE_CODES:
        texts.update(Page.objects.values_list(f"title_{code}", flat=True))
        texts.update(ContactPerson.objects.values_list(f"role_{code}", flat=True))
        for model in (ClusterProfile, PartnerOrganisation):
            texts.update(model.objects.values_list(f"name_{code}", flat=True))
    return {" ".join(text.split()) for text in texts if text}


def tour(visit: Visit, country: Country) -> None:
    """Every screen a national editor works with (what saving says: ``editing``)."""
    home = country.home_page.specific
    news_index = NewsIndexPage.objects.child_of(home).get()
    event_index = EventIndexPage.objects.child_of(home).get()
    news = NewsPage.objects.descendant_of(home).live().first() or draft_page(country, "news")
    event = EventPage.objects.descendant_of(home).first() or draft_page(country, "event")
    standard = StandardPage.objects.descendant_of(home).first() or draft_page(country, "standard")
    pages = [home, news_index, event_index, news, event, standard]
    pages += [page for page in home.get_children().type(ClusterDirectoryPage)]

    visit.get("/admin/", "dashboard")
    visit.get(f"/admin/pages/{home.pk}/", "explorer: home")
    visit.get(f"/admin/pages/{news_index.pk}/", "explorer: news")
    visit.get("/admin/pages/search/", "page search", q="a")
    for page in pages:
        visit.get(f"/admin/pages/{page.pk}/edit/", f"edit {type(page.specific).__name__}")
    for app, model, parent in (
        ("news", "newspage", news_index),
        ("events", "eventpage", event_index),
        ("home", "standardpage", home),
    ):
        visit.get(f"/admin/pages/add/{app}/{model}/{parent.pk}/", f"create {model}")
    visit.get(f"/admin/pages/{news.pk}/history/", "page history")

    visit.get("/admin/snippets/", "snippets")
    for model in (ClusterProfile, PartnerOrganisation, ContactPerson):
        label = f"{model._meta.app_label}/{model._meta.model_name}"
        visit.get(f"/admin/snippets/{label}/", f"{model.__name__} listing")
        visit.get(f"/admin/snippets/{label}/add/", f"{model.__name__} create")
        item = model.objects.filter(country=country).first()
        if item:
            visit.get(f"/admin/snippets/{label}/edit/{item.pk}/", f"{model.__name__} edit")
            visit.get(f"/admin/snippets/{label}/history/{item.pk}/", f"{model.__name__} history")
        visit.get(f"/admin/snippets/choose/{label}/", f"{model.__name__} chooser")
    visit.get("/admin/snippets/core/sector/", "sector listing")

    visit.get("/admin/choose-page/", "page chooser")
    visit.get("/admin/images/chooser/", "image chooser")
    visit.get("/admin/documents/chooser/", "document chooser")
    image = make_image(country.code, "Audit", "audit.png")
    document = make_document(country.code, "Audit", "audit.txt")
    visit.get("/admin/images/", "images")
    visit.get("/admin/images/multiple/add/", "image upload")
    visit.get("/admin/documents/", "documents")
    visit.get("/admin/documents/multiple/add/", "document upload")
    for report in ("workflow", "workflow_tasks", "site-history", "aging-pages"):
        visit.get(f"/admin/reports/{report}/", f"report {report}")
    visit.get("/admin/translation-status/", "translation status")
    for model in ("newspage", "eventpage", "standardpage"):
        visit.get(f"/admin/translations-{model}/", f"page translations {model}")
    filtered = {"language": visit.language, "translation": "partial"}
    visit.get("/admin/translations-newspage/", "page translations, filtered", **filtered)
    visit.get("/admin/snippets/clusters/clusterprofile/", "clusters, filtered", **filtered)
    visit.get("/admin/account/", "account")

    visit.get("/admin/clusters/import/", "cluster import")
    visit.get(f"/admin/images/{image.pk}/", "edit image")
    visit.get(f"/admin/documents/edit/{document.pk}/", "edit document")


def csv_upload(text: str, name: str = "clusters.csv") -> dict:
    return {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def editing(visit: Visit, moderator: Visit, country: Country) -> None:
    """What the admin says when an editor saves, submits, is refused or collides, and what
    the moderator then sees and is told."""
    language = visit.language
    home = country.home_page.specific
    news_index = NewsIndexPage.objects.child_of(home).get()
    add_news = f"/admin/pages/add/news/newspage/{news_index.pk}/"

    visit.post(add_news, {**EMPTY_FORMSETS, "action-submit": "1"}, "page create refused")
    submitted = {
        **news_in(language, title="Audit", slug=f"audit-{language}", lead="Perex"),
        "action-submit": "1",
    }
    visit.post(add_news, submitted, "page in no language refused")
    submitted |= {"title_en": "Audit", "slug_en": f"audit-en-{language}", "lead_en": "Lead"}
    visit.post(add_news, submitted, "page submitted, own language held back")
    page = NewsPage.objects.get(**{f"slug_{language}": f"audit-{language}"})

    # Two people on one page: the moderator saves first, the editor's save is refused.
    url = f"/admin/pages/{page.pk}/edit/"
    mine = opened_page(visit, url, "edit page in moderation (languages not published)")
    theirs = opened_page(moderator, url, "moderator: edit page in moderation")
    theirs[f"title_{language}"] = ["Audit A"]
    mine[f"title_{language}"] = ["Audit B"]
    assert moderator.client.post(url, theirs).status_code == 302
    refused = visit.post(url, mine, "page save refused: someone else saved")
    assert refused.context["form"].conflicts, "no conflict: the refusal was not shown"

    visit.get(f"/admin/pages/{page.pk}/workflow_history/", "workflow history")
    moderator.get("/admin/", "moderator dashboard")
    task_state = NewsPage.objects.get(pk=page.pk).current_workflow_state.current_task_state
    approve = f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"
    moderator.get(approve, "approve modal")
    moderator.post(approve, {"next": "/admin/"}, "approved, languages not published")
    moderator.get("/admin/reports/locked/", "report locked")
    # Publishing refused: the network asks for English too (a setting), which it lacks.
    republished = {**news_in(language, title="Audit", slug=f"audit-{language}", lead="Perex")}
    with override_settings(TRANSLATIONS_REQUIRED_AT_PUBLICATION=("en",)):
        refused = moderator.post(
            url, {**republished, "action-publish": "1"}, "publishing refused: English missing"
        )
    assert "title_en" in refused.context["form"].errors

    # Snippets: refused, saved, and refused for a conflict.
    add_cluster = "/admin/snippets/clusters/clusterprofile/add/"
    visit.post(add_cluster, {"slug": f"audit-{language}"}, "cluster create refused")
    nowhere = {"slug": f"audit-{language}", "country": str(country.pk), f"name_{language}": "A"}
    visit.post(add_cluster, nowhere, "cluster refused: in no language visitors read")
    visit.post(
        add_cluster,
        {
            "slug": f"audit-{language}",
            "country": str(country.pk),
            f"name_{language}": "Audit",
            "ready_languages": [language],
        },
        "cluster created",
    )
    cluster = ClusterProfile.objects.get(slug=f"audit-{language}")
    url = f"/admin/snippets/clusters/clusterprofile/edit/{cluster.pk}/"
    mine = opened_form(visit, url, "edit new cluster")
    theirs = opened_form(moderator, url, "moderator: edit new cluster")
    theirs[f"city_{language}"] = ["Město A"]
    mine[f"city_{language}"] = ["Město B"]
    assert moderator.client.post(url, theirs).status_code == 302
    refused = visit.post(url, mine, "cluster save refused: someone else saved")
    assert refused.context["form"].conflicts, "no conflict: the refusal was not shown"

    # The import: preview with errors, refused confirmation, confirmed.
    header = "slug,country,sectors,name_en,name_cs,website\n"
    rows = f"audit-ok,{country.code},food,Audit,,\naudit-bad,XX,nothing,,,nope\n"
    preview = visit.post("/admin/clusters/import/", csv_upload(header + rows), "import preview")
    visit.post("/admin/clusters/import/", {"token": token_of(preview)}, "import refused")
    visit.post(
        "/admin/clusters/import/",
        {"token": token_of(preview), "skip_invalid": "1"},
        "import confirmed",
    )
    visit.post("/admin/clusters/import/", csv_upload("\x00", "clusters.txt"), "import refused file")

    # Search lists, kept by the moderators.
    for model in ("synonymgroup", "promotion"):
        base = f"/admin/snippets/sitesearch/{model}/"
        moderator.get(base, f"{model} listing")
        moderator.get(f"{base}add/", f"{model} create")
    moderator.post(
        "/admin/snippets/sitesearch/synonymgroup/add/",
        {"language": language, "terms": "x"},
        "synonyms refused",
    )
    moderator.post(
        "/admin/snippets/sitesearch/promotion/add/",
        {"language": language, "query": "audit", "sort_order": "0"},
        "promotion refused",
    )


def opened_form(visit: Visit, url: str, screen: str) -> dict:
    """What the browser would post back from an edit page, unchanged (the page is checked)."""
    return posted_back(visit.get(url, screen))


def opened_page(visit: Visit, url: str, screen: str) -> dict:
    form = opened_form(visit, url, screen)
    form.update({key: [value] for key, value in EMPTY_FORMSETS.items()})
    return form


def merged(*founds: dict[str, dict]) -> dict[str, dict]:
    result: dict[str, dict] = {}
    for found in founds:
        for text, info in found.items():
            entry = result.setdefault(text, {**info, "screens": []})
            entry["screens"] += info["screens"]
    return result


def report(found: dict[str, dict]) -> str:
    return "\n".join(
        f"  {text!r} (from {info['where']}) on: {', '.join(info['screens'][:4])}\n"
        f"      in: {info['shown'][:160]!r}"
        for text, info in sorted(found.items())
    )


@pytest.mark.parametrize("language", sorted(COUNTRY_OF))
def test_no_english_of_ours_in_a_national_editors_admin(db, language, literals):
    country = Country.objects.get(code=COUNTRY_OF[language])
    editor = country_user(country.code)
    assert UserProfile.get_for_user(editor).preferred_language == language
    moderator = country_user(country.code, "moderators")
    english = english_of_ours(language, literals)
    visit = Visit(logged_in(editor), language, english)
    tour(visit, country)
    checked = Visit(logged_in(moderator), language, english)
    editing(visit, checked, country)
    visit.found = merged(visit.found, checked.found)
    assert not visit.found, f"English of ours in the {language} admin:\n" + report(visit.found)


@pytest.mark.parametrize("language", sorted(COUNTRY_OF))
def test_no_english_of_ours_in_the_webhooks_admin(db, language, literals):
    """Webhooks are the network administrators' (``cms.webhooks.wagtail_hooks``), who read
    the admin in their own language too: the listings, the forms, a refused save and a
    delivery's page."""
    admin = network_admin()
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = language
    profile.save()
    country = Country.objects.get(code=COUNTRY_OF[language])
    webhook = Webhook.objects.create(country=country, name="Audit", url="https://example.org/")
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="moved", payload={}, status=WebhookDelivery.Status.FAILED
    )
    visit = Visit(logged_in(admin), language, english_of_ours(language, literals))
    base = "/admin/snippets/webhooks/"
    visit.get(f"{base}webhook/", "webhooks")
    visit.get(f"{base}webhook/add/", "webhook create")
    visit.get(f"{base}webhook/edit/{webhook.pk}/", "webhook edit")
    visit.post(f"{base}webhook/add/", {"name": "x", "url": "ftp://x"}, "webhook refused")
    visit.get(f"{base}webhookdelivery/", "deliveries")
    visit.get(f"{base}webhookdelivery/?status=failed&event=moved", "deliveries, filtered")
    visit.get(f"{base}webhookdelivery/inspect/{delivery.pk}/", "delivery")
    assert not visit.found, f"English of ours in the {language} admin:\n" + report(visit.found)


def test_wagtails_snippet_texts_follow_each_editor(client, db):
    """Wagtail names the snippet breadcrumbs and chooser buttons once per process, in the
    language active then: whoever came first chose the language of everybody's. Two editors
    one after the other each read their own (``cms.core.viewsets``)."""
    for code, language in (("CZ", "cs"), ("PL", "pl")):
        client.force_login(country_user(code))
        cluster = ClusterProfile.objects.filter(country__code=code).first()
        edit = client.get(f"/admin/snippets/clusters/clusterprofile/edit/{cluster.pk}/").text
        chooser = client.get("/admin/snippets/choose/partners/contactperson/").json()["html"]
        with translation.override(language):
            contact = {"object": ContactPerson._meta.verbose_name}
            expected = {
                gettext("Home"),
                gettext("Snippets"),
                gettext("Choose %(object)s") % contact,
                gettext("Choose another %(object)s") % contact,
            }
            chooser_title = gettext("Choose")
        assert expected <= set(shown_texts(edit)), (language, expected - set(shown_texts(edit)))
        assert chooser_title in shown_texts(chooser), language


def test_the_audit_sees_our_english_where_it_is_shown(db, literals):
    """The check is not blind: in an English admin, the same screens show many of our strings."""
    country = Country.objects.get(code="CZ")
    editor = country_user("CZ")
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    visit = Visit(logged_in(editor), "en", english_of_ours("cs", literals))
    news = NewsPage.objects.descendant_of(country.home_page).first()
    visit.get(f"/admin/pages/{news.pk}/edit/", "edit news")
    visit.get("/admin/clusters/import/", "import")
    assert len(visit.found) >= 30, sorted(visit.found)
    assert "Import clusters" in visit.found  # a menu label (catalogue)
    assert "Translation status" in visit.found  # our menu item
