"""Placeholder views: replaced by the real ones while issue 2 is built."""


def invitation_accept(request, *args, **kwargs):
    raise NotImplementedError


def organisation_home(request, *args, **kwargs):
    raise NotImplementedError


def organisation_settings(request, *args, **kwargs):
    raise NotImplementedError


def members(request, *args, **kwargs):
    raise NotImplementedError


def member_edit(request, *args, **kwargs):
    raise NotImplementedError


def invitation_revoke(request, *args, **kwargs):
    raise NotImplementedError


def audit_trail(request, *args, **kwargs):
    raise NotImplementedError
