"""The "Impact" page: satisfaction and cost of recognition, retention by cohort, and how
recognition goes with the engagement pulse."""

from django.utils.translation import gettext as _

from laurier.core.listing import export_response, requested_export

from ..selectors import impact as selectors
from ..selectors import retention as retention_selectors
from .common import insights_view, render_insights


@insights_view
def impact(request, scope):
    figures = selectors.satisfaction(scope)
    export_format = requested_export(request)
    if export_format:
        return export_response(
            _("satisfaction-by-option"),
            selectors.export_headers(),
            selectors.export_rows(figures),
            export_format,
        )
    retention = retention_selectors.retention(scope)
    comparison = selectors.pulse_comparison(scope)
    charts = {}
    if figures.rated_categories:
        charts["satisfaction"] = selectors.satisfaction_chart(figures)
    if retention.cohorts:
        charts["retention"] = retention_selectors.retention_chart(retention)
    if comparison.points:
        charts["pulse_coverage"] = selectors.coverage_chart(comparison)
        charts["pulse"] = selectors.pulse_chart(comparison)
    return render_insights(
        request,
        scope,
        "insights/impact/page.html",
        {
            "figures": figures,
            "satisfaction_summary": selectors.satisfaction_summary(figures),
            "retention": retention,
            "retention_summary": retention_selectors.summary(retention, with_caution=False),
            "smallest_side": retention_selectors.SMALLEST_SIDE,
            "comparison": comparison,
            "pulse_summary": selectors.pulse_summary(comparison),
            "latest_pulses": selectors.LATEST_PULSES,
            "coverage_months": selectors.COVERAGE_MONTHS,
        },
        charts=charts,
    )
