"""English as the network writes it: day before month, 24-hour clock.

Only the names set here override Django's ``en`` formats; the rest (number
separators, ISO input) stay as they are.
"""

DATE_FORMAT = "j F Y"  # 20 May 2011
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 20 May 2011, 14:30
YEAR_MONTH_FORMAT = "F Y"  # May 2011
MONTH_DAY_FORMAT = "j F"  # 20 May
SHORT_DATE_FORMAT = "d/m/Y"  # 20/05/2011
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 20/05/2011 14:30
FIRST_DAY_OF_WEEK = 1  # Monday
# What forms accept (the search page's dates): ISO first, then day before month, never
# the American month-first reading of "05/06/2011".
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d",
]
