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

from django.db import models
from wagtail.search import index

from cms.core.languages import LANGUAGES
from cms.search.analysis import fold


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

    def autocomplete_title(self) -> str:
        """The title to complete: as written, plus its words without diacritics.

        A visitor types "sluz" for "služba" as often as not. SQLite's FTS5 and
        the engines' analysers fold diacritics themselves; PostgreSQL's
        "simple" text search does not, so the folded words are indexed too.
        """
        folded = " ".join(fold(word) for word in self.display_title.split())
        if folded == self.display_title.lower():
            return self.display_title
        return f"{self.display_title} {folded}"


SearchDocument.search_auto_update = False  # cms.search.indexing keeps every backend in step


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
