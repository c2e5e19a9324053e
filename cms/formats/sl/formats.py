"""Slovenian dates without a leading zero on the day ("2. november 2011"; Django's ``sl``
writes "02. november 2011"), and a comma before the time instead of a full stop after
the year ("2. november 2011, 09:00", not "2. november 2011. 09:00").

Only the names set here override Django's ``sl`` formats.
"""

DATE_FORMAT = "j. F Y"  # 2. november 2011
DATETIME_FORMAT = "j. F Y, H:i"  # 2. november 2011, 09:00
