"""Placeholder views: replaced by the real ones while issue 2 is built."""


def program_list(request, *args, **kwargs):
    raise NotImplementedError


def program_create(request, *args, **kwargs):
    raise NotImplementedError


def dashboard(request, *args, **kwargs):
    raise NotImplementedError


def program_edit(request, *args, **kwargs):
    raise NotImplementedError


def cycles(request, *args, **kwargs):
    raise NotImplementedError


def cycle_edit(request, *args, **kwargs):
    raise NotImplementedError


def mentors(request, *args, **kwargs):
    raise NotImplementedError


def mentor_add(request, *args, **kwargs):
    raise NotImplementedError


def mentor_detail(request, *args, **kwargs):
    raise NotImplementedError


def mentor_status(request, *args, **kwargs):
    raise NotImplementedError


def mentees(request, *args, **kwargs):
    raise NotImplementedError


def mentee_add(request, *args, **kwargs):
    raise NotImplementedError


def mentee_status(request, *args, **kwargs):
    raise NotImplementedError


def pairings(request, *args, **kwargs):
    raise NotImplementedError


def pairing_create(request, *args, **kwargs):
    raise NotImplementedError


def pairing_edit(request, *args, **kwargs):
    raise NotImplementedError


def people(request, *args, **kwargs):
    raise NotImplementedError


def person_create(request, *args, **kwargs):
    raise NotImplementedError


def person_edit(request, *args, **kwargs):
    raise NotImplementedError
