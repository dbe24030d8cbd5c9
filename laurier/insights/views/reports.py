"""Placeholder: replaced by its owner."""

from django.http import Http404

from .common import insights_view


@insights_view
def report_list(request, scope):
    raise Http404


@insights_view
def report_progress(request, scope, pk):
    raise Http404


@insights_view
def report_download(request, scope, pk, file_format):
    raise Http404
