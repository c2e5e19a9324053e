"""Where uploaded media (images, documents, renditions) live: ``MEDIA_STORAGE`` (base.py).

- ``local`` (the default): ``MEDIA_ROOT`` on this machine's disk. Django serves it only
  with ``DEBUG``; in production the reverse proxy serves ``/media/`` from that directory
  (WhiteNoise serves collected static files only: it lists its files at start-up, and
  media are uploaded later). Several app servers then need one shared directory.
- ``s3``: any S3-compatible object store through django-storages (AWS, MinIO, Ceph,
  Hetzner, OVH…): ``AWS_STORAGE_BUCKET_NAME`` (required), ``AWS_S3_ENDPOINT_URL``
  (non-AWS stores), ``AWS_S3_REGION_NAME``, ``AWS_S3_CUSTOM_DOMAIN`` (a CDN in front),
  ``AWS_LOCATION`` (key prefix, ``media``), ``AWS_QUERYSTRING_AUTH`` (signed, expiring
  URLs; off by default, since published images are public and cached pages must not
  carry URLs that expire). Credentials: ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``
  (or an instance role), read by boto3 itself, never by these settings.
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from cms.settings.environment import env_bool, env_str, one_of

MEDIA_STORAGES = ("local", "s3")


def media_storage(env=os.environ) -> dict:
    """The ``STORAGES["default"]`` entry for the environment ``env``."""
    kind = one_of(
        "MEDIA_STORAGE",
        env_str("MEDIA_STORAGE", "local", environ=env).lower(),
        MEDIA_STORAGES,
        what="storage",
    )
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    bucket = env_str("AWS_STORAGE_BUCKET_NAME", environ=env)
    if not bucket:
        raise ImproperlyConfigured("AWS_STORAGE_BUCKET_NAME: needed with MEDIA_STORAGE=s3")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", environ=env) or None,
            "region_name": env_str("AWS_S3_REGION_NAME", environ=env) or None,
            "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN", environ=env) or None,
            "location": env_str("AWS_LOCATION", "media", environ=env),
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False, environ=env),
            # Two uploads of "logo.png" must not overwrite each other.
            "file_overwrite": False,
        },
    }


def media_origins(storage: dict) -> list[str]:
    """Origins the browser loads media from, for the Content-Security-Policy's ``img-src``."""
    options = storage.get("OPTIONS", {})
    if storage["BACKEND"] != "storages.backends.s3.S3Storage":
        return []
    if options.get("custom_domain"):
        return [f"https://{options['custom_domain']}"]
    if options.get("endpoint_url"):
        endpoint = urlsplit(options["endpoint_url"])
        # Path-style (endpoint/bucket/key) and virtual-host style (bucket.endpoint/key).
        return [
            f"{endpoint.scheme}://{endpoint.netloc}",
            f"{endpoint.scheme}://{options['bucket_name']}.{endpoint.netloc}",
        ]
    return [f"https://{options['bucket_name']}.s3.amazonaws.com", "https://*.amazonaws.com"]
