from django.utils.translation import gettext_lazy as _

from rits.audit import registry

registry.register(
    {
        "audit.trail_searched": _("Audit trail searched"),
        "audit.trail_exported": _("Audit trail exported (CSV)"),
        "audit.chain_verified": _("Audit chain verified"),
        "audit.chain_anchored": _("Audit chain lanes anchored"),
    }
)
