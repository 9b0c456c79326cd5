"""The portal's one way of writing a moment: "25 Nov 2026 22:24", in TIME_ZONE's local time.

FORMAT_MODULE_PATH puts this module before Django's own English formats (en_GB's
"25 Nov 2026, 10:24 p.m." ended a sentence in two full stops), so ``{{ value }}``,
``{{ value|date }}``, the admin and ``core.times.local_text`` all write the same. Input
formats are Django's: forms and admin filters parse as before.
"""

DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
