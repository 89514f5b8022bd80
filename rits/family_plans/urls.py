from django.urls import path

from rits.family_plans.views import edit, plan, records, team

app_name = "family_plans"

urlpatterns = [
    path("", plan.plan_list, name="list"),
    path("nieuw/", plan.start, name="start"),
    path("uitnodiging/<str:token>/", team.invitation, name="invitation"),
    path("noodtoegang/", team.emergency, name="emergency"),
    path("noodtoegang/overzicht/", team.emergency_overview, name="emergency_overview"),
    path("noodtoegang/<int:grant_id>/beeindigen/", team.emergency_end, name="emergency_end"),
    path("<int:plan_id>/", plan.plan_page, name="plan"),
    path("<int:plan_id>/afdrukken/", plan.print_view, name="print"),
    path("<int:plan_id>/doelen/", plan.goal_list, name="goal_list"),
    path("<int:plan_id>/doelen/nieuw/", edit.goal_add, name="goal_add"),
    path("<int:plan_id>/doelen/<int:goal_id>/", edit.goal_edit, name="goal_edit"),
    path("<int:plan_id>/doelen/<int:goal_id>/score/", edit.goal_score, name="goal_score"),
    path("<int:plan_id>/acties/", plan.action_list, name="action_list"),
    path("<int:plan_id>/acties/nieuw/", edit.action_add, name="action_add"),
    path("<int:plan_id>/acties/<int:action_id>/", edit.action_edit, name="action_edit"),
    path("<int:plan_id>/besluiten/", plan.decision_list, name="decision_list"),
    path("<int:plan_id>/besluiten/nieuw/", edit.decision_add, name="decision_add"),
    path("<int:plan_id>/besluiten/<int:decision_id>/", edit.decision_edit, name="decision_edit"),
    path(
        "<int:plan_id>/besluiten/<int:decision_id>/antwoord/",
        edit.decision_answer,
        name="decision_answer",
    ),
    path("<int:plan_id>/evaluaties/nieuw/", edit.evaluation_add, name="evaluation_add"),
    path(
        "<int:plan_id>/evaluaties/<int:evaluation_id>.ics",
        records.evaluation_ics,
        name="evaluation_ics",
    ),
    path("<int:plan_id>/reacties/nieuw/", edit.comment_add, name="comment_add"),
    path("<int:plan_id>/overgang/", edit.transition_update, name="transition"),
    path("<int:plan_id>/overgang/<slug:topic>/", edit.transition_update, name="transition_edit"),
    path("<int:plan_id>/afsluiten/", plan.close, name="close"),
    path("<int:plan_id>/team/", team.team, name="team"),
    path("<int:plan_id>/team/nieuw/", team.member_add, name="member_add"),
    path("<int:plan_id>/team/<int:member_id>/toestemming/", team.consent_give, name="consent_give"),
    path("<int:plan_id>/team/<int:member_id>/vertrek/", team.member_leave, name="member_leave"),
    path(
        "<int:plan_id>/toestemming/<int:consent_id>/intrekken/",
        team.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<int:plan_id>/jim/", team.jim_invite, name="jim_invite"),
    path("<int:plan_id>/personen/nieuw/", team.person_add, name="person_add"),
    path("<int:plan_id>/personen/<int:person_id>/", team.person_edit, name="person_edit"),
    path(
        "<int:plan_id>/personen/<int:person_id>/weghalen/",
        team.person_remove,
        name="person_remove",
    ),
    path(
        "<int:plan_id>/personen/<int:person_id>/lijnen/nieuw/",
        team.relationship_add,
        name="relationship_add",
    ),
    path(
        "<int:plan_id>/personen/<int:person_id>/lijnen/<int:relationship_id>/",
        team.relationship_change,
        name="relationship_change",
    ),
    path(
        "<int:plan_id>/personen/<int:person_id>/lijnen/<int:relationship_id>/weghalen/",
        team.relationship_remove,
        name="relationship_remove",
    ),
    path(
        "<int:plan_id>/personen/<int:person_id>/uitnodigen/",
        team.person_invite,
        name="person_invite",
    ),
    path("<int:plan_id>/regisseur/", team.coordinator_set, name="coordinator"),
    path("<int:plan_id>/fhir.json", records.fhir_export, name="fhir"),
    path("<int:plan_id>/ecogram.svg", records.ecogram, name="ecogram"),
    path("<int:plan_id>/inzage/", records.access_log, name="access_log"),
    path("<int:plan_id>/geschiedenis/", records.history, name="history"),
    path("<int:plan_id>/mijn-gegevens.json", records.own_data, name="own_data"),
]
