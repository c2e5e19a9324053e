"""Read ``make lighthouse``'s JSON reports: print the scores as a table and fail below the bar.

``python lighthouse_report.py MANIFEST COMMAND``: MANIFEST has one ``name<TAB>url<TAB>flags
<TAB>report.json`` line per page; COMMAND is the Lighthouse command line, printed with the
table. Exit status 1 when any page scores below ``MINIMUM`` in a category (issue 11:
accessibility, best practices and SEO at least 95, performance at least 90); then the
audits that cost points are listed under the table, so whoever fixes the pages knows where
to look. Standard library only.
"""

import json
import sys
from pathlib import Path

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = {"performance": 90, "accessibility": 95, "best-practices": 95, "seo": 95}


def score(category: dict) -> int | None:
    """Lighthouse's 0..1 category score as the 0..100 it shows (None: could not be scored)."""
    return None if category.get("score") is None else round(category["score"] * 100)


def lost_points(report: dict, category_id: str) -> list[str]:
    """The weighted audits of a category that did not pass, with their score and title."""
    audits = report["audits"]
    lines = []
    for ref in report["categories"][category_id]["auditRefs"]:
        audit = audits.get(ref["id"], {})
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            shown = audit.get("displayValue", "")
            lines.append(
                f"    {ref['id']} (score {audit['score']:.2f}, weight {ref['weight']:g})"
                f": {audit.get('title', '')}{f' [{shown}]' if shown else ''}"
            )
    return lines


def say(text: str = "") -> None:
    sys.stdout.write(f"{text}\n")


def main(manifest: Path, command: str) -> int:
    rows, failures, version = [], [], ""
    for line in manifest.read_text().splitlines():
        name, url, flags, path = line.split("\t")
        report = json.loads(Path(path).read_text())
        version = report.get("lighthouseVersion", version)
        if report.get("runtimeError"):
            failures.append(f"{name}: Lighthouse could not measure {url}: {report['runtimeError']}")
        scores = {c: score(report["categories"][c]) for c in CATEGORIES}
        rows.append((name, url, flags, scores))
        for category in CATEGORIES:
            value = scores[category]
            if value is None or value < MINIMUM[category]:
                failures.append(f"{name} {category} {value} < {MINIMUM[category]}:")
                failures.extend(lost_points(report, category))
    say(f"Lighthouse {version}, mobile profile: {command}")
    say()
    say("| page | URL | performance | accessibility | best practices | SEO |")
    say("| --- | --- | ---: | ---: | ---: | ---: |")
    for name, url, flags, scores in rows:
        note = f" ({flags})" if flags else ""
        cells = " | ".join("-" if scores[c] is None else str(scores[c]) for c in CATEGORIES)
        say(f"| {name} | {url}{note} | {cells} |")
    bar = ", ".join(f"{c} >= {m}" for c, m in MINIMUM.items())
    if failures:
        say(f"\nBelow the bar ({bar}):")
        say("\n".join(failures))
        return 1
    say(f"\nEvery page meets the bar ({bar}).")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2]))
