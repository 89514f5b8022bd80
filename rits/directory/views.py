from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def crisis(request: HttpRequest) -> HttpResponse:
    """Who do I call now? (built out in the social map)."""
    return render(request, "directory/crisis.html")
