"""Settings for the benchmark server: the deployment settings, plus the baseline routes
and a static root of its own (collected into the temporary directory)."""

import os
from pathlib import Path

from rits.settings import *  # noqa: F403

ROOT_URLCONF = "rits.family_plans.bench.urls"
STATIC_ROOT = Path(os.environ.get("RITS_BENCH_STATIC_ROOT", str(BASE_DIR / "staticfiles")))  # noqa: F405
