"""The words behind the search analysis: folding, stopwords and the dictionaries.

``cms.search.analysis`` turns text into search tokens with these;
``cms.search.compounds`` splits German compounds with the same dictionary. The
dictionaries (simplemma's form tables, Snowball stemmers) are heavy and loaded
lazily, once per process and language; :func:`drop_tables` gives them back.
Thread-safe, no Django dependency.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache

#: Language codes accepted by :func:`analyse` (ISO 639-1).
SUPPORTED_LANGUAGES: frozenset[str] = frozenset({"en", "cs", "de", "it", "pl", "sk", "sl"})


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


#: Letters that NFKD does not decompose into "base letter + mark", as they are folded.
SPELLED_OUT: dict[str, str] = dict(
    pair.split(":")
    for pair in "ł:l Ł:L đ:d Đ:D ø:o Ø:O ß:ss ẞ:SS æ:ae Æ:AE œ:oe Œ:OE ı:i þ:th Þ:TH ð:d Ð:D "
    "ħ:h ŧ:t".split()
)
_FOLD_TABLE = str.maketrans(SPELLED_OUT)
#: German umlauts as written without them: a German visitor types ``oberoesterreich``.
UMLAUTS_WRITTEN_OUT: dict[str, str] = {
    "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"
}  # fmt: skip
_UMLAUTS_TABLE = str.maketrans(UMLAUTS_WRITTEN_OUT)


def umlauts_written_out(word: str) -> str:
    """``word`` with its German umlauts written out (``Österreich`` -> ``Oesterreich``)."""
    return word.translate(_UMLAUTS_TABLE)


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

STOPWORDS: dict[str, frozenset[str]] = {
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


def lemma_lookup(lang: str):
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


def snowball_stem(word: str, lang: str) -> str:
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


@lru_cache(maxsize=262_144)
def is_member(word: str, lang: str) -> bool:
    """True when ``word`` is literally a key of simplemma's ``lang`` table (case matters)."""
    return lemma_lookup(lang).is_dictionary_member(word, lang)


def drop_tables() -> frozenset[str]:
    """Forget the simplemma tables (see ``analysis.release_tables``); return their languages."""
    global _LEMMA_LOOKUP
    with _LOCK:
        released = frozenset(_LOADED_LANGS)
        _LEMMA_LOOKUP = None
        _LOADED_LANGS.clear()
    is_member.cache_clear()
    return released
