"""The site's hand-written CSS (``cms/core/static/cms/css/``) says what the design needs.

Long German headings ("Fertigungstechnologien") broke mid-word without a hyphen on a
375 px phone: Safari (every browser on iOS) hyphenates only with ``-webkit-hyphens``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "cms" / "core" / "static" / "cms" / "css"
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
COMMENT = re.compile(r"/\*.*?\*/", re.S)


def declarations_for(selector: str) -> dict[str, str]:
    """Every declaration of the rules naming ``selector`` among theirs, in every file."""
    found = {}
    for path in sorted(CSS.glob("*.css")):
        text = COMMENT.sub("", path.read_text(encoding="utf-8"))
        for selectors, body in RULE.findall(text):
            if selector in (part.strip() for part in selectors.split(",")):
                for declaration in body.split(";"):
                    name, _colon, value = declaration.partition(":")
                    if value:
                        found[name.strip()] = value.strip()
    return found


@pytest.mark.parametrize("heading", ["h1", "h2", "h3", "h4"])
def test_headings_hyphenate_in_every_browser(heading):
    declarations = declarations_for(heading)
    assert declarations.get("hyphens") == "auto"
    assert declarations.get("-webkit-hyphens") == "auto"
