"""The benchmarks behind ``make bench``: management commands, the data they build and
the baseline views they measure against. Not part of the product: ``rits.settings``
installs this app only with DEBUG on, under test, or with ``RITS_BENCHMARKS=1``."""
