"""Test data builders, in one place."""

from __future__ import annotations

import itertools

from django.test import Client
from django.utils import timezone, translation
from modeltranslation.utils import build_localized_fieldname

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES
from cms.core.translation_status import mark_complete_ready
from cms.news.models import NewsIndexPage, NewsPage

_counter = itertools.count(1)


def translated(field: str, texts: dict[str, str]) -> dict:
    return {build_localized_fieldname(field, code): texts.get(code, "") for code in LANGUAGE_CODES}


def news_page(country, *, title: dict[str, str], lead: dict[str, str] | None = None, **fields):
    """A published news item under ``country``'s news index, in the given languages.

    English, the common language, is required (as in the admin). Every
    complete language is marked ready unless ``ready_languages`` says otherwise.
    """
    number = next(_counter)
    lead = lead or {code: f"Lead {code} {number}" for code in title}
    index = NewsIndexPage.objects.child_of(country.home_page).get()
    page = NewsPage(
        slug=f"test-news-{number}",
        **translated("title", title),
        **translated("lead", lead),
        **translated("slug", {code: f"test-news-{number}" for code in title}),
        **fields,
    )
    if "ready_languages" not in fields:
        mark_complete_ready(page)
    with translation.override(
        next(iter(title)) if COMMON_LANGUAGE not in title else COMMON_LANGUAGE
    ):
        index.add_child(instance=page)
    return page


#: The page types national editors write, as named in the permission tests.
PAGE_KINDS = ("news", "event", "standard")


def page_parent(country, kind: str):
    """Where a page of ``kind`` goes in ``country``'s tree."""
    from cms.events.models import EventIndexPage

    home = country.home_page
    if kind == "news":
        return NewsIndexPage.objects.child_of(home).get()
    if kind == "event":
        return EventIndexPage.objects.child_of(home).get()
    return home


def page_model(kind: str):
    from cms.events.models import EventPage
    from cms.home.models import StandardPage

    return {"news": NewsPage, "event": EventPage, "standard": StandardPage}[kind]


def draft_page(country, kind: str, *, title: str | None = None):
    """A never-published page of ``kind`` in ``country``'s tree, with one revision."""
    number = next(_counter)
    title = title or f"Draft {kind} {country.code} {number}"
    slug = f"draft-{kind}-{number}"
    fields = {
        "news": {**translated("lead", {"en": "Lead"})},
        "event": {
            "kind": "conference",
            "start": timezone.now(),
            **translated("lead", {"en": "Lead"}),
            **translated("place", {"en": "Milan"}),
        },
        "standard": {},
    }[kind]
    page = page_model(kind)(
        slug=slug,
        live=False,
        **translated("title", {"en": title}),
        **translated("slug", {"en": slug}),
        **fields,
    )
    with translation.override(COMMON_LANGUAGE):
        page_parent(country, kind).add_child(instance=page)
    page.save_revision()
    return page


def page_form_data(kind, *, title, slug):
    """What the admin's page form posts for ``kind`` (empty bodies, no comments).

    The same text in every language: each site requires its own language
    (``cms.core.translation_status.LanguageRule``), whichever country posts.
    """
    data = {
        **translated("title", dict.fromkeys(LANGUAGE_CODES, title)),
        **translated("slug", dict.fromkeys(LANGUAGE_CODES, slug)),
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update({f"body_{code}-count": "0" for code in LANGUAGE_CODES})  # empty StreamFields
    if kind == "news":
        data.update(
            {"date": "2024-05-02", **translated("lead", dict.fromkeys(LANGUAGE_CODES, "A lead"))}
        )
    if kind == "event":
        data.update(
            {
                "kind": "conference",
                "start": "2024-05-02 10:00",
                **translated("place", dict.fromkeys(LANGUAGE_CODES, "Milan")),
                **translated("lead", dict.fromkeys(LANGUAGE_CODES, "A")),
            }
        )
    return data


def standard_section(country, *, children: int):
    """A published standard page below ``country``'s home with ``children`` published
    standard pages below it, in English and the site's language."""
    from cms.home.models import StandardPage

    language = country.default_language
    number = next(_counter)

    def page(slug: str, title: str) -> StandardPage:
        texts = {COMMON_LANGUAGE: title, language: f"{title} ({language})"}
        made = StandardPage(
            slug=slug,
            **translated("title", texts),
            **translated("slug", dict.fromkeys(texts, slug)),
        )
        mark_complete_ready(made)
        return made

    with translation.override(COMMON_LANGUAGE):
        section = country.home_page.add_child(instance=page(f"section-{number}", "Section"))
        for child in range(children):
            section.add_child(instance=page(f"section-{number}-{child}", f"Item {child}"))
    return section


def path_of(page, language: str) -> str:
    """The site-relative URL of ``page`` in ``language`` (e.g. ``/cs/aktuality/x/``)."""
    with translation.override(language):
        return page.get_url_parts()[2]


def country_user(code: str, role: str = "editors", *, username: str | None = None):
    """A user in country ``code``'s editor (or moderator) group, as ``sync_sites`` made it."""
    from django.contrib.auth import get_user_model

    from cms.core.models import Country

    country = Country.objects.get(code=code)
    user = get_user_model().objects.create_user(
        username or f"{code.lower()}-{role}-{next(_counter)}", password="pw"
    )
    user.groups.add(getattr(country, f"{role}_group"))
    return user


def network_admin(*, username: str | None = None):
    """A member of the "Network administrators" group (not a superuser)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms.core.permissions import NETWORK_ADMINISTRATORS

    user = get_user_model().objects.create_user(
        username or f"network-admin-{next(_counter)}", password="pw"
    )
    user.groups.add(Group.objects.get(name=NETWORK_ADMINISTRATORS))
    return user


def superuser(*, username: str | None = None):
    """A superuser: who may delete a page with others below it (Wagtail's ``bulk_delete``)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(
        username or f"superuser-{next(_counter)}", password="pw"
    )


def lock_in_moderation(page, user) -> None:
    """``user`` saves a draft of ``page``, sends it to moderation and locks it: a page each
    admin report (workflow, locked pages) lists."""
    from wagtail.models import Page

    page = Page.objects.get(pk=page.pk).specific
    page.save_revision(user=user)
    page.get_workflow().start(page, user)
    page.locked, page.locked_by = True, user
    page.save()


def restrict(page, restriction_type: str = "password"):
    """A view restriction on ``page`` (and so on everything below it): a password by default,
    or ``"login"``."""
    from wagtail.models import PageViewRestriction

    return PageViewRestriction.objects.create(
        page=page,
        restriction_type=restriction_type,
        password="secret" if restriction_type == "password" else "",
    )


def logged_in(user) -> Client:
    """A test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client
