"""Placeholder until the note pages land in this session."""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


note_campaigns = note_campaign_create = note_campaign_detail = note_moderate = _missing
note_campaign_close = note_card = my_notes = my_note_card = write_note_page = _missing
