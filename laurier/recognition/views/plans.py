"""Recognition plans: generate, view by mentor / moment / option, edit, lock, approve, export."""

from laurier.organisations.tenancy import program_view


@program_view
def plan_list(request):
    raise NotImplementedError


@program_view
def plan_create(request):
    raise NotImplementedError


@program_view
def plan_detail(request, pk):
    raise NotImplementedError


@program_view
def plan_progress(request, pk):
    raise NotImplementedError


@program_view
def plan_rules(request, pk):
    raise NotImplementedError


@program_view
def plan_recompute(request, pk):
    raise NotImplementedError


@program_view
def plan_approve(request, pk):
    raise NotImplementedError


@program_view
def plan_delete(request, pk):
    raise NotImplementedError


@program_view
def plan_ics(request, pk):
    raise NotImplementedError


@program_view
def line_add(request, pk):
    raise NotImplementedError


@program_view
def line_edit(request, pk, line_pk):
    raise NotImplementedError


@program_view
def line_delete(request, pk, line_pk):
    raise NotImplementedError


@program_view
def line_lock(request, pk, line_pk):
    raise NotImplementedError
