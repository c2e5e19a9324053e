"""Where the files outside the Python package are: ``templates/``, ``locale/``, ``sites/``.

In a checkout (and an editable install) they sit beside ``cms/``. ``pip install .`` puts
them into ``<prefix>/share/clusters-cord-cms/`` (``[tool.setuptools.data-files]`` in
pyproject.toml), since the repository's top level keeps them outside the package.
``BASE_DIR`` is whichever of the two holds them; the default ``var/`` (SQLite file,
media, collected static files) lives there too unless the environment says otherwise.
"""

import sysconfig
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

CHECKOUT_DIR = Path(__file__).resolve().parents[2]
INSTALLED_DIR = Path(sysconfig.get_path("data")) / "share" / "clusters-cord-cms"


def project_dir() -> Path:
    for candidate in (CHECKOUT_DIR, INSTALLED_DIR):
        if (candidate / "templates").is_dir():
            return candidate
    raise ImproperlyConfigured(
        f"No templates/ in {CHECKOUT_DIR} (a checkout) nor in {INSTALLED_DIR} (pip install .)"
    )


BASE_DIR = project_dir()
