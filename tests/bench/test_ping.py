"""The bench's baseline view: ``?bytes=N`` sends exactly N bytes of JSON, anything else its
small answer (``.ci/bench-api`` compares the cached listing with a baseline of its size)."""

import json

import pytest
from django.test import RequestFactory

from cms.bench.api import ping


@pytest.mark.parametrize("size", [31_166, 2_369, 23])
def test_the_baseline_sends_as_many_bytes_as_asked(size):
    response = ping(RequestFactory().get("/", {"bytes": size}))
    assert len(response.content) == size
    assert json.loads(response.content)["ok"] is True


@pytest.mark.parametrize("asked", ["", "ten", "-5", "3", "22"])
def test_the_baseline_is_small_unless_asked_for_more(asked):
    assert ping(RequestFactory().get("/", {"bytes": asked})).content == b'{"ok": true}'
