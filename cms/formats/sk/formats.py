"""Slovak dates with the month in the genitive, as Slovak writes a date ("20. mája 2011",
like Czech's "20. května 2011"); Django's ``F`` gives the nominative ("20. máj 2011").
``E`` is the month's "alt. month" name: Django's Slovak catalogue has the nominative there
too, ``locale/_wagtail/sk`` the genitive.

Only the names set here override Django's ``sk`` formats.
"""

DATE_FORMAT = "j. E Y"  # 20. mája 2011
DATETIME_FORMAT = "j. E Y G:i"  # 20. mája 2011 14:30
