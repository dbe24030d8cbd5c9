"""The "Mentors who need attention" page: who to think of recognising, and why."""

from django.core.paginator import Page
from django.utils.translation import gettext as _

from laurier.core.listing import PAGE_SIZE, export_response, requested_export

from ..selectors import attention as selectors
from .common import insights_view, render_insights

# "attention": most reasons first, then the longest without recognition (one direction).
DEFAULT_SORT = "attention"


def _requested_sort(request):
    """(sort key for the template, column key or None, descending)."""
    requested = request.GET.get("sort", DEFAULT_SORT)
    key = requested.lstrip("-")
    if key not in selectors.SORT_COLUMNS:
        return DEFAULT_SORT, None, False
    return requested, key, requested.startswith("-")


# Far past the last page of any organisation; a larger number would overflow the OFFSET.
LAST_PAGE_ASKED = 1_000_000


def _page_number(request):
    try:
        return min(max(int(request.GET.get("page", 1)), 1), LAST_PAGE_ASKED)
    except (TypeError, ValueError):
        return 1


def _page(scope, reason, column, descending, number):
    """The requested page of the list (the last one when past it) and the counts."""
    listed = selectors.listed_page(
        scope, reason, column, descending, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    paginator = selectors.ListedPaginator(PAGE_SIZE, selectors.listed_count(listed.counts, reason))
    if number > paginator.num_pages:
        number = paginator.num_pages
        listed = selectors.listed_page(
            scope, reason, column, descending, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    return Page(listed.pks, number, paginator), listed.counts


@insights_view
def attention(request, scope):
    day = scope.reference_day
    reason = request.GET.get("reason")
    if reason not in selectors.REASONS:
        reason = ""
    sort, column, descending = _requested_sort(request)
    export_format = requested_export(request)
    if export_format:
        listed = selectors.listed_page(scope, reason or None, column, descending)
        return export_response(
            _("mentors-who-need-attention"),
            selectors.export_headers(),
            selectors.export_rows(selectors.page_rows(scope, listed.pks)),
            export_format,
        )
    page, counts = _page(scope, reason or None, column, descending, _page_number(request))
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
