"""Placeholder views: replaced by the real ones while issue 2 is built."""


def sessions(request, *args, **kwargs):
    raise NotImplementedError


def session_create(request, *args, **kwargs):
    raise NotImplementedError


def sessions_bulk(request, *args, **kwargs):
    raise NotImplementedError


def session_edit(request, *args, **kwargs):
    raise NotImplementedError


def training_hours(request, *args, **kwargs):
    raise NotImplementedError


def my_space(request, *args, **kwargs):
    raise NotImplementedError


def my_session_create(request, *args, **kwargs):
    raise NotImplementedError


def my_session_confirm(request, *args, **kwargs):
    raise NotImplementedError
