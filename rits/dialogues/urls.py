from django.urls import path

from rits.dialogues import views

app_name = "dialogues"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("voordragen/", views.propose, name="propose"),
    path("trajecten/nieuw/", views.trajectory_new, name="trajectory_new"),
    path("toestemming/<id:trajectory_id>/", views.consent, name="consent"),
    path("nieuw/", views.table_new, name="table_new"),
    path("<id:table_id>/", views.table_detail, name="table"),
    path("<id:table_id>/uitnodigen/", views.table_invite, name="invite"),
    path("<id:table_id>/antwoord/", views.table_answer, name="answer"),
    path("<id:table_id>/verslag/", views.table_account, name="account"),
    path("<id:table_id>/gehouden/", views.table_held, name="held"),
    path("<id:table_id>/bevindingen/", views.table_findings, name="findings"),
    path("<id:table_id>/uitnodiging.ics", views.table_ics, name="ics"),
    path(
        "bevindingen/<id:finding_id>/tweede-codering/", views.finding_second_coding, name="second"
    ),
    path("bevindingen/<id:finding_id>/actie/", views.action_new, name="action_new"),
    path("acties/<id:improvement_id>/", views.action_detail, name="action"),
    path("codeboek/", views.codebook, name="codebook"),
    path("codeboek/export.qdc", views.codebook_export, name="codebook_export"),
    path("codeboek/importeren/", views.codebook_import, name="codebook_import"),
    path("codes/<id:code_id>/", views.code_detail, name="code"),
    path("overzicht/", views.synthesis, name="synthesis"),
    path("overzicht/segmenten/", views.segments, name="segments"),
    path("overzicht/tellingen.csv", views.synthesis_csv, name="counts_csv"),
    path("overzicht/tellingen.xlsx", views.synthesis_xlsx, name="counts_xlsx"),
    path("overzicht/bevindingen.csv", views.findings_csv, name="findings_csv"),
    path("overzicht/bevindingen.xlsx", views.findings_xlsx, name="findings_xlsx"),
    path("overzicht/project.qdpx", views.project_export, name="qdpx"),
    path("overeenstemming/", views.agreement, name="agreement"),
]
