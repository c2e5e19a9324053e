"""Fixtures of the webhook tests: a real HTTP endpoint per test (``tests.webhooks.receiver``)."""

import pytest

from tests.webhooks.receiver import Receiver


@pytest.fixture
def endpoint():
    """A real HTTP endpoint on 127.0.0.1 that records every POST."""
    receiver = Receiver()
    yield receiver
    receiver.close()
