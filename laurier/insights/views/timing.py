"""The "Timing and givers" page: when recognitions are given, and by whom."""

from ..selectors import timing as selectors
from .common import insights_view, render_insights


@insights_view
def timing(request, scope):
    months = selectors.by_month(scope)
    givers = selectors.by_giver(scope)
    charts = {}
    if months.total:
        charts["months"] = selectors.month_chart(months)
        charts["givers"] = selectors.giver_chart(givers)
        if len(months.categories) > 1:
            charts["categories"] = selectors.category_chart(months)
    return render_insights(
        request,
        scope,
        "insights/timing/page.html",
        {
            "months": months,
            "month_summary": selectors.month_summary(months),
            "givers": givers,
            "giver_summary": selectors.giver_summary(givers),
        },
        charts=charts,
    )
