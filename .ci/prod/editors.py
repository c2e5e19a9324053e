"""``make chaos``'s editors: country moderators who log in and save and publish title
changes through the admin's page edit form, as a browser posts it."""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from stack import ADMIN_HOST, LB, Connection, Run

#: Letters no stemmer or lemmatiser trims (no vowels, no s): each edit's word stays whole.
LETTERS = "bcdfghjklmnpqrtvwxz"


def word(rng: random.Random, width: int = 7) -> str:
    """A made-up word; two of them differ in most letters, beyond the typo tolerance of
    search (a word one letter off an old title's would still find the page)."""
    return "".join(rng.choice(LETTERS) for _ in range(width))


@dataclass
class Edit:
    editor: str
    page_id: int
    kind: str
    slug: str
    title: str
    word: str
    phase: str = ""
    posts: int = 0
    confirmed: bool = False
    failure: str = ""


class Editor:
    """A moderator in the admin: logs in through the form, posts the page edit form."""

    def __init__(self, run: Run, username: str, password: str):
        self.run, self.username, self.password = run, username, password
        self.conn = Connection()
        self.cookies: dict[str, str] = {}

    def send(self, method, path, fields=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # As a browser sends it; Django's CSRF check compares it with the host.
            headers["Origin"] = f"http://{ADMIN_HOST}:{LB[1]}"
        status, data, msg = self.conn.request(
            method, path, host=f"{ADMIN_HOST}:{LB[1]}", body=body, headers=headers
        )
        if msg is not None:
            # The session and CSRF cookies are Secure (production): a browser on plain HTTP
            # would drop them, so this client keeps them itself.
            for header in msg.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
        return status, data, msg

    def login(self) -> bool:
        for _ in range(30):
            status, _, _ = self.send("GET", "/admin/login/")
            if status == 200 and "csrftoken" in self.cookies:
                status, _, msg = self.send(
                    "POST", "/admin/login/", {"username": self.username, "password": self.password}
                )
                if status == 302 and "sessionid" in self.cookies:
                    return True
            time.sleep(1)
        return False

    def publish(self, edit: Edit, form: dict) -> tuple[int, bytes]:
        data = {**form, "action-publish": "action-publish"}
        status, body, _ = self.send("POST", f"/admin/pages/{edit.page_id}/edit/", data)
        return status, body


def editor_loop(run: Run, editor: Editor, edits: list[Edit], forms, interval: float):
    """Edits in their order, one every ``interval`` seconds; an edit whose post failed is
    posted again (as an editor would press Publish again) until it is confirmed or 30 s pass."""
    for edit in edits:
        if run.stop.is_set():
            break
        phase = run.phase
        edit.phase = phase.name
        with run.lock:
            phase.edits_attempted += 1
        deadline = time.monotonic() + 30
        while True:
            edit.posts += 1
            with run.lock:
                run.phase.edit_posts += 1
            status, body = editor.publish(edit, forms(edit))
            if status == 302:
                edit.confirmed = True
                with run.lock:
                    phase.edits_confirmed += 1
                break
            if status == 200:  # the form came back: a validation error, not an outage
                edit.failure = f"form refused: {body[:300]!r}"
                break
            edit.failure = f"HTTP {status or 'no answer'}"
            if time.monotonic() >= deadline:
                break
            time.sleep(1)
        run.stop.wait(interval)


def make_editors(count: int):
    """Moderators of countries with news (they may publish; editors only submit)."""
    from django.contrib.auth import get_user_model

    from cms.core.models import Country
    from cms.news.models import NewsPage

    people = []
    for country in Country.objects.exclude(site=None).order_by("code"):
        if len(people) == count:
            break
        pages = list(NewsPage.objects.live().descendant_of(country.home_page).order_by("pk")[:3])
        if not pages:
            continue
        password = secrets.token_urlsafe(16)
        user, _ = get_user_model().objects.get_or_create(username=f"chaos-{country.code.lower()}")
        user.set_password(password)
        user.is_active = True
        user.save()
        user.groups.set([country.moderators_group])
        people.append((user.username, password, pages))
    return people
