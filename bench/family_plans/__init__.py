"""The family-plan benchmark: a production-like server (gunicorn, DEBUG off) on a
temporary SQLite database, with the two baselines served by the same server.

Only ``bench.wsgi`` mounts the baseline routes (``bench.family_plans.urls``); the
deployed URL configuration never contains them.
"""
