"""Answers a GET request reads once: kept for the request, dropped with it.

A visitor page asks the same questions from its menu, listings, teasers and breadcrumbs:
which pages are under a view restriction (``cms.core.visibility.restricted_q``), which
site a page is on (``cms.core.pages.BasePage.get_site``). Each was a query every time,
seven times on a home page. Inside a GET or HEAD request (``ReadOncePerRequest``) each is
read once. Elsewhere, in a POST, a command or the task worker, every call reads the
database: a POST may change the answer (add a restriction, move a page) and then ask again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

#: The current GET request's answers by question; ``None`` outside one.
MEMO: ContextVar[dict | None] = ContextVar("request_memo", default=None)


def once_per_request(question: Hashable, read: Callable[[], T]) -> T:
    """``read()``, once per GET request for each ``question``; at every call elsewhere."""
    memo = MEMO.get()
    if memo is None:
        return read()
    if question not in memo:
        memo[question] = read()
    return memo[question]


def known_for_request(question: Hashable, answer) -> None:
    """Keep an answer the request already has (the site its host names) for ``question``."""
    memo = MEMO.get()
    if memo is not None:
        memo.setdefault(question, answer)


class ReadOncePerRequest:
    """Middleware: a GET or HEAD request keeps its answers (``once_per_request``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = MEMO.set({})
        try:
            return self.get_response(request)
        finally:
            MEMO.reset(token)
