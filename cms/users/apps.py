from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "cms.users"
    label = "users"
    verbose_name = "Users"

    def ready(self):
        from cms.users import signals  # noqa: F401  (connects the receivers)
