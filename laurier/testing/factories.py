"""factory_boy factories for every model; tests build exactly the data they need."""

import datetime

import factory
from django.utils import timezone

from laurier.accounts.models import User
from laurier.contests.models import (
    Category,
    Criterion,
    Edition,
    Juror,
    Nomination,
    Nominee,
    Relation,
)
from laurier.credentials.models import BadgeClass
from laurier.hours.models import LoggedBy, MentoringSession
from laurier.organisations.models import Invitation, Membership, Organisation, Role
from laurier.programs.models import (
    Cycle,
    MenteeEnrolment,
    MentorEnrolment,
    Pairing,
    Person,
    Program,
)
from laurier.recognition.categories import (
    Formality,
    Nature,
    RecognitionCategory,
    RecognitionMoment,
    Visibility,
)
from laurier.recognition.models import (
    Award,
    Budget,
    CompensationDecision,
    CultureProfile,
    LedgerEntry,
    RecognitionOption,
)
from laurier.surveys.models import Campaign, Choice, Question, Recipient, Survey

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MANAGER


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    objectives = "Help new employees find their way."


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2026, 12, 31)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    language = "fr-ca"


class MentorEnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorEnrolment

    program = factory.SubFactory(ProgramFactory)
    person = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..program.organisation")
    )
    since = datetime.date(2025, 9, 1)


class MenteeEnrolmentFactory(MentorEnrolmentFactory):
    class Meta:
        model = MenteeEnrolment


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    mentor = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..program.organisation")
    )
    mentee = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..program.organisation")
    )
    starts_on = datetime.date(2026, 1, 15)

    @factory.post_generation
    def enrolments(obj, create, extracted, **kwargs):
        """A pairing implies both people are enrolled in its program."""
        if create:
            MentorEnrolment.objects.get_or_create(
                program=obj.program, person=obj.mentor, defaults={"since": obj.starts_on}
            )
            MenteeEnrolment.objects.get_or_create(
                program=obj.program, person=obj.mentee, defaults={"since": obj.starts_on}
            )


class MentoringSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringSession

    pairing = factory.SubFactory(PairingFactory)
    program = factory.SelfAttribute("pairing.program")
    mentor = factory.SelfAttribute("pairing.mentor")
    mentee = factory.SelfAttribute("pairing.mentee")
    held_on = factory.Sequence(lambda n: datetime.date(2026, 2, 1) + datetime.timedelta(days=n))
    duration_minutes = 60
    logged_by = LoggedBy.MANAGER


class BadgeClassFactory(factory.django.DjangoModelFactory):
    """The badge most tests award: 100 hours of mentoring, awarded by hand."""

    class Meta:
        model = BadgeClass

    organisation = factory.SubFactory(OrganisationFactory)
    name_fr = "Mentor 100 heures"
    name_en = "100-hour mentor"
    description_fr = "A mentoré 100 heures."
    description_en = "Mentored for 100 hours."
    criteria_fr = "100 heures de mentorat confirmées."
    criteria_en = "100 confirmed hours of mentoring."
    shape = "medallion"
    palette = "forest"
    emblem = "clock"
    label = "100 h"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.MENTOR
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    organisation = factory.SubFactory(OrganisationFactory)
    title_fr = factory.Sequence(lambda n: f"Sondage {n}")
    title_en = factory.Sequence(lambda n: f"Survey {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n)
    kind = Question.Kind.LIKERT
    text_fr = factory.Sequence(lambda n: f"Question {n} ?")
    text_en = factory.Sequence(lambda n: f"Question {n}?")


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, kind=Question.Kind.SINGLE_CHOICE)
    position = factory.Sequence(lambda n: n)
    text_fr = factory.Sequence(lambda n: f"Choix {n}")
    text_en = factory.Sequence(lambda n: f"Choice {n}")


class CampaignFactory(factory.django.DjangoModelFactory):
    """A campaign that is open for two weeks (it sends `survey` as is: freeze it first if the
    test edits the survey afterwards)."""

    class Meta:
        model = Campaign

    program = factory.SubFactory(ProgramFactory)
    organisation = factory.SelfAttribute("program.organisation")
    survey = factory.SubFactory(
        SurveyFactory, organisation=factory.SelfAttribute("..organisation"), frozen=True
    )
    name = factory.Sequence(lambda n: f"Campaign {n}")
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient

    campaign = factory.SubFactory(CampaignFactory)
    person = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..campaign.organisation")
    )
    invited_at = factory.LazyFunction(timezone.now)


class CultureProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CultureProfile

    organisation = factory.SubFactory(OrganisationFactory)
    values_fr = "Entraide\nRigueur"
    values_en = "Mutual help\nRigour"


class RecognitionOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecognitionOption

    organisation = factory.SubFactory(OrganisationFactory)
    category = RecognitionCategory.THANK_YOU_CARD
    name_fr = factory.Sequence(lambda n: f"Option {n}")
    name_en = factory.Sequence(lambda n: f"Option {n}")
    cost_money = "10.00"
    staff_hours = "0.50"
    material_items = 1
    visibility = Visibility.PRIVATE
    formality = Formality.INFORMAL
    nature = Nature.SYMBOLIC
    moments = factory.LazyFunction(lambda: [RecognitionMoment.CYCLE_END])


class BudgetFactory(factory.django.DjangoModelFactory):
    """A program's budget for a fiscal year; pass program=None for the organisation-wide one."""

    class Meta:
        model = Budget

    program = factory.SubFactory(ProgramFactory)
    organisation = factory.LazyAttribute(
        lambda budget: budget.program.organisation if budget.program else OrganisationFactory()
    )
    fiscal_year = 2026
    currency = factory.LazyAttribute(lambda budget: budget.organisation.currency)
    money = "1000.00"
    staff_hours = "20.00"
    material_items = 50


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerEntry

    budget = factory.SubFactory(BudgetFactory)
    kind = LedgerEntry.Kind.COMMITMENT
    money = "10.00"
    description = factory.Sequence(lambda n: f"Entry {n}")
    occurred_on = datetime.date(2026, 6, 1)


class CompensationDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompensationDecision

    program = factory.SubFactory(ProgramFactory)
    decision = CompensationDecision.Decision.VOLUNTEER
    context = "Mentors give an hour a month."
    goals = "Keep mentoring a gift between colleagues."
    stakeholders = "Mentors, HR"
    decided_on = datetime.date(2026, 4, 1)
    review_on = datetime.date(2027, 4, 1)


class EditionFactory(factory.django.DjangoModelFactory):
    """A program's edition whose nominations are open on 2026-03-15 (nominations in March,
    scoring in April, announced on 2026-05-01)."""

    class Meta:
        model = Edition

    program = factory.SubFactory(ProgramFactory)
    organisation = factory.SelfAttribute("program.organisation")
    year = 2026
    name_fr = "Mentor de l'année 2026"
    name_en = "Mentor of the year 2026"
    nominations_open_on = datetime.date(2026, 3, 1)
    nominations_close_on = datetime.date(2026, 3, 31)
    scoring_close_on = datetime.date(2026, 4, 20)
    announce_on = datetime.date(2026, 5, 1)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    edition = factory.SubFactory(EditionFactory)
    name_fr = factory.Sequence(lambda n: f"Catégorie {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    edition = factory.SubFactory(EditionFactory)
    name_fr = factory.Sequence(lambda n: f"Critère {n}")
    name_en = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1


class NomineeFactory(factory.django.DjangoModelFactory):
    """A nominee who mentors in the edition's program."""

    class Meta:
        model = Nominee

    category = factory.SubFactory(CategoryFactory)
    program = factory.SelfAttribute("category.edition.program")
    person = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..program.organisation")
    )


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    nominee = factory.SubFactory(NomineeFactory)
    nominator_name = factory.Faker("name")
    nominator_email = factory.Sequence(lambda n: f"nominator{n}@example.org")
    relation = Relation.MENTEE
    story = "Always there when it matters."
    source = Nomination.Source.LINK


class JurorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Juror

    edition = factory.SubFactory(EditionFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"juror{n}@example.org")
    language = "fr-ca"
    kind = Juror.Kind.MANAGER


class AwardFactory(factory.django.DjangoModelFactory):
    """A recognition given to a mentor of `program` (status given, no ledger lines: pass
    `spending=LedgerEntryFactory(...)` for what it cost)."""

    class Meta:
        model = Award

    program = factory.SubFactory(ProgramFactory)
    organisation = factory.SelfAttribute("program.organisation")
    mentor = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..organisation"))
    option = factory.SubFactory(
        RecognitionOptionFactory, organisation=factory.SelfAttribute("..organisation")
    )
    status = Award.Status.GIVEN
    planned_on = datetime.date(2026, 3, 1)
    given_on = factory.LazyAttribute(
        lambda award: award.planned_on if award.status == Award.Status.GIVEN else None
    )
    givers = factory.LazyFunction(lambda: ["manager"])
