import pytest

from cms.core.models import Country
from tests.factories import country_user, logged_in
from tests.purging import recording_purges


@pytest.fixture
def cz(db):
    return Country.objects.get(code="CZ")


@pytest.fixture
def sk(db):
    return Country.objects.get(code="SK")


@pytest.fixture
def editors(cz):
    """Two people of the Czech team: an editor and a moderator (their admin is in Czech);
    the two at once of ``test_concurrent_edits`` and ``test_concurrent_page_edits``."""
    return logged_in(country_user("CZ")), logged_in(country_user("CZ", "moderators"))


@pytest.fixture
def purge_server():
    """A local HTTP server taking the PURGEs (``tests.purging.PurgeRecorder.received``)."""
    with recording_purges() as server:
        yield server


@pytest.fixture
def sites_dir(tmp_path):
    """A writable copy of the real site files (without the demo seed)."""
    import shutil

    from django.conf import settings

    target = tmp_path / "sites"
    shutil.copytree(settings.SITES_DIR, target, ignore=shutil.ignore_patterns("seed"))
    return target
