"""Placeholder until its helper writes this module."""

from django.http import Http404


def issuer_document(request, *args, **kwargs):
    raise Http404


def status_list(request, *args, **kwargs):
    raise Http404


def achievement(request, *args, **kwargs):
    raise Http404


def achievement_image(request, *args, **kwargs):
    raise Http404


def credential_page(request, *args, **kwargs):
    raise Http404
