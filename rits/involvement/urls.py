from django.urls import path

from rits.involvement import views

app_name = "involvement"

urlpatterns = [
    path("", views.my_signals, name="signals"),
    path("registreren/", views.register, name="register"),
    path("importeren/", views.bulk_import, name="import"),
    path("signalen/<id:signal_id>/", views.signal_detail, name="signal"),
    path("signalen/<id:signal_id>/intrekken/", views.withdraw, name="withdraw"),
    path("matches/", views.my_matches, name="matches"),
    path("matches/<id:match_id>/", views.match_detail, name="match"),
    path("matches/<id:match_id>/afstemmen/", views.coordinate, name="coordinate"),
    path("matches/<id:match_id>/gezinsplan/", views.match_start_plan, name="match_plan"),
    path("gemeente/open-matches/", views.unresolved, name="unresolved"),
    path("rechten/", views.rights, name="rights"),
    path("rechten/export/", views.rights_export, name="rights_export"),
    path("rechten/<id:signal_id>/corrigeren/", views.rights_correct, name="rights_correct"),
    path("rechten/<id:signal_id>/bezwaar/", views.rights_object, name="rights_object"),
]
