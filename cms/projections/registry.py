"""The item types that have projections, and which of their objects are public.

A projection exists for every object a consumer may read without a token:
live pages on a country's site outside every view restriction, and every
cluster profile, partner organisation, contact person and sector that visitors
read in some language (``cms.core.visibility.in_a_language``). What each
looks like in the API is its ``Representation`` (``cms.projections.representations``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from wagtail.models import Page, get_page_models

from cms.core.languages import LANGUAGE_CODES
from cms.core.visibility import in_a_language, shown_to_visitors
from cms.projections.representations import Representation, representations
from cms.projections.scope import ALL_LANGUAGES

#: The variants rendered of every item: each language, and every language at once
#: (``?lang=all``): a request's ``Localizer.language`` is the variant it reads.
ALL = ALL_LANGUAGES
VARIANTS = (*LANGUAGE_CODES, ALL)


@dataclass(frozen=True)
class ServedType:
    model: type[Model]
    representation: Representation

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def is_page(self) -> bool:
        return issubclass(self.model, Page)

    @property
    def has_country(self) -> bool:
        """Whether its items belong to a country (pages, clusters...; sectors do not)."""
        return self.is_page or hasattr(self.model, "country")

    def public(self) -> QuerySet:
        """Every object of this type that has projections."""
        if self.is_page:
            return public_pages(self.model)
        return in_a_language(self.model.objects.all())


@lru_cache(maxsize=1)
def served_types() -> dict[type[Model], ServedType]:
    reps = representations()
    served = {model: ServedType(model, rep) for model, rep in reps.pages.items()}
    for rep in reps.snippets:
        served[rep.model] = ServedType(rep.model, rep)
    return served


@lru_cache(maxsize=1)
def served_page_labels() -> tuple[str, ...]:
    """The labels of the page types the API serves, in Wagtail's order of page models.

    ``/pages/?type=`` offers these, and the pages' listings and sitemaps read them.
    """
    served = served_types()
    return tuple(model._meta.label for model in get_page_models() if model in served)


def served_type(obj_or_model) -> ServedType | None:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return served_types().get(model)


def by_label(label: str) -> ServedType | None:
    try:
        return served_types().get(apps.get_model(label))
    except (LookupError, ValueError):
        return None


def site_root_paths() -> list[str]:
    """Tree paths of the country sites' root pages: public pages live below them."""
    from cms.core.models import Country

    return [
        path
        for path in Country.objects.filter(site__isnull=False).values_list(
            "site__root_page__path", flat=True
        )
        if path
    ]


def public_pages(model: type[Page]) -> QuerySet:
    """Live pages of ``model`` on a country's site that anyone may view (``shown_to_visitors``)."""
    on_a_site = Q(pk__in=[])
    for path in site_root_paths():
        on_a_site |= Q(path__startswith=path)
    return shown_to_visitors(model.objects.filter(on_a_site))
