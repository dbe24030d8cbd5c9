"""Placeholder until its helper writes this module."""

from django.http import Http404


def credential_json(request, *args, **kwargs):
    raise Http404


def credential_jwt(request, *args, **kwargs):
    raise Http404


def credential_png(request, *args, **kwargs):
    raise Http404


def credential_svg(request, *args, **kwargs):
    raise Http404


def credential_pdf(request, *args, **kwargs):
    raise Http404


def public_profile(request, *args, **kwargs):
    raise Http404


def my_credentials(request, *args, **kwargs):
    raise Http404


def my_public_profile(request, *args, **kwargs):
    raise Http404
