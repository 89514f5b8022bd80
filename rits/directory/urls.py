from django.urls import path

from rits.directory import views

urlpatterns = [
    path("wie-bel-ik-nu/", views.crisis, name="crisis"),
]
