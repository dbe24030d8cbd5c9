"""The "Mentors who need attention" page: who to think of recognising, and why."""

from django.utils.translation import gettext as _

from laurier.core.listing import PAGE_SIZE, export_response, requested_export

from ..selectors import attention as selectors
from .common import insights_view, render_insights

# The list's columns by sort key. "attention" (most reasons first, then the longest without
# recognition) is the selectors' own order, read in one pass over the enrolments.
SORTABLE = {
    "attention": (),
    "mentor": ("person__last_name", "person__first_name"),
    "program": "program__name",
    "department": "person__department",
    "quiet": "quiet_since",
}
DEFAULT_SORT = "attention"


def _listed(request, scope, reason):
    """The list's enrolments in the requested order (listed ones first) and that order."""
    requested = request.GET.get("sort", DEFAULT_SORT)
    key = requested.lstrip("-")
    if key not in SORTABLE or key == DEFAULT_SORT:
        # One direction only: most reasons first.
        return selectors.listed_first(scope, reason), DEFAULT_SORT
    fields = SORTABLE[key] if isinstance(SORTABLE[key], tuple) else (SORTABLE[key],)
    descending = requested.startswith("-")
    ordering = [f"-{field}" if descending else field for field in (*fields, "pk")]
    return selectors.listed_first(scope, reason, ordering), requested


@insights_view
def attention(request, scope):
    day = scope.reference_day
    reason = request.GET.get("reason")
    if reason not in selectors.REASONS:
        reason = ""
    counts = selectors.reason_counts(scope)
    listed = selectors.listed_count(counts, reason or None)
    enrolments, sort = _listed(request, scope, reason or None)
    export_format = requested_export(request)
    if export_format:
        return export_response(
            _("mentors-who-need-attention"),
            selectors.export_headers(),
            selectors.export_rows(selectors.page_rows(scope, enrolments[:listed])),
            export_format,
        )
    page = selectors.ListedPaginator(enrolments, PAGE_SIZE, listed).get_page(
        request.GET.get("page")
    )
    labels = selectors.reason_labels()
    notice = selectors.low_pulse(scope)
    return render_insights(
        request,
        scope,
        "insights/attention/page.html",
        {
            "page": page,
            "rows": selectors.page_rows(scope, page.object_list),
            "sort": sort,
            "reason": reason,
            "counts": counts,
            "listed": listed,
            "reason_choices": [(key, labels[key], counts[key]) for key in selectors.REASONS],
            "reason_label": labels.get(reason, ""),
            "notice": notice,
            "notice_text": selectors.pulse_notice_text(notice) if notice else "",
            "pulse_read": selectors.pulse_program(scope) is not None,
            "day": day,
            "settings": selectors,
            "falling_from_hours": selectors.format_hours(selectors.FALLING_FROM_MINUTES),
        },
    )
