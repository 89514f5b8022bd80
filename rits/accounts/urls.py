from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from rits.accounts import forms, views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("account/login/", views.LoginView.as_view(), name="login"),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", views.two_factor, name="two_factor"),
    path("account/two-factor/setup/", views.second_factor_setup, name="second_factor_setup"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<id:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path(
        "account/notifications/<id:notification_id>/read/",
        views.notification_read,
        name="notification_read",
    ),
    path(
        "account/password/",
        views.PasswordChangeView.as_view(
            form_class=forms.PasswordChangeForm,
            template_name="accounts/password_change_form.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "account/password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=forms.PasswordResetForm,
            success_url=reverse_lazy("accounts:password_reset_done"),
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=forms.SetPasswordForm,
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
