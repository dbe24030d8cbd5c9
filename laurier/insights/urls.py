"""Insights: program health, impact, mentors who need attention, timing and givers, reports."""

from django.urls import path

from .views import attention, health, impact, reports, timing

app_name = "insights"

org = "o/<slug:organisation_slug>/insights/"

urlpatterns = [
    path(org, health.program_health, name="health"),
    path(org + "impact/", impact.impact, name="impact"),
    path(org + "attention/", attention.attention, name="attention"),
    path(org + "timing/", timing.timing, name="timing"),
    path(org + "reports/", reports.report_list, name="reports"),
    path(org + "reports/<int:pk>/progress/", reports.report_progress, name="report_progress"),
    path(
        org + "reports/<int:pk>/<str:file_format>/",
        reports.report_download,
        name="report_download",
    ),
]
