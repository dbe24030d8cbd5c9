"""A large generated organisation, to measure Laurier at the size of a big employer.

Program sizes follow a long tail (a few big programs, many small ones), each
program has last year's and this year's cycle, every mentee is paired once,
and sessions are spread over the last twelve months in proportion to how long
each pairing was open. Rows are written with `bulk_create` in batches and
nothing is queried row by row, so a million sessions take minutes, not hours.
"""

import datetime
import random
import time
import zoneinfo
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from laurier.accounts.models import User
from laurier.hours.models import LoggedBy, MentoringSession, SessionFormat, SessionSetting
from laurier.organisations.models import Membership, Organisation, Role
from laurier.programs.models import (
    Cycle,
    EnrolmentStatus,
    MenteeEnrolment,
    MentorEnrolment,
    Pairing,
    Person,
    Program,
)

from . import vocabulary
from .demo_organisation import DEMO_PASSWORD, last_and_current_cycles

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


class OrganisationExists(Exception):
    """An organisation with this slug exists and was not to be replaced."""


class TooManySessions(Exception):
    """The pairings cannot hold that many sessions (one per pairing, day and length)."""


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
    """Delete an organisation and everything in it, sessions first in one statement."""
    # Without this, the deletion collector would load a million sessions into memory.
    MentoringSession.objects.filter(program__organisation=organisation).delete()
    organisation.delete()


def generate_organisation(
    *,
    slug,
    mentors,
    mentees,
    sessions,
    programs=30,
    seed=1,
    replace=False,
    name=None,
    today=None,
    progress=None,
):
    """Create organisation `slug` with exactly these numbers of mentors, mentees and sessions.

    Raises OrganisationExists when the slug is taken and `replace` is false,
    ValueError for impossible sizes and TooManySessions when the pairings
    cannot hold the sessions. `progress(message)` hears about each step.
    """
    started = time.monotonic()
    if programs < 1 or mentors < programs or mentees < programs:
        raise ValueError("Every program needs at least one mentor and one mentee.")
    if sessions < 0:
        raise ValueError("The number of sessions cannot be negative.")
    say = progress or (lambda message: None)
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
        )
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner guesses as if the tables were empty.
        with connection.cursor() as cursor:
            for model in (Person, MentorEnrolment, MenteeEnrolment, Pairing, MentoringSession):
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

    def _report(self, message):
        self.say(f"[{time.monotonic() - self.started:7.1f} s] {message}")

    def generate(self, *, slug, name, mentors, mentees, sessions, programs):
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

    def _enrolments(self):
        rng = self.rng
        statuses, weights = zip(*ENROLMENT_STATUS_WEIGHTS, strict=True)
        self.stops, self.departures = {}, set()
        enrolments = {MentorEnrolment: [], MenteeEnrolment: []}
        for index, program in enumerate(self.programs):
            since = self.previous_cycles[index].starts_on
            groups = (
                (MentorEnrolment, self.program_mentors[index]),
                (MenteeEnrolment, self.program_mentees[index]),
            )
            for model, group in groups:
                for person in group:
                    status = rng.choices(statuses, weights)[0]
                    reason, changed_on = "", None
                    if status != EnrolmentStatus.ACTIVE:
                        reasons = (
                            vocabulary.PAUSING_REASONS
                            if status == EnrolmentStatus.PAUSED
                            else vocabulary.LEAVING_REASONS
                        )
                        reason, changed_on = rng.choice(reasons), self._stop_date()
                        self.stops[person.pk] = changed_on
                        if status == EnrolmentStatus.LEFT:
                            self.departures.add(person.pk)
                    enrolments[model].append(
                        model(
                            program=program,
                            person=person,
                            since=since - datetime.timedelta(days=rng.randint(0, 700))
                            if model is MentorEnrolment
                            else since,
                            status=status,
                            status_reason=reason,
                            status_changed_on=changed_on,
                        )
                    )
        self._bulk_create(MentorEnrolment, enrolments[MentorEnrolment], "mentor enrolments")
        self._bulk_create(MenteeEnrolment, enrolments[MenteeEnrolment], "mentee enrolments")

    def _pairings(self):
        """Every mentee paired once, last year or this year, mentors taking turns."""
        rng = self.rng
        self.pairings = []
        for index, program in enumerate(self.programs):
            mentees = list(self.program_mentees[index])
            rng.shuffle(mentees)
            split = int(len(mentees) * PREVIOUS_CYCLE_SHARE)
            cohorts = (
                (self.previous_cycles[index], mentees[:split]),
                (self.current_cycles[index], mentees[split:]),
            )
            for cycle, cohort in cohorts:
                mentors = list(self.program_mentors[index])
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
