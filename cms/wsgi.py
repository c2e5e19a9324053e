import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
application = get_wsgi_application()

# What is loaded by now (Django, Wagtail, the models) lives as long as the worker:
# frozen, the cyclic garbage collector stops walking it on every full collection
# (about 200,000 objects; measured 0.25 ms per API request on average, 0.01 ms frozen).
gc.freeze()
