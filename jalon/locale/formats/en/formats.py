"""English formats for Jalon.

Dates are day first (dd/mm/yyyy) and times use 24 hours, as in the French interface and in the
documents and charts (jalon.reports.typography), so that 01/12/2026 is the same day on every page.
Django's default English formats are American (month first), which would make 01/12/2026 read as
12 January on some pages and 1 December on others. Numbers keep the English separators.
"""

DATE_FORMAT = "j M Y"  # 25 Oct 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j M Y, H:i"  # 25 Oct 2026, 14:30
YEAR_MONTH_FORMAT = "F Y"  # October 2026
MONTH_DAY_FORMAT = "j F"  # 25 October
SHORT_DATE_FORMAT = "d/m/Y"  # 25/10/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 25/10/2026 14:30
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 25/10/2026
    "%d/%m/%y",  # 25/10/26
    "%Y-%m-%d",  # 2026-10-25, what <input type="date"> sends
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",  # what <input type="datetime-local"> sends
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
