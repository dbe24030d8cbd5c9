"""A year and a half of recognitions in the demo, so that the insights pages have a story to tell.

Last fiscal year, each program recognised some of its mentors (the executive program most of
them, the welcome program fewer), with a rush in December and at the end of the cycle, mostly
by the manager; half the mentors answered the feedback survey. This fiscal year, the two
other programs gave a few recognitions too (the executive program's are in
`DemoRecognition._awards`). Everything goes through the award services, so the budgets, the
ledger, the e-mails and the feedback requests are those a real year would leave.
"""

import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from laurier.core.dates import fiscal_year_bounds, fiscal_year_of
from laurier.demo.vocabulary import clamp
from laurier.profiles.models import MentorProfile
from laurier.programs.models import EnrolmentStatus, MentorEnrolment, Pairing
from laurier.recognition.categories import Giver, PublicConsent, Visibility
from laurier.recognition.services import awards
from laurier.recognition.services import budgets as ledger

# Its own seed: drawing from the organisation's random stream would change every later part.
HISTORY_SEED = 4_2026
# Per program: the share of last cycle's mentors recognised last year, and this year.
RECOGNISED_SHARE = ((0.75, 0.0), (0.35, 0.25), (0.55, 0.3))
# Options and how mentors tend to rate them (satisfaction, relevance), for private ones first.
OPTIONS = {
    "thank_you_card": (5, 4),
    "certificate": (4, 4),
    "symbolic_gift": (4, 3),
    "material_perk": (3, 3),
    "advanced_training": (5, 5),
    "newsletter_mention": (3, 2),
}
GIVERS = (
    ((Giver.MANAGER,), 55),
    ((Giver.MANAGER, Giver.EXECUTIVE), 15),
    ((Giver.MENTEE,), 15),
    ((Giver.PEER,), 10),
    ((Giver.EXECUTIVE,), 5),
)
COMMENTS = (
    "",
    "",
    "Merci, ça m'a touché.",
    "J'aurais aimé le recevoir devant mon équipe.",
    "Un beau geste, au bon moment.",
)


class DemoRecognitionHistory:
    def __init__(self, builder, recognition):
        self.builder = builder
        self.recognition = recognition
        self.organisation = builder.organisation
        self.today = builder.today
        self.rng = random.Random(HISTORY_SEED)

    def build(self):
        this_year = fiscal_year_of(self.organisation, self.today)
        for index, program in enumerate(self.builder.programs):
            last_share, this_share = RECOGNISED_SHARE[index]
            actor = self._actor(program)
            mentors = self._last_cycle_mentors(program, index)
            self._budget(program, this_year - 1, actor, len(mentors))
            self._year(program, actor, mentors, this_year - 1, last_share)
            if this_share:
                self._year(program, actor, mentors, this_year, this_share)

    def _actor(self, program):
        manager = self.recognition.manager
        if program.managers.filter(pk=manager.pk).exists():
            return manager
        return self.recognition.admin

    def _last_cycle_mentors(self, program, index):
        """Last cycle's mentors still active here (only they can be given a recognition now),
        but the demo mentor, whose own story is told in `DemoRecognition._awards`."""
        cycle = self.builder.previous_cycles[index]
        paired = Pairing.objects.filter(cycle=cycle).values("mentor_id")
        return list(
            MentorEnrolment.objects.filter(
                program=program, status=EnrolmentStatus.ACTIVE, person__in=paired
            )
            .exclude(person=self.builder.demo_mentor)
            .select_related("person")
            .order_by("pk")
        )

    def _budget(self, program, fiscal_year, actor, mentors):
        return ledger.create_budget(
            organisation=self.organisation,
            program=program,
            fiscal_year=fiscal_year,
            actor=actor,
            # Room for every mentor to receive the dearest option twice, so no alert rings.
            money=Decimal(1000) * max(mentors, 1),
            staff_hours=Decimal(4) * max(mentors, 1),
            material_items=5 * max(mentors, 1),
            notes="Reconnaissance de l'an dernier.",
        )

    def _year(self, program, actor, enrolments, fiscal_year, share):
        first, last = fiscal_year_bounds(self.organisation, fiscal_year)
        last = min(last, self.today - datetime.timedelta(days=1))
        if last < first:
            return
        private = set(
            MentorProfile.objects.filter(
                person__in=[e.person for e in enrolments], public_consent=PublicConsent.NO
            ).values_list("person_id", flat=True)
        )
        options = self.recognition.options
        for enrolment in enrolments:
            if self.rng.random() >= share:
                continue
            for _number in range(1 if self.rng.random() < 0.7 else 2):
                key = self._option_key(enrolment.person.pk in private, options)
                self._give(program, actor, enrolment.person, options[key], key, first, last)

    def _option_key(self, private_only, options):
        keys = [
            key
            for key in OPTIONS
            if not (private_only and options[key].visibility == Visibility.PUBLIC)
        ]
        return self.rng.choice(keys)

    def _day(self, first, last):
        """Most recognitions land in December or at the year's end, as in many programs."""
        december = datetime.date(first.year, 12, 1)
        draw = self.rng.random()
        if draw < 0.4 and first <= december <= last:
            day = december + datetime.timedelta(days=self.rng.randint(0, 19))
        elif draw < 0.6:
            day = last - datetime.timedelta(days=self.rng.randint(0, 40))
        else:
            day = first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))
        return min(max(day, first), last)

    def _give(self, program, actor, mentor, option, key, first, last):
        given_on = self._day(first, last)
        givers = self.rng.choices([g for g, _w in GIVERS], weights=[w for _g, w in GIVERS])[0]
        try:
            with transaction.atomic():
                award, _created = awards.add_award(
                    program=program,
                    mentor=mentor,
                    option=option,
                    planned_on=given_on,
                    actor=actor,
                    givers=list(givers),
                )
                awards.give_award(award, actor=actor, given_on=given_on, today=self.today)
        except ValidationError:
            # An option this mentor cannot receive (hours, tenure): a real manager would not
            # have chosen it either.
            return
        awards.ask_feedback(award, today=self.today)
        award.refresh_from_db()
        if award.feedback_request_id and self.rng.random() < 0.5:
            satisfaction, relevance = OPTIONS[key]
            shift = self.rng.choice((-1, 0, 0, 1))
            self.recognition.answer_feedback(
                award.feedback_request,
                (
                    clamp(satisfaction + shift, 1, 5),
                    clamp(relevance + shift, 1, 5),
                    "yes" if satisfaction + shift >= 4 else "partly" if shift >= 0 else "no",
                    self.rng.choice(COMMENTS),
                ),
            )
