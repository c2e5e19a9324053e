"""Italian dates as Italian writes them: no leading zero on the day, and (with the month
and weekday names of ``locale/_wagtail/it``, which Django's Italian catalogue capitalises)
in lower case: "2 novembre 2011", "lunedì 24 ottobre 2011, 09:30".

Only the names set here override Django's ``it`` formats.
"""

DATE_FORMAT = "j F Y"  # 2 novembre 2011
DATETIME_FORMAT = "l j F Y, H:i"  # lunedì 24 ottobre 2011, 09:30
