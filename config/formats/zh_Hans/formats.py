"""Simplified Chinese formats on top of Django's (django/conf/locale/zh_Hans/formats.py).

Django groups digits in fours with no separator, which prints a parameter count as 1234567; numbers
in Chinese technical writing are grouped in threes with commas (1,234,567).
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
