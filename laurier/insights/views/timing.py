"""Placeholder: replaced by its owner."""

from django.http import Http404

from .common import insights_view


@insights_view
def timing(request, scope):
    raise Http404
