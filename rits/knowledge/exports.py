"""A network meeting as an iCalendar invitation."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from rits.knowledge.models import Meeting


def meeting_ics(meeting: Meeting) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Rits//Leernetwerk//NL")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"network-meeting-{meeting.pk}@rits")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + timedelta(minutes=meeting.minutes_long))
    event.add("summary", f"{meeting.title} ({meeting.network.name})")
    event.add("sequence", meeting.sequence)
    if meeting.location:
        event.add("location", meeting.location)
    agenda = "\n".join(f"- {item.title}" for item in meeting.agenda.all())
    if agenda:
        event.add("description", agenda)
    event.add("url", f"{settings.SITE_URL}/kennis/bijeenkomsten/{meeting.pk}/")
    cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
