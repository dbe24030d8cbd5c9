"""Placeholder until the event pages land in this session."""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


event_list = event_create = event_detail = event_edit = event_invite = _missing
event_attendance = event_cancel = event_calendar = my_events = rsvp_page = _missing
