"""The client's address behind reverse proxies.

Audit entries (NEN 7513) and the login lockout must name the client, not the proxy in
front of Rits. With ``RITS_TRUSTED_PROXIES=n``, werkzeug's ProxyFix takes the address
that the n-th proxy from the back added to ``X-Forwarded-For`` and puts it in
``REMOTE_ADDR``, which everything in Rits reads. Addresses further left in the header
are the client's own say and never trusted. The default, 0, reads the socket's
address only: right when nothing stands in front, and safe when in doubt.
"""

from __future__ import annotations

from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix


def behind_proxies(application: Any, count: int) -> Any:
    """``application`` as seen through ``count`` trusted proxies (itself for 0)."""
    if count <= 0:
        return application
    return ProxyFix(application, x_for=count, x_proto=0, x_host=0, x_port=0, x_prefix=0)
