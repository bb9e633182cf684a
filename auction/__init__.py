"""Mulik domain core: lots, lifecycle, money, calendar, journal.

Framework-free: nothing in this package imports Flask or SQLAlchemy. The law is the
Law of the Republic of Kazakhstan of 2 April 2010 No 261-IV "On enforcement proceedings
and the status of bailiffs"; "Art. 80.3" means article 80, paragraph 3.
"""
