"""The "Program health" page, the insights home: who takes part, hours, recognition coverage,
engagement, budget and satisfaction, for the programs and period chosen in the filters."""

from ..selectors import health as selectors
from .common import insights_view, render_insights


@insights_view
def program_health(request, scope):
    health = selectors.program_health(scope)
    return render_insights(
        request,
        scope,
        "insights/health/page.html",
        {
            "health": health,
            "hours_summary": selectors.hours_summary(health),
            "recognition_summary": selectors.recognition_summary(health),
            "engagement_summary": selectors.engagement_summary(health),
            "budget_summary": selectors.budget_summary(health),
            "satisfaction_summary": selectors.satisfaction_summary(health),
        },
        charts=health.charts,
    )
