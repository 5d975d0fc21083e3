from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_creates_a_superuser_once_and_prints_the_same_working_credentials(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    first, second = StringIO(), StringIO()
    call_command("ensure_admin", stdout=first)
    call_command("ensure_admin", stdout=second)
    password = first.getvalue().split("password: ")[1].strip()
    assert second.getvalue() == first.getvalue()
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff and user.check_password(password)
    assert (tmp_path / "admin-credentials.txt").stat().st_mode & 0o077 == 0


def test_credentials_from_the_environment_win(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "s3cret-Passw0rd")
    call_command("ensure_admin", stdout=StringIO())
    assert get_user_model().objects.get(username="root").check_password("s3cret-Passw0rd")
