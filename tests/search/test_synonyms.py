"""Editors' synonyms and abbreviations per language: the query gets them, below its own words.

Runs on the configured database (SQLite; PostgreSQL with ``DATABASE_URL``) and, through
the service, on the configured backend.
"""

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags

from cms.core.languages import LANGUAGE_CODES
from cms.search import synonyms
from cms.search.expansion import build_query
from cms.search.models import SynonymGroup
from cms.search.service import SearchRequest, search
from tests.factories import country_user, network_admin, news_page
from tests.search.conftest import settle


def added(text: str, language: str) -> dict[str, tuple[float, str]]:
    """The query's terms beyond the visitor's own: token -> (weight, origin)."""
    return {
        term.token: (term.weight, term.origin)
        for term in build_query(text, language).terms
        if not term.exact
    }


def titles(query: str, language: str) -> list[str]:
    settle()
    hits = search(SearchRequest(query=query, language=language)).hits
    return [strip_tags(str(hit.title)) for hit in hits]


# What the query gets


def test_an_abbreviation_adds_its_expansions_as_weaker_synonym_terms(db):
    query = build_query("ICT", "en")
    assert [(t.token, t.weight, t.origin) for t in query.terms if t.exact] == [
        ("ict", 1.0, "exact")
    ]
    extra = added("ICT", "en")
    assert "inform technolog" in extra  # "information technology", as a phrase
    assert not {"inform", "technolog"} & set(extra)  # never a word of it alone
    assert all(origin == "synonym" for weight, origin in extra.values())
    assert {weight for weight, _ in extra.values()} == {synonyms.WEIGHT}


def test_an_inflected_phrase_is_recognised_by_its_analysed_words(db):
    # "informačních technologií" is the seeded "informační technologie" in the genitive.
    assert {"it", "ict", "ikt"} <= set(added("informačních technologií", "cs"))
    assert {"it", "ict"} <= set(added("informacni technologie", "cs"))  # typed without accents


def test_a_member_of_several_words_is_added_as_a_phrase_per_language(db):
    terms = [term for term in build_query("informatica", "it").terms if not term.exact]
    phrases = {term.phrase for term in terms if len(term.phrase) > 1}
    # "tecnologie dell'informazione e della comunicazione" in Italian, and in English
    # (the fallback), which keeps "dell" and "della".
    assert ("tecnolog", "inform", "comun") in phrases
    assert ("tecnologi", "dell", "informazion", "della", "comunicazion") in phrases
    single = {term.token for term in terms if len(term.phrase) == 1}
    assert {"it", "ict", "tic"} <= single
    assert not {"tecnolog", "inform", "comun", "comunicazion", "della"} & single
    assert all(term.first_tier and term.weight == synonyms.WEIGHT for term in terms)


def test_a_phrase_synonym_finds_its_words_together_and_never_one_alone(db, country):
    italy = country("IT")
    together = news_page(
        italy,
        title={"en": "Zorblax together", "it": "Zorblax insieme"},
        lead={"en": "Lead.", "it": "Tecnologie dell'informazione e della comunicazione a Milano."},
    )
    apart = news_page(
        italy,
        title={"en": "Zorblax apart", "it": "Zorblax separati"},
        lead={"en": "Lead.", "it": "La comunicazione del turismo e le nuove tecnologie."},
    )
    for page in (together, apart):
        page.save_revision().publish()
    settle()
    hits = search(SearchRequest(query="TIC", language="it")).hits
    found = [strip_tags(str(hit.title)) for hit in hits]
    assert "Zorblax insieme" in found
    assert "Zorblax separati" not in found
    # The phrase's words are marked where it was found.
    snippet = str(next(hit.snippet for hit in hits if "insieme" in str(hit.title)))
    assert "<mark>Tecnologie</mark>" in snippet
    assert "<mark>comunicazione</mark>" in snippet


def test_a_german_phrase_with_a_compound_first_finds_its_text(db, country):
    """Documents follow a German compound with its parts ("kreislaufwirtschaft kreislauf
    wirtschaft plattform"): the member's phrase is analysed so, or it never matched."""
    SynonymGroup.objects.create(language="de", terms="KWP, Kreislaufwirtschaft Plattform")
    page = news_page(
        country("AT"),
        title={"en": "Zorblax circular", "de": "Zorblax Kreislauf"},
        lead={"en": "Lead.", "de": "Die Kreislaufwirtschaft Plattform trifft sich in Graz."},
    )
    page.save_revision().publish()
    settle()
    found = [strip_tags(str(hit.title)) for hit in search(SearchRequest("KWP", "de")).hits]
    assert "Zorblax Kreislauf" in found


def test_the_reviewers_queries_find_no_page_for_one_word_of_a_phrase(db):
    # "comunicazione" alone (a tourism news item), "podjetja" alone (the imprint).
    assert "Forum di scambio per i cluster del turismo" not in titles("informatica", "it")
    assert "Impresum" not in titles("MSP", "sl")


def test_an_abbreviation_is_not_found_in_e_mail_addresses(db):
    # The legal pages give it@clustercord.eu: a mailbox, not the abbreviation "IT".
    found = titles("IT", "it")
    assert any(title.startswith("Distretto tecnologico lombardo") for title in found)
    assert not {"Note legali", "Privacy", "Dichiarazione di accessibilità"} & set(found)


def test_a_phrase_needs_all_its_words_in_order(db):
    # "technologie" alone is not "informační technologie".
    assert "ict" not in added("technologie", "cs")
    assert "ict" not in added("technologie informační", "cs")


def test_an_abbreviation_analysis_drops_is_matched_as_written_in_capitals(db):
    # English "IT" is a stopword and "R&D" two one-letter words: both are matched as typed.
    assert {"ict", "inform technolog"} <= set(added("IT cluster", "en"))
    assert "research develop" in added("R&D projects", "en")
    assert "ict" not in added("is it a cluster", "en")  # the pronoun is not the abbreviation


def test_each_language_has_its_own_lists(db):
    assert "oze" in added("obnovitelné zdroje energie", "cs")
    assert "oze" not in added("erneuerbare Energien", "de")
    assert "forschung entwickl" in added("F&E", "de")


def test_every_language_is_seeded_with_valid_groups(db):
    for language in LANGUAGE_CODES:
        groups = SynonymGroup.objects.filter(language=language)
        assert groups.count() >= 5, language
        for group in groups:
            group.full_clean()
    for language in LANGUAGE_CODES:
        assert any(
            "EU" in group.phrases or "EÚ" in group.phrases or "UE" in group.phrases
            for group in SynonymGroup.objects.filter(language=language)
        ), language


def test_expansion_is_capped(db):
    for prefix in ("aa", "bb", "cc"):  # three groups of 11 more words each
        others = ", ".join(f"{prefix}word{number}" for number in range(11))
        SynonymGroup.objects.create(language="en", terms=f"zzword, {others}")
    assert len(added("zzword", "en")) == synonyms.MAX_TERMS < 33


# Searching with them


def test_a_synonym_finds_what_the_visitors_word_does_not(db):
    found = titles("ICT", "en")
    assert "Lombardy Information Technology District" in found
    assert "Bratislava Information Technology Cluster" in found


def test_a_czech_phrase_finds_the_it_cluster(db):
    assert "IT klastr Ústí" in titles("informační technologie", "cs")


def test_an_editors_new_group_applies_at_the_next_search_and_goes_with_it(db):
    assert "Upper Austrian Mechatronics Cluster" not in titles("zorblax", "en")
    group = SynonymGroup.objects.create(language="en", terms="zorblax, mechatronics")
    assert "Upper Austrian Mechatronics Cluster" in titles("zorblax", "en")
    group.terms = "zorblax, quibbleflux"
    group.save()
    assert "Upper Austrian Mechatronics Cluster" not in titles("zorblax", "en")
    group.terms = "zorblax, mechatronics"
    group.save()
    assert "Upper Austrian Mechatronics Cluster" in titles("zorblax", "en")
    group.delete()
    assert "Upper Austrian Mechatronics Cluster" not in titles("zorblax", "en")


def test_the_lists_are_read_once_and_then_checked_with_one_query(db, django_assert_num_queries):
    synonyms.synonym_terms("ICT", "en", [])
    with django_assert_num_queries(1):  # the fingerprint; the groups come from memory
        assert synonyms.synonym_terms("ICT", "en", [])


def test_the_cache_needs_no_django_cache(db, settings):
    """The shared cache may be down (django-redis ignores its errors): nothing here uses it."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    SynonymGroup.objects.create(language="en", terms="quokka, wallaby")
    assert "wallabi" in added("quokka", "en")


# The model


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("ICT", "at least two"),
        (", ,\n", "at least two"),
        ("IT, ICT, &&&", "no letters"),
        ("IT, " + "x" * 81, "longer than"),
        (", ".join(f"w{n}" for n in range(13)), "at most"),
    ],
)
def test_a_group_names_what_is_wrong_with_it(db, terms, message):
    with pytest.raises(ValidationError) as error:
        SynonymGroup(language="en", terms=terms).full_clean()
    assert message in str(error.value.message_dict["terms"])


def test_members_are_split_on_commas_semicolons_and_lines_each_once(db):
    group = SynonymGroup(language="cs", terms="IT; ICT\n informační  technologie,ict,")
    assert group.phrases == ["IT", "ICT", "informační technologie"]


# Who keeps them


LIST_URL = "/admin/snippets/sitesearch/synonymgroup/"


def group_of(language: str) -> SynonymGroup:
    return SynonymGroup.objects.filter(language=language).first()


def test_moderators_see_and_edit_only_their_languages(client, db):
    client.force_login(country_user("CZ", "moderators"))
    listing = client.get(LIST_URL)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "informační technologie" in html
    assert "Informationstechnik" not in html
    czech, german = group_of("cs"), group_of("de")
    assert client.get(f"{LIST_URL}edit/{czech.pk}/").status_code == 200
    assert client.get(f"{LIST_URL}edit/{german.pk}/").status_code == 404
    assert client.post(f"{LIST_URL}delete/{german.pk}/").status_code == 404
    assert SynonymGroup.objects.filter(pk=german.pk).exists()


def test_a_moderator_adds_a_group_in_their_language_only(client, db):
    client.force_login(country_user("CZ", "moderators"))
    form = client.get(f"{LIST_URL}add/").content.decode()
    assert 'value="cs"' in form and 'value="de"' not in form and 'value="en"' not in form
    response = client.post(f"{LIST_URL}add/", {"language": "de", "terms": "Kfz, Auto"})
    assert response.status_code == 200  # the form again, with the error
    assert not SynonymGroup.objects.filter(terms="Kfz, Auto").exists()
    response = client.post(f"{LIST_URL}add/", {"language": "cs", "terms": "auto, automobil"})
    assert response.status_code == 302
    assert SynonymGroup.objects.get(terms="auto, automobil").language == "cs"


def test_german_lists_are_kept_by_germany_and_austria(client, db):
    german = group_of("de")
    for code in ("DE", "AT"):
        client.force_login(country_user(code, "moderators"))
        assert client.get(f"{LIST_URL}edit/{german.pk}/").status_code == 200, code


def test_editors_who_only_draft_cannot_touch_the_lists(client, db):
    client.force_login(country_user("CZ", "editors"))
    assert client.get(LIST_URL).status_code == 302  # permission denied: back to the dashboard
    assert client.get(f"{LIST_URL}edit/{group_of('cs').pk}/").status_code in (302, 404)
    assert client.post(f"{LIST_URL}add/", {"language": "cs", "terms": "a1, b1"}).status_code == 302
    assert not SynonymGroup.objects.filter(terms="a1, b1").exists()
    assert "sitesearch/synonymgroup" not in client.get("/admin/").content.decode()


def test_network_administrators_keep_every_language(client, db):
    client.force_login(network_admin())
    html = client.get(LIST_URL).content.decode()
    assert "informační technologie" in html and "Informationstechnik" in html
    assert client.get(f"{LIST_URL}edit/{group_of('en').pk}/").status_code == 200


@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("MSP", "sl", "Študijsko potovanje v Italijo"),  # its body: "mala in srednje velika"
        ("alimentare", "it", "Cluster agroalimentare del Veneto"),
        ("živila", "sl", "Primorski živilski grozd"),
    ],
)
def test_the_seed_finds_what_the_visitor_review_missed(db, query, language, expected):
    """Migration 0010: the demo's own words for these, which the first seed lacked."""
    settle()
    hits = search(SearchRequest(query=query, language=language)).hits
    shown = [strip_tags(f"{hit.title} {hit.snippet}") for hit in hits]
    assert any(expected in text for text in shown), shown
