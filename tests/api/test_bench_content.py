"""``bench_api_content`` gives the benchmarks news with an image of its own per item."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cms.news.models import NewsPage

pytestmark = pytest.mark.django_db


def bench_content(*args) -> str:
    out = StringIO()
    call_command("bench_api_content", *args, stdout=out)
    return out.getvalue()


def test_each_item_gets_an_image_of_its_own_and_a_second_run_changes_nothing(country):
    assert "images set on 3 items" in bench_content("--count", "3")
    home = country("CZ").home_page
    pages = NewsPage.objects.filter(slug_en__startswith="bench-news-").live().descendant_of(home)
    assert pages.count() == 3
    images = {page.image_id for page in pages}
    assert None not in images and len(images) == 3
    assert "images set on 0 items" in bench_content("--count", "3")
    assert NewsPage.objects.filter(slug_en__startswith="bench-news-").count() == 3


def test_bad_arguments_are_named():
    with pytest.raises(CommandError, match="--count"):
        bench_content("--count", "0")
    with pytest.raises(CommandError, match="--country XX"):
        bench_content("--country", "XX")
