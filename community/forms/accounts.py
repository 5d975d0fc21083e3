"""Sign-up, log-in and account forms."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _


class SignupForm(UserCreationForm):
    """Username, e-mail and password. Whether the address already has an account is deliberately not
    checked here (the service mails that address instead; see account_signup)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_(
            "We send a link to confirm it. It is only used for your account and decisions on what you submit."
        ),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


class LoginForm(AuthenticationForm):
    """Log in with the username or the e-mail address; an account still waiting for its confirmation
    is told so (with the right password only) instead of "wrong password"."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "unconfirmed": _(
            "Confirm your e-mail address first: follow the link we mailed you. No mail? Ask for it again below."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username or e-mail address")

    def clean(self):
        User = get_user_model()
        username = self.cleaned_data.get("username") or ""
        if "@" in username:
            match = User.objects.filter(email__iexact=username).order_by("-is_active", "pk").first()
            if match is not None:
                self.cleaned_data["username"] = match.get_username()
        try:
            return super().clean()
        except forms.ValidationError:
            password = self.cleaned_data.get("password") or ""
            user = User.objects.filter(username=self.cleaned_data.get("username")).first()
            if (
                user is not None
                and not user.is_active
                and user.last_login is None
                and user.check_password(password)
            ):
                raise forms.ValidationError(self.error_messages["unconfirmed"], code="unconfirmed") from None
            raise


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand: my account is deleted for good; what I contributed stays, without my name."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="password_incorrect")
        return password
