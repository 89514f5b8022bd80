import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rits.settings")
application = get_wsgi_application()
# Objects loaded at startup leave the collector's generations: no 35-45 ms pauses in
# requests for full collections that would find nothing to free.
gc.freeze()
