"""A large generated organisation, to measure Laurier at the size of a big employer.

Program sizes follow a long tail (a few big programs, many small ones), each
program has last year's and this year's cycle, every mentee is paired once,
and sessions are spread over the last twelve months in proportion to how long
each pairing was open. Rows are written with `bulk_create` in batches and
nothing is queried row by row, so a million sessions take minutes, not hours.

On request, mentors also get a motivation and preference profile, and each
program sends engagement pulses (PULSES_PER_CYCLE per cycle) to its mentors,
answered by as many of them as it takes to reach the number of responses asked.

Also on request (`budgets`), the recognition resources of issue 4: the ready-made
catalog, a culture profile, last and this fiscal year's budgets of every program
and of the whole organisation with their ledgers, and a few programs' decisions
on paying their mentors. Ledger lines are written with `bulk_create`, not through
the budget services (which lock the budget row for each line), but they follow
the services' rules: a release or a spending settles a commitment at most once,
and allocations are sized so that committed + spent never passes them.
"""

import datetime
import math
import random
import time
import zoneinfo
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from laurier.accounts.models import User
from laurier.core.dates import fiscal_year_of
from laurier.core.money import to_cents
from laurier.demo.vocabulary import clamp
from laurier.hours.models import LoggedBy, MentoringSession, SessionFormat, SessionSetting
from laurier.organisations.models import Membership, Organisation, Role
from laurier.profiles.models import (
    CategoryPreference,
    MentorProfile,
    Motivation,
    ProfileMotivation,
    ProfileSource,
)
from laurier.programs.models import (
    Cycle,
    EnrolmentStatus,
    MenteeEnrolment,
    MentorEnrolment,
    Pairing,
    Person,
    Program,
)
from laurier.recognition.catalog import install_standard_catalog
from laurier.recognition.categories import Giver, PublicConsent, RecognitionCategory, Visibility
from laurier.recognition.models import (
    Award,
    Budget,
    BudgetAlert,
    CompensationDecision,
    CultureProfile,
    LedgerEntry,
    RecognitionOption,
)
from laurier.recognition.selectors.budgets import (
    ALERT_THRESHOLDS,
    RESOURCES,
    capacity_period_bounds,
)
from laurier.recognition.services.awards import feedback_about, feedback_campaign, needs_budget
from laurier.surveys.models import (
    Answer,
    Campaign,
    Choice,
    EngagementFactor,
    Question,
    Recipient,
    Response,
)
from laurier.surveys.services.editing import copy_survey
from laurier.surveys.standard import install_standard_surveys

from . import vocabulary
from .demo_organisation import (
    DEMO_PASSWORD,
    DemoRecognition,
    fiscal_year_start,
    last_and_current_cycles,
)

BATCH_SIZE = 5000
SESSION_DAYS = 365
# How unequal program sizes are: the share of program k is proportional to 1 / k**SIZE_SKEW.
SIZE_SKEW = 0.8
PREVIOUS_CYCLE_SHARE = 0.35
PROGRAM_TOPICS = (
    "Relève",
    "Accueil",
    "Femmes en STIM",
    "Leadership",
    "Transfert de savoir",
    "Diversité et inclusion",
    "Métiers spécialisés",
    "Jeunes professionnels",
    "Ventes",
    "Retour au travail",
)
ENROLMENT_STATUS_WEIGHTS = (
    (EnrolmentStatus.ACTIVE, 90),
    (EnrolmentStatus.PAUSED, 6),
    (EnrolmentStatus.LEFT, 4),
)
# Mentors from one cycle to the next: a share is new this cycle; of last cycle's, a mentor
# continues with probability CONTINUE_BASE + CONTINUE_ENGAGEMENT × engagement (0–1), about
# 72 % on average. Those who stop mostly leave or pause; some stay enrolled without a mentee.
NEW_MENTOR_SHARE = 0.2
CONTINUE_BASE = 0.55
CONTINUE_ENGAGEMENT = 0.35
NOT_CONTINUING_STATUS_WEIGHTS = (
    (EnrolmentStatus.LEFT, 50),
    (EnrolmentStatus.PAUSED, 20),
    (EnrolmentStatus.ACTIVE, 30),
)


class Track:
    """The cycles a mentor mentors in: last cycle only, both, or this cycle only."""

    PREVIOUS = "previous"
    BOTH = "both"
    NEW = "new"


PROFILE_SHARE = 0.8
CONSENT_WEIGHTS = (
    (PublicConsent.YES, 45),
    (PublicConsent.ASK, 30),
    (PublicConsent.NO, 15),
    ("", 10),
)
MOTIVATION_WEIGHTS = {
    Motivation.PAY_IT_FORWARD: 40,
    Motivation.NEXT_GENERATION: 30,
    Motivation.NEW_PERSPECTIVES: 20,
    Motivation.OWN_GROWTH: 15,
    Motivation.NETWORK: 10,
    Motivation.OTHER: 3,
}
# How much mentors value each category on average (0–5): what the heat map shows.
CATEGORY_MEANS = {
    RecognitionCategory.PUBLIC_MENTION: 2.6,
    RecognitionCategory.THANK_YOU_CARD: 3.8,
    RecognitionCategory.CERTIFICATE: 3.2,
    RecognitionCategory.BADGE: 2.4,
    RecognitionCategory.NETWORKS_AND_EVENTS: 3.5,
    RecognitionCategory.MATERIAL_PERK: 2.0,
    RecognitionCategory.SYMBOLIC_GIFT: 2.7,
    RecognitionCategory.PUBLIC_EVENT: 2.9,
    RecognitionCategory.PROFESSIONAL_DEVELOPMENT: 4.2,
    RecognitionCategory.TRAINING_HOURS: 3.9,
    RecognitionCategory.CONTEST: 1.6,
    RecognitionCategory.STIPEND: 3.0,
}
PULSES_PER_CYCLE = 3
FACTOR_MEANS = {
    EngagementFactor.STRUCTURE: 3.9,
    EngagementFactor.TRAINING: 3.1,
    EngagementFactor.SUPPORT: 3.7,
    EngagementFactor.COMMUNITY: 3.3,
    EngagementFactor.RECOGNITION: 3.4,
}
COMMENT_CHANCE = 0.12
COMMENTS = (
    "Plus d'échanges entre mentors seraient bienvenus.",
    "Une formation au début du cycle m'aiderait.",
    "Merci pour le suivi régulier.",
    "J'aimerais savoir ce qu'on attend de moi plus clairement.",
)

# Ledger lines of the biggest program's budget this fiscal year (a heavy user of the ledger);
# the other programs write LEDGER_LINES_PER_MENTOR lines per mentor and year.
BIGGEST_LEDGER_LINES = 20_000
LEDGER_LINES_PER_MENTOR = 2
ORGANISATION_LEDGER_LINES_PER_MENTOR = 0.05
# Of the ledger's recognitions: spent directly (no commitment first), or committed; an old
# commitment is more likely settled than a recent one, and most settled ones were spent.
DIRECT_SPENDING_SHARE = 0.25
SPENT_SHARE_OF_SETTLED = 0.8
# Only options without a capacity: a capacity (40 gala seats a year) is shared by every
# budget of the organisation, and thousands of lines would pass it.
LEDGER_OPTION_WEIGHTS = {
    "thank_you_card": 30,
    "certificate": 20,
    "mentoring_badge": 12,
    "intranet_mention": 10,
    "symbolic_gift": 10,
    "material_perk": 5,
    "training_hours_mentor": 5,
    "training_hours_mentee": 3,
}
FREE_TEXT_SHARE = 0.1
FREE_TEXT_LINES = (
    "Café des mentors",
    "Dîner d'équipe",
    "Impression des attestations",
    "Frais de déplacement d'un conférencier",
    "Location de salle",
)
QUANTITY_WEIGHTS = {1: 50, 2: 15, 3: 10, 5: 10, 10: 10, 20: 5}
# Each budget's allocation is its ledger's peak use divided by a share in this range, so some
# budgets pass their 80 % alert and none is used up.
ALLOCATION_USE = (0.5, 0.95)
ALLOCATION_FLOORS = {"money": Decimal("1000.00"), "staff_hours": Decimal("20.00"), "items": 10}
HOUR = Decimal("0.01")


class OrganisationExists(Exception):
    """An organisation with this slug exists and was not to be replaced."""


class TooManySessions(Exception):
    """The pairings cannot hold that many sessions (one per pairing, day and length)."""


class TooManyResponses(Exception):
    """More pulse responses than pulses sent (each mentor answers each pulse at most once)."""


@dataclass
class GeneratedOrganisation:
    organisation: Organisation
    admin_email: str
    biggest_program_slug: str
    biggest_program_manager_email: str
    seconds: float


def user_email(slug, local_part):
    """The address of a login of a generated organisation, unique to its slug."""
    return f"{local_part}@{slug}.generated.laurier.example"


def split_by_weights(total, weights, minimum=0):
    """`total` split in integers proportional to `weights` (largest remainders), each ≥ minimum."""
    spare = total - minimum * len(weights)
    weight_sum = sum(weights)
    shares = [spare * weight / weight_sum for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - counts[i], reverse=True)
    for index in by_remainder[: spare - sum(counts)]:
        counts[index] += 1
    return [count + minimum for count in counts]


def delete_organisation(organisation):
    """Delete an organisation and everything in it, the biggest tables first in one statement."""
    # Without this, the deletion collector would load a million sessions (and the pulses'
    # hundreds of thousands of answers) into memory.
    MentoringSession.objects.filter(program__organisation=organisation).delete()
    Answer.objects.filter(response__campaign__organisation=organisation).delete()
    # Ledger lines point at each other (`settles`, RESTRICT): one SQL statement deletes them
    # all at once, where the collector would load every line to order the deletions.
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {LedgerEntry._meta.db_table} WHERE budget_id IN "
            f"(SELECT id FROM {Budget._meta.db_table} WHERE organisation_id = %s)",
            [organisation.pk],
        )
    organisation.delete()


def generate_organisation(
    *,
    slug,
    mentors,
    mentees,
    sessions,
    programs=30,
    profiles=False,
    responses=0,
    budgets=False,
    ledger_lines=BIGGEST_LEDGER_LINES,
    awards=False,
    seed=1,
    replace=False,
    name=None,
    today=None,
    progress=None,
):
    """Create organisation `slug` with exactly these numbers of mentors, mentees and sessions.

    Raises OrganisationExists when the slug is taken and `replace` is false,
    ValueError for impossible sizes and TooManySessions when the pairings
    cannot hold the sessions. `profiles` gives most mentors a profile; `responses`
    pulse responses are spread over the programs' pulse campaigns (TooManyResponses
    when they exceed the mentors asked). `budgets` adds the catalog, a culture profile,
    budgets with their ledgers (`ledger_lines` lines for the biggest program this fiscal
    year) and compensation decisions. `awards` (which implies `budgets`) adds about
    AWARDS_PER_MENTOR_YEAR recognitions per mentor and year over last and this fiscal year,
    with their ledger lines and the feedback of some mentors. `progress(message)` hears
    about each step.
    """
    started = time.monotonic()
    if programs < 1 or mentors < programs or mentees < programs:
        raise ValueError("Every program needs at least one mentor and one mentee.")
    if sessions < 0 or responses < 0 or ledger_lines < 0:
        raise ValueError("The numbers of sessions and responses cannot be negative.")
    if responses > mentors * 2 * PULSES_PER_CYCLE:
        raise TooManyResponses(responses, mentors * 2 * PULSES_PER_CYCLE)
    say = progress or (lambda message: None)
    budgets = budgets or awards
    with transaction.atomic():
        existing = Organisation.objects.filter(slug=slug).first()
        if existing is not None:
            if not replace:
                raise OrganisationExists(slug)
            say(f"deleting the existing organisation {slug}")
            delete_organisation(existing)
        generator = LargeOrganisationGenerator(
            rng=random.Random(seed), today=today, say=say, started=started
        )
        result = generator.generate(
            slug=slug,
            name=name or f"Organisation générée {slug}",
            mentors=mentors,
            mentees=mentees,
            sessions=sessions,
            programs=programs,
            profiles=profiles,
            responses=responses,
            budgets=budgets,
            ledger_lines=ledger_lines,
            awards=awards,
        )
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner guesses as if the tables were empty.
        analysed = (Person, MentorEnrolment, MenteeEnrolment, Pairing, MentoringSession)
        analysed += (MentorProfile, ProfileMotivation, CategoryPreference)
        analysed += (Campaign, Recipient, Response, Answer)
        analysed += (RecognitionOption, Budget, LedgerEntry, CompensationDecision, Award)
        with connection.cursor() as cursor:
            for model in analysed:
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    result.seconds = time.monotonic() - started
    return result


class LargeOrganisationGenerator:
    def __init__(self, *, rng, today, say, started):
        self.rng = rng
        self.zone = zoneinfo.ZoneInfo("America/Toronto")
        self.today = today or timezone.localdate(timezone=self.zone)
        self.say = say
        self.started = started
        self.private_mentors, self.preferences = set(), {}

    def _report(self, message):
        self.say(f"[{time.monotonic() - self.started:7.1f} s] {message}")

    def generate(
        self,
        *,
        slug,
        name,
        mentors,
        mentees,
        sessions,
        programs,
        profiles=False,
        responses=0,
        budgets=False,
        ledger_lines=BIGGEST_LEDGER_LINES,
        awards=False,
    ):
        self.slug = slug
        self.organisation = Organisation.objects.create(
            name=name, slug=slug, language="fr-ca", time_zone="America/Toronto"
        )
        self._programs(programs)
        mentor_sizes = split_by_weights(mentors, self.weights, minimum=1)
        mentee_sizes = split_by_weights(mentees, self.weights, minimum=1)
        self._logins()
        self._people(mentor_sizes, mentee_sizes)
        self._enrolments()
        self._pairings()
        self._sessions(sessions)
        if profiles:
            self._profiles()
        if responses:
            self._pulses(responses)
        if budgets:
            RecognitionResources(self).generate(ledger_lines, awards=awards)
        return GeneratedOrganisation(
            organisation=self.organisation,
            admin_email=user_email(slug, "admin"),
            biggest_program_slug=self.programs[0].slug,
            biggest_program_manager_email=user_email(slug, "gestionnaire-1"),
            seconds=0,
        )

    def _programs(self, count):
        rng = self.rng
        self.weights = [1 / (rank**SIZE_SKEW) for rank in range(1, count + 1)]
        self.programs = Program.objects.bulk_create(
            [
                Program(
                    organisation=self.organisation,
                    name=f"{PROGRAM_TOPICS[number % len(PROGRAM_TOPICS)]} {number + 1}",
                    slug=f"programme-{number + 1}",
                    objectives="Développer les compétences et le réseau des personnes mentorées.",
                    expectations="Une rencontre de une à deux heures par mois.",
                    expected_hours_per_month=rng.choice(("1.0", "1.5", "2.0", "3.0")),
                    commitment_months=rng.choice((6, 12, 12, 24)),
                )
                for number in range(count)
            ],
            batch_size=BATCH_SIZE,
        )
        self.previous_cycles, self.current_cycles = last_and_current_cycles(
            self.programs, self.today, self.organisation.fiscal_year_start_month
        )
        Cycle.objects.bulk_create(self.previous_cycles + self.current_cycles, batch_size=BATCH_SIZE)
        self._report(f"{count} programs and {2 * count} cycles")

    def _logins(self):
        """An admin, and a manager per program (the first manager has the biggest program)."""
        password = make_password(DEMO_PASSWORD)
        emails = [user_email(self.slug, "admin")] + [
            user_email(self.slug, f"gestionnaire-{number + 1}")
            for number in range(len(self.programs))
        ]
        existing = {user.email: user for user in User.objects.filter(email__in=emails)}
        User.objects.bulk_create(
            [
                User(email=email, password=password, language="fr-ca")
                for email in emails
                if email not in existing
            ],
            batch_size=BATCH_SIZE,
        )
        users = {user.email: user for user in User.objects.filter(email__in=emails)}
        self.admin = users[emails[0]]
        self.managers = [users[email] for email in emails[1:]]
        Membership.objects.bulk_create(
            [Membership(organisation=self.organisation, user=self.admin, role=Role.ADMIN)]
            + [
                Membership(organisation=self.organisation, user=manager, role=Role.MANAGER)
                for manager in self.managers
            ],
            batch_size=BATCH_SIZE,
        )
        Program.managers.through.objects.bulk_create(
            [
                Program.managers.through(program_id=program.pk, user_id=manager.pk)
                for program, manager in zip(self.programs, self.managers, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )

    def _person(self, number, *, senior):
        rng = self.rng
        first_name, last_name, language = vocabulary.random_name(rng)
        department, job_title = vocabulary.random_position(rng, senior=senior)
        years = rng.randint(4, 30) if senior else rng.randint(0, 8)
        return Person(
            organisation=self.organisation,
            first_name=first_name,
            last_name=last_name,
            # The number keeps addresses unique without asking the database.
            email=(
                f"{vocabulary.ascii_slug(first_name)}.{vocabulary.ascii_slug(last_name)}"
                f".{number}@{self.slug}.example"
            ),
            language=language,
            department=department,
            job_title=job_title,
            hire_date=self.today - datetime.timedelta(days=years * 365 + rng.randint(0, 364)),
        )

    def _people(self, mentor_sizes, mentee_sizes):
        self.program_mentors, self.program_mentees = [], []
        people, number = [], 0
        for mentor_count, mentee_count in zip(mentor_sizes, mentee_sizes, strict=True):
            group = [self._person(number + offset, senior=True) for offset in range(mentor_count)]
            number += mentor_count
            self.program_mentors.append(group)
            people += group
            group = [self._person(number + offset, senior=False) for offset in range(mentee_count)]
            number += mentee_count
            self.program_mentees.append(group)
            people += group
        self._bulk_create(Person, people, "people")

    def _bulk_create(self, model, objects, label):
        """bulk_create in slices, reporting progress after each slice."""
        total = len(objects)
        for start in range(0, total, BATCH_SIZE * 10):
            model.objects.bulk_create(
                objects[start : start + BATCH_SIZE * 10], batch_size=BATCH_SIZE
            )
            self._report(f"{label}: {min(start + BATCH_SIZE * 10, total):,}/{total:,}")

    def _stop_date(self):
        start = self.current_cycles[0].starts_on
        span = max(1, (self.today - start).days - 14)
        return start + datetime.timedelta(days=self.rng.randrange(span))

    def _mentor_tracks(self, mentors):
        """Which cycles each mentor of a program mentors in: last cycle's mentors continue
        to this one more often when they are engaged (the latent `engagement` that also makes
        them likelier to be recognised), and some mentors are new this cycle."""
        rng = self.rng
        tracks = {}
        for person in mentors:
            engagement = rng.random()
            self.engagement[person.pk] = engagement
            if rng.random() < NEW_MENTOR_SHARE:
                tracks[person.pk] = Track.NEW
            elif rng.random() < CONTINUE_BASE + CONTINUE_ENGAGEMENT * engagement:
                tracks[person.pk] = Track.BOTH
            else:
                tracks[person.pk] = Track.PREVIOUS
        # Each cycle needs at least one mentor.
        if not any(track != Track.NEW for track in tracks.values()):
            tracks[mentors[0].pk] = Track.BOTH
        if not any(track != Track.PREVIOUS for track in tracks.values()):
            tracks[mentors[-1].pk] = Track.BOTH
        return tracks

    def _enrolments(self):
        rng = self.rng
        statuses, weights = zip(*ENROLMENT_STATUS_WEIGHTS, strict=True)
        gone, gone_weights = zip(*NOT_CONTINUING_STATUS_WEIGHTS, strict=True)
        self.stops, self.departures = {}, set()
        self.engagement, self.tracks = {}, {}
        enrolments = {MentorEnrolment: [], MenteeEnrolment: []}
        for index, program in enumerate(self.programs):
            since = self.previous_cycles[index].starts_on
            self.tracks.update(self._mentor_tracks(self.program_mentors[index]))
            groups = (
                (MentorEnrolment, self.program_mentors[index]),
                (MenteeEnrolment, self.program_mentees[index]),
            )
            for model, group in groups:
                for person in group:
                    track = self.tracks.get(person.pk) if model is MentorEnrolment else None
                    if track == Track.PREVIOUS:
                        # Did not continue after last cycle: left, paused, or still enrolled
                        # but waiting for a mentee.
                        status = rng.choices(gone, gone_weights)[0]
                        changed_on = min(
                            self.previous_cycles[index].ends_on
                            + datetime.timedelta(days=rng.randint(1, 45)),
                            self.today - datetime.timedelta(days=1),
                        )
                    else:
                        status = rng.choices(statuses, weights)[0]
                        changed_on = None
                    reason = ""
                    if status != EnrolmentStatus.ACTIVE:
                        reasons = (
                            vocabulary.PAUSING_REASONS
                            if status == EnrolmentStatus.PAUSED
                            else vocabulary.LEAVING_REASONS
                        )
                        reason, changed_on = rng.choice(reasons), changed_on or self._stop_date()
                        self.stops[person.pk] = changed_on
                        if status == EnrolmentStatus.LEFT:
                            self.departures.add(person.pk)
                    else:
                        changed_on = None
                    if track == Track.NEW:
                        enrolled_since = self.current_cycles[index].starts_on - datetime.timedelta(
                            days=rng.randint(0, 45)
                        )
                    elif model is MentorEnrolment:
                        enrolled_since = since - datetime.timedelta(days=rng.randint(0, 700))
                    else:
                        enrolled_since = since
                    enrolments[model].append(
                        model(
                            program=program,
                            person=person,
                            since=enrolled_since,
                            status=status,
                            status_reason=reason,
                            status_changed_on=changed_on,
                        )
                    )
        self._bulk_create(MentorEnrolment, enrolments[MentorEnrolment], "mentor enrolments")
        self._bulk_create(MenteeEnrolment, enrolments[MenteeEnrolment], "mentee enrolments")

    def rosters(self, index):
        """(last cycle's mentors, this cycle's mentors) of program `index`."""
        mentors = self.program_mentors[index]
        previous = [p for p in mentors if self.tracks[p.pk] in (Track.PREVIOUS, Track.BOTH)]
        current = [p for p in mentors if self.tracks[p.pk] in (Track.BOTH, Track.NEW)]
        return previous, current

    def _pairings(self):
        """Every mentee paired once, last year or this year, each cycle's mentors taking turns."""
        rng = self.rng
        self.pairings = []
        for index, program in enumerate(self.programs):
            mentees = list(self.program_mentees[index])
            rng.shuffle(mentees)
            split = int(len(mentees) * PREVIOUS_CYCLE_SHARE)
            previous, current = self.rosters(index)
            cohorts = (
                (self.previous_cycles[index], mentees[:split], previous),
                (self.current_cycles[index], mentees[split:], current),
            )
            for cycle, cohort, roster in cohorts:
                mentors = list(roster)
                rng.shuffle(mentors)
                for number, mentee in enumerate(cohort):
                    mentor = mentors[number % len(mentors)]
                    self.pairings.append(self._pairing(program, cycle, mentor, mentee))
        self._bulk_create(Pairing, self.pairings, "pairings")

    def _pairing(self, program, cycle, mentor, mentee):
        rng = self.rng
        room = max(0, min(60, (self.today - cycle.starts_on).days - 14))
        starts_on = cycle.starts_on + datetime.timedelta(days=rng.randint(0, room))
        ends_on, status = None, Pairing.Status.ACTIVE
        departures = [self.stops[p.pk] for p in (mentor, mentee) if p.pk in self.departures]
        departure = min(departures) if departures else None
        if cycle.ends_on < self.today:
            ends_on, status = cycle.ends_on, Pairing.Status.COMPLETED
            if rng.random() < 0.1:
                ends_on = min(
                    cycle.ends_on, starts_on + datetime.timedelta(days=rng.randint(60, 250))
                )
                status = Pairing.Status.ENDED_EARLY
        elif departure is not None and departure < self.today:
            ends_on, status = max(departure, starts_on), Pairing.Status.ENDED_EARLY
        return Pairing(
            program=program,
            cycle=cycle,
            mentor=mentor,
            mentee=mentee,
            starts_on=starts_on,
            ends_on=ends_on,
            status=status,
        )

    def _session_windows(self):
        """(first day, number of days) during which each pairing could meet, in the last year."""
        first_day = self.today - datetime.timedelta(days=SESSION_DAYS - 1)
        yesterday = self.today - datetime.timedelta(days=1)
        windows = []
        for pairing in self.pairings:
            start = max(pairing.starts_on + datetime.timedelta(days=3), first_day)
            end = min(
                pairing.ends_on or yesterday,
                yesterday,
                self.stops.get(pairing.mentor_id, datetime.date.max),
                self.stops.get(pairing.mentee_id, datetime.date.max),
            )
            windows.append((start, max(0, (end - start).days + 1)))
        return windows

    def _session_counts(self, total, windows):
        """How many sessions each pairing has: about proportional to its days, some keener."""
        rng = self.rng
        lengths = len(vocabulary.SESSION_LENGTHS)
        capacity = sum(days for _start, days in windows) * lengths
        if total > capacity:
            raise TooManySessions(total, capacity)
        weights = [days * rng.uniform(0.3, 1.7) for _start, days in windows]
        if not any(weights):
            return [0] * len(windows)
        counts = split_by_weights(total, weights)
        # A keen pairing may get more sessions than it has days: move the excess elsewhere.
        excess = 0
        for index, (_start, days) in enumerate(windows):
            if counts[index] > days:
                excess += counts[index] - days
                counts[index] = days
        index = 0
        while excess:
            room = windows[index][1] * lengths - counts[index]
            moved = min(room, excess)
            counts[index] += moved
            excess -= moved
            index += 1
        return counts

    def _sessions(self, total):
        rng = self.rng
        windows = self._session_windows()
        counts = self._session_counts(total, windows)
        manager_of = {
            program.pk: manager.pk
            for program, manager in zip(self.programs, self.managers, strict=True)
        }
        logged_by_choices = (LoggedBy.MENTOR, LoggedBy.MENTEE, LoggedBy.MANAGER)
        lengths, length_weights = vocabulary.SESSION_LENGTHS, vocabulary.SESSION_LENGTH_WEIGHTS
        recent = self.today - datetime.timedelta(days=14)
        batch, written = [], 0
        for pairing, (start, days), count in zip(self.pairings, windows, counts, strict=True):
            if not count:
                continue
            if count <= days:
                slots = [(offset, None) for offset in rng.sample(range(days), count)]
            else:
                # More sessions than days: several sessions of different lengths on some days.
                slots = rng.sample(
                    [(offset, length) for offset in range(days) for length in lengths], count
                )
            for offset, length in slots:
                held_on = start + datetime.timedelta(days=offset)
                logged_by = rng.choices(logged_by_choices, (55, 25, 20))[0]
                confirmed_at = None
                if rng.random() < (0.4 if held_on > recent else 0.93):
                    confirmed_at = datetime.datetime(
                        held_on.year, held_on.month, held_on.day, 17, tzinfo=self.zone
                    ) + datetime.timedelta(days=rng.randint(0, 4))
                batch.append(
                    MentoringSession(
                        pairing_id=pairing.pk,
                        program_id=pairing.program_id,
                        mentor_id=pairing.mentor_id,
                        mentee_id=pairing.mentee_id,
                        held_on=held_on,
                        duration_minutes=length or rng.choices(lengths, length_weights)[0],
                        format=SessionFormat.GROUP
                        if rng.random() < 0.1
                        else SessionFormat.ONE_TO_ONE,
                        setting=SessionSetting.ONLINE
                        if rng.random() < 0.45
                        else SessionSetting.IN_PERSON,
                        logged_by=logged_by,
                        logged_by_user_id=manager_of[pairing.program_id]
                        if logged_by == LoggedBy.MANAGER
                        else None,
                        confirmed_at=confirmed_at,
                    )
                )
            if len(batch) >= BATCH_SIZE * 10:
                written += self._write_sessions(batch, written, total)
                batch = []
        if batch:
            self._write_sessions(batch, written, total)

    def _write_sessions(self, batch, written, total):
        MentoringSession.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        self._report(f"sessions: {written + len(batch):,}/{total:,}")
        return len(batch)

    # Mentor voice: profiles and engagement pulses

    def _profiles(self):
        """Most mentors have a profile: motivations, a score per category, public consent."""
        rng = self.rng
        consents, consent_weights = zip(*CONSENT_WEIGHTS, strict=True)
        motivations, motivation_weights = zip(*MOTIVATION_WEIGHTS.items(), strict=True)
        now = timezone.now()
        mentors = [person for group in self.program_mentors for person in group]
        chosen = [person for person in mentors if rng.random() < PROFILE_SHARE]
        profiles = [
            MentorProfile(
                organisation=self.organisation,
                person=person,
                public_consent=rng.choices(consents, consent_weights)[0],
                source=ProfileSource.SURVEY,
                updated_at=now,
            )
            for person in chosen
        ]
        self._bulk_create(MentorProfile, profiles, "profiles")
        # Kept for the awards: no public recognition for a mentor who asked for privacy, and
        # satisfaction follows how much the mentor values the recognition's category.
        self.private_mentors = {
            profile.person_id for profile in profiles if profile.public_consent == PublicConsent.NO
        }
        reasons, preferences = [], []
        for profile in profiles:
            picked = set(rng.choices(motivations, motivation_weights, k=rng.randint(1, 3)))
            reasons += [ProfileMotivation(profile=profile, motivation=m) for m in picked]
            scores = [
                CategoryPreference(
                    profile=profile,
                    category=category,
                    score=min(5, max(0, round(rng.gauss(mean, 1.3)))),
                )
                for category, mean in CATEGORY_MEANS.items()
            ]
            self.preferences[profile.person_id] = {s.category: s.score for s in scores}
            preferences += scores
        self._bulk_create(ProfileMotivation, reasons, "profile motivations")
        self._bulk_create(CategoryPreference, preferences, "category preferences")

    def _pulses(self, total):
        """PULSES_PER_CYCLE pulses per cycle sent to each program's mentors; `total` responses,
        shared among campaigns in proportion to their recipients."""
        rng = self.rng
        pulse = install_standard_surveys(self.organisation)["pulse"]
        plans = []
        for index, program in enumerate(self.programs):
            for cycle in (self.previous_cycles[index], self.current_cycles[index]):
                for number in range(PULSES_PER_CYCLE):
                    plans.append((program, cycle, number, self.program_mentors[index]))
        counts = split_by_weights(total, [len(mentors) for *_rest, mentors in plans])
        now = timezone.now()
        written = 0
        for (program, cycle, number, mentors), count in zip(plans, counts, strict=True):
            survey = copy_survey(pulse, frozen=True)
            sent_at = datetime.datetime.combine(
                cycle.starts_on + datetime.timedelta(days=60 + 90 * number),
                datetime.time(9),
                tzinfo=self.zone,
            )
            closes_at = sent_at + datetime.timedelta(days=21)
            campaign = Campaign.objects.create(
                organisation=self.organisation,
                program=program,
                cycle=cycle,
                survey=survey,
                name=f"Sondage de mobilisation {number + 1} · {cycle.name}",
                closes_at=closes_at,
                closed_at=closes_at if closes_at < now else None,
            )
            questions = {question.key: question for question in survey.questions.all()}
            answering = set(rng.sample(range(len(mentors)), min(count, len(mentors))))
            recipients = [
                Recipient(
                    campaign=campaign,
                    person=person,
                    invited_at=sent_at,
                    responded_at=sent_at + datetime.timedelta(hours=rng.randint(1, 400))
                    if position in answering
                    else None,
                )
                for position, person in enumerate(mentors)
            ]
            Recipient.objects.bulk_create(recipients, batch_size=BATCH_SIZE)
            replies = Response.objects.bulk_create(
                [
                    Response(
                        recipient=recipient,
                        campaign=campaign,
                        submitted_at=recipient.responded_at,
                        updated_at=recipient.responded_at,
                    )
                    for recipient in recipients
                    if recipient.responded_at
                ],
                batch_size=BATCH_SIZE,
            )
            Answer.objects.bulk_create(
                self._pulse_answers(replies, questions, cycle), batch_size=BATCH_SIZE
            )
            written += len(replies)
        self._report(f"pulse responses: {written:,} in {len(plans)} campaigns")

    def _pulse_answers(self, responses, questions, cycle):
        rng = self.rng
        # Things improve a little from last year's cycle to this one, training the least.
        lift = 0.2 if cycle in self.current_cycles else 0.0
        answers = []
        for response in responses:
            for factor, mean in FACTOR_MEANS.items():
                score = min(5, max(1, round(rng.gauss(mean + lift, 0.9))))
                answers.append(
                    Answer(
                        response=response,
                        question=questions[f"factor:{factor.value}"],
                        number=score,
                    )
                )
                if rng.random() < COMMENT_CHANCE:
                    answers.append(
                        Answer(
                            response=response,
                            question=questions[f"comment:{factor.value}"],
                            text=rng.choice(COMMENTS),
                        )
                    )
            intention = min(10, max(0, round(rng.gauss(7.6, 2.0))))
            answers.append(
                Answer(response=response, question=questions["intention"], number=intention)
            )
        return answers


@dataclass
class LedgerUse:
    """What a budget's ledger uses: now (committed + spent) and at its peak, per resource."""

    now: dict
    peak: dict

    @classmethod
    def empty(cls):
        zero = {"money": Decimal("0.00"), "staff_hours": Decimal("0.00"), "material_items": 0}
        return cls(dict(zero), dict(zero))

    def add(self, resource_amounts, *, to_peak=True):
        for resource, value in resource_amounts.items():
            self.now[resource] += value
            if to_peak:
                self.peak[resource] += value

    def settle(self, committed, spent=None):
        """A commitment settled: released, and replaced by its spending if there is one.

        The peak keeps the commitment and adds what the spending cost above it, an upper
        bound of the use at any day of the year.
        """
        for resource, value in committed.items():
            self.now[resource] -= value
            if spent is not None:
                self.now[resource] += spent[resource]
                self.peak[resource] += max(spent[resource] - value, 0)


class RecognitionResources:
    """Issue 4's data of a generated organisation: catalog, culture, budgets, ledgers and
    compensation decisions, all for last and this fiscal year."""

    def __init__(self, generator):
        self.generator = generator
        self.rng = generator.rng
        self.organisation = generator.organisation
        self.today = generator.today

    def generate(self, ledger_lines, *, awards=False):
        generator, organisation = self.generator, self.organisation
        CultureProfile.objects.create(
            organisation=organisation, updated_by=generator.admin, **DemoRecognition.CULTURE
        )
        install_standard_catalog(organisation)
        self.options = {
            option.standard_key: option
            for option in RecognitionOption.objects.filter(organisation=organisation)
        }
        self.this_start = fiscal_year_start(self.today, organisation.fiscal_year_start_month)
        self.last_start = self.this_start.replace(year=self.this_start.year - 1)
        self.paid = self._decisions()
        # Who writes each budget's lines: its program's manager, or the admin.
        self.actors = {None: generator.admin.pk} | {
            program.pk: manager.pk
            for program, manager in zip(generator.programs, generator.managers, strict=True)
        }
        self._budgets(ledger_lines, awards)

    # Compensation decisions

    def _decisions(self):
        """A few programs' decisions: the biggest started paying a stipend this year after a
        year as volunteers, the second pays an honorarium overdue for review, two stay
        volunteers. Returns {program index: amount per mentor} of the programs that pay."""
        Decision = CompensationDecision.Decision
        days = datetime.timedelta
        this_start, last_start = self.this_start, self.last_start
        plans = [
            (0, Decision.VOLUNTEER, last_start - days(days=200), last_start + days(days=165), None),
            (
                0,
                Decision.STIPEND,
                this_start + days(days=14),
                this_start.replace(year=this_start.year + 1),
                Decimal("300.00"),
            ),
            (1, Decision.HONORARIUM, last_start + days(days=30), this_start + days(days=30), 150),
            (2, Decision.VOLUNTEER, this_start + days(days=45), self.today + days(days=300), None),
            (4, Decision.VOLUNTEER, last_start + days(days=60), self.today - days(days=40), None),
        ]
        programs = self.generator.programs
        decisions = [
            CompensationDecision(
                program=programs[index],
                decision=decision,
                context="Décision consignée pour la mesure des performances.",
                goals="Garder des mentors d'expérience et reconnaître leur engagement.",
                stakeholders="Mentors du programme, ressources humaines, comité de direction",
                benefits="Moins de départs en cours de cycle." if amount else "",
                risks=(
                    "- La relation peut ressembler à un service payé.\n"
                    "- Les mentors bénévoles des autres programmes peuvent se sentir oubliés.\n"
                    "- L'allocation doit être prévue au budget chaque année."
                )
                if amount
                else "",
                amount_per_mentor=to_cents(amount) if amount else None,
                decided_on=min(decided_on, self.today),
                review_on=review_on,
                recorded_by=self.generator.managers[index],
            )
            for index, decision, decided_on, review_on, amount in plans
            if index < len(programs)
        ]
        CompensationDecision.objects.bulk_create(decisions, batch_size=BATCH_SIZE)
        in_force = {}
        for decision in sorted(decisions, key=lambda d: d.decided_on):
            index = programs.index(decision.program)
            in_force[index] = decision.amount_per_mentor
        return {index: amount for index, amount in in_force.items() if amount}

    # Budgets and ledgers

    def _budgets(self, ledger_lines, awards=False):
        generator = self.generator
        elapsed = ((self.today - self.this_start).days + 1) / 365
        years = (
            (self.last_start.year, self.last_start, self.this_start - datetime.timedelta(days=1)),
            (self.this_start.year, self.this_start, self.today),
        )
        mentors = sum(len(group) for group in generator.program_mentors)
        plans = []  # (budget, lines, first day, last day, year is closed, program index)
        for year, first_day, last_day in years:
            closed = last_day < self.today
            share = 1 if closed else elapsed
            for index, program in enumerate(generator.programs):
                if index == 0 and not closed:
                    lines = ledger_lines
                else:
                    count = len(generator.program_mentors[index])
                    lines = max(3, round(LEDGER_LINES_PER_MENTOR * count * share))
                budget = self._budget(program, year)
                plans.append((budget, lines, first_day, last_day, closed, index))
            lines = max(5, round(ORGANISATION_LEDGER_LINES_PER_MENTOR * mentors * share))
            plans.append((self._budget(None, year), lines, first_day, last_day, closed, None))
        Budget.objects.bulk_create([plan[0] for plan in plans], batch_size=BATCH_SIZE)
        opening, settling, uses = [], [], []
        budget_of, use_of = {}, {}
        for budget, lines, first_day, last_day, closed, index in plans:
            use = LedgerUse.empty()
            first, second = self._ledger(budget, lines, first_day, last_day, closed, index, use)
            opening += first
            settling += second
            uses.append(use)
            budget_of[index, budget.fiscal_year] = budget
            use_of[budget.pk] = use
        history = None
        if awards:
            history = AwardHistory(self, budget_of, use_of)
            first, second = history.plan()
            opening += first
            settling += second
        # Commitments first: their keys are what releases and spendings settle.
        generator._bulk_create(LedgerEntry, opening, "ledger commitments and spendings")
        for entry in settling:
            entry.settles_id = entry.settles.pk
        generator._bulk_create(LedgerEntry, settling, "ledger settlements")
        if history is not None:
            history.write()
        self._allocate([plan[0] for plan in plans], uses)
        generator._report(
            f"recognition: {len(plans)} budgets, {len(opening) + len(settling):,} ledger lines"
        )

    def _budget(self, program, year):
        return Budget(
            organisation=self.organisation,
            program=program,
            fiscal_year=year,
            currency=self.organisation.currency,
            notes="" if program else "Reconnaissance commune à tous les programmes.",
        )

    def _amounts(self, option, quantity):
        if option is None:
            return {
                "money": to_cents(Decimal(self.rng.randint(2000, 30000)) / 100),
                "staff_hours": Decimal(self.rng.choice((0, 1, 2))).quantize(HOUR),
                "material_items": 0,
            }
        return {
            "money": to_cents(option.cost_money * quantity),
            "staff_hours": (option.staff_hours * quantity).quantize(HOUR),
            "material_items": option.material_items * quantity,
        }

    def _line(self, budget, kind, amounts, option, quantity, description, on, **extra):
        return LedgerEntry(
            budget=budget,
            kind=kind,
            option=option,
            quantity=quantity,
            description=description[:300],
            occurred_on=on,
            created_by_id=self.actors[budget.program_id],
            **amounts,
            **extra,
        )

    def _ledger(self, budget, lines, first_day, last_day, closed, index, use):
        """`lines` ledger lines between two days; returns (commitments and direct spendings,
        releases and the spendings that settle commitments), the latter unsaved with
        `settles` set to the (also unsaved) commitment."""
        rng, Kind = self.rng, LedgerEntry.Kind
        keys, key_weights = zip(*LEDGER_OPTION_WEIGHTS.items(), strict=True)
        quantities, quantity_weights = zip(*QUANTITY_WEIGHTS.items(), strict=True)
        span = (last_day - first_day).days + 1
        opening, settling = [], []
        if index in self.paid and index is not None:
            opening += self._stipends(budget, index, first_day, last_day, closed, use)
        written = len(opening)
        while written < lines:
            on = first_day + datetime.timedelta(days=rng.randrange(span))
            if rng.random() < FREE_TEXT_SHARE:
                option, quantity, description = None, 1, rng.choice(FREE_TEXT_LINES)
            else:
                option = self.options[rng.choices(keys, key_weights)[0]]
                quantity = rng.choices(quantities, quantity_weights)[0]
                name = option.name_fr
                description = f"{name} × {quantity}" if quantity > 1 else name
            amounts = self._amounts(option, quantity)
            if rng.random() < DIRECT_SPENDING_SHARE:
                opening.append(
                    self._line(budget, Kind.SPENDING, amounts, option, quantity, description, on)
                )
                use.add(amounts)
                written += 1
                continue
            commitment = self._line(
                budget, Kind.COMMITMENT, amounts, option, quantity, description, on
            )
            opening.append(commitment)
            use.add(amounts)
            written += 1
            left = (last_day - on).days
            settled_chance = 1 if closed else 0.2 + 0.75 * left / span
            if written >= lines or rng.random() >= settled_chance:
                continue
            settled_on = on + datetime.timedelta(days=rng.randint(0, left))
            if rng.random() < SPENT_SHARE_OF_SETTLED or written + 2 > lines:
                spent = dict(amounts)
                spent["money"] = to_cents(amounts["money"] * Decimal(rng.uniform(0.85, 1.1)))
                settling.append(
                    self._line(
                        budget, Kind.RELEASE, amounts, option, quantity, description, settled_on,
                        settles=commitment,
                    )
                )  # fmt: skip
                if written + 2 <= lines:
                    settling.append(
                        self._line(
                            budget, Kind.SPENDING, spent, option, quantity, description,
                            settled_on, settles=commitment,
                        )
                    )  # fmt: skip
                    use.settle(amounts, spent)
                    written += 2
                else:
                    use.settle(amounts)
                    written += 1
            else:
                settling.append(
                    self._line(
                        budget, Kind.RELEASE, amounts, option, quantity,
                        "Annulé : le mentor n'était pas disponible.", settled_on,
                        settles=commitment,
                    )
                )  # fmt: skip
                use.settle(amounts)
                written += 1
        return opening, settling

    def _stipends(self, budget, index, first_day, last_day, closed, use):
        """What a paying program spent on its mentors' stipends: two instalments a year."""
        amount = self.paid[index]
        option = self.options["stipend" if index == 0 else "honorarium"]
        paid = sum(
            1
            for person in self.generator.program_mentors[index]
            if person.pk not in self.generator.stops
        )
        lines = []
        for number, offset in enumerate((120, 300)):
            on = first_day + datetime.timedelta(days=offset)
            if on > last_day or not paid:
                continue
            amounts = {
                "money": to_cents(amount * paid / 2),
                "staff_hours": Decimal("2.00"),
                "material_items": 0,
            }
            lines.append(
                self._line(
                    budget, LedgerEntry.Kind.SPENDING, amounts, option, paid,
                    f"Allocation des mentors — versement {number + 1}", on,
                )
            )  # fmt: skip
            use.add(amounts)
        return lines

    def _allocate(self, budgets, uses):
        """Each budget's allocation above its ledger's peak use; the alerts its use reached."""
        rng, now = self.rng, timezone.now()
        alerts = []
        for budget, use in zip(budgets, uses, strict=True):
            share = Decimal(str(round(rng.uniform(*ALLOCATION_USE), 3)))
            budget.money = max(
                ALLOCATION_FLOORS["money"],
                Decimal(math.ceil(use.peak["money"] / share / 100) * 100),
            ).quantize(HOUR)
            budget.staff_hours = max(
                ALLOCATION_FLOORS["staff_hours"],
                Decimal(math.ceil(use.peak["staff_hours"] / share)),
            ).quantize(HOUR)
            budget.material_items = max(
                ALLOCATION_FLOORS["items"], math.ceil(use.peak["material_items"] / share)
            )
            for resource in RESOURCES:
                allocated, used = getattr(budget, resource), use.now[resource]
                for threshold in ALERT_THRESHOLDS:
                    if allocated > 0 and used * 100 >= allocated * threshold:
                        alerts.append(
                            BudgetAlert(
                                budget=budget,
                                resource=resource,
                                threshold=threshold,
                                reached_at=now,
                            )
                        )
        Budget.objects.bulk_update(
            budgets, ["money", "staff_hours", "material_items"], batch_size=BATCH_SIZE
        )
        BudgetAlert.objects.bulk_create(alerts, batch_size=BATCH_SIZE)


# Recognitions given (issue 9): about AWARDS_PER_MENTOR_YEAR per mentor and year, some programs
# more generous than others, engaged mentors more often, and a rush in December and in the
# cycle's last weeks. Those dated after today are planned or approved (up to
# PLANNING_HORIZON_DAYS ahead); a few past ones were cancelled or wait to be given.
AWARDS_PER_MENTOR_YEAR = 2
PROGRAM_GENEROSITY = (0.6, 1.4)
DECEMBER_SHARE = 0.28
CYCLE_END_SHARE = 0.17
CYCLE_END_DAYS = 35
PLANNING_HORIZON_DAYS = 45
# No mentor receives more than this in a year, however engaged.
MOST_PER_YEAR = 4
CANCELLED_SHARE = 0.03
WAITING_SHARE = 0.04
APPROVED_SHARE_OF_PLANNED = 0.65
# Standard options (for mentors; contests and pay are not given this way) and how often
# managers choose them. Options with a capacity are given while it lasts.
AWARD_OPTION_WEIGHTS = {
    "thank_you_card": 26,
    "certificate": 14,
    "intranet_mention": 10,
    "mentoring_badge": 10,
    "symbolic_gift": 10,
    "training_hours_mentor": 6,
    "material_perk": 5,
    "newsletter_mention": 4,
    "special_event": 3,
    "workshop": 3,
    "dinner": 3,
    "gala": 3,
    "network_access": 2,
    "seminar": 2,
    "advanced_training": 2,
    "conference": 1,
}
GIVER_WEIGHTS = (
    ((Giver.MANAGER,), 50),
    ((Giver.MANAGER, Giver.EXECUTIVE), 12),
    ((Giver.MENTEE,), 13),
    ((Giver.PEER,), 8),
    ((Giver.EXECUTIVE,), 6),
    ((Giver.MENTEE_MANAGER,), 5),
    ((Giver.MANAGER, Giver.MENTEE), 6),
)
# How much each program leans on its manager: the weights of the giver lists with the manager.
MANAGER_LEANING = (0.6, 2.0)
AWARD_MESSAGES = (
    "",
    "",
    "Merci pour ta générosité et ta disponibilité cette année.",
    "Ton accompagnement a fait une vraie différence.",
    "Merci d'avoir partagé ton expérience avec autant de patience.",
)
CANCEL_REASONS = (
    "Le mentor n'était pas disponible.",
    "Reporté à l'an prochain.",
    "Remplacé par une autre reconnaissance.",
)
# Feedback: the share of the given awards whose mentor answered the survey, how satisfied
# mentors are with each category on average (without a profile), and their comments.
FEEDBACK_SHARE = 0.4
CATEGORY_SATISFACTION = {
    RecognitionCategory.PUBLIC_MENTION: 3.3,
    RecognitionCategory.THANK_YOU_CARD: 4.2,
    RecognitionCategory.CERTIFICATE: 3.7,
    RecognitionCategory.BADGE: 3.1,
    RecognitionCategory.NETWORKS_AND_EVENTS: 4.0,
    RecognitionCategory.MATERIAL_PERK: 3.4,
    RecognitionCategory.SYMBOLIC_GIFT: 3.8,
    RecognitionCategory.PUBLIC_EVENT: 3.9,
    RecognitionCategory.PROFESSIONAL_DEVELOPMENT: 4.5,
    RecognitionCategory.TRAINING_HOURS: 4.1,
}
FEEDBACK_COMMENTS = (
    "Merci, ça m'a touché.",
    "J'aurais aimé le recevoir devant mon équipe.",
    "Un beau geste, au bon moment.",
    "Je préfère une formation à un cadeau.",
    "Arrivé longtemps après la fin du cycle.",
)
FEEDBACK_COMMENT_CHANCE = 0.15


class AwardHistory:
    """Recognitions of last and this fiscal year, with their ledger lines and feedback.

    `plan()` draws the awards and returns their ledger lines (unsaved, like `_ledger`'s,
    each budget's `LedgerUse` updated), as the award services would write them: approving
    commits the option's costs on the planned day; giving releases the commitment and spends
    on the given day (settling it); cancelling an approved award releases it. `write()`, once
    the lines have their keys, writes the awards, asks for feedback on those whose day has
    come (the program's feedback campaign of that fiscal year, as `ask_feedback` does) and
    writes the answers of about FEEDBACK_SHARE of the given awards.
    """

    def __init__(self, resources, budget_of, use_of):
        self.resources = resources
        self.generator = resources.generator
        self.rng = resources.rng
        self.organisation = resources.organisation
        self.today = resources.today
        self.budget_of, self.use_of = budget_of, use_of
        self.awards = []
        # Capacity used per (option key, first day of its period), shared by every program.
        self.capacity_used = {}

    # Drawing the awards

    def plan(self):
        generator, rng = self.generator, self.rng
        options = self.resources.options
        keys = [key for key in AWARD_OPTION_WEIGHTS if key in options and options[key].active]
        self.choices = {
            False: self._weighted(keys),
            True: self._weighted(
                [key for key in keys if options[key].visibility != Visibility.PUBLIC]
            ),
        }
        self.free_keys = [key for key in keys if not options[key].capacity]
        opening, settling = [], []
        years = (
            (self.resources.last_start, self.resources.this_start - datetime.timedelta(days=1)),
            (self.resources.this_start, self.resources.this_start.replace(
                year=self.resources.this_start.year + 1) - datetime.timedelta(days=1)),
        )  # fmt: skip
        horizon = self.today + datetime.timedelta(days=PLANNING_HORIZON_DAYS)
        for index, program in enumerate(generator.programs):
            generosity = rng.uniform(*PROGRAM_GENEROSITY)
            leaning = rng.uniform(*MANAGER_LEANING)
            givers = [list(g) for g, _w in GIVER_WEIGHTS]
            giver_weights = [w * (leaning if Giver.MANAGER in g else 1) for g, w in GIVER_WEIGHTS]
            for roster, (first, last) in zip(generator.rosters(index), years, strict=True):
                count = round(AWARDS_PER_MENTOR_YEAR * len(roster) * generosity)
                weights = [0.25 + 1.5 * generator.engagement[p.pk] for p in roster]
                received, planned = Counter(), set()
                for mentor in rng.choices(roster, weights, k=count):
                    day = self._day(mentor, first, last)
                    if day is None or day > horizon or received[mentor.pk] >= MOST_PER_YEAR:
                        continue
                    if day > self.today:
                        # A manager plans one recognition ahead per mentor at a time.
                        if mentor.pk in planned:
                            continue
                        planned.add(mentor.pk)
                    received[mentor.pk] += 1
                    award = self._award(program, index, mentor, day, first, last, opening,
                                        settling)  # fmt: skip
                    if award is not None:
                        award.givers = rng.choices(givers, giver_weights)[0]
                        self.awards.append(award)
        return opening, settling

    @staticmethod
    def _weighted(keys):
        return keys, [AWARD_OPTION_WEIGHTS[key] for key in keys]

    def _day(self, mentor, first, last):
        """A day of the cycle: a rush in December and at the cycle's end; never after the
        mentor stopped mentoring."""
        rng = self.rng
        december = datetime.date(first.year, 12, 1)
        draw = rng.random()
        if draw < DECEMBER_SHARE and first <= december <= last:
            day = december + datetime.timedelta(days=rng.randint(0, 19))
        elif draw < DECEMBER_SHARE + CYCLE_END_SHARE:
            day = last - datetime.timedelta(days=rng.randint(0, CYCLE_END_DAYS))
        else:
            day = first + datetime.timedelta(days=rng.randint(14, (last - first).days))
        stop = self.generator.stops.get(mentor.pk)
        if stop is not None and day >= stop:
            room = (stop - first).days - 14
            if room <= 0:
                return None
            day = first + datetime.timedelta(days=14 + rng.randrange(room))
        return day

    def _option(self, mentor, planned_on, counted):
        """An option the mentor may receive whose capacity (when `counted`) is not used up."""
        rng, options = self.rng, self.resources.options
        keys, weights = self.choices[mentor.pk in self.generator.private_mentors]
        key = rng.choices(keys, weights)[0]
        option = options[key]
        if option.capacity:
            first, _last = capacity_period_bounds(self.organisation, option, planned_on)
            used = self.capacity_used.get((key, first), 0)
            if used >= option.capacity:
                return options[rng.choice(self.free_keys)]
            if counted:
                self.capacity_used[key, first] = used + 1
        return option

    def _award(self, program, index, mentor, day, first, last, opening, settling):
        rng, Status = self.rng, Award.Status
        manager = self.generator.managers[index]
        if day > self.today:
            status = Status.APPROVED if rng.random() < APPROVED_SHARE_OF_PLANNED else Status.PLANNED
            planned_on, given_on = day, None
        else:
            draw = rng.random()
            recent = day >= self.today - datetime.timedelta(days=30)
            if draw < CANCELLED_SHARE:
                status, planned_on = Status.CANCELLED, day
            elif draw < CANCELLED_SHARE + WAITING_SHARE and recent:
                status, planned_on = Status.APPROVED, day
            else:
                status = Status.GIVEN
                planned_on = max(first, day - datetime.timedelta(days=rng.randint(0, 20)))
            given_on = day if status == Status.GIVEN else None
        # Cancelled awards were approved (committed) first seven times in ten.
        committed = status in (Status.APPROVED, Status.GIVEN) or (
            status == Status.CANCELLED and rng.random() < 0.7
        )
        option = self._option(mentor, planned_on, status in (Status.APPROVED, Status.GIVEN))
        award = Award(
            organisation=self.organisation,
            program=program,
            mentor=mentor,
            option=option,
            planned_on=planned_on,
            status=status,
            message=rng.choice(AWARD_MESSAGES),
            created_by=manager,
        )
        if status == Status.CANCELLED:
            award.cancel_reason = rng.choice(CANCEL_REASONS)
        if status == Status.GIVEN:
            award.given_on, award.given_by = given_on, manager
            award.feedback_due_on = given_on + datetime.timedelta(
                days=self.organisation.feedback_delay_days
            )
        if committed and needs_budget(option):
            self._ledger_lines(award, index, opening, settling)
        return award

    def _ledger_lines(self, award, index, opening, settling):
        rng, Kind, Status = self.rng, LedgerEntry.Kind, Award.Status
        year = fiscal_year_of(self.organisation, award.planned_on)
        budget = self.budget_of[index, year]
        use = self.use_of[budget.pk]
        resources = self.resources
        amounts = resources._amounts(award.option, 1)
        name = award.option.name_fr
        line = partial(resources._line, budget, option=award.option, quantity=1,
                       person=award.mentor)  # fmt: skip
        award.commitment = line(kind=Kind.COMMITMENT, amounts=amounts, description=name,
                                on=award.planned_on)  # fmt: skip
        opening.append(award.commitment)
        use.add(amounts)
        if award.status == Status.GIVEN:
            spent = dict(amounts)
            if rng.random() < 0.3:
                spent["money"] = to_cents(amounts["money"] * Decimal(rng.uniform(0.9, 1.1)))
            settling.append(line(kind=Kind.RELEASE, amounts=amounts, description=name,
                                 on=award.given_on, settles=award.commitment))  # fmt: skip
            award.spending = line(kind=Kind.SPENDING, amounts=spent, description=name,
                                  on=award.given_on, settles=award.commitment)  # fmt: skip
            settling.append(award.spending)
            use.settle(amounts, spent)
        elif award.status == Status.CANCELLED:
            settling.append(line(kind=Kind.RELEASE, amounts=amounts,
                                 description=award.cancel_reason, on=award.planned_on,
                                 settles=award.commitment))  # fmt: skip
            use.settle(amounts)
            award.commitment = None  # the cancelled award no longer holds it

    # Writing them

    def write(self):
        for award in self.awards:
            award.commitment_id = award.commitment.pk if award.commitment else None
            award.spending_id = award.spending.pk if award.spending else None
        self.generator._bulk_create(Award, self.awards, "awards")
        self._feedback()

    def _feedback(self):
        """Feedback requests for the given awards whose day has come, answered for about
        FEEDBACK_SHARE of all the given awards."""
        rng, generator = self.rng, self.generator
        given = [a for a in self.awards if a.status == Award.Status.GIVEN]
        asked = [a for a in given if a.feedback_due_on <= self.today]
        answer_chance = FEEDBACK_SHARE * len(given) / max(len(asked), 1)
        campaigns, surveys = {}, {}
        now = timezone.now()
        recipients, answering = [], []
        for award in asked:
            year = fiscal_year_of(self.organisation, award.feedback_due_on)
            key = (award.program_id, year)
            if key not in campaigns:
                campaigns[key] = feedback_campaign(award.program, award.feedback_due_on)
                surveys[key] = self._questions(campaigns[key])
            invited_at = datetime.datetime.combine(
                award.feedback_due_on, datetime.time(9), tzinfo=self.generator.zone
            )
            answered_at = invited_at + datetime.timedelta(hours=rng.randint(1, 240))
            answers = rng.random() < answer_chance and answered_at < now
            recipients.append(
                Recipient(
                    campaign=campaigns[key],
                    person_id=award.mentor_id,
                    about_key=f"award:{award.pk}",
                    invited_at=invited_at,
                    responded_at=answered_at if answers else None,
                    **feedback_about(award),
                )
            )
            answering.append((award, surveys[key]) if answers else None)
        generator._bulk_create(Recipient, recipients, "feedback requests")
        for award, recipient in zip(asked, recipients, strict=True):
            award.feedback_request = recipient
        self._link_requests(asked)
        responses, answers = [], []
        for recipient, answered in zip(recipients, answering, strict=True):
            if answered is None:
                continue
            award, questions = answered
            response = Response(
                recipient=recipient,
                campaign=recipient.campaign,
                submitted_at=recipient.responded_at,
                updated_at=recipient.responded_at,
            )
            responses.append(response)
            answers.append((response, award, questions))
        generator._bulk_create(Response, responses, "feedback responses")
        generator._bulk_create(
            Answer,
            [answer for row in answers for answer in self._answers(*row)],
            "feedback answers",
        )

    def _link_requests(self, asked):
        """Each award's feedback request, set in one UPDATE … FROM (VALUES …) per batch:
        `bulk_update`'s CASE over thousands of rows takes seconds."""
        table = connection.ops.quote_name(Award._meta.db_table)
        for start in range(0, len(asked), BATCH_SIZE):
            batch = asked[start : start + BATCH_SIZE]
            rows = ", ".join(["(%s, %s)"] * len(batch))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET feedback_request_id = v.column2 FROM (VALUES {rows}) "
                    f"AS v WHERE {table}.id = v.column1",
                    [value for award in batch for value in (award.pk, award.feedback_request.pk)],
                )
        self.generator._report(f"feedback requests linked to {len(asked):,} awards")

    @staticmethod
    def _questions(campaign):
        questions = {q.key: q for q in Question.objects.filter(survey=campaign.survey_id)}
        choices = {c.key: c for c in Choice.objects.filter(question=questions["expectations"])}
        return questions, choices

    def _answers(self, response, award, survey):
        """Satisfaction follows how much the mentor values the option's category (from their
        profile, else the category's average); relevance stays close to it."""
        rng = self.rng
        questions, choices = survey
        category = award.option.category
        scores = self.generator.preferences.get(award.mentor_id)
        if scores is not None and category in scores:
            mean = 2.2 + 0.55 * scores[category]
        else:
            mean = CATEGORY_SATISFACTION.get(category, 3.6)
        satisfaction = clamp(rng.gauss(mean, 0.8), 1, 5)
        relevance = clamp(rng.gauss(satisfaction - 0.2, 0.8), 1, 5)
        expectations = "yes" if satisfaction >= 4 else "partly" if satisfaction == 3 else "no"
        if rng.random() < 0.1:
            expectations = rng.choice(("yes", "partly", "no"))
        answers = [
            Answer(response=response, question=questions["satisfaction"], number=satisfaction),
            Answer(response=response, question=questions["relevance"], number=relevance),
            Answer(
                response=response,
                question=questions["expectations"],
                choice=choices[expectations],
            ),
        ]
        if rng.random() < FEEDBACK_COMMENT_CHANCE:
            answers.append(
                Answer(
                    response=response,
                    question=questions["comment"],
                    text=rng.choice(FEEDBACK_COMMENTS),
                )
            )
        return answers
