"""Create the local admin account once and print how to log in.

Credentials come from DJANGO_SUPERUSER_USERNAME / DJANGO_SUPERUSER_PASSWORD when set; otherwise a
random password is generated once and kept in var/admin-credentials.txt (git-ignored), so every
later `make run` prints the same, still valid, credentials.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the admin account if it does not exist and print its credentials."

    def handle(self, *args, **options):
        credentials_file = Path(settings.VAR_DIR) / "admin-credentials.txt"
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if password is None and credentials_file.exists():
            stored_user, _, stored_password = credentials_file.read_text().strip().partition(":")
            if stored_user == username:
                password = stored_password
        if password is None:
            password = secrets.token_urlsafe(12)

        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@localhost", "is_staff": True, "is_superuser": True},
        )
        if created or not user.check_password(password):
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
        credentials_file.parent.mkdir(parents=True, exist_ok=True)
        credentials_file.write_text(f"{username}:{password}\n")
        credentials_file.chmod(0o600)
        address = f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}/admin/"
        self.stdout.write(f"Admin: {address}  user: {username}  password: {password}")
