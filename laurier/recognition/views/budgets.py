"""Placeholder: replaced by the engineer who owns this module."""


def budget_list(request, *args, **kwargs):
    raise NotImplementedError


def budget_create(request, *args, **kwargs):
    raise NotImplementedError


def budget_detail(request, *args, **kwargs):
    raise NotImplementedError


def budget_edit(request, *args, **kwargs):
    raise NotImplementedError


def budget_commit(request, *args, **kwargs):
    raise NotImplementedError


def budget_spend(request, *args, **kwargs):
    raise NotImplementedError


def commitment_spend(request, *args, **kwargs):
    raise NotImplementedError


def commitment_release(request, *args, **kwargs):
    raise NotImplementedError
