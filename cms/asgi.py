import os

from django.core.asgi import get_asgi_application

from cms.settings.environment import settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
settings_or_exit()
application = get_asgi_application()
