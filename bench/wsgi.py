"""The production WSGI application (``rits.wsgi``) with the benchmark's baseline routes
mounted in front of Rits' own (``bench.family_plans.urls``). Only the benchmark's
gunicorn loads this module; the deployed URL configuration never holds the baselines."""

import os

from django.test.utils import override_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rits.settings")
os.environ.setdefault("RITS_BENCHMARKS", "1")

from rits.wsgi import application

# Each request reads ROOT_URLCONF as it starts, so this holds from the first one on.
override_settings(ROOT_URLCONF="bench.family_plans.urls").enable()

__all__ = ["application"]
