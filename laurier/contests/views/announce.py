"""Placeholder until this module is written: every page answers 404."""

from django.http import Http404


def announce(request, *args, **kwargs):
    raise Http404
