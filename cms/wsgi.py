import gc
import os

from django.core.wsgi import get_wsgi_application

from cms.settings.environment import settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
settings_or_exit()
application = get_wsgi_application()

# What is loaded by now (Django, Wagtail, the models) lives as long as the worker. Frozen,
# the collector neither walks it nor writes to its pages, so gunicorn's workers, forked
# from a preloading master, keep sharing those pages (copy-on-write). The collector's
# thresholds stay Python's defaults.
gc.freeze()
