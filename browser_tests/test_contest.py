"""The mentor-of-the-year contest in a real Chromium, as its people live it: two nominators
send their stories through the public link (a third came earlier), the manager seats two
jurors (one of them the mentee of a nominee, which Laurier finds by itself), each juror
confirms their conflicts and scores what they may, the manager reads the result and announces
it, and the winner's badge verifies at its public address.

The contest's French catalogue may lag behind its English strings: the test finds its way by
addresses, form fields and classes, and compares texts only where it computes them in the
reader's language."""

import datetime
import re

import pytest
from django.utils import translation

from laurier.accounts.models import User
from laurier.contests.models import (
    ConflictReason,
    Criterion,
    Edition,
    Juror,
    Nomination,
    Nominee,
    Relation,
    Winner,
)
from laurier.contests.services import nominations
from laurier.contests.services.announcement import winner_credential
from laurier.contests.services.editions import create_edition, edit_category
from laurier.core.dates import organisation_today
from laurier.credentials.verification import OUTCOME_TITLES, Outcome
from laurier.organisations.models import Membership
from laurier.outbox.models import OutgoingEmail
from laurier.testing import factories

pytestmark = pytest.mark.browser

DAY = datetime.timedelta(days=1)


def mentor(program, first_name, last_name, email):
    person = factories.PersonFactory(
        organisation=program.organisation, first_name=first_name, last_name=last_name, email=email
    )
    factories.MentorEnrolmentFactory(program=program, person=person)
    return person


@pytest.fixture
def contest(settings, live_server, organisation, program, manager_user):
    """An edition of the manager's program taking nominations today, its category with a
    contest badge, an award for the winners; three mentors, one of them paired with the mentee
    who will sit on the jury."""
    # Jurors' links and credentials name the site's address: here, the live server.
    settings.SITE_URL = live_server.url
    # A manager of Quebec, reading Laurier in French.
    User.objects.filter(pk=manager_user.pk).update(language="fr-ca")
    manager_user.refresh_from_db()
    amelie = mentor(program, "Amélie", "Gagnon", "amelie.gagnon@hydro.example")
    bruno = mentor(program, "Bruno", "Lavoie", "bruno.lavoie@hydro.example")
    chloe = mentor(program, "Chloé", "Roy", "chloe.roy@hydro.example")
    denis = factories.PersonFactory(
        organisation=organisation,
        first_name="Denis",
        last_name="Côté",
        email="denis.cote@hydro.example",
    )
    factories.PairingFactory(program=program, mentor=amelie, mentee=denis)

    today = organisation_today(organisation)
    membership = Membership.objects.get(organisation=organisation, user=manager_user)
    edition, _created = create_edition(
        membership,
        program=program,
        year=today.year,
        name_fr=f"Mentor de l'année {today.year}",
        name_en=f"Mentor of the year {today.year}",
        nominations_open_on=today,
        nominations_close_on=today + 10 * DAY,
        scoring_close_on=today + 20 * DAY,
        announce_on=today + 25 * DAY,
        option=factories.RecognitionOptionFactory(organisation=organisation),
    )
    category = edition.categories.get()
    edit_category(
        category,
        actor=manager_user,
        create_badge=True,
        name_fr=category.name_fr,
        name_en=category.name_en,
        description_fr=category.description_fr,
        description_en=category.description_en,
        winners=1,
    )
    return edition, amelie, bruno, chloe, denis


def move_dates(edition, *, opened, closed, scoring_until):
    """Stand in for the calendar: the edition's days, counted from today."""
    today = organisation_today(edition.organisation)
    Edition.objects.filter(pk=edition.pk).update(
        nominations_open_on=today + opened * DAY,
        nominations_close_on=today + closed * DAY,
        scoring_close_on=today + scoring_until * DAY,
        announce_on=today + (scoring_until + 5) * DAY,
    )


def nominate(browser, live_server, edition, nominee, relation, story, name, email):
    """A nominator with the link only: no account, their own browser."""
    context = browser.new_context(base_url=live_server.url, locale="fr-CA")
    page = context.new_page()
    page.goto(f"/contest/nominate/{edition.nomination_token}/")
    form = page.locator("form.nominate-form")
    form.locator("select[name=nominee]").select_option(label=nominee.full_name)
    form.locator("select[name=relation]").select_option(relation)
    form.locator("textarea[name=story]").fill(story)
    form.locator("input[name=nominator_name]").fill(name)
    form.locator("input[name=nominator_email]").fill(email)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith("?sent=1")
    assert page.locator("section.nominate-thanks").is_visible()
    context.close()


def add_juror(page, fill):
    form = page.locator("form:has(select[name=kind])")
    fill(form)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def invitation_link(juror):
    [email] = OutgoingEmail.objects.filter(
        reason__startswith=f"contest-juror-invitation:{juror.pk}:"
    )
    assert email.to == juror.email
    return re.search(r"https?://\S+/contest/jury/\S+/", email.text).group(0)


def score(page, juror, nominee, value, criteria):
    page.locator(f"table.jury-nominees a[href$='/nominees/{nominee.pk}/']").click()
    page.wait_for_load_state()
    form = page.locator("form.jury-score-form")
    for criterion in criteria:
        form.locator(f"input[name=criterion_{criterion.pk}][value='{value}']").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith(f"/contest/jury/{juror.token}/")


def test_two_nominations_a_jury_with_a_conflict_a_result_and_a_badge_that_verifies(
    browser, live_server, page, log_in_as, contest, manager_user
):
    edition, amelie, bruno, chloe, denis = contest
    org = f"/o/{edition.organisation.slug}"

    # Two nominators, two mentors, through the public link.
    nominate(
        browser,
        live_server,
        edition,
        amelie,
        "mentee",
        "Amélie m'a appris à présenter mes projets devant la direction.",
        "Jeanne Morin",
        "jeanne.morin@example.org",
    )
    nominate(
        browser,
        live_server,
        edition,
        bruno,
        "peer",
        "Bruno a accueilli trois nouveaux mentors cette année.",
        "Karim Haddad",
        "karim.haddad@example.org",
    )
    assert set(Nominee.objects.values_list("person", flat=True)) == {amelie.pk, bruno.pk}
    # A third, sent earlier by a colleague: so that the conflicted juror scores two nominees,
    # and his scores, compared with each other, count.
    nominations.nominate(
        edition,
        category=edition.categories.get(),
        person_pk=chloe.pk,
        nominator_name="Léa Tremblay",
        nominator_email="lea.tremblay@example.org",
        relation=Relation.COLLEAGUE,
        story="Chloé anime la communauté de pratique des mentors.",
        source=Nomination.Source.LINK,
    )
    nominees = {nominee.person_id: nominee for nominee in Nominee.objects.all()}
    amelie_nominee, bruno_nominee = nominees[amelie.pk], nominees[bruno.pk]
    chloe_nominee = nominees[chloe.pk]

    # The manager seats the jury from the menu.
    log_in_as(manager_user)
    page.locator(f"a[href='{org}/contests/']").first.click()
    page.wait_for_load_state()
    page.locator(f"a[href='{org}/contests/{edition.pk}/']").first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr-ca"
    assert page.locator("h1").inner_text() == edition.name_fr
    page.locator(f"a[href='{org}/contests/{edition.pk}/jury/']").first.click()
    page.wait_for_load_state()

    def typed(form):
        form.locator("input[name=name]").fill("Élise Fortin")
        form.locator("input[name=email]").fill("elise.fortin@example.org")
        form.locator("select[name=language]").select_option("fr-ca")
        form.locator("select[name=kind]").select_option("executive")

    add_juror(page, typed)
    # The mentee, found among the organisation's people by their e-mail.
    search = page.locator("form[role=search]")
    search.locator("input[name=find]").fill(denis.email)
    with page.expect_navigation():
        search.locator("button[type=submit]").click()
    page.locator(f"ul.contest-people a[href='?person={denis.pk}']").click()
    page.wait_for_load_state()
    add_juror(page, lambda form: form.locator("select[name=kind]").select_option("other"))

    elise = Juror.objects.get(edition=edition, email="elise.fortin@example.org")
    mentee = Juror.objects.get(edition=edition, person=denis)
    assert elise.person is None
    assert page.locator("table.contest-list tbody tr").count() == 2
    for juror in (elise, mentee):
        with page.expect_navigation():
            page.locator(f"form[action$='/jury/{juror.pk}/invite/'] button").click()
    links = {juror.pk: invitation_link(juror) for juror in (elise, mentee)}

    # Time passes: nominations close, the jury scores.
    move_dates(edition, opened=-20, closed=-1, scoring_until=10)
    criteria = list(Criterion.objects.filter(edition=edition))
    assert criteria

    for juror, may_score, hidden in (
        # Élise prefers Amélie, then Chloé; Denis, Amélie's mentee, never sees her, and his
        # preference for Bruno puts Bruno ahead of Chloé (normalised: Amélie 1.298, Bruno
        # −0.068, Chloé −0.581 on every criterion).
        (elise, {amelie_nominee: 9, bruno_nominee: 4, chloe_nominee: 6}, None),
        (mentee, {bruno_nominee: 10, chloe_nominee: 2}, amelie_nominee),
    ):
        context = browser.new_context(base_url=live_server.url, locale="fr-CA")
        jury_page = context.new_page()
        jury_page.goto(links[juror.pk])
        assert jury_page.locator("h1").inner_text().endswith(juror.name)
        jury_page.locator(f"a[href$='/contest/jury/{juror.token}/conflicts/']").first.click()
        jury_page.wait_for_load_state()
        with jury_page.expect_navigation():
            jury_page.locator("form:has(input[name=action][value=confirm]) button").click()
        listed = jury_page.locator("table.jury-nominees").inner_text()
        for nominee in may_score:
            assert nominee.person.full_name in listed
        if hidden is not None:
            assert hidden.person.full_name not in listed
            refused = jury_page.goto(f"/contest/jury/{juror.token}/nominees/{hidden.pk}/")
            assert refused.status == 404
            jury_page.goto(links[juror.pk])
        for nominee, given in may_score.items():
            score(jury_page, juror, nominee, given, criteria)
        context.close()

    # Time passes again: scoring is closed, the result is the managers' to announce.
    move_dates(edition, opened=-30, closed=-20, scoring_until=-1)
    page.goto(f"{org}/contests/{edition.pk}/")
    page.locator(f"a[href='{org}/contests/{edition.pk}/results/']").click()
    page.wait_for_load_state()
    ranking = page.locator("main section table").first.locator("tbody tr")
    assert ranking.count() == 3
    for place, person in enumerate((amelie, bruno, chloe)):
        assert ranking.nth(place).locator("th").inner_text().startswith(person.full_name)
    who_scored_what = page.locator("main section details").first
    who_scored_what.locator("summary").click()
    denis_row = who_scored_what.locator("tbody tr", has_text=mentee.name)
    with translation.override(manager_user.language):
        paired = str(ConflictReason.PAIRED.label)
    assert paired in denis_row.inner_text()

    page.locator(f"a[href='{org}/contests/{edition.pk}/announce/']").first.click()
    page.wait_for_load_state()
    with page.expect_navigation():
        page.locator("form:has(#what-heading) button[type=submit]").click()
    edition.refresh_from_db()
    assert edition.announced_at is not None
    winner = Winner.objects.get(category__edition=edition)
    assert winner.person == amelie
    credential = winner_credential(winner)

    # The winner's badge, from the winners' table to its public page: valid.
    page.locator(f"a[href$='/c/{credential.public_id}/']").click()
    page.wait_for_load_state()
    verdict = page.locator("section.verification")
    assert "valid" in verdict.get_attribute("class").split()
    with translation.override("fr-ca"):
        assert str(OUTCOME_TITLES[Outcome.VALID]) in verdict.locator("h2").inner_text()
