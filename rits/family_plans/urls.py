from django.urls import path

from rits.family_plans.views import plan, records, team

app_name = "family_plans"

urlpatterns = [
    path("", plan.plan_list, name="list"),
    path("nieuw/", plan.start, name="start"),
    path("uitnodiging/", team.invitation_steps, name="invitation_steps"),
    path("uitnodiging/<str:token>/", team.invitation, name="invitation"),
    path("noodtoegang/", team.emergency, name="emergency"),
    path("noodtoegang/overzicht/", team.emergency_overview, name="emergency_overview"),
    path("noodtoegang/<id:grant_id>/beeindigen/", team.emergency_end, name="emergency_end"),
    path("<id:plan_id>/", plan.plan_page, name="plan"),
    path("<id:plan_id>/afdrukken/", plan.print_view, name="print"),
    path("<id:plan_id>/doelen/", plan.goal_list, name="goal_list"),
    path("<id:plan_id>/doelen/nieuw/", plan.goal_add, name="goal_add"),
    path("<id:plan_id>/doelen/<id:goal_id>/", plan.goal_edit, name="goal_edit"),
    path("<id:plan_id>/doelen/<id:goal_id>/score/", plan.goal_score, name="goal_score"),
    path("<id:plan_id>/acties/", plan.action_list, name="action_list"),
    path("<id:plan_id>/acties/nieuw/", plan.action_add, name="action_add"),
    path("<id:plan_id>/acties/<id:action_id>/", plan.action_edit, name="action_edit"),
    path("<id:plan_id>/besluiten/", plan.decision_list, name="decision_list"),
    path("<id:plan_id>/besluiten/nieuw/", plan.decision_add, name="decision_add"),
    path("<id:plan_id>/besluiten/<id:decision_id>/", plan.decision_edit, name="decision_edit"),
    path(
        "<id:plan_id>/besluiten/<id:decision_id>/antwoord/",
        plan.decision_answer,
        name="decision_answer",
    ),
    path("<id:plan_id>/evaluaties/nieuw/", plan.evaluation_add, name="evaluation_add"),
    path(
        "<id:plan_id>/evaluaties/<id:evaluation_id>.ics",
        records.evaluation_ics,
        name="evaluation_ics",
    ),
    path("<id:plan_id>/reacties/nieuw/", plan.comment_add, name="comment_add"),
    path("<id:plan_id>/overgang/", plan.transition_update, name="transition"),
    path("<id:plan_id>/afsluiten/", plan.close, name="close"),
    path("<id:plan_id>/team/", team.team, name="team"),
    path("<id:plan_id>/team/nieuw/", team.member_add, name="member_add"),
    path("<id:plan_id>/team/<id:member_id>/toestemming/", team.consent_give, name="consent_give"),
    path("<id:plan_id>/team/<id:member_id>/vertrek/", team.member_leave, name="member_leave"),
    path(
        "<id:plan_id>/toestemming/<id:consent_id>/intrekken/",
        team.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<id:plan_id>/jim/", team.jim_invite, name="jim_invite"),
    path("<id:plan_id>/personen/nieuw/", team.person_add, name="person_add"),
    path("<id:plan_id>/personen/<id:person_id>/", team.person_edit, name="person_edit"),
    path(
        "<id:plan_id>/personen/<id:person_id>/weghalen/",
        team.person_remove,
        name="person_remove",
    ),
    path(
        "<id:plan_id>/personen/<id:person_id>/lijnen/nieuw/",
        team.relationship_add,
        name="relationship_add",
    ),
    path(
        "<id:plan_id>/personen/<id:person_id>/lijnen/<id:relationship_id>/",
        team.relationship_change,
        name="relationship_change",
    ),
    path(
        "<id:plan_id>/personen/<id:person_id>/lijnen/<id:relationship_id>/weghalen/",
        team.relationship_remove,
        name="relationship_remove",
    ),
    path(
        "<id:plan_id>/personen/<id:person_id>/uitnodigen/",
        team.person_invite,
        name="person_invite",
    ),
    path("<id:plan_id>/regisseur/", team.coordinator_set, name="coordinator"),
    path("<id:plan_id>/fhir.json", records.fhir_export, name="fhir"),
    path("<id:plan_id>/ecogram.svg", records.ecogram, name="ecogram"),
    path("<id:plan_id>/inzage/", records.access_log, name="access_log"),
    path("<id:plan_id>/geschiedenis/", records.history, name="history"),
    path("<id:plan_id>/mijn-gegevens.json", records.own_data, name="own_data"),
]
