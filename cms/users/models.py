from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The project's own user model, in place from day one so it can grow
    (e.g. a home country for editors) without a painful swap later."""
