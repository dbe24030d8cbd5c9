"""The demo's badges and certificates: badge classes with rules, issued through the same
services the pages use, so the demo mentor finds badges in their space and a manager finds
credentials to verify and revoke."""

from django.db import transaction

from laurier.credentials.models import BadgeClass, BadgeRule, Credential
from laurier.credentials.services import awarding
from laurier.credentials.services.issuance import issuer_for
from laurier.credentials.services.rules import apply_rules
from laurier.recognition.models import Award, EventKind

BADGES = (
    {
        "name_fr": "Mentor 25 heures",
        "name_en": "25-hour mentor",
        "description_fr": "A consacré au moins 25 heures au mentorat dans nos programmes.",
        "description_en": "Gave at least 25 hours to mentoring in our programs.",
        "criteria_fr": "25 heures de rencontres de mentorat confirmées ou consignées par un "
        "gestionnaire.",
        "criteria_en": "25 hours of mentoring sessions, confirmed or recorded by a manager.",
        "shape": "medallion",
        "palette": "forest",
        "emblem": "clock",
        "label": "25 h",
        "rule": BadgeRule.HOURS,
        "threshold": 25,
    },
    {
        "name_fr": "Trois ans de mentorat",
        "name_en": "Three years of mentoring",
        "description_fr": "Mentor dans nos programmes depuis au moins trois ans.",
        "description_en": "A mentor in our programs for at least three years.",
        "criteria_fr": "Trois ans depuis la première inscription comme mentor.",
        "criteria_en": "Three years since the first enrolment as a mentor.",
        "shape": "shield",
        "palette": "river",
        "emblem": "calendar",
        "label": "3 ans",
        "rule": BadgeRule.YEARS,
        "threshold": 3,
    },
    {
        "name_fr": "Jumelage mené à terme",
        "name_en": "Pairing completed",
        "description_fr": "A accompagné un mentoré jusqu'au bout de son parcours.",
        "description_en": "Walked alongside a mentee to the end of their journey.",
        "criteria_fr": "Au moins un jumelage terminé comme prévu.",
        "criteria_en": "At least one pairing completed as planned.",
        "shape": "hexagon",
        "palette": "plum",
        "emblem": "handshake",
        "label": "",
        "rule": BadgeRule.PAIRINGS,
        "threshold": 1,
    },
    {
        "name_fr": "Apprenant engagé",
        "name_en": "Committed learner",
        "description_fr": "A pris part à un atelier de développement professionnel.",
        "description_en": "Took part in a professional-development workshop.",
        "criteria_fr": "Présence confirmée à un atelier.",
        "criteria_en": "Attendance taken at a workshop.",
        "shape": "rosette",
        "palette": "gold",
        "emblem": "lightbulb",
        "label": "",
        "rule": BadgeRule.EVENT,
        "event_kind": EventKind.WORKSHOP,
    },
    {
        "name_fr": "Mentor inspirant",
        "name_en": "Inspiring mentor",
        "description_fr": "Remis par l'équipe du programme à un mentor qui a marqué ses mentorés.",
        "description_en": "Given by the program team to a mentor who left a mark on their mentees.",
        "criteria_fr": "Choisi par l'équipe du programme, sur les témoignages des mentorés.",
        "criteria_en": "Chosen by the program team, from the mentees' testimonials.",
        "shape": "rosette",
        "palette": "maple",
        "emblem": "star",
        "label": "",
        "rule": BadgeRule.MANUAL,
    },
)


class DemoCredentials:
    def __init__(self, builder, manager_email):
        self.builder = builder
        self.organisation = builder.organisation
        self.manager_email = manager_email

    @transaction.atomic
    def build(self):
        issuer = issuer_for(self.organisation)
        issuer.website = "https://cooperative-boreale.example"
        issuer.save(update_fields=["website"])
        manager = self.builder.users[self.manager_email]
        classes = [
            BadgeClass.objects.create(organisation=self.organisation, created_by=manager, **badge)
            for badge in BADGES
        ]
        apply_rules(self.organisation, today=self.builder.today)
        mentor = self.builder.demo_mentor
        awarding.award_badge(classes[-1], mentor, actor=manager)
        given = Award.objects.filter(mentor=mentor, status=Award.Status.GIVEN).first()
        if given is not None:
            awarding.certify_award(given, actor=manager)
        # One revoked credential, so that a manager sees what a revocation looks like.
        mistaken = (
            Credential.objects.filter(organisation=self.organisation, badge_class=classes[0])
            .exclude(person=mentor)
            .first()
        )
        if mistaken is not None:
            awarding.revoke(
                mistaken, reason="Heures saisies en double / Hours entered twice", actor=manager
            )
