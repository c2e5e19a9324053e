import pytest

from tests.purging import recording_purges


@pytest.fixture
def purge_server():
    """A local HTTP server taking the PURGEs (``tests.purging.PurgeRecorder.received``)."""
    with recording_purges() as server:
        yield server
