"""The search benchmark's content: items and queries made up from the project's own texts.

Deterministic for a seed: ``cms.bench.search`` writes the items, indexes them and
sends the queries (see its docstring). The texts come from the shared judged
corpus and the seed site files, a word model per language over them.
"""

from __future__ import annotations

import json
import random
import re
from bisect import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

from django.conf import settings
from django.utils.html import strip_tags

from cms.core.languages import LANGUAGE_CODES
from cms.search.analysis import fold
from cms.search.models import SearchDocument
from cms.search.service import SearchRequest, query_tokens

DEFAULT_CORPUS = settings.BASE_DIR.parent / "shared" / "search-relevance" / "docs.jsonl"
SEED_DIR = settings.BASE_DIR / "sites" / "seed"

#: The network's seven partner countries: code, name, languages (own first).
COUNTRIES = {
    "CZ": ("Czech Republic", ["cs", "en"]),
    "DE": ("Germany", ["de", "en"]),
    "IT": ("Italy", ["it", "en"]),
    "PL": ("Poland", ["pl", "en"]),
    "AT": ("Austria", ["de", "en"]),
    "SK": ("Slovakia", ["sk", "en"]),
    "SI": ("Slovenia", ["sl", "en"]),
}
SECTORS = {
    "food": "Food",
    "energy-environment": "Energy & environment",
    "tourism": "Tourism",
    "ict": "ICT",
    "manufacturing": "Manufacturing technologies",
}
#: Where an item in a language is published: English anywhere, the others at home.
COUNTRIES_OF = {
    language: [code for code, (_, languages) in COUNTRIES.items() if languages[0] == language]
    or list(COUNTRIES)
    for language in LANGUAGE_CODES
}

WORD = re.compile(r"\w+", re.UNICODE)
SENTENCE_END = re.compile(r"[.!?;:]\s+|\n+")
#: The mix of query types, cycled through: 20 % one word, 30 % two words,
#: 30 % with filters, 20 % page 3.
QUERY_MIX = ("word", "two", "filter", "word", "two", "filter", "page3", "two", "filter", "page3")
WARMUP_QUERIES = 5


class BenchmarkError(RuntimeError):
    pass


# --- vocabulary and text generation ---------------------------------------------------------


def seeded(seed: int) -> random.Random:
    """The benchmark's generator: reproducible data, nothing to do with security."""
    return random.Random(seed)  # noqa: S311


def language_texts(corpus: Path = DEFAULT_CORPUS, seed_dir: Path = SEED_DIR):
    """Texts per language, and (city, region) pairs per language, from the project's data."""
    texts: dict[str, list[str]] = defaultdict(list)
    places: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if corpus.exists():
        for line in corpus.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts[row["lang"]] += [row["title"], row["body"]]

    def walk(value):
        if isinstance(value, dict):
            if value and set(value) <= set(LANGUAGE_CODES):
                for language, text in value.items():
                    parts = text if isinstance(text, list) else [text]
                    texts[language] += [strip_tags(p) for p in parts if isinstance(p, str)]
                return
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted(seed_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        walk(data)
        for cluster in data.get("clusters", []):
            for language, city in (cluster.get("city") or {}).items():
                region = (cluster.get("region") or {}).get(language, "")
                places[language].append((city, region))
    missing = [code for code in LANGUAGE_CODES if not texts.get(code)]
    if missing:
        raise BenchmarkError(f"no source text for language(s) {', '.join(missing)}")
    for code in LANGUAGE_CODES:
        places[code] = places.get(code) or places["en"]
    return texts, places


LEXICON_SIZE = 20_000
LEXICON_SHARE = 0.35


def lexicon(language: str, size: int = LEXICON_SIZE, seed: int = 0) -> list[str]:
    """``size`` real inflected word forms of ``language`` from simplemma's tables, in a
    seeded random order (the order is the word's frequency rank in generated text).

    The project's own texts hold only a few hundred distinct words per language: text
    made of them alone would give every word a posting list as long as the corpus.
    """
    try:
        from simplemma.strategies.dictionaries import DefaultDictionaryFactory

        # A factory of its own, not simplemma's shared one: the table goes with it.
        table = DefaultDictionaryFactory(cache_max_size=1).get_dictionary(language)
    except (ImportError, OSError, ValueError):  # another simplemma: project texts only
        return []
    forms = sorted(
        form for form in table if 4 <= len(form) <= 16 and form.isalpha() and form.islower()
    )
    del table
    rng = seeded(seed)
    chosen = rng.sample(forms, min(size, len(forms)))
    return chosen


class TextModel:
    """A first-order word chain over one language's real sentences, plus a lexicon.

    Generated text keeps the real inflected forms and most of the phrase
    structure of the project's texts; one word in four is drawn from their
    whole vocabulary (frequency-weighted) so the text does not just replay the
    sources, and about one word in three is a form from the language's lexicon
    drawn with Zipf's law (rank r has weight 1/r), which gives the index a
    realistic long tail of rare words.
    """

    def __init__(self, texts: list[str], lexicon_words: list[str] = ()):
        self.starts: list[str] = []
        self.words: list[str] = []
        self.following: dict[str, list[str]] = defaultdict(list)
        self.bigrams: list[tuple[str, str]] = []
        for text in texts:
            for sentence in SENTENCE_END.split(text):
                words = WORD.findall(sentence)
                if not words:
                    continue
                self.starts.append(words[0])
                self.words += words
                for first, second in zip(words, words[1:], strict=False):
                    self.following[first].append(second)
                    if len(first) > 3 and len(second) > 3:
                        self.bigrams.append((first, second))
        self.vocabulary = sorted({w for w in self.words if len(w) > 3 and not w.isdigit()})
        self.lexicon = list(lexicon_words)
        self.zipf = list(accumulate(1 / rank for rank in range(1, len(self.lexicon) + 1)))

    def lexicon_word(self, rng: random.Random) -> str:
        return self.lexicon[bisect(self.zipf, rng.random() * self.zipf[-1])]

    def sample_words(self, rng: random.Random, count: int) -> list[str]:
        word = rng.choice(self.starts)
        out = [word]
        while len(out) < count:
            successors = self.following.get(word)
            if self.lexicon and rng.random() < LEXICON_SHARE:
                word = self.lexicon_word(rng)
            elif not successors or rng.random() < 0.25:
                word = rng.choice(self.words)
            else:
                word = rng.choice(successors)
            out.append(word)
        return out

    def title(self, rng: random.Random, low: int, high: int) -> str:
        words = self.sample_words(rng, rng.randint(low, high))
        return " ".join(words)[:1].upper() + " ".join(words)[1:]

    def paragraph(self, rng: random.Random, low: int, high: int) -> str:
        target = rng.randint(low, high)
        sentences, total = [], 0
        while total < target:
            length = min(rng.randint(8, 20), target - total)
            words = self.sample_words(rng, max(length, 1))
            sentence = " ".join(words)
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            total += len(words)
        return " ".join(sentences)


@dataclass(slots=True)
class Item:
    kind: str
    object_id: int
    language: str
    country: str
    sectors: list[str]
    date: date | None
    title: str
    texts: list[str]  # body parts: lead + body, or description + city + region
    display_text: str
    analysed_title: str = ""
    analysed_body: str = ""


def generate_items(count: int, seed: int, models: dict, places: dict) -> list[Item]:
    """``count`` items, half news and half cluster profiles, the same for the same seed."""
    rng = seeded(seed)
    first_day, days = date(2009, 1, 1), (date(2025, 12, 31) - date(2009, 1, 1)).days
    slugs = list(SECTORS)
    items = []
    for number in range(count):
        language = rng.choice(LANGUAGE_CODES)
        model = models[language]
        country = rng.choice(COUNTRIES_OF[language])
        if number % 2 == 0:
            lead = model.paragraph(rng, 20, 40)
            items.append(
                Item(
                    kind=SearchDocument.Kind.NEWS,
                    object_id=number // 2 + 1,
                    language=language,
                    country=country,
                    sectors=rng.sample(slugs, rng.choice((1, 1, 1, 2, 2, 3, 5))),
                    date=first_day + timedelta(days=rng.randrange(days)),
                    title=model.title(rng, 6, 12),
                    texts=[lead, model.paragraph(rng, 120, 300)],
                    display_text=lead,
                )
            )
        else:
            description = model.paragraph(rng, 40, 120)
            city, region = rng.choice(places[language])
            items.append(
                Item(
                    kind=SearchDocument.Kind.CLUSTER,
                    object_id=number // 2 + 1,
                    language=language,
                    country=country,
                    sectors=rng.sample(slugs, rng.choice((1, 1, 2))),
                    date=None,
                    title=model.title(rng, 3, 6),
                    texts=[description, city, region],
                    display_text=description,
                )
            )
    return items


@dataclass(frozen=True)
class Query:
    category: str
    request: SearchRequest


def generate_queries(count: int, seed: int, models: dict) -> list[Query]:
    """A deterministic mix of one- and two-word queries, filters and page 3."""
    rng = seeded(seed)
    queries = []
    while len(queries) < count:
        category = QUERY_MIX[len(queries) % len(QUERY_MIX)]
        language = rng.choice(LANGUAGE_CODES)
        model = models[language]
        if category == "word" or (category != "two" and rng.random() < 0.5):
            # Single words: a third common terms of the texts (by frequency), a third any of
            # their words (by type), a third from the lexicon (by the generated frequency).
            draw = rng.random()
            if draw < 1 / 3:
                text = rng.choice(model.words)
            elif draw < 2 / 3 or not model.lexicon:
                text = rng.choice(model.vocabulary)
            else:
                text = model.lexicon_word(rng)
        else:
            first, second = rng.choice(model.bigrams)
            text = f"{first} {second}"
        if rng.random() < 0.5:
            text = text.lower()
        if rng.random() < 0.3:
            text = fold(text)  # typed without diacritics
        if not query_tokens(text, language):
            continue  # only stopwords: the service would refuse it
        options: dict = {}
        if category == "filter" or (category == "page3" and rng.random() < 0.5):
            which = rng.choice(("country", "sector", "type", "all"))
            if which in ("country", "all"):
                options["countries"] = (rng.choice(COUNTRIES_OF[language]),)
            if which in ("sector", "all"):
                options["sectors"] = (rng.choice(list(SECTORS)),)
            if which in ("type", "all"):
                options["kinds"] = (rng.choice(("news", "cluster")),)
        page = 3 if category == "page3" else 1
        queries.append(
            Query(category, SearchRequest(query=text, language=language, page=page, **options))
        )
    return queries


def generate_prefixes(count: int, seed: int, items: list[Item]) -> list[tuple[str, str, tuple]]:
    """(prefix, language, countries) typed into the search box: 2-6 letters of a title word."""
    rng = seeded(seed)
    out = []
    while len(out) < count:
        item = rng.choice(items)
        words = [w for w in WORD.findall(item.title) if len(w) >= 3 and w.isalpha()]
        if not words:
            continue
        word = rng.choice(words[:3])
        prefix = word[: rng.randint(2, min(6, len(word)))]
        countries = (item.country,) if rng.random() < 0.3 else ()
        out.append((prefix, item.language, countries))
    return out
