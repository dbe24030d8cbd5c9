"""The demo organisation "Coopérative Boréale" that `make run` shows to a first visitor.

Three programs, two cycles each (last fiscal year and this one), about sixty
mentors and a hundred and fifty mentees, pairings, and a year of sessions up to
today, so that every page has something true to show: hours this month, a few
mentors who have gone quiet, people who paused or left with a reason.
Everything comes from one seeded `random.Random`: a seed gives the same people.
"""

import datetime
import random
import zoneinfo
from dataclasses import dataclass

from django.db import transaction
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

DEMO_SLUG = "demo"
DEMO_NAME = "Coopérative Boréale"
DEMO_PASSWORD = "laurier-demo"
DEMO_SEED = 2026
PEOPLE_EMAIL_DOMAIN = "boreale.example"
SESSION_DAYS = 365
SILENT_MENTORS_PER_PROGRAM = 3


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    first_name: str
    last_name: str


ADMIN = DemoLogin("admin@demo.laurier.ca", Role.ADMIN, "Isabelle", "Tremblay")
MANAGER = DemoLogin("gestionnaire@demo.laurier.ca", Role.MANAGER, "Marc-André", "Gagnon")
MENTOR = DemoLogin("mentor@demo.laurier.ca", Role.MENTOR, "Nathalie", "Bouchard")
MENTEE = DemoLogin("mentore@demo.laurier.ca", Role.MENTEE, "Olivier", "Lévesque")
DEMO_LOGINS = (ADMIN, MANAGER, MENTOR, MENTEE)


@dataclass(frozen=True)
class ProgramPlan:
    name: str
    slug: str
    objectives: str
    expectations: str
    expected_hours_per_month: str
    commitment_months: int
    mentors: int
    mentees: int
    managed_by_demo_manager: bool


PROGRAMS = (
    ProgramPlan(
        name="Relève des cadres",
        slug="releve-des-cadres",
        objectives=(
            "Préparer les gestionnaires de demain : chaque personne mentorée bâtit avec son "
            "mentor un plan de développement, rencontre la direction et prend en charge un "
            "projet transversal avant la fin du cycle."
        ),
        expectations=(
            "Rencontrer votre mentoré au moins deux heures par mois, partager votre réseau, "
            "donner une rétroaction franche et consigner vos rencontres dans Laurier."
        ),
        expected_hours_per_month="2.0",
        commitment_months=12,
        mentors=22,
        mentees=45,
        managed_by_demo_manager=True,
    ),
    ProgramPlan(
        name="Accueil des nouveaux employés",
        slug="accueil",
        objectives=(
            "Que chaque nouvelle personne se sente chez elle dès les premières semaines : "
            "connaître les gens, les outils et la culture de la coopérative, et savoir à qui "
            "s'adresser."
        ),
        expectations=(
            "Être le parrain ou la marraine d'un nouvel employé pendant six mois : un dîner la "
            "première semaine, puis une rencontre toutes les deux semaines."
        ),
        expected_hours_per_month="1.5",
        commitment_months=6,
        mentors=23,
        mentees=65,
        managed_by_demo_manager=True,
    ),
    ProgramPlan(
        name="Femmes en STIM",
        slug="femmes-en-stim",
        objectives=(
            "Soutenir les femmes en sciences, technologies, ingénierie et mathématiques : "
            "visibilité, réseau, accès aux postes de responsabilité."
        ),
        expectations=(
            "Accompagner une ou deux mentorées pendant l'année, les présenter à votre réseau "
            "et participer à deux activités de groupe."
        ),
        expected_hours_per_month="2.0",
        commitment_months=12,
        mentors=15,
        mentees=40,
        managed_by_demo_manager=False,
    ),
)

# Mentors who also help in a second program: (index of their program, index of the other).
CROSS_ENROLMENTS = ((0, 2), (0, 2), (1, 0), (2, 1))


@dataclass
class DemoSummary:
    created: bool
    programs: int = 0
    mentors: int = 0
    mentees: int = 0
    pairings: int = 0
    sessions: int = 0


def fiscal_year_start(today, start_month):
    """The first day of the fiscal year that contains `today`."""
    year = today.year if today.month >= start_month else today.year - 1
    return datetime.date(year, start_month, 1)


def last_and_current_cycles(programs, today, fiscal_year_start_month):
    """Unsaved cohorts of each program for last fiscal year and this one, so data stays current."""
    this_year = fiscal_year_start(today, fiscal_year_start_month)
    last_year = this_year.replace(year=this_year.year - 1)
    next_year = this_year.replace(year=this_year.year + 1)

    def cycle(program, starts_on, ends_before):
        return Cycle(
            program=program,
            name=f"{starts_on.year}–{ends_before.year}",
            starts_on=starts_on,
            ends_on=ends_before - datetime.timedelta(days=1),
        )

    previous = [cycle(program, last_year, this_year) for program in programs]
    current = [cycle(program, this_year, next_year) for program in programs]
    return previous, current


def demo_organisation_is_complete(organisation):
    """True when the demo organisation and the four demo logins are all there."""
    members = Membership.objects.filter(
        organisation=organisation, user__email__in=[login.email for login in DEMO_LOGINS]
    ).count()
    return (
        members == len(DEMO_LOGINS)
        and MentoringSession.objects.filter(program__organisation=organisation).exists()
    )


def load_demo_organisation(*, seed=DEMO_SEED, today=None, replace=False):
    """Create the demo organisation unless it is already there; return what was created.

    Running it again changes nothing. `replace` deletes the demo organisation
    first and builds it anew (the demo logins are kept, with their passwords).
    Raises `IncompleteDemo` when a damaged demo organisation is found without `replace`.
    """
    with transaction.atomic():
        existing = Organisation.objects.filter(slug=DEMO_SLUG).first()
        if existing is not None:
            if not replace:
                if demo_organisation_is_complete(existing):
                    return DemoSummary(created=False)
                raise IncompleteDemo
            existing.delete()
        return DemoBuilder(random.Random(seed), today).build()


class IncompleteDemo(Exception):
    """The demo organisation exists but lacks some of its people or sessions."""


class DemoBuilder:
    def __init__(self, rng, today):
        self.rng = rng
        self.zone = zoneinfo.ZoneInfo("America/Toronto")
        self.today = today or timezone.localdate(timezone=self.zone)
        self.used_emails = set()
        self.cross_enrolled = set()
        self.program_mentors_extra = [[] for _plan in PROGRAMS]

    def build(self):
        self.organisation = Organisation.objects.create(
            name=DEMO_NAME,
            slug=DEMO_SLUG,
            language="fr-ca",
            time_zone="America/Toronto",
            currency="CAD",
            fiscal_year_start_month=4,
        )
        self.users = {login.email: self._login_user(login) for login in DEMO_LOGINS}
        self._programs_and_cycles()
        self._people()
        self._enrolments()
        self._pairings()
        sessions = self._sessions()
        return DemoSummary(
            created=True,
            programs=len(self.programs),
            mentors=len(self.mentor_people),
            mentees=len(self.mentee_people),
            pairings=len(self.pairings),
            sessions=sessions,
        )

    # Accounts

    def _login_user(self, login):
        user = User.objects.filter(email=login.email).first()
        if user is None:
            user = User.objects.create_user(
                login.email,
                DEMO_PASSWORD,
                first_name=login.first_name,
                last_name=login.last_name,
                language="fr-ca",
            )
        Membership.objects.get_or_create(
            organisation=self.organisation, user=user, defaults={"role": login.role}
        )
        return user

    # Programs

    def _programs_and_cycles(self):
        self.programs = Program.objects.bulk_create(
            [
                Program(
                    organisation=self.organisation,
                    name=plan.name,
                    slug=plan.slug,
                    objectives=plan.objectives,
                    expectations=plan.expectations,
                    expected_hours_per_month=plan.expected_hours_per_month,
                    commitment_months=plan.commitment_months,
                    status=Program.Status.ACTIVE,
                )
                for plan in PROGRAMS
            ]
        )
        manager = self.users[MANAGER.email]
        for program, plan in zip(self.programs, PROGRAMS, strict=True):
            if plan.managed_by_demo_manager:
                program.managers.add(manager)
        self.previous_cycles, self.current_cycles = last_and_current_cycles(
            self.programs, self.today, self.organisation.fiscal_year_start_month
        )
        Cycle.objects.bulk_create(self.previous_cycles + self.current_cycles)

    # People

    def _email(self, first_name, last_name):
        base = f"{vocabulary.ascii_slug(first_name)}.{vocabulary.ascii_slug(last_name)}"
        email, number = f"{base}@{PEOPLE_EMAIL_DOMAIN}", 1
        while email in self.used_emails:
            number += 1
            email = f"{base}{number}@{PEOPLE_EMAIL_DOMAIN}"
        self.used_emails.add(email)
        return email

    def _person(self, *, senior, onboarding=False, login=None):
        rng = self.rng
        if login is not None:
            first_name, last_name, language = login.first_name, login.last_name, "fr-ca"
            email = login.email
        else:
            first_name, last_name, language = vocabulary.random_name(rng)
            email = self._email(first_name, last_name)
        department, job_title = vocabulary.random_position(rng, senior=senior)
        if onboarding:
            hired_days_ago = rng.randint(20, 300)
        elif senior:
            hired_days_ago = rng.randint(4 * 365, 25 * 365)
        else:
            hired_days_ago = rng.randint(365, 8 * 365)
        return Person(
            organisation=self.organisation,
            user=self.users[login.email] if login else None,
            first_name=first_name,
            last_name=last_name,
            email=email,
            language=language,
            department=department,
            job_title=job_title,
            hire_date=self.today - datetime.timedelta(days=hired_days_ago),
        )

    def _people(self):
        """Mentors and mentees of each program; the demo mentor and mentee are in the first."""
        self.program_mentors, self.program_mentees = [], []
        for index, plan in enumerate(PROGRAMS):
            first = index == 0
            mentors = [self._person(senior=True, login=MENTOR if first else None)]
            mentors += [self._person(senior=True) for _ in range(plan.mentors - 1)]
            onboarding = plan.slug == "accueil"
            mentees = [self._person(senior=False, login=MENTEE if first else None)]
            mentees += [
                self._person(senior=False, onboarding=onboarding) for _ in range(plan.mentees - 1)
            ]
            self.program_mentors.append(mentors)
            self.program_mentees.append(mentees)
        self.mentor_people = [person for group in self.program_mentors for person in group]
        self.mentee_people = [person for group in self.program_mentees for person in group]
        Person.objects.bulk_create(self.mentor_people + self.mentee_people)
        self.demo_mentor = self.program_mentors[0][0]
        self.demo_mentee = self.program_mentees[0][0]

    # Enrolments

    def _stop_date(self):
        """When someone paused or left: during this cycle, at least three weeks ago."""
        earliest = self.current_cycles[0].starts_on + datetime.timedelta(days=20)
        latest = self.today - datetime.timedelta(days=21)
        if latest <= earliest:
            return latest
        return earliest + datetime.timedelta(days=self.rng.randrange((latest - earliest).days))

    def _enrolment(self, model, program, person, since, *, changes):
        status, reason, changed_on = EnrolmentStatus.ACTIVE, "", None
        if changes and person.user_id is None:
            status = self.rng.choice((EnrolmentStatus.PAUSED, EnrolmentStatus.LEFT))
            reasons = (
                vocabulary.PAUSING_REASONS
                if status == EnrolmentStatus.PAUSED
                else vocabulary.LEAVING_REASONS
            )
            reason, changed_on = self.rng.choice(reasons), self._stop_date()
        return model(
            program=program,
            person=person,
            since=since,
            status=status,
            status_reason=reason,
            status_changed_on=changed_on,
        )

    def _enrolments(self):
        rng = self.rng
        # When each person's sessions stop: a pause, a departure, or silence for the dashboard.
        self.stops = {}
        mentor_enrolments, mentee_enrolments = [], []
        for index, program in enumerate(self.programs):
            previous = self.previous_cycles[index]
            changing = set(rng.sample(range(1, len(self.program_mentors[index])), 3))
            for number, person in enumerate(self.program_mentors[index]):
                since = previous.starts_on - datetime.timedelta(days=rng.randint(0, 400))
                mentor_enrolments.append(
                    self._enrolment(
                        MentorEnrolment, program, person, since, changes=number in changing
                    )
                )
            mentees = self.program_mentees[index]
            changing = set(rng.sample(range(1, len(mentees)), 4))
            for number, person in enumerate(mentees):
                mentee_enrolments.append(
                    self._enrolment(
                        MenteeEnrolment,
                        program,
                        person,
                        previous.starts_on,
                        changes=number in changing,
                    )
                )
        for program_index, other_index in CROSS_ENROLMENTS:
            candidates = [
                person
                for person in self.program_mentors[program_index][1:]
                if (other_index, person.pk) not in self.cross_enrolled
            ]
            person = rng.choice(candidates)
            self.cross_enrolled.add((other_index, person.pk))
            self.program_mentors_extra[other_index].append(person)
            mentor_enrolments.append(
                MentorEnrolment(
                    program=self.programs[other_index],
                    person=person,
                    since=self.current_cycles[other_index].starts_on,
                )
            )
        MentorEnrolment.objects.bulk_create(mentor_enrolments)
        MenteeEnrolment.objects.bulk_create(mentee_enrolments)
        for enrolment in mentor_enrolments + mentee_enrolments:
            if enrolment.status_changed_on:
                self.stops[(enrolment.program_id, enrolment.person_id)] = (
                    enrolment.status_changed_on
                )
        self.enrolment_status = {
            (enrolment.program_id, enrolment.person_id): enrolment.status
            for enrolment in mentor_enrolments + mentee_enrolments
        }
        self.departures = {
            key: self.stops[key]
            for key, status in self.enrolment_status.items()
            if status == EnrolmentStatus.LEFT
        }

    # Pairings

    def _pairings(self):
        rng = self.rng
        self.pairings = []
        for index, program in enumerate(self.programs):
            previous, current = self.previous_cycles[index], self.current_cycles[index]
            mentors = self.program_mentors[index] + self.program_mentors_extra[index]
            mentees = list(self.program_mentees[index])
            demo_mentee = mentees.pop(0) if index == 0 else None
            rng.shuffle(mentees)
            split = len(mentees) * 2 // 5
            cohorts = ((previous, mentees[:split]), (current, mentees[split:]))
            for cycle, cohort in cohorts:
                # Mentors who joined a program this year only mentor in this cycle.
                cycle_mentors = [
                    person
                    for person in mentors
                    if cycle is current or person not in self.program_mentors_extra[index]
                ]
                rng.shuffle(cycle_mentors)
                for number, mentee in enumerate(cohort):
                    mentor = cycle_mentors[number % len(cycle_mentors)]
                    self.pairings.append(self._pairing(program, cycle, mentor, mentee))
            if demo_mentee is not None:
                self.pairings.append(self._pairing(program, current, self.demo_mentor, demo_mentee))
        Pairing.objects.bulk_create(self.pairings)

    def _pairing(self, program, cycle, mentor, mentee):
        rng = self.rng
        latest_start = min(cycle.starts_on + datetime.timedelta(days=45), self.today)
        starts_on = cycle.starts_on + datetime.timedelta(
            days=rng.randint(0, max(0, (latest_start - cycle.starts_on).days - 14))
        )
        ends_on, status = None, Pairing.Status.ACTIVE
        # A pause keeps the pairing; a departure ends it.
        stop = min(
            self.departures.get((program.pk, mentor.pk), datetime.date.max),
            self.departures.get((program.pk, mentee.pk), datetime.date.max),
        )
        if cycle.ends_on < self.today:
            ends_on, status = cycle.ends_on, Pairing.Status.COMPLETED
            if rng.random() < 0.1:
                ends_on = starts_on + datetime.timedelta(days=rng.randint(60, 200))
                status = Pairing.Status.ENDED_EARLY
        elif stop < self.today:
            ends_on, status = max(stop, starts_on), Pairing.Status.ENDED_EARLY
        return Pairing(
            program=program,
            cycle=cycle,
            mentor=mentor,
            mentee=mentee,
            starts_on=starts_on,
            ends_on=ends_on,
            status=status,
        )

    # Sessions

    def _silent_mentors(self):
        """A few active mentors per program whose last session is more than 60 days old."""
        silent = {}
        for index, program in enumerate(self.programs):
            active = [
                person
                for person in self.program_mentors[index][1:]
                if self.enrolment_status[(program.pk, person.pk)] == EnrolmentStatus.ACTIVE
            ]
            for person in self.rng.sample(active, SILENT_MENTORS_PER_PROGRAM):
                silent[(program.pk, person.pk)] = self.today - datetime.timedelta(
                    days=self.rng.randint(65, 160)
                )
        return silent

    def _sessions(self):
        rng = self.rng
        silent = self._silent_mentors()
        first_day = self.today - datetime.timedelta(days=SESSION_DAYS - 1)
        manager_programs = {
            program.pk
            for program, plan in zip(self.programs, PROGRAMS, strict=True)
            if plan.managed_by_demo_manager
        }
        sessions = []
        for pairing in self.pairings:
            program_id = pairing.program_id
            last_day = min(
                pairing.ends_on or self.today,
                self.today - datetime.timedelta(days=1),
                silent.get((program_id, pairing.mentor_id), datetime.date.max),
                self.stops.get((program_id, pairing.mentor_id), datetime.date.max),
                self.stops.get((program_id, pairing.mentee_id), datetime.date.max),
            )
            day = max(pairing.starts_on, first_day) + datetime.timedelta(days=rng.randint(3, 12))
            while day <= last_day:
                sessions.append(self._session(pairing, day, manager_programs))
                day += datetime.timedelta(days=rng.randint(9, 25))
        sessions += self._demo_mentor_recent_sessions(manager_programs)
        MentoringSession.objects.bulk_create(sessions, batch_size=1000)
        return len(sessions)

    def _session(self, pairing, day, manager_programs, *, logged_by=None, confirmed=None):
        rng = self.rng
        logged_by = (
            logged_by
            or rng.choices((LoggedBy.MENTOR, LoggedBy.MENTEE, LoggedBy.MANAGER), (55, 25, 20))[0]
        )
        users = {"mentor": pairing.mentor.user_id, "mentee": pairing.mentee.user_id}
        manager_id = (
            self.users[MANAGER.email].pk
            if pairing.program_id in manager_programs
            else self.users[ADMIN.email].pk
        )
        logged_by_user_id = manager_id if logged_by == LoggedBy.MANAGER else users[logged_by]
        if confirmed is None:
            recent = (self.today - day).days <= 14
            confirmed = rng.random() < (0.4 if recent else 0.93)
        confirmed_at = confirmed_by_id = None
        if confirmed:
            confirmed_on = min(day + datetime.timedelta(days=rng.randint(0, 5)), self.today)
            confirmed_at = datetime.datetime.combine(
                confirmed_on, datetime.time(rng.randint(8, 18), rng.choice((0, 15, 30, 45)))
            ).replace(tzinfo=self.zone)
            other_side = "mentee" if logged_by == LoggedBy.MENTOR else "mentor"
            confirmed_by_id = users[other_side]
        group = rng.random() < 0.12
        return MentoringSession(
            pairing=pairing,
            program_id=pairing.program_id,
            mentor_id=pairing.mentor_id,
            mentee_id=pairing.mentee_id,
            held_on=day,
            duration_minutes=rng.choices(
                vocabulary.SESSION_LENGTHS, vocabulary.SESSION_LENGTH_WEIGHTS
            )[0],
            format=SessionFormat.GROUP if group else SessionFormat.ONE_TO_ONE,
            setting=SessionSetting.ONLINE if rng.random() < 0.4 else SessionSetting.IN_PERSON,
            notes=rng.choice(vocabulary.SESSION_NOTES) if rng.random() < 0.3 else "",
            logged_by=logged_by,
            logged_by_user_id=logged_by_user_id,
            confirmed_at=confirmed_at,
            confirmed_by_id=confirmed_by_id,
        )

    def _demo_mentor_recent_sessions(self, manager_programs):
        """Two sessions the demo mentor logged this week, for the demo mentee to confirm."""
        pairing = next(
            pairing
            for pairing in self.pairings
            if pairing.mentor_id == self.demo_mentor.pk and pairing.mentee_id == self.demo_mentee.pk
        )
        days = [self.today, self.today - datetime.timedelta(days=2)]
        sessions = []
        for day in days:
            if day > pairing.starts_on:
                session = self._session(
                    pairing, day, manager_programs, logged_by=LoggedBy.MENTOR, confirmed=False
                )
                session.duration_minutes = 50  # never a length the regular rhythm produces
                sessions.append(session)
        return sessions
