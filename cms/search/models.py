"""The unit of visitor search: one language version of one published item.

Wagtail's search backends index models, not language versions, and analyse
text with one analyser per field. Czech, Polish, Slovak and Slovenian need
lemmatisation and diacritic folding that no backend ships for all of them.
So each published news item, event, page and cluster profile is turned into
one ``SearchDocument`` per language, holding *pre-analysed* tokens
(``cms.search.analysis``) in ``title`` and ``body``; the query goes through
the same analysis. Every backend (SQLite, PostgreSQL, OpenSearch) then only
has to match plain tokens, and matches the same way.

Rows are derived data: ``cms.search.indexing`` rewrites them on publish,
unpublish and delete, and ``manage.py rebuild_search_documents`` recreates
them all. Drafts never get a row.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from cms.core.languages import LANGUAGE_CODES, LANGUAGES
from cms.search.analysis import analyse, fold
from cms.search.lexicon import umlauts_written_out

WORDS = re.compile(r"\w+", re.UNICODE)


class SearchDocument(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", "News"
        EVENT = "event", "Event"
        CLUSTER = "cluster", "Cluster"
        PAGE = "page", "Page"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=5, choices=LANGUAGES)
    #: The language the title is really written in (differs from ``language``
    #: when the item is not translated and the fallback chain served another).
    served_language = models.CharField(max_length=5, choices=LANGUAGES)
    country = models.CharField(max_length=3, db_index=True)
    sectors = models.ManyToManyField("core.Sector", blank=True, related_name="+")
    #: The ids of ``sectors`` as " 1 3 " (:meth:`sector_key`), in the row itself: the database
    #: search counts its sector facet from the hits' rows instead of joining every hit to the
    #: sectors (``cms.search.database_search``). Written with the sectors by the indexing and,
    #: for ``sectors.set()`` and the like, by an ``m2m_changed`` receiver (``signals``).
    sector_ids = models.TextField(null=True, blank=True, editable=False)
    date = models.DateField(null=True, blank=True)
    url = models.CharField(max_length=500, blank=True)

    # Pre-analysed tokens: what the backends match against.
    title = models.TextField()
    body = models.TextField(blank=True)

    # What visitors see: the text in the served language.
    display_title = models.CharField(max_length=500)
    display_text = models.TextField(blank=True)

    updated_at = models.DateTimeField(auto_now=True)

    #: Queries come analysed (``cms.search.service``); the admin's analysis leaves them be.
    search_query_analysed = True

    search_fields = [
        index.SearchField("title", boost=3),
        # An explicit boost: PostgreSQL maps unboosted fields to the lowest weight (D),
        # which makes body matches all but invisible next to title matches.
        index.SearchField("body", boost=1),
        index.AutocompleteField("autocomplete_title"),
        index.FilterField("kind"),
        index.FilterField("language"),
        index.FilterField("country"),
        index.FilterField("date"),
        index.RelatedFields("sectors", [index.FilterField("slug")]),
        # The database backends filter by sector with a subquery on the id
        # (``service.filtered_documents``): a join would repeat documents.
        index.FilterField("id"),
    ]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="one_document_per_language"
            )
        ]
        indexes = [models.Index(fields=["language", "kind", "country"])]

    def __str__(self):
        return f"{self.kind}:{self.object_id} [{self.language}] {self.display_title}"

    @staticmethod
    def sector_key(sector_ids) -> str:
        """``sector_ids`` as the row keeps them: " 1 3 " (sorted, a space on each side, so
        that a sector is found as " <id> "); "" for none."""
        ids = sorted({int(pk) for pk in sector_ids})
        return f" {' '.join(map(str, ids))} " if ids else ""

    def update_sector_ids(self) -> None:
        """Write the row's ``sector_ids`` from its sectors as the database has them now."""
        key = self.sector_key(
            SearchDocument.sectors.through.objects.filter(searchdocument_id=self.pk).values_list(
                "sector_id", flat=True
            )
        )
        SearchDocument.objects.filter(pk=self.pk).update(sector_ids=key)
        self.sector_ids = key

    def autocomplete_title(self) -> str:
        """The title to complete: as written, plus its words without diacritics, and with
        German umlauts written out where it has them.

        A visitor types "sluz" for "služba" as often as not, and a German one
        "oberoesterreich" for "Oberösterreich". The engines' analysers fold diacritics
        themselves but know no umlauts written out; the database's index spells titles
        alike (``cms.search.fulltext.title_spellings_sql``).
        """
        words = self.display_title.split()
        folded = [fold(word) for word in words]
        folded += [fold(umlauts_written_out(w)) for w in words if umlauts_written_out(w) != w]
        if " ".join(folded) == self.display_title.lower():
            return self.display_title
        return f"{self.display_title} {' '.join(folded)}"


SearchDocument.search_auto_update = False  # cms.search.indexing keeps every backend in step


class PendingSection(models.Model):
    """A section whose documents the task worker must write again, marked in the
    editor's transaction.

    Lifting a view restriction over a large section, or moving one, leaves its
    documents to a task after the commit (``indexing.sync_under``); the mark makes
    that durable, as ``PendingIndexUpdate`` does for the engines: if enqueueing fails
    or the worker dies, ``manage.py search_pending`` (cron) finds it. Writing a
    section again is idempotent, so a mark processed twice costs time, not content.
    """

    page = models.OneToOneField("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"section {self.page_id} (marked {self.marked_at:%Y-%m-%d %H:%M})"


class PendingSector(models.Model):
    """A sector renamed while in more items than ``indexing.INLINE_LIMIT``: the task worker
    writes their documents (which end with the sector's names) again, after the commit.

    The administrator's save marks it (``cms.search.signals``) instead of rewriting a
    thousand items' documents inside the request (5.4 s, ``bench_projections``); durable
    as ``PendingSection`` is, and processed with it (``indexing.sync_pending_sections``,
    ``manage.py search_pending``).
    """

    sector = models.OneToOneField("core.Sector", on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"sector {self.sector_id} (marked {self.marked_at:%Y-%m-%d %H:%M})"


class PendingItem(models.Model):
    """An item written in bulk, which sends no signal, for the task worker to index after the
    commit: in the admin's search and the visitor search (``indexing.index_bulk_written``).

    A spreadsheet import of thousands of clusters indexed them in the editor's request:
    74 s of a 5,000-row import's 80 (SQLite, profiled), past any proxy's timeout. Durable as
    ``PendingSection`` is, and processed with it (``indexing.sync_pending_sections``,
    ``manage.py search_pending``); indexing an item twice costs time, not content.
    """

    object_type = models.CharField(max_length=100)  # the model's label, "clusters.ClusterProfile"
    object_id = models.PositiveBigIntegerField()
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="one_pending_item")
        ]

    def __str__(self):
        return f"{self.object_type} {self.object_id} (marked {self.marked_at:%Y-%m-%d %H:%M})"


class PendingIndexUpdate(models.Model):
    """A search document whose state an external engine has not seen yet.

    Written in the same transaction as the document change, so an edit is
    never lost: if the engine is slow or down, the row stays and the worker
    retries until the engine has caught up. The entry names the document, not
    the change: the worker sends the document's *current* state (or deletes
    it when the row is gone), so retries and duplicates are harmless.
    """

    backend = models.CharField(max_length=50)
    document_id = models.PositiveBigIntegerField()
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["backend", "document_id"], name="one_pending_per_doc")
        ]

    def __str__(self):
        return f"{self.backend}: document {self.document_id} ({self.attempts} attempts)"


class PendingEngineObject(models.Model):
    """An object whose change Wagtail's own index on the engine missed: the admin's searches
    (page search, choosers, snippets, images, documents) read that index.

    Wagtail's signal handlers catch an engine's indexing errors so that the save stands,
    and the update is then lost: after an outage the admin could not find what was edited
    during it until someone rebuilt the index. The engine backends (``cms.search.backends``)
    note the object here instead, and ``search_index_worker`` sends its current state once
    the engine answers (``cms.search.engine_retries``). The row names the object, not the
    change, so retries and duplicates are harmless.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.CharField(max_length=255)
    #: When the engine last missed a change of it: a retry that read an older state
    #: leaves the row for the next round.
    missed_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_pending_per_engine_object"
            )
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id} ({self.attempts} attempts)"


def promotion_key(text: str, language: str) -> str:
    """What a promotion's query and a visitor's query are compared by: the analysed words
    in ``language`` (inflection, case and diacritics aside), each once, in any order; the
    folded words when analysis keeps none (an English "IT" is a stopword)."""
    tokens = analyse(text, language) or [fold(word) for word in WORDS.findall(text)]
    return " ".join(sorted(set(tokens)))[:255]


class SynonymGroup(models.Model):
    """Words, phrases and abbreviations that mean the same to a visitor in one language.

    For whom: a visitor who types "ICT" where the news say "informační
    technologie", or "OZE" for "obnovitelné zdroje energie". A query that
    contains one member of a group also searches for the others
    (``cms.search.synonyms``), ranked below the words the visitor typed. Kept
    by each language's moderators in the admin (``cms.search.permissions``).
    """

    language = models.CharField(_("language"), max_length=5, choices=LANGUAGES, db_index=True)
    terms = models.TextField(
        _("words and phrases"),
        help_text=_(
            "Words, phrases or abbreviations that mean the same, separated by commas or "
            "on separate lines, e.g. “IT, ICT, informační technologie”."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["language", "pk"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonyms")

    def __str__(self):
        return ", ".join(self.phrases)

    @property
    def phrases(self) -> list[str]:
        """The group's members, trimmed, each once (as written)."""
        return split_phrases(self.terms)

    def clean(self):
        phrases = self.phrases
        if len(phrases) < 2:
            raise ValidationError(
                {"terms": _("Give at least two words or phrases that mean the same.")}
            )
        if len(phrases) > MAX_SYNONYM_PHRASES:
            raise ValidationError(
                {
                    "terms": _("Give at most %(count)d words or phrases in one group.")
                    % {"count": MAX_SYNONYM_PHRASES}
                }
            )
        for phrase in phrases:
            if len(phrase) > MAX_SYNONYM_CHARS:
                raise ValidationError(
                    {
                        "terms": _("“%(phrase)s” is longer than %(count)d characters.")
                        % {"phrase": phrase[:40], "count": MAX_SYNONYM_CHARS}
                    }
                )
            if not WORDS.findall(phrase):
                raise ValidationError(
                    {"terms": _("“%(phrase)s” has no letters or digits.") % {"phrase": phrase}}
                )


#: Limits of one synonym group, so that a query's expansion stays small.
MAX_SYNONYM_PHRASES = 12
MAX_SYNONYM_CHARS = 80
SEPARATORS = re.compile(r"[,;\n]")


def split_phrases(text: str) -> list[str]:
    phrases: list[str] = []
    for part in SEPARATORS.split(text or ""):
        phrase = " ".join(part.split())
        if phrase and phrase.casefold() not in {seen.casefold() for seen in phrases}:
            phrases.append(phrase)
    return phrases


class Promotion(models.Model):
    """An editor's best bet: for a query in one language, this item above the results.

    For whom: a visitor who searches "info day" and should see the coming
    information day first, whatever the ranking thinks. The target is a page
    (news item, event, standard page) or a cluster profile; it is shown only
    while it is published and really translated into the language (its search
    document is served in it), never as a draft (``cms.search.promotions``).
    The visitor's query matches when it has the same words, analysed
    (``promotion_key``): case, diacritics, inflection and word order aside.
    """

    language = models.CharField(_("language"), max_length=5, choices=LANGUAGES)
    query = models.CharField(
        _("search query"),
        max_length=200,
        help_text=_("The words visitors search for, e.g. “info day”."),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A news item, event or standard page."),
    )
    cluster = models.ForeignKey(
        "clusters.ClusterProfile",
        verbose_name=_("cluster organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Or a cluster profile instead of a page."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Shown under the title instead of the item's own summary (optional)."),
    )
    sort_order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first.")
    )
    #: ``promotion_key(query, language)``, what searches look promotions up by.
    query_key = models.CharField(max_length=255, editable=False)
    #: The search document the target is: its kind and id (set on save).
    target_kind = models.CharField(max_length=10, editable=False)
    target_id = models.PositiveBigIntegerField(editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["language", "query_key", "sort_order", "pk"]
        indexes = [models.Index(fields=["language", "query_key"])]
        verbose_name = _("promoted result")
        verbose_name_plural = _("promoted results")

    def __str__(self):
        return f"{self.query} → {self.target}"

    def save(self, *args, **kwargs):
        from cms.search.documents import kind_of

        self.query_key = promotion_key(self.query, self.language)
        if self.cluster_id:
            self.target_kind, self.target_id = SearchDocument.Kind.CLUSTER, self.cluster_id
        else:
            self.target_kind = kind_of(self.page.specific) or ""
            self.target_id = self.page_id
        super().save(*args, **kwargs)

    @property
    def target(self):
        return self.cluster if self.cluster_id else self.page

    def clean(self):
        from cms.search.documents import kind_of

        if bool(self.page_id) == bool(self.cluster_id):
            raise ValidationError(_("Choose either a page or a cluster organisation."))
        if self.page_id and kind_of(self.page.specific) is None:
            raise ValidationError(
                {"page": _("Only pages that visitors find in search can be promoted.")}
            )
        if self.language in LANGUAGE_CODES and not promotion_key(self.query, self.language):
            raise ValidationError({"query": _("The query has no words to search for.")})
