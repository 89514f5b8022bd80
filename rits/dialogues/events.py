"""Audit event codes of the dialogue tables."""

from django.utils.translation import gettext_lazy as _

from rits.audit import registry

registry.register(
    {
        "dialogues.trajectory_proposed": _("Closed family plan proposed for a dialogue table"),
        "dialogues.trajectory_entered": _("Trajectory entered by hand for a dialogue table"),
        "dialogues.consent_given": _("Consent given for a dialogue table"),
        "dialogues.consent_refused": _(
            "Consent for a dialogue table refused: not the right person"
        ),
        "dialogues.consent_withdrawn": _("Consent for a dialogue table withdrawn"),
        "dialogues.consent_viewed": _("Consent page of a dialogue table viewed"),
        "dialogues.table_opened": _("Dialogue table opened"),
        "dialogues.table_viewed": _("Dialogue table viewed"),
        "dialogues.table_held": _("Dialogue table marked as held"),
        "dialogues.participant_invited": _("Participant invited to a dialogue table"),
        "dialogues.chair_refused": _("Chair refused: was in the care team"),
        "dialogues.invitation_answered": _("Invitation to a dialogue table answered"),
        "dialogues.account_prepared": _("Chronological account prepared"),
        "dialogues.account_edited": _("Chronological account edited"),
        "dialogues.account_released": _("Chronological account shared with the table"),
        "dialogues.finding_recorded": _("Finding recorded"),
        "dialogues.finding_coded": _("Finding coded by a second coder"),
        "dialogues.action_created": _("Improvement action created"),
        "dialogues.action_updated": _("Improvement action updated"),
        "dialogues.action_reminded": _("Improvement action owner reminded"),
        "dialogues.segments_viewed": _("Pseudonymised segments viewed"),
        "dialogues.synthesis_viewed": _("Synthesis of dialogue tables viewed"),
        "dialogues.material_exported": _("Coded material exported"),
        "dialogues.code_created": _("Code added to the codebook"),
        "dialogues.code_changed": _("Code changed or renamed"),
        "dialogues.code_merged": _("Code merged into another"),
        "dialogues.code_retired": _("Code retired"),
        "dialogues.codebook_exported": _("Codebook exported (REFI-QDA)"),
        "dialogues.codebook_imported": _("Codebook imported (REFI-QDA)"),
        "dialogues.codebook_import_rejected": _("Codebook import refused"),
    }
)
