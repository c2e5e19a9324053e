"""Read and validate the declarative site files in ``sites/``.

Everything is parsed and checked before anything is written, so a malformed
file can never leave a half-created site behind. Errors name the file and
the field.
"""

from __future__ import annotations

import dataclasses
import re
import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from cms.core.languages import COMMON_LANGUAGE, LANGUAGE_CODES, fallback_chain

SHARED_FILES = {"sectors.toml", "sections.toml", "legal.toml"}
#: What the legal pages' texts may name: the site's partner organisation and contact.
LEGAL_PLACEHOLDERS = frozenset({"partner", "city", "contact", "email", "website"})
HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)
SLUG = re.compile(r"^[-a-z0-9]+$")
CODE = re.compile(r"^[A-Z]{2,3}$")


class SiteFileError(ValueError):
    """A site file is malformed; the message names the file and the field."""

    def __init__(self, path: Path, field_name: str, message: str):
        self.path, self.field_name = path, field_name
        super().__init__(f"{path.name}: {field_name}: {message}")


Translations = dict[str, str]


@dataclass(frozen=True)
class PartnerDefinition:
    slug: str
    name: Translations
    short_name: str = ""
    website: str = ""
    city: Translations = field(default_factory=dict)
    lead: bool = False


@dataclass(frozen=True)
class ContactDefinition:
    slug: str
    name: str
    email: str = ""
    phone: str = ""
    role: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class SiteDefinition:
    path: Path
    code: str
    hostname: str
    port: int
    languages: tuple[str, ...]
    default_language: str
    name: Translations
    home_title: Translations
    home_intro: Translations
    is_hub: bool = False
    sort_order: int = 0
    partner: PartnerDefinition | None = None
    contact: ContactDefinition | None = None


@dataclass(frozen=True)
class SectorDefinition:
    slug: str
    name: Translations


@dataclass(frozen=True)
class SectionDefinition:
    path: Path  # sections.toml: named when the database refuses the section page
    key: str
    title: Translations
    slug: Translations


@dataclass(frozen=True)
class LegalPageDefinition:
    """Imprint, privacy or accessibility statement: a standard page on every site.

    ``body`` holds plain-text paragraphs per language, with ``{partner}`` and
    the other ``LEGAL_PLACEHOLDERS`` filled in per site when it is synced.
    """

    path: Path  # legal.toml: named when the database refuses the page
    key: str
    title: Translations
    slug: Translations
    lead: Translations = field(default_factory=dict)
    body: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Network:
    sites: list[SiteDefinition]
    sectors: list[SectorDefinition]
    sections: dict[str, SectionDefinition]
    legal_pages: list[LegalPageDefinition] = field(default_factory=list)


def _require(data: dict, key: str, kind, path: Path, prefix: str = ""):
    name = f"{prefix}{key}"
    if key not in data:
        raise SiteFileError(path, name, "is required")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SiteFileError(path, name, f"must be {getattr(kind, '__name__', kind)}")
    return value


def _translations(
    data: dict, key: str, path: Path, *, required: bool, prefix: str = ""
) -> Translations:
    name = f"{prefix}{key}"
    value = data.get(key)
    if value is None:
        if required:
            raise SiteFileError(path, name, "is required")
        return {}
    if not isinstance(value, dict):
        raise SiteFileError(path, name, "must be a table of language code = text")
    for code, text in value.items():
        if code not in LANGUAGE_CODES:
            raise SiteFileError(
                path, f"{name}.{code}", f"unknown language (known: {', '.join(LANGUAGE_CODES)})"
            )
        if not isinstance(text, str) or not text.strip():
            raise SiteFileError(path, f"{name}.{code}", "must be a non-empty string")
    if required and COMMON_LANGUAGE not in value:
        raise SiteFileError(path, f"{name}.{COMMON_LANGUAGE}", "the common language is required")
    return dict(value)


def _slug(data: dict, key: str, path: Path, prefix: str) -> str:
    value = _require(data, key, str, path, prefix)
    if not SLUG.match(value):
        raise SiteFileError(path, f"{prefix}{key}", f"{value!r} is not a slug (a-z, 0-9, -)")
    return value


def _only_keys(data: dict, known: set[str], path: Path, prefix: str = "") -> None:
    """Refuse a key the files do not define: a misspelt ``websit`` was read as no website
    at all, and the sync then emptied the one stored."""
    unknown = sorted(set(data) - known)
    if unknown:
        raise SiteFileError(
            path, f"{prefix}{unknown[0]}", f"unknown key (known here: {', '.join(sorted(known))})"
        )


SITE_KEYS = {
    "code", "hostname", "port", "languages", "default_language", "home", "sort_order",
    "is_hub", "name", "partner", "contact",
}  # fmt: skip


def _load_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise SiteFileError(path, "(syntax)", str(error)) from error
    except UnicodeDecodeError as error:  # TOML is UTF-8
        raise SiteFileError(path, "(file)", f"not UTF-8 text ({error})") from error
    except OSError as error:
        raise SiteFileError(path, "(file)", str(error)) from error


def parse_site_file(path: Path) -> SiteDefinition:
    data = _load_toml(path)
    _only_keys(data, SITE_KEYS, path)
    code = _require(data, "code", str, path)
    if not CODE.match(code):
        raise SiteFileError(path, "code", f"{code!r} must be 2–3 capital letters")
    hostname = _require(data, "hostname", str, path).lower()
    if not HOSTNAME.match(hostname):
        raise SiteFileError(path, "hostname", f"{hostname!r} is not a valid hostname")
    port = data.get("port", 80)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise SiteFileError(path, "port", "must be an integer between 1 and 65535")
    languages = _require(data, "languages", list, path)
    if not languages:
        raise SiteFileError(path, "languages", "must list at least one language")
    for code_ in languages:
        if code_ not in LANGUAGE_CODES:
            raise SiteFileError(
                path,
                "languages",
                f"unknown language {code_!r} (known: {', '.join(LANGUAGE_CODES)})",
            )
    if len(set(languages)) != len(languages):
        raise SiteFileError(path, "languages", "lists a language twice")
    default_language = _require(data, "default_language", str, path)
    if default_language not in languages:
        raise SiteFileError(path, "default_language", f"{default_language!r} is not in languages")
    home = data.get("home", {})
    if not isinstance(home, dict):
        raise SiteFileError(path, "home", "must be a table")
    _only_keys(home, {"title", "intro"}, path, "home.")
    sort_order = data.get("sort_order", 0)
    if not isinstance(sort_order, int) or isinstance(sort_order, bool):
        raise SiteFileError(path, "sort_order", "must be an integer")
    is_hub = data.get("is_hub", False)
    if not isinstance(is_hub, bool):
        raise SiteFileError(path, "is_hub", "must be true or false")
    return SiteDefinition(
        path=path,
        code=code,
        hostname=hostname,
        port=port,
        languages=tuple(languages),
        default_language=default_language,
        name=_translations(data, "name", path, required=True),
        home_title=_translations(home, "title", path, required=True, prefix="home."),
        home_intro=_translations(home, "intro", path, required=False, prefix="home."),
        is_hub=is_hub,
        sort_order=sort_order,
        partner=_parse_partner(data.get("partner"), path),
        contact=_parse_contact(data.get("contact"), path),
    )


def _parse_partner(data, path: Path) -> PartnerDefinition | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise SiteFileError(path, "partner", "must be a table")
    _only_keys(data, {"slug", "name", "short_name", "website", "city", "lead"}, path, "partner.")
    lead = data.get("lead", False)
    if not isinstance(lead, bool):
        raise SiteFileError(path, "partner.lead", "must be true or false")
    website = data.get("website", "")
    if website and not re.match(r"^https?://", website):
        raise SiteFileError(path, "partner.website", "must start with http:// or https://")
    return PartnerDefinition(
        slug=_slug(data, "slug", path, "partner."),
        name=_translations(data, "name", path, required=True, prefix="partner."),
        short_name=str(data.get("short_name", "")),
        website=website,
        city=_translations(data, "city", path, required=False, prefix="partner."),
        lead=lead,
    )


def _parse_contact(data, path: Path) -> ContactDefinition | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise SiteFileError(path, "contact", "must be a table")
    _only_keys(data, {"slug", "name", "email", "phone", "role"}, path, "contact.")
    email = str(data.get("email", ""))
    if email and "@" not in email:
        raise SiteFileError(path, "contact.email", f"{email!r} is not an email address")
    return ContactDefinition(
        slug=_slug(data, "slug", path, "contact."),
        name=_require(data, "name", str, path, "contact."),
        email=email,
        phone=str(data.get("phone", "")),
        role=_translations(data, "role", path, required=False, prefix="contact."),
    )


def parse_sectors(path: Path) -> list[SectorDefinition]:
    data = _load_toml(path)
    _only_keys(data, {"sector"}, path)
    entries = _require(data, "sector", list, path)
    from cms.core.models import Sector

    sectors = []
    for position, entry in enumerate(entries):
        prefix = f"sector[{position}]."
        if not isinstance(entry, dict):
            raise SiteFileError(path, prefix[:-1], "must be a table")
        _only_keys(entry, {"slug", "name"}, path, prefix)
        sector = SectorDefinition(
            slug=_slug(entry, "slug", path, prefix),
            name=_translations(entry, "name", path, required=True, prefix=prefix),
        )
        earlier = [other.slug for other in sectors]
        if sector.slug in earlier:  # its identity: the second was written over the first
            where = f"sector[{earlier.index(sector.slug)}]"
            raise SiteFileError(path, f"{prefix}slug", f"{sector.slug!r} is also {where}'s")
        fitting(path, Sector, prefix, sector, ("slug", "name"))
        sectors.append(sector)
    return sectors


def parse_sections(path: Path) -> dict[str, SectionDefinition]:
    data = _load_toml(path)
    sections = {}
    for key in ("news", "events", "clusters"):
        entry = _require(data, key, dict, path)
        slugs = _translations(entry, "slug", path, required=True, prefix=f"{key}.")
        for code, slug in slugs.items():
            if not SLUG.match(slug):
                raise SiteFileError(path, f"{key}.slug.{code}", f"{slug!r} is not a slug")
        sections[key] = SectionDefinition(
            path=path,
            key=key,
            title=_translations(entry, "title", path, required=True, prefix=f"{key}."),
            slug=slugs,
        )
    return sections


def _check_placeholders(text: str, path: Path, name: str) -> None:
    try:
        fields = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError as error:
        raise SiteFileError(path, name, f"has a stray brace: {error}") from error
    unknown = fields - LEGAL_PLACEHOLDERS
    if unknown:
        known = ", ".join(f"{{{p}}}" for p in sorted(LEGAL_PLACEHOLDERS))
        raise SiteFileError(
            path, name, f"unknown placeholder {{{sorted(unknown)[0]}}} (known: {known})"
        )


def _paragraphs(data: dict, path: Path, prefix: str) -> dict[str, tuple[str, ...]]:
    value = data.get("body", {})
    if not isinstance(value, dict):
        raise SiteFileError(
            path, f"{prefix}body", "must be a table of language code = [paragraphs]"
        )
    body = {}
    for code, paragraphs in value.items():
        name = f"{prefix}body.{code}"
        if code not in LANGUAGE_CODES:
            raise SiteFileError(
                path, name, f"unknown language (known: {', '.join(LANGUAGE_CODES)})"
            )
        if not isinstance(paragraphs, list) or not all(
            isinstance(p, str) and p.strip() for p in paragraphs
        ):
            raise SiteFileError(path, name, "must be a list of non-empty strings")
        for position, paragraph in enumerate(paragraphs):
            _check_placeholders(paragraph, path, f"{name}[{position}]")
        body[code] = tuple(paragraphs)
    return body


def parse_legal_pages(path: Path) -> list[LegalPageDefinition]:
    """The pages of ``legal.toml``, in file order; a missing file means none."""
    if not path.exists():
        return []
    data = _load_toml(path)
    pages = []
    for key, entry in data.items():
        if not isinstance(entry, dict):
            raise SiteFileError(path, key, "must be a table")
        if not SLUG.match(key):
            raise SiteFileError(path, key, f"{key!r} is not a slug (a-z, 0-9, -)")
        prefix = f"{key}."
        slugs = _translations(entry, "slug", path, required=True, prefix=prefix)
        for code, slug in slugs.items():
            if not SLUG.match(slug):
                raise SiteFileError(path, f"{prefix}slug.{code}", f"{slug!r} is not a slug")
        lead = _translations(entry, "lead", path, required=False, prefix=prefix)
        for code, text in lead.items():
            _check_placeholders(text, path, f"{prefix}lead.{code}")
        pages.append(
            LegalPageDefinition(
                path=path,
                key=key,
                title=_translations(entry, "title", path, required=True, prefix=prefix),
                slug=slugs,
                lead=lead,
                body=_paragraphs(entry, path, prefix),
            )
        )
    return pages


def load_network(directory: Path, *, port: int | None = None) -> Network:
    """Parse and cross-check every file in ``directory``; raise SiteFileError on the first fault.

    ``port``: every site's instead of its file's (``sync_sites --port``: the demo served on
    ``make run PORT=8101``, whose links from one site to another must carry that port)."""
    if not directory.is_dir():
        problem = "is not a directory" if directory.exists() else "does not exist"
        raise SiteFileError(directory, "(directory)", problem)
    sites = [
        parse_site_file(path)
        for path in sorted(directory.glob("*.toml"))
        if path.name not in SHARED_FILES
    ]
    if not sites:
        raise SiteFileError(directory, "(directory)", "holds no site files")
    if port is not None:
        sites = [dataclasses.replace(site, port=port) for site in sites]
    seen_codes: dict[str, Path] = {}
    seen_hosts: dict[tuple[str, int], Path] = {}
    for site in sites:
        if site.code in seen_codes:
            raise SiteFileError(
                site.path, "code", f"{site.code!r} is also used by {seen_codes[site.code].name}"
            )
        seen_codes[site.code] = site.path
        host = (site.hostname, site.port)
        if host in seen_hosts:
            raise SiteFileError(
                site.path, "hostname", f"{site.hostname!r} is also used by {seen_hosts[host].name}"
            )
        seen_hosts[host] = site.path
    _check_one_hub(sites)
    network = Network(
        sites=sites,
        sectors=parse_sectors(directory / "sectors.toml"),
        sections=parse_sections(directory / "sections.toml"),
        legal_pages=parse_legal_pages(directory / "legal.toml"),
    )
    _check_sibling_slugs(network)
    _check_snippet_slugs(network)
    _check_lengths(network)
    return network


def _check_snippet_slugs(network: Network) -> None:
    """A partner's or contact's slug is its identity in the database: used by two files,
    one country's was written over by the other's on every sync, back and forth."""
    for kind in ("partner", "contact"):
        seen: dict[str, Path] = {}
        for site in network.sites:
            found = getattr(site, kind)
            if found is None:
                continue
            if found.slug in seen:
                raise SiteFileError(
                    site.path,
                    f"{kind}.slug",
                    f"{found.slug!r} is also used by {seen[found.slug].name}",
                )
            seen[found.slug] = site.path


def _check_lengths(network: Network) -> None:
    """Partners' and contacts' texts no longer than the database keeps (``fitting``)."""
    from cms.partners.models import ContactPerson, PartnerOrganisation

    for site in network.sites:
        if (partner := site.partner) is not None:
            names = ("slug", "name", "short_name", "website", "city")
            fitting(site.path, PartnerOrganisation, "partner.", partner, names)
        if (contact := site.contact) is not None:
            names = ("slug", "name", "email", "phone", "role")
            fitting(site.path, ContactPerson, "contact.", contact, names)


def fitting(path: Path, model, prefix: str, definition, names: tuple[str, ...]) -> None:
    """Refuse a text of ``definition`` longer than ``model``'s field of its name keeps:
    SQLite stored it, and the object could no longer be saved in the admin; PostgreSQL
    refused the sync halfway."""
    for name in names:
        value = getattr(definition, name)
        texts = value.items() if isinstance(value, dict) else [(None, value)]
        limit = model._meta.get_field(name).max_length
        for language, text in texts:
            if limit and len(text) > limit:
                where = f"{prefix}{name}" + (f".{language}" if language else "")
                raise SiteFileError(path, where, f"longer than {limit} characters ({len(text)})")


def _check_one_hub(sites: list[SiteDefinition]) -> None:
    """The hub shows every country's content, so a second one (a country file given
    ``is_hub = true``) would publish the whole network under that country's address."""
    hubs = [site for site in sites if site.is_hub]
    if len(hubs) > 1:
        raise SiteFileError(
            hubs[1].path,
            "is_hub",
            f"{hubs[0].path.name} declares the hub too; the network has one",
        )


def _check_sibling_slugs(network: Network) -> None:
    """The sections and legal pages are siblings below each home page, so no two may share
    a slug in any language, or Wagtail refuses the second in the middle of the sync.

    A page stores its slug in the site's languages and the common language; every other
    language falls back (``fallback_chain``), as Wagtail's check of the slugs does, so a
    clash through a fallback is named by the field it falls back to.
    """
    pages = [(section.path, section.key, section.slug) for section in network.sections.values()]
    pages += [(page.path, page.key, page.slug) for page in network.legal_pages]
    for site in network.sites:
        stored = (*site.languages, COMMON_LANGUAGE)
        for language in LANGUAGE_CODES:
            taken: dict[str, str] = {}
            for path, key, slugs in pages:
                source = next(
                    code for code in fallback_chain(language) if code in stored and code in slugs
                )
                slug, field_name = slugs[source], f"{key}.slug.{source}"
                if slug in taken:
                    raise SiteFileError(
                        path,
                        field_name,
                        f"{slug!r} is also the slug of {taken[slug]}: both are pages below "
                        f"the home page of {site.path.name} (in {language})",
                    )
                taken[slug] = f"{path.name}: {key}"
