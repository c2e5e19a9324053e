"""Language-aware text analysis shared by every search backend.

Why this module exists
----------------------
The site is searched through several backends (SQLite FTS5, PostgreSQL
full-text search, OpenSearch).  Their built-in analysers differ and none of
them handles Czech, Slovak, Slovenian and Polish inflection *and* queries typed
without diacritics.  Instead of configuring each backend, we index
*pre-analysed* text: every field is turned into a space-separated string of
plain, lower-case, diacritic-free tokens by :func:`analyse_to_string`, and the
user's query goes through exactly the same function.  The backends then only
need a trivial whitespace/"simple" tokenizer, so ranking differs between them
but matching does not.

The pipeline (per token) is:

1. **Tokenise** on Unicode letters/digits (NFC-normalised; hyphens and
   apostrophes split words, so ``dell'informatica`` -> ``dell`` + ``informatica``).
2. **Stopwords** (small per-language lists of function words, compared on the
   folded form) and one-letter words are dropped.
3. **Lemmatise** by exact dictionary lookup in simplemma's form->lemma tables
   (``potraviny`` -> ``potravina``, ``Miláně`` -> ``Milán``).  Only the
   dictionary is used: simplemma's guessing strategies produce garbage for
   unknown or diacritic-less words (``distancnich`` -> ``distancon``,
   ``podpalitelnejsi`` -> ``podpalitelbýt``).  For the
   Slavic languages a negated form is *not* mapped to its positive lemma
   (simplemma maps ``nealkoholický`` to ``alkoholický``, which would invert
   the meaning of a query).
4. **Fold** to lower-case ASCII-ish text (``ž`` -> ``z``, ``ł`` -> ``l``,
   ``ß`` -> ``ss``).  Characters without a Latin decomposition (Cyrillic,
   Greek, CJK) are kept as lower-case letters.
5. **Stem** the folded lemma: the Snowball stemmers for English, German and
   Italian, and a light inflectional suffix stripper for cs/sk/pl/sl written
   for *folded* text (there is no Snowball stemmer for Slovak or Slovenian, and
   the Czech/Polish ones expect diacritics).

Why lemmatise *and* stem: the lemmatiser only knows correctly spelled forms,
but users often type without diacritics (``kyberneticka bezpecnost``,
``zilinska univerzita``).  Such words miss the dictionary, so they reach the
stemmer as surface forms, while the document side reaches it as a lemma.  The
light stemmer strips case endings from both, so ``kyberneticka`` and
``kybernetický`` (the lemma of ``kybernetickou``) both become ``kybernetick``.
Stemming the lemma rather than the surface form keeps the lemmatiser's gains
(irregular forms such as ``Praze`` -> ``Praha``, ``žien`` -> ``žena``).

German compounds
----------------
German writes compounds as one word (``Kunststofftechnikcluster``), so a visitor
looking for ``Kunststoff`` or ``Technik`` would not find it.  The *index* side
(:func:`analyse_to_string`, what ``cms.search.documents`` stores) therefore
follows each German compound's token with the tokens of its parts, analysed
like words of their own (``kunststofftechnikclust kunststofftechnik kunststoff
kunst stoff technik clust``); the *query* side (:func:`analyse`) does not, and
``cms.search.expansion`` adds a typed compound's parts (:func:`compound_tokens`)
as weaker terms, so a document that has the compound itself ranks first.

The splitter (:func:`compound_parts`) is dictionary-driven, over the German
form table of simplemma, which the lemmatiser has already loaded: no new
dependency, no extra memory, and the same words the lemmatiser knows.  A word
is split into the fewest dictionary words (then the fewest linking letters
``s``/``es``/``n``/``en``/``er``/``e``/``ens``, then the most balanced parts),
and parts of seven letters or more are split again.  The dictionary also
holds names and rare forms (``Chen``, ``Nisse``, ``Ismus``, ``Off``), so the
rules are strict: every part has 4+ letters, the head (last part) is a noun (a
capitalised dictionary entry), a modifier a noun or another word of 5+ letters
(``Solar``); a word the dictionary itself knows (``Technischen``,
``Ergebnisse``) is split only into nouns of 5+ letters each (``Kunststoff`` ->
``Kunst`` + ``Stoff``, ``Wirtschaftsförderung`` -> ``Wirtschafts`` +
``Förderung``; ``Netzwerk`` stays whole); words the dictionary knows only in
lower case (adjectives, verbs), feminine forms (``Mitarbeiterinnen``) and
function words are never split nor parts.  Documents have their capitalised
words split only (German capitalises nouns; lower-case adjectives and
participles give false parts: ``kulturellen`` -> ``Kultur`` + ``Ellen``); a
query's words are split whatever their case, since visitors type lower case.
Each distinct word is split once per process (cached); a cold split costs
about as much as analysing a few dozen words (simplemma's compressed table is
slow to probe: ~30 µs a lookup).
The libraries considered do not fit: ``compound-split``
(CharSplit's n-gram model) is GPL-3.0, unmaintained since 2020 and a 39 MB
Python module to import; ``charsplit-fst`` (the same model in Rust) needs
Python 3.12; ``german-nouns`` is a 20 MB Wiktionary CSV under CC BY-SA,
unmaintained since 2022, that pulls in a Wiktionary parser.  The other
languages searched here (cs, sk, pl, sl, it, en) write compounds as separate
words or hyphenate them (split by the tokeniser already), so only German is
split (:data:`COMPOUND_LANGUAGES`).

Changing anything here changes the tokens: the search index must be rebuilt
(documents and queries must always be analysed by the same version).

The module is deterministic, thread-safe, has no Django dependency, and loads
its heavy data (simplemma dictionaries, ~2-55 MB of RAM per language, ~100 MB
for all seven) lazily, once per process and language (:func:`release_tables`
gives them back).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

__all__ = [
    "COMPOUND_LANGUAGES",
    "SUPPORTED_LANGUAGES",
    "MAX_INPUT_CHARS",
    "MAX_TOKEN_CHARS",
    "analyse",
    "analyse_to_string",
    "compound_parts",
    "compound_tokens",
    "fold",
    "normalise_language",
    "words",
]

#: Language codes accepted by :func:`analyse` (ISO 639-1).
SUPPORTED_LANGUAGES: frozenset[str] = frozenset({"en", "cs", "de", "it", "pl", "sk", "sl"})

#: Languages whose compound words are split into their parts (see "German compounds").
COMPOUND_LANGUAGES: frozenset[str] = frozenset({"de"})

#: Input longer than this is truncated (at a whitespace boundary when one is
#: near).  It bounds the time and memory spent on a single field; ~500k
#: characters is roughly 70k words, far more than any page body.
MAX_INPUT_CHARS = 500_000

#: Longer "words" (URLs, base64, hashes glued together) are dropped: they are
#: never searched for and would only bloat the index.
MAX_TOKEN_CHARS = 64

_SLAVIC = frozenset({"cs", "sk", "pl", "sl"})

# ---------------------------------------------------------------------------
# Tokenising and folding
# ---------------------------------------------------------------------------

# A word is a run of Unicode letters/digits (no underscore) plus any combining
# marks that NFC could not compose.
_TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")

# Letters that NFKD does not decompose into "base letter + mark".
_FOLD_TABLE = str.maketrans(
    dict(
        pair.split(":")
        for pair in "ł:l Ł:L đ:d Đ:D ø:o Ø:O ß:ss ẞ:SS æ:ae Æ:AE œ:oe Œ:OE ı:i þ:th Þ:TH ð:d Ð:D "
        "ħ:h ŧ:t".split()
    )
)


@lru_cache(maxsize=65_536)
def fold(word: str) -> str:
    """Lower-case ``word`` and strip diacritics (``Žilinská`` -> ``zilinska``).

    Folding is applied to documents and queries alike, which is what makes
    search insensitive to missing or wrong diacritics.  Uses NFKD so
    compatibility characters (ligatures, full-width letters) fold as well.
    """
    word = word.translate(_FOLD_TABLE)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# ---------------------------------------------------------------------------
# Stopwords (folded forms).  Deliberately short: only function words that
# carry no meaning on their own.  Content words are never listed.
# ---------------------------------------------------------------------------

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """a about above after again against all also am an and any are as at be
        because been before being below between both but by can could did do does
        doing down during each few for from further had has have having he her here
        hers herself him himself his how i if in into is it its itself just me more
        most my myself no nor not now of off on once only or other our ours
        ourselves out over own same she should so some such than that the their
        theirs them themselves then there these they this those through to too
        under until up very was we were what when where which while who whom why
        will with would you your yours yourself yourselves s t d ll m re ve""".split()
    ),
    "de": frozenset(
        """aber alle allem allen aller alles als also am an ander andere anderem
        anderen anderer anderes auch auf aus bei bin bis bist da damit dann das
        dass dasselbe dazu dein deine deinem deinen deiner dem den denn der des
        desselben dessen dich die dies diese dieselbe dieselben diesem diesen
        dieser dieses dir doch dort du durch ein eine einem einen einer eines
        einig einige einigem einigen einiger einiges er es etwas euch euer eure
        eurem euren eurer fur gegen gewesen hab habe haben hat hatte hatten hier
        hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in indem
        ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt
        kann kein keine keinem keinen keiner keines konnen konnte machen man
        manche manchem manchen mancher manches mein meine meinem meinen meiner
        meines mich mir mit muss musste nach nicht nichts noch nun nur ob oder
        ohne sehr sein seine seinem seinen seiner seines selbst sich sie sind so
        solche solchem solchen solcher solches soll sollte sondern sonst uber um
        und uns unsere unserem unseren unserer unter viel vom von vor wahrend war
        waren warst was weg weil weiter welche welchem welchen welcher welches
        wenn werde werden wie wieder will wir wird wirst wo wollen wollte wurde
        wurden zu zum zur zwar zwischen""".split()
    ),
    "it": frozenset(
        """a ad agli ai al all alla alle allo anche avere c che chi ci co coi col
        come con contro cui d da dagli dai dal dall dalla dalle dallo de degli dei
        del dell della delle dello di dove e ed essere gli ha hanno ho i il in io l
        la le lei li lo loro lui ma mi mia mie miei mio ne negli nei nel nell nella
        nelle nello noi non nostra nostre nostri nostro o per perche piu quale
        quanta quante quanti quanto quella quelle quelli quello questa queste
        questi questo se sei si sia siamo sono su sua sue sugli sui sul sull sulla
        sulle sullo suo suoi ti tra tu tua tue tuo tuoi un una uno vi voi vostra
        vostre vostri vostro""".split()
    ),
    "cs": frozenset(
        """a aby aj ale ani aniz ano asi az bez by byl byla byli bylo byt ci co
        coz do ho i jak jake jako je jeho jej jeji jejich jemu jen jenz jeste ji
        jich jim jimz jsem jsi jsme jsou jste k kam kde kdo kdy kdyz ke ktera
        ktere kteri kterou ktery kterym kterych mezi mi mne mnou muj na nad nam
        nas nasi ne nebo nebot nez ni nich nim nimi o od ode on ona oni ono pak po
        pod podle pokud pouze pri pro proc proto protoze pred s se si sice smi so
        sve svuj svym svych ta tak take takze tam te tedy tem ten tento teto tim
        timto to tohle toho tohoto tom tomto tomu tu tuto ty tyto u uz v ve vsak
        z za ze zde""".split()
    ),
    "sk": frozenset(
        """a aby aj ak ako ale alebo ani az bez bol bola boli bolo by byt ci co do
        ho i ich im ja je jeho jej jemu k kam kde kedy kto ktora ktore ktori
        ktorou ktory ktorych ktorym ku lebo len ma mi mna na nad nam nas nie no o
        od odo on ona oni ono po pod podla pokial potom pre pred pri s sa si so
        su sme ste ta tak take takze tam te ten tento tie tiez tiez to toho tom
        tomu tu tym tymto u uz v vo z za ze zo""".split()
    ),
    "pl": frozenset(
        """a aby ale ani az bardziej bez bo by byc byl byla byli bylo co czy dla
        do gdy gdzie go i ich im iz ja jak jako jakie je jednak jego jej jest
        jestem jeszcze jezeli juz ktora ktore ktorego ktorej ktory ktorych ktorym
        ktorzy lub ma mi mnie na nad nam nas nie nim niz o od oraz po pod przed
        przez przy sa sie sobie tak takze tam te tego tej ten tez to tu tych tylko
        tym u w we wiec z za ze zas""".split()
    ),
    "sl": frozenset(
        """a ali bi bil bila bile bili bilo biti da do ga h in iz ja je jih jim
        jo k kaj kako kar ki ko kot ker le mi na nad naj ne nas ni niti o od on ona
        oni ono pa po pod pri s sa se sem si smo so ste ta tako tam te tega tem ter
        ti tista tisti tisto to tu tudi v vendar z za ze""".split()
    ),
}

# ---------------------------------------------------------------------------
# Light stemmer for folded Czech, Slovak, Polish and Slovenian
# ---------------------------------------------------------------------------
# Inflectional endings (noun, adjective and pronominal declension) written
# without diacritics, because the stemmer sees folded text.  Only one ending
# is removed (the longest that leaves a stem of >= 3 letters).  Verb
# conjugation is left to the lemmatiser on purpose: the endings collide with
# noun stems and search queries are overwhelmingly nominal.
# The lists follow Dolamic & Savoy's light stemmers for Czech (as used by
# Lucene's CzechStemmer) extended with the Slovak, Polish and Slovenian
# paradigms.  Measured on random noun/adjective form pairs from simplemma's
# form->lemma tables, lemmatise+fold+stem maps ~93 % (cs) to ~98 % (sk, pl, sl)
# of pairs to the same token even when one form is typed without diacritics.

_ENDINGS_TEXT = {
    "cs": """ech ich eho emi emu iho imi imu ach ych ama ami ovi ymi
             em es im um am mi ou ym  a e i o u y""",
    "sk": """iach iami ieho iemu  ach ami eho emu ich imi ych ymi och ovi iam iou
             ov om ej ia ie iu ii em im ym ou am mi um  a e i o u y""",
    "pl": """iach iami owie iego iemu  ach ami ego emu ych ich owi iej iom ymi imi
             ow om em ej ym im ie ia iu ii  a e i o u y""",
    "sl": """ama ema ami emi ega emu ima imi ovi evi oma
             om em ih im ov ev ah eh mi  a e i o u""",
}
# Longest first, so that e.g. "-ach" wins over "-a".
_ENDINGS: dict[str, tuple[str, ...]] = {
    lang: tuple(sorted(text.split(), key=len, reverse=True)) for lang, text in _ENDINGS_TEXT.items()
}
_COMPARATIVE = {"cs": ("ejs",), "sk": ("ejs",), "sl": ("ejs",), "pl": ("iejsz", "ejsz")}
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")
_MIN_STEM = 3
# Negation prefix: simplemma maps "nealkoholický" to "alkoholický"; we keep
# the negated word as it is instead.
_NEGATION_PREFIX = {"cs": "ne", "sk": "ne", "pl": "nie", "sl": "ne"}


def _slavic_stem(word: str, lang: str) -> str:
    """Strip one inflectional ending from a folded Slavic word and normalise
    the stem-final consonant alternations that declension produces.

    Examples (folded input): ``potraviny`` -> ``potravin``,
    ``turisticne``/``turisticen`` -> ``turisticn``, ``jakosci`` -> ``jakosk``.
    The stems are index keys, not words; they only have to be equal for the
    forms of one word and rarely equal for different words.
    """
    if len(word) <= _MIN_STEM or not word.isalpha():
        return word
    for ending in _ENDINGS[lang]:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            word = word[: -len(ending)]
            break
    # comparative: "levnejsi" -> "levn", like the positive "levny"
    for comp in _COMPARATIVE[lang]:
        if word.endswith(comp) and len(word) - len(comp) >= _MIN_STEM:
            word = word[: -len(comp)]
            break
    if lang in ("cs", "sk"):
        # adjectival/possessive "-ov-"/"-uv": "zasahovy" ~ "zasah", "cisaruv" ~ "cisarova"
        if word.endswith(("ov", "uv")) and len(word) - 2 >= _MIN_STEM:
            word = word[:-2]
        # palatalisation before -e/-i: ruka/ruce, technik/technici, Praha/Praze
        if word.endswith("c"):
            word = word[:-1] + "k"
        elif lang == "cs" and word.endswith("z"):
            word = word[:-1] + "h"
    elif lang == "pl":
        # powietrze/powietrza, klaster/klastrze, woda/wodzie
        if word.endswith(("rz", "dz")):
            word = word[:-1]
        # turystyka/turystyce, projekt/projekcie, jakosc/jakosci
        if word[-1] in "tc":
            word = word[:-1] + "k"
    # mobile vowel: den/dne, turisticen/turisticna, klaster/klastra, stitok/stitka (sk)
    if (
        len(word) >= 4
        and word[-3] in _CONSONANTS
        and word[-1] in _CONSONANTS
        and (word[-2] == "e" or (lang == "sk" and word[-2:] == "ok"))
    ):
        word = word[:-2] + word[-1]
    return word


# ---------------------------------------------------------------------------
# Lazily created heavy objects
# ---------------------------------------------------------------------------

_LOCK = threading.Lock()
_LEMMA_LOOKUP = None  # simplemma DictionaryLookupStrategy, created on first use
_LOADED_LANGS: set[str] = set()
_SNOWBALL: dict[str, tuple[object, threading.Lock]] = {}
_SNOWBALL_CLASSES = {
    "en": ("english_stemmer", "EnglishStemmer"),
    "de": ("german_stemmer", "GermanStemmer"),
    "it": ("italian_stemmer", "ItalianStemmer"),
}


def _lemma_lookup(lang: str):
    """Return simplemma's exact dictionary lookup, loading ``lang`` once.

    The stream-backed dictionary factory keeps the compressed tables in
    memory (~100 MB for all seven languages, against ~700 MB for simplemma's
    default dict-backed factory) at the cost of slower cold lookups, which the
    per-token LRU cache below hides.  Loading is serialised so concurrent first
    requests do not load the same table twice.
    """
    global _LEMMA_LOOKUP
    if _LEMMA_LOOKUP is not None and lang in _LOADED_LANGS:
        return _LEMMA_LOOKUP
    with _LOCK:
        if _LEMMA_LOOKUP is None:
            from simplemma.strategies import DictionaryLookupStrategy, StreamDictionaryFactory

            _LEMMA_LOOKUP = DictionaryLookupStrategy(
                StreamDictionaryFactory(cache_max_size=len(SUPPORTED_LANGUAGES))
            )
        if lang not in _LOADED_LANGS:
            _LEMMA_LOOKUP.get_lemma("a", lang)  # forces the table to load
            _LOADED_LANGS.add(lang)
    return _LEMMA_LOOKUP


def loaded_languages() -> frozenset[str]:
    """The languages whose simplemma table this process holds."""
    return frozenset(_LOADED_LANGS)


def release_tables() -> frozenset[str]:
    """Drop the simplemma tables and the caches of looked-up words; return the languages.

    For a process that analyses now and then (the task worker, ``cms.ops.task_memory``):
    the ~90 MB of tables go back to the allocator, and the next analysis loads what it
    needs again. Call it while nothing in the process is analysing.
    """
    global _LEMMA_LOOKUP
    with _LOCK:
        released = frozenset(_LOADED_LANGS)
        _LEMMA_LOOKUP = None
        _LOADED_LANGS.clear()
    for cached in (_member, _split, compound_parts, compound_tokens, _analyse_token):
        cached.cache_clear()
    return released


def _snowball_stem(word: str, lang: str) -> str:
    """Stem with the pure-Python Snowball implementation.

    The pure-Python classes are imported explicitly (``snowballstemmer.stemmer``
    silently switches to PyStemmer when that is installed) so that the tokens
    do not depend on which optional package a machine happens to have.
    Snowball stemmer objects keep per-call state, hence the lock.
    """
    entry = _SNOWBALL.get(lang)
    if entry is None:
        with _LOCK:
            entry = _SNOWBALL.get(lang)
            if entry is None:
                import importlib

                module_name, class_name = _SNOWBALL_CLASSES[lang]
                module = importlib.import_module(f"snowballstemmer.{module_name}")
                entry = (getattr(module, class_name)(), threading.Lock())
                _SNOWBALL[lang] = entry
    stemmer, lock = entry
    with lock:
        return stemmer.stemWord(word)


# ---------------------------------------------------------------------------
# Compound splitting (German)
# ---------------------------------------------------------------------------

#: Linking letters ("Fugenelemente") allowed between two parts: Wirtschaft-s-förderung.
_LINKS = ("", "s", "es", "n", "en", "er", "e", "ens")
#: Shorter words are never split; longer parts are split again.
_MIN_COMPOUND = 7
#: Longer words are not split (the search is quadratic in the length).
_MAX_COMPOUND = 48
#: At most this many parts per word (over every level).
_MAX_PARTS = 8


@lru_cache(maxsize=262_144)
def _member(word: str, lang: str) -> bool:
    """True when ``word`` is literally a key of simplemma's ``lang`` table (case matters)."""
    return _lemma_lookup(lang).is_dictionary_member(word, lang)


def _noun(part: str, lang: str) -> bool:
    return _member(part.capitalize(), lang)


def _acceptable(part: str, lang: str, *, strict: bool, head: bool) -> bool:
    if fold(part) in _STOPWORDS[lang]:
        return False
    if strict:
        return len(part) >= 5 and _noun(part, lang)
    if len(part) < 4:  # three-letter entries are mostly noise: Off, Ale, Ern, Sam
        return False
    return _noun(part, lang) or (not head and len(part) >= 5 and _member(part, lang))


@lru_cache(maxsize=65_536)
def _split(word: str, lang: str, strict: bool) -> tuple[str, ...] | None:
    """The best split of lower-case ``word`` into two or more acceptable parts, or None.

    Dynamic programming from the end: ``best[i]`` is the best split of ``word[i:]``,
    ranked by (number of parts, linking letters, -product of the part lengths).
    """
    n = len(word)
    best: dict[int, tuple[tuple[int, int, int], tuple[str, ...]]] = {n: ((0, 0, -1), ())}
    for i in range(n - 3, -1, -1):
        choice = None
        for j in range(i + 3, n + 1):
            part = word[i:j]
            for link in _LINKS:
                k = j + len(link)
                if k > n or (link and (k == n or word[j:k] != link)) or k not in best:
                    continue
                head = k == n
                if i == 0 and head:
                    continue  # the word itself is not a split
                if not _acceptable(part, lang, strict=strict, head=head):
                    continue
                (count, links, product), rest = best[k]
                key = (count + 1, links + len(link), product * len(part))
                if choice is None or key < choice[0]:
                    choice = (key, (part, *rest))
        if choice is not None:
            best[i] = choice
    return best[0][1] if 0 in best else None


def _compound_parts(word: str, lang: str, depth: int = 0) -> list[str]:
    if not (_MIN_COMPOUND <= len(word) <= _MAX_COMPOUND) or depth > 3:
        return []
    known = _member(word, lang) or _noun(word, lang)
    if not _noun(word, lang) and _member(word, lang):
        return []  # known only in lower case: an adjective, a verb, an adverb
    for suffix in ("innen", "in"):  # Mitarbeiterinnen: a derivation, not a compound
        if word.endswith(suffix) and _noun(word[: -len(suffix)], lang):
            return []
    out: list[str] = []
    for part in _split(word, lang, known) or ():
        for found in (part, *_compound_parts(part, lang, depth + 1)):
            if found not in out:
                out.append(found)
    return out


@lru_cache(maxsize=65_536)
def compound_parts(word: str, language: str) -> tuple[str, ...]:
    """The parts of a compound word, lower-case as written, or ``()``.

    ``Kunststofftechnikcluster`` -> ``("kunststofftechnik", "kunststoff", "kunst",
    "stoff", "technik", "cluster")``: every level of the split, outer parts first.
    Only for :data:`COMPOUND_LANGUAGES`; words of other languages give ``()``.
    """
    lang = normalise_language(language)
    word = unicodedata.normalize("NFC", word).lower()
    if lang not in COMPOUND_LANGUAGES or not word.isalpha():
        return ()
    return tuple(_compound_parts(word, lang)[:_MAX_PARTS])


@lru_cache(maxsize=65_536)
def compound_tokens(word: str, language: str) -> tuple[str, ...]:
    """The search tokens of a compound word's parts (each analysed as a word of its own),
    without the word's own token: ``Kunststofftechnikcluster`` -> ``("kunststofftechnik",
    "kunststoff", "kunst", "stoff", "technik", "clust")``."""
    lang = normalise_language(language)
    own = _analyse_token(unicodedata.normalize("NFC", word), lang)
    tokens: list[str] = []
    for part in compound_parts(word, lang):
        token = _analyse_token(part, lang)
        if token and token != own and token not in tokens:
            tokens.append(token)
    return tuple(tokens)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def normalise_language(language: str) -> str:
    """Map a language code or tag (``"cs"``, ``"CS"``, ``"cs-CZ"``, ``"de_AT"``)
    to a supported ISO 639-1 code, or raise :class:`ValueError` naming it.

    Accepting region tags lets callers pass a Wagtail/Django locale directly;
    failing loudly on anything else avoids silently indexing text with the
    wrong analyser.
    """
    if not isinstance(language, str):
        raise ValueError(f"Unsupported language for search analysis: {language!r}")
    code = language.strip().replace("_", "-").split("-", 1)[0].lower()
    if code not in SUPPORTED_LANGUAGES:
        raise ValueError(
            f"Unsupported language for search analysis: {language!r} "
            f"(supported: {', '.join(sorted(SUPPORTED_LANGUAGES))})"
        )
    return code


@lru_cache(maxsize=131_072)
def _analyse_token(token: str, lang: str) -> str | None:
    """Analyse one surface token; ``None`` means "drop it".

    Cached because natural text is Zipf-distributed: a few thousand distinct
    words make up most tokens, so the dictionary lookup and stemming run once
    per distinct word and language.
    """
    if len(token) > MAX_TOKEN_CHARS:
        return None
    folded = fold(token)
    if (len(folded) < 2 and folded.isalpha()) or folded in _STOPWORDS[lang]:
        return None
    if not token.isalpha():  # numbers, "covid19", "2011": keep as they are
        return folded
    lemma = _lemma_lookup(lang).get_lemma(token, lang)
    if lemma and lemma != token:
        neg = _NEGATION_PREFIX.get(lang)
        if not lemma.isalpha() or (
            neg and folded.startswith(neg) and not fold(lemma).startswith(neg)
        ):
            lemma = None  # multi-word/odd lemma, or negation dropped: keep surface
        if lemma:
            folded = fold(lemma)
    if lang in _SLAVIC:
        stem = _slavic_stem(folded, lang)
    else:
        stem = _snowball_stem(folded, lang)
    return stem or folded


def words(text: str, *, max_chars: int = MAX_INPUT_CHARS) -> list[str]:
    """The words of ``text`` as typed (NFC), split as :func:`analyse` splits them.

    For callers that keep each surface word beside its analysed form (the admin's
    search, which must also match a word's prefix while it is being typed).
    """
    if not text:
        return []
    return _TOKEN_RE.findall(unicodedata.normalize("NFC", _truncate(text, max_chars)))


def _truncate(text: str, max_chars: int) -> str:
    """Cut ``text`` to ``max_chars``, backing off to the last whitespace so the
    last word is not mutilated into a different token."""
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    space = cut.rfind(" ", max(0, max_chars - MAX_TOKEN_CHARS))
    return cut[:space] if space > 0 else cut


def analyse(
    text: str, language: str, *, max_chars: int = MAX_INPUT_CHARS, compounds: bool = False
) -> list[str]:
    """Turn ``text`` in ``language`` into a list of search tokens.

    The same function must be used for indexing and for queries.  Tokens are
    lower-case, diacritic-free stems (``"Regionální potraviny"`` in Czech ->
    ``["regionaln", "potravin"]``), in text order, duplicates kept (term
    frequency matters for ranking).  ``None``/empty text gives ``[]``; text
    longer than ``max_chars`` is truncated.  Raises :class:`ValueError` for an
    unsupported language.

    ``compounds=True`` (the index side, :func:`analyse_to_string`) follows each
    capitalised compound's token with its parts' tokens (:func:`compound_tokens`):
    German capitalises nouns, and splitting lower-case words (adjectives, verbs,
    participles) mostly finds false parts (``kulturellen`` -> ``Kultur`` + ``Ellen``).
    """
    lang = normalise_language(language)
    if not text:
        return []
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    text = unicodedata.normalize("NFC", _truncate(text, max_chars))
    split = compounds and lang in COMPOUND_LANGUAGES
    out = []
    for token in _TOKEN_RE.findall(text):
        analysed = _analyse_token(token, lang)
        if analysed:
            out.append(analysed)
            # Only nouns are compounds worth splitting, and German writes nouns capitalised.
            if split and len(token) >= _MIN_COMPOUND and token[0].isupper():
                out.extend(compound_tokens(token, lang))
    return out


def analyse_to_string(
    text: str, language: str, *, max_chars: int = MAX_INPUT_CHARS, compounds: bool = True
) -> str:
    """:func:`analyse` with compounds' parts, joined with single spaces: the string to
    store in the search index.  (A query is :func:`analyse`'d without the parts, which
    ``cms.search.expansion`` adds as weaker terms.)"""
    return " ".join(analyse(text, language, max_chars=max_chars, compounds=compounds))
