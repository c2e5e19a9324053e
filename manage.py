#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    from django.core.management import execute_from_command_line

    from cms.settings.environment import settings_or_exit

    settings_or_exit()
    execute_from_command_line(sys.argv)
