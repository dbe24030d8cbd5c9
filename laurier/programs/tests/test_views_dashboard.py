import datetime
import json

from laurier.programs.models import EnrolmentStatus
from laurier.testing import factories


def test_dashboard_shows_active_counts(manager_client, program, program_url):
    factories.PairingFactory(program=program)
    factories.MentorEnrolmentFactory(program=program, status=EnrolmentStatus.LEFT)
    figures = manager_client.get(program_url("dashboard")).context["figures"]
    assert (figures.active_mentors, figures.active_mentees, figures.active_pairings) == (1, 1, 1)


def test_dashboard_sums_hours_this_month_and_year(manager_client, program, program_url, today):
    pairing = factories.PairingFactory(program=program)
    factories.MentoringSessionFactory(pairing=pairing, held_on=today, duration_minutes=90)
    factories.MentoringSessionFactory(
        pairing=pairing, held_on=today.replace(year=today.year - 1), duration_minutes=600
    )
    figures = manager_client.get(program_url("dashboard")).context["figures"]
    assert str(figures.hours_this_month) == "1.5"
    assert str(figures.hours_this_year) == "1.5"


def test_dashboard_lists_mentors_needing_attention_with_links(
    manager_client, organisation, program, program_url, today
):
    pairing = factories.PairingFactory(
        program=program, mentor__last_name="Silent", starts_on=today - datetime.timedelta(days=200)
    )
    response = manager_client.get(program_url("dashboard"))
    assert [row.person for row in response.context["needing_attention"]] == [pairing.mentor]
    assert program_url("mentor_detail", pairing.mentor.pk) in response.text


def test_dashboard_embeds_chart_data_and_a_table_fallback(
    manager_client, program, program_url, today
):
    pairing = factories.PairingFactory(program=program)
    factories.MentoringSessionFactory(pairing=pairing, held_on=today, duration_minutes=120)
    response = manager_client.get(program_url("dashboard"))
    html = response.text
    start = html.index('id="hours-chart-data"')
    data = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    assert len(data["labels"]) == 12
    assert data["hours"][today.month - 1] == 2.0
    assert "Hours per month as a table" in html
    assert "vendor/chart.umd.min.js" in html


def test_dashboard_links_to_every_list(manager_client, program, program_url):
    html = manager_client.get(program_url("dashboard")).text
    for name in ("mentors", "mentees", "pairings", "cycles", "edit"):
        assert program_url(name) in html
