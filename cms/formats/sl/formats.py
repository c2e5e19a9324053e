"""Slovenian dates with the month in the genitive, as Slovenian writes a date ("2. novembra
2011"; Django's ``F`` gives the nominative, "02. november 2011"), without a leading zero on
the day, and a comma before the time instead of a full stop after the year ("2. novembra
2011, 09:00", not "2. november 2011. 09:00"). ``E`` is the month's "alt. month" name:
Django's Slovenian catalogue has the nominative there, ``locale/_wagtail/sl`` the genitive.

Only the names set here override Django's ``sl`` formats.
"""

DATE_FORMAT = "j. E Y"  # 2. novembra 2011
DATETIME_FORMAT = "j. E Y, H:i"  # 2. novembra 2011, 09:00
