from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page for the user's role."""
    return render(request, "accounts/home.html")


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Second factor: verify a code or set up an authenticator app."""
    return render(request, "accounts/home.html")


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """Personal API tokens."""
    return render(request, "accounts/home.html")
