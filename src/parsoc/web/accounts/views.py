"""Sign up, confirm, log in and out, profile, API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from parsoc.web.accounts.forms import LoginForm, ProfileForm, SignupForm, TokenForm
from parsoc.web.accounts.models import ApiToken, User
from parsoc.web.accounts.throttle import limit_writes
from parsoc.web.accounts.tokens import confirmation_token, user_for_confirmation
from parsoc.web.core.mail import mail_on_commit, message


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def send_confirmation(request: HttpRequest, user: User, next_url: str = "") -> None:
    link = request.build_absolute_uri(reverse("accounts:confirm", args=[confirmation_token(user)]))
    if next_url:
        link += "?" + urlencode({"next": next_url})
    body = render_to_string("accounts/email_confirm.txt", {"user": user, "link": link})
    mail_on_commit([message("Confirm your email address for parsoc", body, [user.email])], f"confirmation to user {user.pk}")


@limit_writes("signup", address_field="email")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    next_url = _safe_next(request, "")
    if request.method == "POST" and form.is_valid():
        user = form.save()
        send_confirmation(request, user, next_url)
        return render(request, "accounts/check_email.html", {"email": user.email})
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm the address and log in, once: the link is dead after its first use.

    Opening the link (GET) only shows whose address it confirms and a button; the button (POST,
    with the CSRF token) confirms and logs in. So a mail scanner or link preview that fetches the
    link does not use it up, and another site cannot log a visitor into someone else's account.
    """
    user = user_for_confirmation(token)
    if user is None:
        return render(request, "accounts/confirm_failed.html", status=400)
    if request.method != "POST":
        return render(request, "accounts/confirm.html", {"person": user, "next": _safe_next(request, "")})
    # Claim the link atomically: of two requests racing with one link, only one changes the
    # row, and so only one logs in (the token is bound to the unconfirmed state it changes).
    claimed = User.objects.filter(
        pk=user.pk, email_confirmed=False, email=user.email, password=user.password
    ).update(email_confirmed=True)
    if not claimed:
        return render(request, "accounts/confirm_failed.html", status=400)
    user.email_confirmed = True
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, "Your email address is confirmed. Welcome!")
    return redirect(_safe_next(request, reverse("home")))


@limit_writes("resend_confirmation", address_field="email")
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        email = (request.POST.get("email") or "").strip().lower()
        user = User.objects.filter(email=email, email_confirmed=False).first()
        if user:
            send_confirmation(request, user)
        # Same answer whether or not the address exists: no account enumeration.
        return render(request, "accounts/check_email.html", {"email": email})
    return render(request, "accounts/resend.html")


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_safe_next(request, reverse("home")))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request, "")}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You are logged out.")
    return redirect("home")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Profile saved.")
            return redirect("accounts:profile")
        request.user.refresh_from_db()
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/profile.html", {"form": form}, status=status)


def person(request: HttpRequest, pk: int) -> HttpResponse:
    shown = get_object_or_404(User, pk=pk, is_active=True)
    from parsoc.web.councils.models import Council

    councils = Council.objects.visible_to(request.user).filter(memberships__user=shown).distinct()
    return render(request, "accounts/person.html", {"person": shown, "councils": councils})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _, new_key = ApiToken.issue(request.user, form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": request.user.api_tokens.all(), "new_key": new_key},
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.delete()
    messages.info(request, f"Token “{token.name}” revoked.")
    return redirect("accounts:tokens")
