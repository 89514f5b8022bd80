import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rits.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after setup)

from rits.lib.proxies import behind_proxies  # noqa: E402

# The client's address, not the reverse proxy's, in audit entries and lockouts.
application = behind_proxies(application, settings.RITS_TRUSTED_PROXIES)

from rits.lib.sqlite_wal import start_checkpointer  # noqa: E402  (needs the settings)

# SQLite: no request pays for copying the write-ahead log back into the database.
start_checkpointer()
# Objects loaded at startup leave the collector's generations: no 35-45 ms pauses in
# requests for full collections that would find nothing to free.
gc.freeze()
