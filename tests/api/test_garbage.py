"""A response leaves none of the API's objects for the garbage collector.

Objects in reference cycles are freed only when the cyclic collector runs,
and a collection walks everything such requests left behind. With a page of
renditions, countries and sites in cycles per request, the collector and the
heap it let grow cost a 20-item listing about a sixth of its CPU
(docs/api-performance.md, round three). Reference counting should free every
model, context and scope the API builds as soon as the response is written.
"""

from __future__ import annotations

import gc
from collections import Counter

import pytest
from django.db.models import Model

from cms.api.negotiation import Scope
from cms.api.representations import RenderContext
from tests.api.conftest import make_image, published_news, sectors


@pytest.fixture
def listing_content(country):
    czechia = country("CZ")
    for number in range(3):
        published_news(
            czechia,
            title={"en": f"News {number}", "cs": f"Zpráva {number}"},
            sectors=sectors("food", "ict"),
            image=make_image(en=f"Photo {number}"),
        )


def left_for_the_collector(api, path: str) -> Counter:
    """What of the API's kinds of objects a request leaves in unreachable cycles."""
    api(path)  # warm: renditions made (the request after that reads them back), caches filled
    api(path)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        response = api(path)
        assert response.status_code == 200, response.content
        del response
        gc.collect()
        return Counter(
            type(obj).__name__
            for obj in gc.garbage
            # type(), not isinstance(): isinstance() asks a lazy object (django-csp's nonce)
            # for its __class__, which evaluates it after its response has gone.
            if issubclass(type(obj), Model | RenderContext | Scope)
        )
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


#: Not here: ``fields=*`` with related clusters, which Django's ``prefetch_related`` keeps
#: in a cycle (the prefetched queryset's hints point back at the page).
@pytest.mark.parametrize(
    "path", ["news/?limit=20", "news/?limit=20&lang=all", "events/", "pages/", "clusters/"]
)
def test_a_response_leaves_no_cycles_of_the_apis_objects(api, listing_content, path):
    assert left_for_the_collector(api, path) == Counter()
