"""Account URLs (/accounts/...); config/urls.py mounts them inside i18n_patterns like the portal."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .views import accounts

app_name = "accounts"

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("verify/<uidb64>/<token>/", accounts.verify, name="verify"),
    path("verify/again/", accounts.resend_verification, name="resend_verification"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
    path("password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("password/change/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("profile/", accounts.profile, name="profile"),
    path("delete/", accounts.delete_account, name="delete"),
]
