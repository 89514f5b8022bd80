import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rits.settings")
application = get_wsgi_application()

from rits.lib.sqlite_wal import start_checkpointer  # noqa: E402  (needs the settings)

# SQLite: no request pays for copying the write-ahead log back into the database.
start_checkpointer()
# Objects loaded at startup leave the collector's generations: no 35-45 ms pauses in
# requests for full collections that would find nothing to free.
gc.freeze()
