import datetime

from laurier.organisations.models import AuditEvent
from laurier.testing import factories


def test_mentor_page_shows_profile_status_and_pairings(manager_client, program, program_url):
    cycle = factories.CycleFactory(program=program, name="Cohort A")
    pairing = factories.PairingFactory(
        program=program, cycle=cycle, mentor__job_title="Engineer", mentee__last_name="Mentee"
    )
    response = manager_client.get(program_url("mentor_detail", pairing.mentor.pk))
    assert "Engineer" in response.text
    assert "Cohort A" in response.text
    assert pairing.mentee.full_name in response.text
    assert response.context["profile"].pairings == [pairing]


def test_mentor_page_sums_hours_this_year_and_all_time(manager_client, program, program_url, today):
    pairing = factories.PairingFactory(program=program)
    factories.MentoringSessionFactory(pairing=pairing, held_on=today, duration_minutes=60)
    factories.MentoringSessionFactory(
        pairing=pairing, held_on=today.replace(year=today.year - 1), duration_minutes=120
    )
    profile = manager_client.get(program_url("mentor_detail", pairing.mentor.pk)).context["profile"]
    assert (str(profile.hours_this_year), str(profile.hours_all_time)) == ("1.0", "3.0")


def test_mentor_hours_count_only_this_program(
    manager_client, organisation, program, program_url, today
):
    pairing = factories.PairingFactory(program=program)
    elsewhere = factories.PairingFactory(
        program=factories.ProgramFactory(organisation=organisation), mentor=pairing.mentor
    )
    factories.MentoringSessionFactory(pairing=elsewhere, held_on=today, duration_minutes=60)
    profile = manager_client.get(program_url("mentor_detail", pairing.mentor.pk)).context["profile"]
    assert profile.minutes_all_time == 0


def test_timeline_tells_enrolment_pairings_sessions_and_status_changes(
    manager_client, program, program_url
):
    pairing = factories.PairingFactory(program=program, starts_on=datetime.date(2026, 1, 15))
    factories.MentoringSessionFactory(pairing=pairing, held_on=datetime.date(2026, 2, 1))
    enrolment = program.mentor_enrolments.get()
    manager_client.post(
        program_url("mentor_status", enrolment.pk),
        {"status": "paused", "reason": "Leave", "changed_on": "2026-03-01"},
    )
    response = manager_client.get(program_url("mentor_detail", pairing.mentor.pk))
    kinds = [entry.kind for entry in response.context["profile"].timeline]
    assert kinds == ["status", "session", "pairing", "enrolment"]
    assert AuditEvent.objects.filter(object_type="programs.mentorenrolment").exists()


def test_timeline_keeps_the_latest_50_entries(manager_client, program, program_url):
    pairing = factories.PairingFactory(program=program)
    factories.MentoringSessionFactory.create_batch(60, pairing=pairing)
    timeline = (
        manager_client.get(program_url("mentor_detail", pairing.mentor.pk))
        .context["profile"]
        .timeline
    )
    assert len(timeline) == 50
    assert timeline[0].on == max(entry.on for entry in timeline)


def test_status_form_on_mentor_page_posts_to_the_enrolment(manager_client, program, program_url):
    enrolment = factories.MentorEnrolmentFactory(program=program)
    html = manager_client.get(program_url("mentor_detail", enrolment.person.pk)).text
    assert program_url("mentor_status", enrolment.pk) in html
