"""Placeholder until its helper writes this module."""

from django.http import Http404


def badge_list(request, *args, **kwargs):
    raise Http404


def badge_create(request, *args, **kwargs):
    raise Http404


def badge_preview(request, *args, **kwargs):
    raise Http404


def run_rules(request, *args, **kwargs):
    raise Http404


def issuance_job(request, *args, **kwargs):
    raise Http404


def badge_detail(request, *args, **kwargs):
    raise Http404


def badge_edit(request, *args, **kwargs):
    raise Http404


def badge_award(request, *args, **kwargs):
    raise Http404
