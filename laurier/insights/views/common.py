"""What every insights page shares: its scope from the filters, its tabs, its charts."""

from functools import wraps

from django.shortcuts import render

from laurier.organisations.tenancy import MANAGER_ROLES, organisation_view

from ..scope import scope_from_request


def insights_view(view):
    """For admins and managers: `view(request, scope)`, the scope built from the filters."""

    @organisation_view(roles=MANAGER_ROLES)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, scope_from_request(request), *args, **kwargs)

    return wrapped


def render_insights(request, scope, template, context, *, charts=None):
    """Render an insights page. `charts` maps each canvas id to what `insights/charts.js`
    draws there (see that file); the page shows the same figures in a table beside each."""
    return render(
        request,
        template,
        {"scope": scope, "form": scope.form, "charts": charts or {}, **context},
    )
