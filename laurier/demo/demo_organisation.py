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
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from laurier.accounts.models import User
from laurier.core.dates import fiscal_year_bounds
from laurier.demo.demo_contests import DemoContests
from laurier.demo.demo_credentials import DemoCredentials
from laurier.demo.demo_recognition_history import DemoRecognitionHistory
from laurier.demo.vocabulary import clamp
from laurier.hours.models import LoggedBy, MentoringSession, SessionFormat, SessionSetting
from laurier.organisations.models import Membership, Organisation, Role
from laurier.outbox.models import OutgoingEmail
from laurier.profiles.models import MentorProfile, Motivation, ProfileSource, ProfileVersion
from laurier.profiles.services import save_profile, update_profile_from_response
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
from laurier.recognition.categories import (
    Giver,
    PublicConsent,
    RecognitionCategory,
    RecognitionMoment,
    Visibility,
)
from laurier.recognition.models import (
    CompensationDecision,
    EventInvitation,
    EventKind,
    RecognitionOption,
)
from laurier.recognition.services import awards, events, plans
from laurier.recognition.services import budgets as ledger
from laurier.recognition.services.compensation import record_decision
from laurier.recognition.services.culture import save_culture_profile
from laurier.surveys.models import (
    Answer,
    Campaign,
    EngagementFactor,
    Recipient,
    Response,
    Survey,
)
from laurier.surveys.selectors.answering import questions_of_survey
from laurier.surveys.services.answers import answer_rows, check_answers, submit_response
from laurier.surveys.services.editing import copy_survey
from laurier.surveys.standard import install_standard_surveys

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
        summary = DemoBuilder(random.Random(seed), today).build()
        refresh_planner_statistics()
        return summary


def refresh_planner_statistics():
    """After thousands of rows written at once, let PostgreSQL's planner know them at once
    (ANALYZE) rather than when autovacuum next passes: until then it takes the tables for
    the near-empty ones it last counted and picks plans that crawl on the demo's pages."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


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
        MentorVoice(self).build()
        DemoRecognition(self).build()
        DemoCredentials(self, MANAGER.email).build()
        DemoContests(self, MANAGER.email).build()
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
                # A third are long-standing mentors (up to ten years), whose anniversaries of
                # mentoring the recognition calendar shows.
                longest = 3700 if number % 3 == 0 else 400
                since = previous.starts_on - datetime.timedelta(days=rng.randint(0, longest))
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


# Mentor voice: profiles and surveys

# Share of the people asked who answer: last cycle's profile and pulse, this cycle's open pulse.
PROFILE_ANSWER_RATE = 0.8
CLOSED_PULSE_ANSWER_RATE = 0.75
OPEN_PULSE_ANSWER_RATE = 0.55
# A survey stays open three weeks; people who have not answered are reminded after a week.
CAMPAIGN_DAYS = 21
REMINDER_DAYS = 7
SELF_EDITED_PROFILES = 4

MOTIVATION_WEIGHTS = {
    Motivation.PAY_IT_FORWARD: 60,
    Motivation.NEXT_GENERATION: 55,
    Motivation.NEW_PERSPECTIVES: 35,
    Motivation.OWN_GROWTH: 30,
    Motivation.NETWORK: 25,
}
OTHER_MOTIVATION_SHARE = 0.1
# (French, English): what a person writes depends on their language.
OTHER_REASONS = (
    (
        "Mon propre mentor a changé ma carrière, je veux rendre la pareille.",
        "My own mentor changed my career; I want to do the same.",
    ),
    ("J'aime voir les gens prendre de l'assurance.", "I love watching people gain confidence."),
    ("Pour préparer ma relève avant ma retraite.", "To prepare my successor before I retire."),
    ("Parce que personne ne m'a guidée à mes débuts.", "Because nobody guided me when I started."),
)

# What a typical mentor thinks of each recognition, out of 5; each person varies around it.
CATEGORY_TASTES = {
    RecognitionCategory.PUBLIC_MENTION: 2.6,
    RecognitionCategory.THANK_YOU_CARD: 4.1,
    RecognitionCategory.CERTIFICATE: 3.0,
    RecognitionCategory.BADGE: 2.4,
    RecognitionCategory.NETWORKS_AND_EVENTS: 3.5,
    RecognitionCategory.MATERIAL_PERK: 2.1,
    RecognitionCategory.SYMBOLIC_GIFT: 2.7,
    RecognitionCategory.PUBLIC_EVENT: 3.0,
    RecognitionCategory.PROFESSIONAL_DEVELOPMENT: 4.3,
    RecognitionCategory.TRAINING_HOURS: 3.7,
    RecognitionCategory.CONTEST: 1.4,
    RecognitionCategory.STIPEND: 2.0,
}
# Recognition in front of others: people who refuse public recognition rate it low.
PUBLIC_CATEGORIES = {
    RecognitionCategory.PUBLIC_MENTION,
    RecognitionCategory.PUBLIC_EVENT,
    RecognitionCategory.CONTEST,
}
OTHER_CATEGORIES = [
    category
    for category in CATEGORY_TASTES
    if category != RecognitionCategory.PROFESSIONAL_DEVELOPMENT
]
CONSENT_WEIGHTS = {PublicConsent.YES: 50, PublicConsent.ASK: 32, PublicConsent.NO: 18}
MOMENT_WEIGHTS = {
    RecognitionMoment.CYCLE_END: 45,
    RecognitionMoment.MENTORING_DAY: 30,
    RecognitionMoment.YEAR_END: 30,
    RecognitionMoment.MENTORING_ANNIVERSARY: 20,
    RecognitionMoment.MID_CYCLE: 12,
    RecognitionMoment.CYCLE_START: 8,
}

INTERESTS = (
    ("ski de fond", "cross-country skiing"), ("randonnée dans les Laurentides", "hiking"),
    ("jardinage", "gardening"), ("vélo de route", "road cycling"), ("photographie", "photography"),
    ("romans québécois", "Canadian novels"), ("cuisine du terroir", "cooking"),
    ("bénévolat à la banque alimentaire", "volunteering at the food bank"),
    ("musique traditionnelle", "folk music"), ("curling", "curling"), ("camping", "camping"),
    ("pêche blanche", "ice fishing"), ("course à pied", "running"), ("yoga", "yoga"),
    ("théâtre", "theatre"), ("jeux de société", "board games"), ("kayak de mer", "sea kayaking"),
    ("hockey cosom", "ball hockey"), ("astronomie amateur", "stargazing"),
    ("histoire du Québec", "local history"), ("balados sur le leadership", "leadership podcasts"),
    ("cabane à sucre en famille", "sugar shack outings"), ("chorale", "choir singing"),
    ("menuiserie", "woodworking"),
)  # fmt: skip
DIETS = (
    ("Végétarienne", "Vegetarian"), ("Végétalien", "Vegan"), ("Sans gluten", "Gluten-free"),
    ("Allergie aux arachides et aux noix", "Peanut and tree nut allergy"),
    ("Sans lactose", "Lactose-free"), ("Halal", "Halal"), ("Pescétarien", "Pescatarian"),
)  # fmt: skip
DIET_SHARE = 0.3
ACCESSIBILITY_NEEDS = (
    ("Accès sans marches (fauteuil roulant)", "Step-free access (wheelchair)"),
    ("Sous-titres ou interprète LSQ", "Captions or ASL interpreter"),
    ("Éviter les salles très bruyantes", "Quiet rooms, please"),
    ("Stationnement près de l'entrée", "Parking close to the entrance"),
)  # fmt: skip
ACCESSIBILITY_SHARE = 0.12
AVAILABILITIES = (
    ("Les midis en semaine", "Weekday lunchtimes"),
    ("Pas le vendredi soir", "Not on Friday evenings"),
    ("Jeudis en fin de journée", "Thursdays after work"),
    ("Le matin, avant 10 h", "Mornings before 10"),
    ("Soirs de semaine, sauf le mercredi", "Weekday evenings except Wednesdays"),
    ("Jamais pendant la relâche scolaire", "Never during March break"),
    ("En présentiel à Québec seulement", "In person in Québec City only"),
)  # fmt: skip
AVAILABILITY_SHARE = 0.6

# How each program's mentors rate the five factors (out of 5), last cycle then this one: each
# program has its own weak spot, and a trend a manager can read on the mentor-voice page.
PROGRAM_CLIMATES = (
    (
        {"structure": 4.2, "training": 3.4, "support": 3.9, "community": 2.4, "recognition": 3.0},
        {"structure": 4.3, "training": 3.6, "support": 3.8, "community": 2.9, "recognition": 3.4},
    ),
    (
        {"structure": 3.6, "training": 2.5, "support": 4.1, "community": 3.5, "recognition": 3.2},
        {"structure": 3.8, "training": 2.7, "support": 4.2, "community": 3.6, "recognition": 3.1},
    ),
    (
        {"structure": 3.4, "training": 3.8, "support": 2.6, "community": 4.4, "recognition": 2.8},
        {"structure": 3.5, "training": 3.9, "support": 2.4, "community": 4.5, "recognition": 3.3},
    ),
)
COMMENT_SHARE = 0.15
# (French, English) comments per factor: the first ones come with low marks, the others high.
FACTOR_COMMENTS = {
    EngagementFactor.STRUCTURE: (
        (
            (
                "On ne sait pas toujours ce qu'on attend de nous entre deux rencontres.",
                "It is not always clear what is expected between meetings.",
            ),
            (
                "Un calendrier des étapes du cycle aiderait.",
                "A calendar of the cycle's steps would help.",
            ),
        ),
        (
            (
                "Le guide du mentor est clair et bien fait.",
                "The mentor guide is clear and well made.",
            ),
            (
                "Les attentes ont été expliquées dès le départ.",
                "Expectations were set from day one.",
            ),
        ),
    ),
    EngagementFactor.TRAINING: (
        (
            (
                "J'aimerais une formation sur la rétroaction difficile.",
                "I would like training on giving difficult feedback.",
            ),
            (
                "Une seule formation au début, c'est peu.",
                "One training session at the start is not much.",
            ),
        ),
        (
            (
                "L'atelier sur l'écoute active m'a beaucoup servi.",
                "The active listening workshop helped me a lot.",
            ),
            ("Les capsules en ligne sont pratiques.", "The online videos are handy."),
        ),
    ),
    EngagementFactor.SUPPORT: (
        (
            (
                "Difficile de joindre la coordination quand un jumelage accroche.",
                "Hard to reach the coordinator when a pairing struggles.",
            ),
            ("Un suivi aux deux mois serait apprécié.", "A check-in every two months would help."),
        ),
        (
            (
                "La coordination répond toujours rapidement, merci!",
                "The coordinator always answers quickly!",
            ),
            (
                "Le suivi de mi-parcours était très utile.",
                "The mid-cycle check-in was very useful.",
            ),
        ),
    ),
    EngagementFactor.COMMUNITY: (
        (
            ("Je ne connais presque pas les autres mentors.", "I barely know the other mentors."),
            (
                "Un dîner entre mentors de temps en temps, ce serait bien.",
                "An occasional lunch between mentors would be nice.",
            ),
        ),
        (
            (
                "Les midis-partage entre mentors sont précieux.",
                "The mentors' lunch talks are precious.",
            ),
            ("J'ai beaucoup appris des autres mentors.", "I learned a lot from the other mentors."),
        ),
    ),
    EngagementFactor.RECOGNITION: (
        (
            (
                "Mon gestionnaire ne sait pas que je suis mentor.",
                "My own manager does not know I mentor.",
            ),
            (
                "Ce serait bien que ces heures comptent comme de la formation.",
                "These hours should count as training.",
            ),
        ),
        (
            ("Le mot de la direction m'a touchée.", "The note from management touched me."),
            (
                "Le 5 à 7 de fin de cycle était une belle attention.",
                "The end-of-cycle get-together was a kind touch.",
            ),
        ),
    ),
}


class MentorVoice:
    """The demo's mentor profiles and surveys: for each program, last cycle's profile survey
    and engagement pulse (closed) and this cycle's pulse (open), answered by most mentors.

    Answers go through the answering rules (check_answers) and profiles through the profile
    services, so the demo shows what real answers produce; rows are written in bulk.
    """

    def __init__(self, builder):
        self.builder = builder
        self.rng = builder.rng
        self.zone = builder.zone
        self.today = builder.today
        self.now = timezone.now()

    def build(self):
        self.surveys = install_standard_surveys(self.builder.organisation)
        # Each mentor keeps one taste through both surveys, so profiles and pulses agree.
        self.personas = {}
        planned = []
        for index, program in enumerate(self.builder.programs):
            planned += self._program_campaigns(index, program)
        campaigns = Campaign.objects.bulk_create([campaign for campaign, _plan in planned])
        for campaign, plan in planned:
            # created_at is set on insert: give each campaign its real launch date.
            campaign.created_at = plan["sent_at"]
        Campaign.objects.bulk_update(campaigns, ["created_at"])
        recipients, responses, answers = [], [], []
        for campaign, plan in planned:
            self._answers_of_campaign(campaign, plan, recipients, responses, answers)
        Recipient.objects.bulk_create(recipients, batch_size=1000)
        for response in responses:
            response.recipient_id = response.recipient.pk
        Response.objects.bulk_create(responses, batch_size=1000)
        for row in answers:
            row.response_id = row.response.pk
        Answer.objects.bulk_create(answers, batch_size=2000)
        self._profiles(
            [response for response in responses if response.campaign.survey.purpose == "profile"]
        )

    # Campaigns

    def _at(self, day, hour=9, minute=0):
        return datetime.datetime.combine(day, datetime.time(hour, minute)).replace(tzinfo=self.zone)

    def _program_campaigns(self, index, program):
        builder = self.builder
        previous, current = builder.previous_cycles[index], builder.current_cycles[index]
        last_cycle_mentors = builder.program_mentors[index]
        active_mentors = [
            person
            for person in last_cycle_mentors + builder.program_mentors_extra[index]
            if builder.enrolment_status[(program.pk, person.pk)] == EnrolmentStatus.ACTIVE
        ]
        open_sent = self._at(self.today - datetime.timedelta(days=10))
        open_closes = max(
            self._at(self.today + datetime.timedelta(days=CAMPAIGN_DAYS - 10), 17),
            self.now + datetime.timedelta(days=CAMPAIGN_DAYS - 10),
        )
        plans = (
            {
                "purpose": Survey.Purpose.PROFILE,
                "cycle": previous,
                "sent_at": self._at(previous.starts_on + datetime.timedelta(days=20)),
                "people": last_cycle_mentors,
                "rate": PROFILE_ANSWER_RATE,
                "climate": None,
            },
            {
                "purpose": Survey.Purpose.PULSE,
                "cycle": previous,
                "sent_at": self._at(previous.ends_on - datetime.timedelta(days=50)),
                "people": last_cycle_mentors,
                "rate": CLOSED_PULSE_ANSWER_RATE,
                "climate": PROGRAM_CLIMATES[index][0],
            },
            {
                "purpose": Survey.Purpose.PULSE,
                "cycle": current,
                "sent_at": open_sent,
                "closes_at": open_closes,
                "people": active_mentors,
                "rate": OPEN_PULSE_ANSWER_RATE,
                "climate": PROGRAM_CLIMATES[index][1],
            },
        )
        manager = builder.users[
            MANAGER.email if PROGRAMS[index].managed_by_demo_manager else ADMIN.email
        ]
        planned = []
        for plan in plans:
            survey = copy_survey(self.surveys[plan["purpose"]], frozen=True)
            closes_at = plan.get("closes_at") or plan["sent_at"] + datetime.timedelta(
                days=CAMPAIGN_DAYS
            )
            closed = closes_at <= self.now
            campaign = Campaign(
                organisation=builder.organisation,
                program=program,
                cycle=plan["cycle"],
                survey=survey,
                name="",
                audience=Campaign.Audience.MENTORS,
                closes_at=closes_at,
                remind_after_days=REMINDER_DAYS,
                created_by=manager,
                closed_at=closes_at if closed else None,
            )
            planned.append((campaign, {**plan, "closes_at": closes_at, "questions": None}))
        return planned

    def _respondents(self, campaign, plan):
        people = plan["people"]
        demo_mentor = self.builder.demo_mentor
        # Enough distinct mentors answer every campaign for its anonymous results to show.
        threshold = self.builder.organisation.anonymity_threshold
        count = max(threshold, round(len(people) * plan["rate"]))
        answering = set(person.pk for person in self.rng.sample(people, min(count, len(people))))
        if demo_mentor in people:
            # The demo mentor finds this cycle's pulse waiting in their space, and a profile
            # filled in from last year's survey.
            if campaign.closed_at is None:
                answering.discard(demo_mentor.pk)
            else:
                answering.add(demo_mentor.pk)
        return answering

    def _answers_of_campaign(self, campaign, plan, recipients, responses, answers):
        questions = questions_of_survey(campaign.survey)
        by_key = {question.key: question for question in questions}
        answering = self._respondents(campaign, plan)
        sent_at, closes_at = plan["sent_at"], plan["closes_at"]
        latest = min(closes_at, self.now) - sent_at
        for person in plan["people"]:
            recipient = Recipient(
                campaign=campaign, person=person, invited_at=sent_at + datetime.timedelta(minutes=5)
            )
            reminder = sent_at + datetime.timedelta(days=REMINDER_DAYS, hours=1)
            answered_at = None
            if person.pk in answering:
                answered_at = self._answer_time(sent_at, latest)
            if reminder < self.now and (answered_at is None or answered_at > reminder):
                recipient.reminded_at, recipient.reminders_sent = reminder, 1
            recipients.append(recipient)
            if answered_at is None:
                continue
            recipient.responded_at = answered_at
            if plan["purpose"] == Survey.Purpose.PROFILE:
                values = self._profile_answers(person, by_key)
            else:
                values = self._pulse_answers(person, by_key, plan["climate"])
            response = Response(
                recipient=recipient,
                campaign=campaign,
                submitted_at=answered_at,
                updated_at=answered_at,
            )
            responses.append(response)
            for row in answer_rows(questions, check_answers(questions, values)):
                row.response = response
                answers.append(row)

    def _answer_time(self, sent_at, latest):
        """When someone answered: some day after the invitation, during waking hours."""
        rng = self.rng
        day = (sent_at + datetime.timedelta(days=rng.randint(0, max(0, latest.days)))).date()
        answered_at = self._at(day, rng.randint(7, 21), rng.randint(0, 59))
        if not sent_at < answered_at < sent_at + latest:
            answered_at = sent_at + datetime.timedelta(
                seconds=rng.uniform(600, max(601, latest.total_seconds()))
            )
        return answered_at

    # Answers

    def _persona(self, person):
        """One mentor's lasting tastes: consent, how generous their marks are."""
        if person.pk not in self.personas:
            rng = self.rng
            self.personas[person.pk] = {
                "consent": rng.choices(list(CONSENT_WEIGHTS), list(CONSENT_WEIGHTS.values()))[0],
                "mood": rng.gauss(0, 0.6),
                "english": person.language == "en",
            }
        return self.personas[person.pk]

    def _words(self, pair, persona):
        return pair[1] if persona["english"] else pair[0]

    def _picks(self, weights, low, high):
        rng, picked = self.rng, []
        for _number in range(rng.randint(low, high)):
            value = rng.choices(list(weights), list(weights.values()))[0]
            if value not in picked:
                picked.append(value)
        return picked

    def _profile_answers(self, person, by_key):
        rng, persona = self.rng, self._persona(person)

        def choice_pks(key, values):
            keyed = {choice.key: choice.pk for choice in by_key[key].choices.all()}
            return [keyed[value] for value in values]

        motivations = self._picks(MOTIVATION_WEIGHTS, 1, 3)
        values = {}
        if rng.random() < OTHER_MOTIVATION_SHARE:
            motivations.append(Motivation.OTHER)
            values[by_key["motivation_other"].pk] = self._words(rng.choice(OTHER_REASONS), persona)
        values[by_key["motivations"].pk] = choice_pks("motivations", motivations)
        consent = persona["consent"]
        for category, taste in CATEGORY_TASTES.items():
            score = taste + persona["mood"] + rng.gauss(0, 1.0)
            if category in PUBLIC_CATEGORIES and consent == PublicConsent.NO:
                score -= 2
            values[by_key[f"category:{category}"].pk] = clamp(score, 0, 5)
        values[by_key["public_consent"].pk] = choice_pks("public_consent", [consent])[0]
        interests = ", ".join(
            self._words(pair, persona) for pair in rng.sample(INTERESTS, rng.randint(1, 3))
        )
        values[by_key["interests"].pk] = interests[0].upper() + interests[1:]
        for key, options, share in (
            ("diet", DIETS, DIET_SHARE),
            ("accessibility", ACCESSIBILITY_NEEDS, ACCESSIBILITY_SHARE),
            ("availability", AVAILABILITIES, AVAILABILITY_SHARE),
        ):
            if rng.random() < share:
                values[by_key[key].pk] = self._words(rng.choice(options), persona)
        values[by_key["moments"].pk] = choice_pks("moments", self._picks(MOMENT_WEIGHTS, 1, 3))
        return values

    def _pulse_answers(self, person, by_key, climate):
        rng, persona = self.rng, self._persona(person)
        values, marks = {}, []
        for factor in EngagementFactor.values:
            mark = clamp(climate[factor] + persona["mood"] + rng.gauss(0, 0.8), 1, 5)
            marks.append(mark)
            values[by_key[f"factor:{factor}"].pk] = mark
            if rng.random() < COMMENT_SHARE:
                low, high = FACTOR_COMMENTS[factor]
                values[by_key[f"comment:{factor}"].pk] = self._words(
                    rng.choice(low if mark <= 3 else high), persona
                )
        average = sum(marks) / len(marks)
        values[by_key["intention"].pk] = clamp(average * 2 + 0.5 + rng.gauss(0, 1.2), 0, 10)
        return values

    # Profiles

    def _profiles(self, responses):
        """Profiles from the profile survey's answers, dated when they were given; then a few
        mentors (the demo mentor first) changed theirs in their space since."""
        answered_on = {}
        for response in responses:
            update_profile_from_response(response)
            answered_on[response.recipient.person_id] = response.submitted_at
        profiles = list(MentorProfile.objects.filter(person_id__in=answered_on))
        for profile in profiles:
            profile.updated_at = answered_on[profile.person_id]
        MentorProfile.objects.bulk_update(profiles, ["updated_at"])
        versions = list(ProfileVersion.objects.filter(person_id__in=answered_on))
        for version in versions:
            version.recorded_at = answered_on[version.person_id]
        ProfileVersion.objects.bulk_update(versions, ["recorded_at"])
        self._self_edits(sorted(answered_on))

    def _self_edits(self, people_with_profile):
        builder, rng = self.builder, self.rng
        demo_mentor = builder.demo_mentor
        others = [pk for pk in people_with_profile if pk != demo_mentor.pk]
        editors = [demo_mentor.pk, *rng.sample(others, SELF_EDITED_PROFILES - 1)]
        people = {person.pk: person for person in builder.mentor_people}
        users = {user.pk: user for user in builder.users.values()}
        for number, person_pk in enumerate(editors):
            person = people[person_pk]
            persona = self._persona(person)
            data = {
                "availability": self._words(rng.choice(AVAILABILITIES), persona),
                "scores": {
                    RecognitionCategory.PROFESSIONAL_DEVELOPMENT: 5,
                    rng.choice(OTHER_CATEGORIES): rng.randint(1, 4),
                },
            }
            if number == 0:
                data["moments"] = [RecognitionMoment.MENTORING_DAY, RecognitionMoment.CYCLE_END]
            saved = save_profile(
                person=person,
                actor=users.get(person.user_id),
                data=data,
                source=ProfileSource.SELF,
            )
            if saved.changed:
                edited_at = self._at(
                    self.today - datetime.timedelta(days=rng.randint(15, 120)),
                    rng.randint(8, 20),
                    rng.choice((0, 15, 30, 45)),
                )
                MentorProfile.objects.filter(pk=saved.profile.pk).update(updated_at=edited_at)
                ProfileVersion.objects.filter(
                    pk=ProfileVersion.objects.filter(person=person).order_by("-pk")[:1]
                ).update(recorded_at=edited_at)


class DemoRecognition:
    """The demo's recognition resources: the cooperative's culture, the ready-made catalog and
    each program's decision on paying its mentors (one pays a stipend, one stopped paying, one
    is overdue for its review), written through the services a manager's pages use.
    """

    CULTURE = {
        "values_fr": (
            "Coopération\nEntraide\nDéveloppement des personnes\nÉquité\n"
            "Fierté du travail bien fait"
        ),
        "values_en": (
            "Cooperation\nMutual aid\nDeveloping people\nFairness\nPride in work well done"
        ),
        "norms_fr": (
            "Ici, la reconnaissance est personnelle et discrète : on remercie chaque mentor "
            "pour ce qu'il apporte à son mentoré, de vive voix ou par un mot écrit, plutôt que "
            "devant tout le monde. L'assemblée générale annuelle est le moment où l'on "
            "remercie en public."
        ),
        "norms_en": (
            "Here, recognition is personal and discreet: each mentor is thanked for what they "
            "bring to their mentee, in person or with a written note, rather than in front of "
            "everyone. The annual general meeting is when people are thanked in public."
        ),
        # Mild leanings, as most organisations have: about half of the ready-made catalog fits
        # them and none clashes, so a first look at the catalog is not all orange and red.
        "public_or_private": -1,
        "formal_or_informal": 0,
        "individual_or_collective": 1,
        "symbolic_or_material": 0,
    }

    def __init__(self, builder):
        self.builder = builder
        self.organisation = builder.organisation
        self.today = builder.today
        self.admin = builder.users[ADMIN.email]
        self.manager = builder.users[MANAGER.email]

    def build(self):
        save_culture_profile(organisation=self.organisation, actor=self.admin, **self.CULTURE)
        install_standard_catalog(self.organisation)
        this_year = fiscal_year_start(self.today, self.organisation.fiscal_year_start_month)
        self._decisions(*self.builder.programs, this_year)
        self.options = {
            option.standard_key: option
            for option in RecognitionOption.objects.filter(organisation=self.organisation)
        }
        self._budgets(*self.builder.programs, this_year)
        DemoRecognitionHistory(self.builder, self).build()
        self._awards(self.builder.programs[0], this_year)
        self._events(self.builder.programs[0])
        self._plan(self.builder.programs[0], this_year)

    def _plan(self, program, this_year):
        """A draft plan for the rest of the executive program's fiscal year, for the manager to
        look at, edit and approve. Computed here: the demo is built in one transaction."""
        organisation = self.organisation
        _first, last = fiscal_year_bounds(organisation, this_year.year)
        plan = plans.create_plan(
            program,
            actor=self.manager,
            starts_on=self.today,
            ends_on=last,
            min_per_mentor=1,
            max_per_mentor=2,
            one_per_moment=True,
            no_repeat_months=12,
            today=self.today,
        )
        plans.compute_plan(plan)

    # Recognitions the executive program gave this year: (option, days into the fiscal year,
    # who gave it, message, the mentor's feedback: satisfaction, relevance, expectations, comment).
    GIVEN = (
        (
            "thank_you_card",
            20,
            "Isabelle Tremblay, directrice des ressources humaines",
            "Merci d'avoir pris le temps d'accueillir Olivier dès sa première semaine. "
            "Votre générosité fait une vraie différence.",
            None,
        ),
        (
            "certificate",
            45,
            "Marc-André Gagnon",
            "Un an à accompagner la relève : bravo et merci!",
            (5, 5, "yes", "Touchée de le recevoir devant mon équipe."),
        ),
        (
            "advanced_training",
            60,
            "",
            "Une formation choisie pour vous, à la hauteur de votre engagement.",
            (4, 5, "yes", ""),
        ),
        (
            "newsletter_mention",
            75,
            "Marc-André Gagnon",
            "",
            (3, 2, "partly", "J'aurais préféré un mot plus personnel qu'une mention publique."),
        ),
        ("symbolic_gift", 90, "Isabelle Tremblay", "Un petit geste pour un grand merci.", None),
    )

    def _awards(self, program, this_year):
        """Recognitions given this year in the executive program, each told to its mentor (the
        e-mails are recorded as sent) and asked about when its day has come, three of them
        answered; and two still to give, one of them late."""
        organisation, manager, today = self.organisation, self.manager, self.today
        mentors = [
            enrolment.person
            for enrolment in MentorEnrolment.objects.filter(
                program=program, status=EnrolmentStatus.ACTIVE
            )
            .select_related("person")
            .order_by("pk")
        ]
        demo_mentor = self.builder.demo_mentor
        mentors = [demo_mentor] + [person for person in mentors if person != demo_mentor]
        private = set(
            MentorProfile.objects.filter(
                person__in=mentors, public_consent=PublicConsent.NO
            ).values_list("person_id", flat=True)
        )

        def next_mentor(option):
            public = option.visibility == Visibility.PUBLIC
            chosen = next(m for m in mentors if not (public and m.pk in private))
            mentors.remove(chosen)
            return chosen

        for key, days, givers, message, feedback in self.GIVEN:
            mentor = next_mentor(self.options[key])
            given_on = self._on(this_year, days)
            award, _created = awards.add_award(
                program=program,
                mentor=mentor,
                option=self.options[key],
                planned_on=given_on,
                actor=manager,
                givers=[Giver.MANAGER] if "Gagnon" in givers else [Giver.EXECUTIVE],
                giver_names=givers,
                message=message,
            )
            awards.give_award(award, actor=manager, given_on=given_on, today=today)
            awards.ask_feedback(award, today=today)
            award.refresh_from_db()
            if feedback and award.feedback_request_id:
                self.answer_feedback(award.feedback_request, feedback)
        OutgoingEmail.objects.filter(organisation=organisation).update(
            status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), next_attempt_at=None
        )
        for key, days in (("dinner", -3), ("workshop", 12)):
            award, _created = awards.add_award(
                program=program,
                mentor=next_mentor(self.options[key]),
                option=self.options[key],
                planned_on=today + datetime.timedelta(days=days),
                actor=manager,
                givers=[Giver.MANAGER],
                giver_names="Marc-André Gagnon",
            )
            awards.approve_award(award, actor=manager)

    def _events(self, program):
        """A workshop held a month ago, its attendance taken (training hours for those who
        came, the demo mentor among them), a mentors' dinner next month, full with a waiting
        list, and a gala in two months that the demo mentor has yet to answer."""
        manager, today = self.manager, self.today
        zone = zoneinfo.ZoneInfo(self.organisation.time_zone)

        def at(days, hour):
            day = today + datetime.timedelta(days=days)
            return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)

        mentors = [
            enrolment.person
            for enrolment in MentorEnrolment.objects.filter(
                program=program, status=EnrolmentStatus.ACTIVE
            )
            .select_related("person")
            .order_by("pk")
        ]
        demo_mentor = self.builder.demo_mentor
        mentors = [demo_mentor] + [person for person in mentors if person != demo_mentor]
        workshop, _created = events.create_event(
            program=program,
            actor=manager,
            kind=EventKind.WORKSHOP,
            name_fr="Atelier : une rétroaction qui fait grandir",
            name_en="Workshop: feedback that helps people grow",
            description_fr="Trois heures de pratique, en petits groupes, avec une formatrice.",
            description_en="Three hours of practice in small groups, with a trainer.",
            starts_at=at(-30, 13),
            ends_at=at(-30, 16),
            place="Siège social, salle Laurentide",
            capacity=20,
            mentors_only=True,
            training_hours=Decimal("3"),
        )
        # What happened before today is written as it was: invited, answered, present.
        EventInvitation.objects.bulk_create(
            EventInvitation(
                event=workshop,
                person=person,
                answer=EventInvitation.Answer.GOING
                if index < 10
                else EventInvitation.Answer.DECLINED,
                answered_at=at(-40, 10),
                invited_at=at(-45, 9),
                attended=index < 9 if index < 10 else None,
            )
            for index, person in enumerate(mentors[:12])
        )
        dinner, _created = events.create_event(
            program=program,
            actor=manager,
            kind=EventKind.DINNER,
            name_fr="Souper des mentors",
            name_en="Mentors' dinner",
            starts_at=at(20, 18),
            ends_at=at(20, 21),
            place="Restaurant Le Laurier, Montréal",
            capacity=6,
            mentors_only=True,
            remind_days_before=2,
        )
        events.invite(dinner, actor=manager, people=[person.pk for person in mentors[1:11]])
        for invitation in dinner.invitations.order_by("pk")[:9]:
            events.respond(invitation, going=True)
        gala, _created = events.create_event(
            program=program,
            actor=manager,
            kind=EventKind.GALA,
            name_fr="Gala de reconnaissance des mentors",
            name_en="Mentor recognition gala",
            description_fr="Une soirée pour remercier celles et ceux qui font grandir la relève.",
            description_en="An evening to thank the people who help the next generation grow.",
            starts_at=at(60, 18),
            ends_at=at(60, 23),
            place="Centre des congrès, Québec",
            capacity=150,
        )
        events.invite(gala, actor=manager, audience="mentors")
        for invitation in gala.invitations.exclude(person=demo_mentor).order_by("pk")[:8]:
            events.respond(invitation, going=invitation.pk % 4 != 0)
        OutgoingEmail.objects.filter(organisation=self.organisation).update(
            status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), next_attempt_at=None
        )

    def answer_feedback(self, recipient, feedback):
        """The mentor's answers to the feedback request `recipient`: (satisfaction, relevance,
        expectations, comment)."""
        satisfaction, relevance, expectations, comment = feedback
        questions = questions_of_survey(recipient.campaign.survey)
        by_key = {question.key: question for question in questions}
        choice = {c.key: c.pk for c in by_key["expectations"].choices.all()}[expectations]
        submit_response(
            recipient=recipient,
            questions=questions,
            answers={
                by_key["satisfaction"].pk: satisfaction,
                by_key["relevance"].pk: relevance,
                by_key["expectations"].pk: choice,
                by_key["comment"].pk: comment,
            },
        )

    def _on(self, this_year, days):
        """A day of this fiscal year, never after today (the ledger records what happened)."""
        return min(this_year + datetime.timedelta(days=days), self.today)

    def _entry(self, write, budget, actor, key, quantity, money, hours, items, on, text=""):
        return write(
            budget,
            actor=actor,
            option=self.options[key],
            quantity=quantity,
            money=Decimal(money),
            staff_hours=Decimal(hours),
            material_items=items,
            occurred_on=on,
            description=text,
        )

    def _budgets(self, releve, accueil, stim, this_year):
        """This fiscal year's budgets, each used well under its 80 % alert: the whole
        organisation's (a gala committed, certificates and a conference spent), the stipends
        the executive program paid, and a few commitments, one of them released."""
        organisation, year = self.organisation, this_year.year
        admin, manager = self.admin, self.manager
        commit, spend = ledger.commit, ledger.record_spending

        def budget(program, actor, money, hours, items, notes):
            return ledger.create_budget(
                organisation=organisation,
                program=program,
                fiscal_year=year,
                actor=actor,
                money=Decimal(money),
                staff_hours=Decimal(hours),
                material_items=items,
                notes=notes,
            )

        whole = budget(
            None,
            admin,
            "12000.00",
            "150",
            400,
            "Reconnaissance commune à tous les programmes : gala, certificats, conférences.",
        )
        self._entry(commit, whole, admin, "gala", 40, "7000.00", "60", 40, self._on(this_year, 200))
        self._entry(
            spend, whole, admin, "certificate", 60, "240.00", "5", 60, self._on(this_year, 150)
        )
        conference = self._entry(
            commit, whole, admin, "conference", 2, "1300.00", "4", 0, self._on(this_year, 60)
        )
        ledger.spend_commitment(
            conference, actor=admin, money=Decimal("1240.00"), occurred_on=self._on(this_year, 95)
        )

        paid = MentorEnrolment.objects.filter(program=releve, status=EnrolmentStatus.ACTIVE).count()
        executives = budget(
            releve, manager, "20000.00", "40", 100, "Dont l'allocation annuelle des mentors."
        )
        self._entry(
            spend,
            executives,
            manager,
            "stipend",
            paid,
            str(300 * paid),
            "2",
            0,
            self._on(this_year, 180),
            "Allocation des mentors — premier versement",
        )
        self._entry(
            commit,
            executives,
            manager,
            "advanced_training",
            3,
            "1350.00",
            "3",
            0,
            self._on(this_year, 190),
        )
        self._entry(
            commit, executives, manager, "dinner", 15, "1275.00", "6", 0, self._on(this_year, 200)
        )

        welcome = budget(accueil, manager, "3000.00", "30", 150, "")
        self._entry(
            spend,
            welcome,
            manager,
            "thank_you_card",
            40,
            "260.00",
            "4",
            40,
            self._on(this_year, 120),
        )
        self._entry(
            commit,
            welcome,
            manager,
            "symbolic_gift",
            20,
            "360.00",
            "2",
            20,
            self._on(this_year, 170),
        )
        dinner = self._entry(
            commit, welcome, manager, "dinner", 8, "680.00", "3", 0, self._on(this_year, 150)
        )
        ledger.release_commitment(
            dinner,
            actor=manager,
            reason="Dîner des parrains reporté au printemps.",
            occurred_on=self._on(this_year, 185),
        )

        women = budget(stim, admin, "2500.00", "20", 50, "")
        self._entry(
            commit, women, admin, "special_event", 15, "675.00", "5", 0, self._on(this_year, 160)
        )
        self._entry(
            spend, women, admin, "network_access", 2, "300.00", "1", 0, self._on(this_year, 100)
        )

    def _decide(self, program, actor, decision, decided_on, review_on, **texts):
        record_decision(
            program=program,
            actor=actor,
            notify=False,
            decision=decision,
            decided_on=decided_on,
            review_on=review_on,
            **texts,
        )

    def _decisions(self, releve, accueil, stim, this_year):
        days = datetime.timedelta
        last_year = this_year.replace(year=this_year.year - 1)
        Decision = CompensationDecision.Decision
        self._decide(
            releve,
            self.manager,
            Decision.STIPEND,
            self._on(this_year, 14),
            this_year.replace(year=this_year.year + 1),
            context=(
                "Les mentors de la relève sont des cadres supérieurs qui donnent deux heures par "
                "mois, souvent le soir, en plus de leurs fonctions, pendant douze mois."
            ),
            goals=(
                "Reconnaître un engagement exigeant et garder les mentors d'expérience, dont "
                "plusieurs ont quitté le programme l'an dernier."
            ),
            stakeholders=(
                "Mentors du programme, comité de direction, ressources humaines, association "
                "des cadres"
            ),
            benefits="Moins de départs en cours de cycle ; un signal clair que la relève compte.",
            risks=(
                "- Le lien entre mentor et mentoré peut changer : l'accompagnement risque de "
                "ressembler à un service payé plutôt qu'à une aide donnée.\n"
                "- Les motivations des mentors peuvent passer de l'envie d'aider (intrinsèque) "
                "à l'argent (extrinsèque).\n"
                "- Les mentors bénévoles des autres programmes peuvent se sentir moins reconnus.\n"
                "- L'allocation doit être prévue au budget chaque année."
            ),
            amount_per_mentor=Decimal("600.00"),
        )
        self._decide(
            accueil,
            self.admin,
            Decision.HONORARIUM,
            last_year.replace(year=last_year.year - 1) + days(days=30),
            last_year + days(days=30),
            context=(
                "Il manquait de parrains et de marraines pour accueillir les nouveaux employés."
            ),
            goals="Recruter assez de parrains pour que chaque nouvel employé en ait un.",
            stakeholders="Ressources humaines, gestionnaires d'équipes",
            benefits="Plus de volontaires au lancement du programme.",
            risks="- Des parrains pourraient s'inscrire pour l'argent plutôt que pour aider.",
            amount_per_mentor=Decimal("150.00"),
        )
        self._decide(
            accueil,
            self.admin,
            Decision.VOLUNTEER,
            last_year + days(days=45),
            this_year.replace(year=this_year.year + 1) + days(days=45),
            context=(
                "Après un an d'honoraires, plusieurs parrains disaient le faire « pour la prime » "
                "et les nouveaux employés sentaient la différence."
            ),
            goals="Que le parrainage redevienne un geste d'entraide entre collègues.",
            stakeholders="Parrains et marraines, nouveaux employés sondés, ressources humaines",
            benefits="Des parrains motivés par l'accueil ; l'argent va à un dîner d'équipe.",
            risks="- Moins de volontaires au départ : à suivre à chaque cohorte.",
            amount_per_mentor=None,
        )
        self._decide(
            stim,
            self.admin,
            Decision.VOLUNTEER,
            last_year + days(days=60),
            self.today - days(days=40),
            context="Les mentores sont des professionnelles engagées dans la cause.",
            goals="Garder un réseau fondé sur la solidarité entre femmes en STIM.",
            stakeholders="Mentores, comité Femmes en STIM",
            benefits="",
            risks="",
            amount_per_mentor=None,
        )
