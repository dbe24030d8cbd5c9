"""Placeholder: replaced by its owner."""

from django.http import Http404

from .common import insights_view


@insights_view
def attention(request, scope):
    raise Http404
