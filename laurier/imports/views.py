"""Placeholder views: replaced by the real ones while issue 2 is built."""


def import_list(request, *args, **kwargs):
    raise NotImplementedError


def import_detail(request, *args, **kwargs):
    raise NotImplementedError


def import_commit(request, *args, **kwargs):
    raise NotImplementedError


def import_progress(request, *args, **kwargs):
    raise NotImplementedError


def sample_file(request, *args, **kwargs):
    raise NotImplementedError
