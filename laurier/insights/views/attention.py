"""The "Mentors who need attention" page: who to think of recognising, and why."""

from django.utils.translation import gettext as _

from laurier.core.listing import export_response, paginate, requested_export, sort_queryset

from ..selectors import attention as selectors
from .common import insights_view, render_insights

SORTABLE = {
    # Most reasons first, then the longest without recognition.
    "attention": ("reason_rank", "quiet_since"),
    "mentor": ("person__last_name", "person__first_name"),
    "program": "program__name",
    "department": "person__department",
    "quiet": "quiet_since",
}


@insights_view
def attention(request, scope):
    day = scope.reference_day
    reason = request.GET.get("reason")
    if reason not in selectors.REASONS:
        reason = ""
    enrolments = selectors.needing_attention(scope, reason or None)
    enrolments, sort = sort_queryset(request, enrolments, SORTABLE, "attention")
    export_format = requested_export(request)
    if export_format:
        return export_response(
            _("mentors-who-need-attention"),
            selectors.export_headers(),
            selectors.export_rows(
                selectors.attention_rows(
                    selectors.with_figures(scope, enrolments).select_related("person", "program"),
                    day,
                )
            ),
            export_format,
        )
    page = paginate(request, enrolments)
    counts = selectors.reason_counts(scope)
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
        },
    )
