"""``cms.wsgi`` plus ``/media/`` from ``MEDIA_ROOT``, for ``make lighthouse`` only.

In production the reverse proxy serves ``/media/`` (README, "Media"); Django does not.
Lighthouse talks to gunicorn directly, so this stands in for the proxy: WhiteNoise looks
files up on each request (``autorefresh``), because image renditions are written when a
page first shows them, after start-up. Thirty days' ``max-age``, as a proxy would set.
"""

from django.conf import settings
from whitenoise import WhiteNoise

from cms.wsgi import application as cms_application

application = WhiteNoise(cms_application, autorefresh=True, max_age=30 * 24 * 3600)
# The images' folders only: documents reach visitors through Wagtail's view, which checks
# their collection's privacy (README, "Media").
for folder in ("original_images", "images"):
    application.add_files(
        str(settings.MEDIA_ROOT / folder), prefix=f"{settings.MEDIA_URL}{folder}/"
    )
