"""Placeholder until its helper writes this module."""

from django.http import Http404


def issuer_settings(request, *args, **kwargs):
    raise Http404


def rotate_key(request, *args, **kwargs):
    raise Http404
