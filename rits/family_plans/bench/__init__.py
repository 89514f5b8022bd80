"""The family-plan benchmark: a production-like server (gunicorn, DEBUG off) on a
temporary SQLite database, with the two baselines served by the same server.

Only ``rits.family_plans.bench.settings`` mounts the baseline routes; the deployed
URL configuration never contains them.
"""
