"""Helpers the tests import: plain functions and classes, wrapped by fixtures in the conftest.py files."""
