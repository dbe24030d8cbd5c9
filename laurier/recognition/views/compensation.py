"""Placeholder: replaced by the engineer who owns this module."""


def compensation(request, *args, **kwargs):
    raise NotImplementedError


def compensation_decide(request, *args, **kwargs):
    raise NotImplementedError
