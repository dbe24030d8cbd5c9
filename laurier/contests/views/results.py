"""Placeholder until this module is written: every page answers 404."""

from django.http import Http404


def result_page(request, *args, **kwargs):
    raise Http404


def scores_export(request, *args, **kwargs):
    raise Http404
