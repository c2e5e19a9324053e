"""How the Delivery API's cost grows from 1,000 to 100,000 news items (issue 13).

Run by ``.ci/prod/bench-scale`` on a scratch PostgreSQL database with the demo content.
For each size it grows the Czech site's news to that many items, then times API requests
in this process (Django's test client, so no HTTP or gunicorn noise; the database is the
real PostgreSQL, and its time is wall-clock time here): the first page of the news
listing, a page in the middle of it, a listing filtered by sector, a detail, and the
visitor's news index (first and middle page). Response cache off
(``API_RESPONSE_CACHE_SECONDS=0``): the cost of a miss.

Items are made by copying a published demo news item's rows in SQL (``INSERT … SELECT``
over ``generate_series``: the page row with its own tree path, slug, title and
translation key, the news row with a date of its own, its sectors and clusters), since
publishing 100,000 pages through Wagtail would take hours here; what the API reads is
the same: live pages in the site's tree with their news rows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's path digits
STEP = 4  # Wagtail's steplen


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def step_sql(number: str) -> str:
    """SQL for treebeard's 4-digit base-36 step of the integer expression ``number``
    (``%%``: the statement is sent with parameters)."""
    digits = [
        f"substr('{ALPHABET}', (({number}) / {36**power} %% 36)::int + 1, 1)"
        for power in (3, 2, 1, 0)
    ]
    return " || ".join(digits)


def grow(template, total: int) -> int:
    """Copy ``template`` (a live NewsPage) until its parent has ``total`` news children."""
    from django.db import connection, transaction
    from wagtail.models import Page

    from cms.news.models import NewsPage

    parent = template.get_parent()
    have = NewsPage.objects.child_of(parent).count()
    missing = total - have
    if missing <= 0:
        return 0
    last = Page.objects.child_of(parent).order_by("-path").values_list("path", flat=True)[0]
    first = int(last[-STEP:], 36) + 1
    if first + missing >= 36**STEP:
        raise SystemExit("too many children for one parent")
    page_columns = [field.column for field in Page._meta.local_concrete_fields]
    expressions = []
    for column in page_columns:
        if column == "id":
            continue
        if column == "path":
            expression = f"%(parent_path)s || ({step_sql('%(first)s + n')})"
        elif column == "numchild":
            expression = "0"
        elif column == "translation_key":
            expression = "gen_random_uuid()"
        elif column in ("live_revision_id", "latest_revision_id"):
            expression = "NULL"
        elif column.startswith("slug"):
            expression = f"{column} || '-b' || (%(first)s + n)"
        elif column.startswith("url_path"):
            expression = f"rtrim({column}, '/') || '-b' || (%(first)s + n) || '/'"
        elif column.startswith(("title", "draft_title")):
            expression = f"{column} || ' ' || (%(first)s + n)"
        else:
            expression = column
        expressions.append(expression)
    columns = [column for column in page_columns if column != "id"]
    news_columns = [
        field.column
        for field in NewsPage._meta.local_concrete_fields
        if field.column != "page_ptr_id"
    ]
    news_expressions = [
        "t.date - (p.id %% 3650)" if column == "date" else f"t.{column}" for column in news_columns
    ]
    params = {
        "parent_path": parent.path,
        "first": first,
        "missing": missing,
        "template": template.pk,
        "low": parent.path + last[-STEP:],
    }
    new_pages = (
        "SELECT p.id FROM wagtailcore_page p WHERE p.path LIKE %(parent_path)s || '____'"
        " AND p.path > %(low)s"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO wagtailcore_page ({', '.join(columns)}) "  # noqa: S608 (our columns)
            f"SELECT {', '.join(expressions)} FROM wagtailcore_page, "
            "generate_series(0, %(missing)s - 1) AS n WHERE id = %(template)s",
            params,
        )
        cursor.execute(
            f"INSERT INTO {NewsPage._meta.db_table} (page_ptr_id, {', '.join(news_columns)}) "  # noqa: S608
            f"SELECT p.id, {', '.join(news_expressions)} FROM ({new_pages}) p "
            f"CROSS JOIN {NewsPage._meta.db_table} t WHERE t.page_ptr_id = %(template)s",
            params,
        )
        for field in NewsPage._meta.local_many_to_many:
            through = field.remote_field.through._meta.db_table
            source, target = field.m2m_column_name(), field.m2m_reverse_name()
            cursor.execute(
                f"INSERT INTO {through} ({source}, {target}) "  # noqa: S608
                f"SELECT p.id, x.{target} FROM ({new_pages}) p "
                f"CROSS JOIN (SELECT {target} FROM {through} WHERE {source} = %(template)s) x",
                params,
            )
        cursor.execute(
            "UPDATE wagtailcore_page SET numchild = (SELECT count(*) FROM wagtailcore_page c"
            " WHERE c.path LIKE %(parent_path)s || '____') WHERE path = %(parent_path)s",
            params,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return missing


def measure(client, path: str, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)  # warm up
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code} {response.content[:300]!r}")
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    captured = queries.captured_queries  # now: every request_started empties the log
    sql_ms = sum(float(query["time"]) for query in captured) * 1000
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "path": path,
        "p50_ms": statistics.median(times),
        "p90_ms": times[int(len(times) * 0.9) - 1],
        "queries": len(captured),
        "sql_ms": sql_ms,
        "slowest_sql": max(captured, key=lambda query: float(query["time"]), default={}).get(
            "sql", ""
        )[:300],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--requests", type=int, default=30, help="per path and size (30)")
    parser.add_argument("--json", help="write every figure here")
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client
    from wagtail.models import Site

    from cms.news.models import NewsPage

    czech = Site.objects.get(hostname="cz.localhost").root_page
    template = NewsPage.objects.live().descendant_of(czech).order_by("pk").first()
    client = Client(HTTP_HOST="cz.localhost")
    results = []
    load = lambda: open("/proc/loadavg").read().split()[0]  # noqa: E731
    say(f"template item {template.pk} under {template.get_parent().url_path}; load {load()}")
    for size in [int(value) for value in args.sizes.split(",")]:
        started = time.perf_counter()
        added = grow(template, size)
        parent = template.get_parent()
        items = NewsPage.objects.child_of(parent).live().count()
        middle = NewsPage.objects.child_of(parent).order_by("path")[items // 2]
        sector = template.sectors.first()
        paths = [
            "/api/v3/news/?limit=20",
            f"/api/v3/news/?limit=20&offset={items // 2}",
            "/api/v3/news/?limit=20&sector=" + (sector.slug if sector else ""),
            f"/api/v3/pages/{middle.pk}/",
            # The visitor's news listing beside it (12 a page): first and middle page.
            "/cs/aktuality/",
            f"/cs/aktuality/?page={max(1, items // 24)}",
        ]
        say(f"size {items}: added {added} in {time.perf_counter() - started:.1f} s; load {load()}")
        for path in paths:
            figure = measure(client, path, args.requests)
            figure["items"] = items
            results.append(figure)
            say(
                f"  {path:45s} p50 {figure['p50_ms']:8.1f} ms  p90 {figure['p90_ms']:8.1f} ms"
                f"  {figure['queries']:3d} queries, {figure['sql_ms']:7.1f} ms SQL"
            )
            say(f"      slowest SQL: {figure['slowest_sql'][:200]}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    say(f"load {load()}; settings {os.environ.get('DJANGO_SETTINGS_MODULE')}")


if __name__ == "__main__":
    main()
