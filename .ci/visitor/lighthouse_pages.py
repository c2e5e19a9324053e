"""Print the pages ``make lighthouse`` measures, one ``name<TAB>path<TAB>extra flags`` a line.

A country home, a news item, a listing (the news index) and the search page with a
query (a cluster's name), on one country site (``LIGHTHOUSE_COUNTRY``,
CZ by default) in its default language, looked up in the database the server uses.
Result pages say ``noindex`` on purpose (issue 11), which Lighthouse's ``is-crawlable``
audit counts against SEO, so that one audit is skipped there.

Run with the server's settings: ``python .ci/visitor/lighthouse_pages.py``.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlencode

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
django.setup()

from django.utils import translation  # noqa: E402

from cms.clusters.models import ClusterProfile  # noqa: E402
from cms.core.models import Country  # noqa: E402
from cms.news.models import NewsIndexPage, NewsPage  # noqa: E402


def path_of(page, language: str) -> str:
    with translation.override(language):
        return page.get_url_parts()[2]


def main() -> None:
    country = Country.objects.get(code=os.environ.get("LIGHTHOUSE_COUNTRY", "CZ"))
    language, home = country.default_language, country.home_page
    news_index = NewsIndexPage.objects.live().descendant_of(home).first()
    item = NewsPage.objects.live().descendant_of(home).order_by("-first_published_at").first()
    with translation.override(language):
        cluster = ClusterProfile.objects.filter(country=country).order_by("slug").first()
        query = os.environ.get("LIGHTHOUSE_QUERY") or cluster.name
    pages = [
        ("home", f"/{language}/", ""),
        ("news item", path_of(item, language), ""),
        ("news listing", path_of(news_index, language), ""),
        ("search", f"/{language}/search/?{urlencode({'q': query})}", "--skip-audits=is-crawlable"),
    ]
    sys.stdout.write(f"{country.site.hostname}\n")
    for name, path, flags in pages:
        sys.stdout.write(f"{name}\t{path}\t{flags}\n")


if __name__ == "__main__":
    main()
