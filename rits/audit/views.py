from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Search the audit trail (privacy officer)."""
    return render(request, "accounts/home.html")
