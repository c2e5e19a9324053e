"""The dashboard names the editor's site by its country in the editor's language."""

import re

import pytest
from django.test import Client

from tests.factories import country_user


def dashboard(code: str) -> str:
    client = Client()
    client.force_login(country_user(code))
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def heading(html: str) -> str:
    return re.search(r'<h1 class="w-h1[^"]*">\s*(.*?)\s*</h1>', html, re.S).group(1)


@pytest.mark.parametrize(
    ("code", "name"),
    [("CZ", "Česká republika"), ("SK", "Slovensko"), ("AT", "Österreich"), ("PL", "Polska")],
)
def test_the_heading_names_the_country_in_the_editors_language(db, code, name):
    html = dashboard(code)
    assert heading(html) == name


def test_the_counts_name_it_too(db):
    html = dashboard("CZ")
    assert "vytvořených na webu Česká republika" in html
    assert "Czech Republic" not in html
