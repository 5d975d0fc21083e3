"""Local development: `make run`. DEBUG on unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

DEBUG = env.bool("DEBUG", default=True)

# `manage.py generate_catalogue` (benchmarks/catalogue): made-up items for load tests, never installed
# by the production settings.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.catalogue"]
