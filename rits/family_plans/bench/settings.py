"""Settings for the benchmark server: the deployment settings, plus the baseline routes
and a static root of its own (collected into the temporary directory)."""

import os

from rits.settings import *  # noqa: F403

ROOT_URLCONF = "rits.family_plans.bench.urls"
STATIC_ROOT = os.environ.get("RITS_BENCH_STATIC_ROOT", "")
