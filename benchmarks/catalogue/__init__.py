"""A synthetic catalogue at scale for load tests and query plans: `manage.py generate_catalogue`.

A Django app that only the local and test settings install (config/settings/local.py, test.py):
production never offers the command, which fills a database with made-up items.
"""
