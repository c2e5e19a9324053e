import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
application = get_wsgi_application()

# What is loaded by now (Django, Wagtail, the models) lives as long as the worker:
# frozen, the cyclic garbage collector stops walking it on every full collection
# (about 200,000 objects; measured 0.25 ms per API request on average, 0.01 ms frozen).
gc.freeze()

# A request allocates tens of thousands of objects that reference counting frees when it
# ends. With Python's default threshold (700 allocations) the collector ran about once per
# API listing and walked the half-built response each time: 10 % of the request's CPU
# (5.12 -> 4.63 ms on a 20-item listing, the same as with the collector off). At 10,000 it
# runs once in about 170 listings, for what Django's request cycles leave (about 60 objects
# a request; the API's own objects leave none, tests/api/test_garbage.py): 0.9 % of the
# CPU, longest pause 17 ms. At 50,000 it was 1.3 %, but each pause up to 64 ms, which put
# 50 ms into the p99 of cached responses.
gc.set_threshold(10_000, 10, 10)
