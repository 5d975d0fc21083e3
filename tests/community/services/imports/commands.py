"""Running the import commands (import_bibtex, import_arxiv, import_deadlines) from a test."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def import_output(command: str, *inputs) -> str:
    """What `command` prints for `inputs` (files or ids) when every record is imported."""
    out = io.StringIO()
    call_command(command, *map(str, inputs), stdout=out)
    return out.getvalue()


def failed_import_output(command: str, *inputs) -> str:
    """What `command` prints for `inputs` when a record fails: it imports the others and exits 1."""
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(command, *map(str, inputs), stdout=out)
    assert raised.value.returncode == 1
    return out.getvalue()
