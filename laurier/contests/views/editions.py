"""Placeholder until this module is written: every page answers 404."""

from django.http import Http404


def edition_list(request, *args, **kwargs):
    raise Http404


def edition_create(request, *args, **kwargs):
    raise Http404


def edition_detail(request, *args, **kwargs):
    raise Http404


def edition_edit(request, *args, **kwargs):
    raise Http404


def nomination_link_renew(request, *args, **kwargs):
    raise Http404


def category_create(request, *args, **kwargs):
    raise Http404


def category_edit(request, *args, **kwargs):
    raise Http404


def category_delete(request, *args, **kwargs):
    raise Http404


def criterion_create(request, *args, **kwargs):
    raise Http404


def criterion_edit(request, *args, **kwargs):
    raise Http404


def criterion_delete(request, *args, **kwargs):
    raise Http404


def jury(request, *args, **kwargs):
    raise Http404


def juror_detail(request, *args, **kwargs):
    raise Http404


def juror_remove(request, *args, **kwargs):
    raise Http404


def juror_invite(request, *args, **kwargs):
    raise Http404


def juror_conflicts(request, *args, **kwargs):
    raise Http404


def nominee_list(request, *args, **kwargs):
    raise Http404


def nominee_detail(request, *args, **kwargs):
    raise Http404


def nominee_withdraw(request, *args, **kwargs):
    raise Http404


def evidence_download(request, *args, **kwargs):
    raise Http404
