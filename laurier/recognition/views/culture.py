"""Placeholder: replaced by the engineer who owns this module."""


def culture_profile(request, *args, **kwargs):
    raise NotImplementedError


def culture_edit(request, *args, **kwargs):
    raise NotImplementedError
