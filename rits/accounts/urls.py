from django.contrib.auth import views as auth_views
from django.urls import path

from rits.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("account/login/", auth_views.LoginView.as_view(), name="login"),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", views.two_factor, name="two_factor"),
    path("account/tokens/", views.tokens, name="tokens"),
]
