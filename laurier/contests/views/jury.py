"""Placeholder until this module is written: every page answers 404."""

from django.http import Http404


def juror_home(request, *args, **kwargs):
    raise Http404


def juror_conflicts(request, *args, **kwargs):
    raise Http404


def juror_score(request, *args, **kwargs):
    raise Http404


def juror_evidence(request, *args, **kwargs):
    raise Http404
