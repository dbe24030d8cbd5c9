"""Placeholder: replaced by the engineer who owns this module."""


def option_list(request, *args, **kwargs):
    raise NotImplementedError


def option_create(request, *args, **kwargs):
    raise NotImplementedError


def option_detail(request, *args, **kwargs):
    raise NotImplementedError


def option_edit(request, *args, **kwargs):
    raise NotImplementedError


def option_retire(request, *args, **kwargs):
    raise NotImplementedError


def option_reactivate(request, *args, **kwargs):
    raise NotImplementedError
