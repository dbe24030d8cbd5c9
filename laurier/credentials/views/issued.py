"""Placeholder until its helper writes this module."""

from django.http import Http404


def credential_list(request, *args, **kwargs):
    raise Http404


def credential_detail(request, *args, **kwargs):
    raise Http404


def credential_revoke(request, *args, **kwargs):
    raise Http404


def award_certificate(request, *args, **kwargs):
    raise Http404
