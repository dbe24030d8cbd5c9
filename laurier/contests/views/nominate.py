"""Placeholder until this module is written: every page answers 404."""

from django.http import Http404


def my_nominations(request, *args, **kwargs):
    raise Http404


def nominate_in_laurier(request, *args, **kwargs):
    raise Http404


def nominate_by_link(request, *args, **kwargs):
    raise Http404


def nominee_page(request, *args, **kwargs):
    raise Http404
