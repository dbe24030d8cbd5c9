"""The demo's mentor-of-the-year contest, run through the same services the pages use: last
year's edition, announced, whose winner holds the contest badge; and this year's, whose jury is
scoring, so that a manager finds a provisional result and a juror's link to follow."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from laurier.contests.models import Edition, Juror, Nominee, Relation, Winner
from laurier.contests.selectors import conflicted_nominee_ids, eligible_mentors
from laurier.contests.services import announcement, editions, jury, nominations
from laurier.organisations.models import Membership
from laurier.outbox.models import OutgoingEmail
from laurier.programs.models import Pairing
from laurier.recognition.models import RecognitionOption
from laurier.recognition.services import awards

# Written by mentees about "{name}": by first name, so no pronoun guesses anyone's gender.
STORIES = (
    "{name} est toujours disponible, même les semaines chargées. Grâce à ses conseils, j'ai osé "
    "poser ma candidature à un poste de chef d'équipe, et je l'ai obtenu.",
    "Avec {name}, j'ai appris à préparer mes rencontres avec les clients et à dire non quand il "
    "le faut. Je me sens enfin à ma place dans l'équipe.",
    "{name} prend le temps d'écouter avant de conseiller. Grâce à ses présentations, je connais "
    "maintenant des collègues de trois services : mon réseau a doublé en six mois.",
    "{name} is a patient and generous mentor who helped me settle in Québec, learn how things "
    "work here and find my confidence at work.",
    "Les retours de {name} sont francs et bienveillants : ma façon de gérer mes priorités a "
    "complètement changé.",
    "Quand mon projet a déraillé, {name} m'a aidé à garder la tête froide et à proposer un plan "
    "réaliste à la direction.",
    "{name} m'a encouragée à suivre une formation en gestion de projet et m'a aidée à convaincre "
    "ma gestionnaire. Je termine ma certification ce printemps.",
    "Chaque rencontre avec {name} me donne une idée concrète à essayer la semaine suivante.",
)
# Each juror's leaning: a severe juror and a lenient one, to show what normalising changes.
JURORS = (
    ("Hélène Bergeron", "helene.bergeron@demo.laurier.ca", Juror.Kind.EXECUTIVE, -2),
    ("Jean-François Roy", "jf.roy@demo.laurier.ca", Juror.Kind.MANAGER, 1),
)


class DemoContests:
    def __init__(self, builder, manager_email):
        self.builder = builder
        self.organisation = builder.organisation
        self.today = builder.today
        self.manager = builder.users[manager_email]
        self.membership = Membership.objects.get(organisation=self.organisation, user=self.manager)
        self.program = builder.programs[0]
        self.option = RecognitionOption.objects.filter(
            organisation=self.organisation, standard_key="mentor_of_the_year"
        ).first()

    @transaction.atomic
    def build(self):
        opens = self._last_spring()
        last_year = self._edition(opens.year - 1, opens, with_badge=True)
        self._run(last_year, scored_by_all=True)
        announcement.announce(
            last_year, actor=self.manager, today=last_year.scoring_close_on + datetime.timedelta(1)
        )
        # Announced on its day, as the organisation lived it, not when the demo was loaded.
        announced_at = self._moment(last_year.announce_on)
        Edition.objects.filter(pk=last_year.pk).update(announced_at=announced_at)
        Winner.objects.filter(category__edition=last_year).update(announced_at=announced_at)
        self._hand_over_trophies(last_year)
        this_year = self._edition(self.today.year, self.today - datetime.timedelta(days=40))
        self._run(this_year, scored_by_all=False)
        # What happened before today was sent then: loading the demo sends nothing.
        OutgoingEmail.objects.filter(organisation=self.organisation).update(
            status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), next_attempt_at=None
        )

    def _moment(self, day):
        return datetime.datetime.combine(day, datetime.time(10), tzinfo=self.builder.zone)

    def _last_spring(self):
        """The last 1 March whose edition was announced more than a week ago: a year's mentor
        is chosen the next spring, at the start of the fiscal year whose budget pays the award."""
        year = self.today.year
        while True:
            opens = datetime.date(year, 3, 1)
            if editions.default_dates(opens)[3] < self.today - datetime.timedelta(days=7):
                return opens
            year -= 1

    def _hand_over_trophies(self, edition):
        """Last year's award was handed over at the gala, on the day announced."""
        for winner in Winner.objects.filter(category__edition=edition, award__isnull=False):
            try:
                awards.give_award(
                    winner.award,
                    actor=self.manager,
                    given_on=edition.announce_on,
                    giver_names="Hélène Bergeron, présidente-directrice générale",
                    today=edition.announce_on,
                )
            except ValidationError:
                # No budget that year (a demo loaded in early spring): it stays to give.
                continue

    def _edition(self, year, opens, *, with_badge=False):
        opens, closes, scoring, announcing = editions.default_dates(opens)
        edition, _created = editions.create_edition(
            self.membership,
            program=self.program,
            year=year,
            nominations_open_on=opens,
            nominations_close_on=closes,
            scoring_close_on=scoring,
            announce_on=announcing,
            active_mentors_only=True,
            option=self.option,
            **editions.default_names(year),
        )
        if with_badge:
            category = edition.categories.get()
            editions.edit_category(
                category,
                actor=self.manager,
                create_badge=True,
                name_fr=category.name_fr,
                name_en=category.name_en,
                description_fr=category.description_fr,
                description_en=category.description_en,
                winners=1,
            )
        return edition

    def _run(self, edition, *, scored_by_all):
        """Nominations by mentees, a jury of three (one of them paired with a nominee, so that
        Laurier sets that nominee aside for them), and the jury's scores."""
        category = edition.categories.get()
        nominating_on = edition.nominations_open_on + datetime.timedelta(days=3)
        eligible = list(eligible_mentors(edition)[:40])
        nominated = self.builder.rng.sample(eligible, min(4, len(eligible)))
        stories = iter(self.builder.rng.sample(STORIES, len(STORIES)))
        for mentor in nominated:
            for pairing in Pairing.objects.filter(mentor=mentor).select_related("mentee")[:2]:
                mentee = pairing.mentee
                nominations.nominate(
                    edition,
                    category=category,
                    person_pk=mentor.pk,
                    nominator_name=mentee.full_name,
                    nominator_email=mentee.email,
                    nominator_person=mentee,
                    relation=Relation.MENTEE,
                    story=next(stories).format(name=mentor.first_name),
                    source="link",
                    today=nominating_on,
                )
        nominees = list(Nominee.objects.filter(category=category))
        if not nominees:
            return
        paired_mentee = (
            Pairing.objects.filter(mentor=nominees[0].person).select_related("mentee").first()
        )
        jurors = [
            editions.add_juror(
                edition, actor=self.manager, kind=kind, name=name, email=email, language="fr-ca"
            )
            for name, email, kind, _leaning in JURORS
        ]
        leanings = [leaning for _name, _email, _kind, leaning in JURORS]
        if paired_mentee is not None:
            jurors.append(
                editions.add_juror(
                    edition, actor=self.manager, kind=Juror.Kind.OTHER, person=paired_mentee.mentee
                )
            )
            leanings.append(0)
        invited_at = self._moment(edition.nominations_close_on)
        for juror in jurors:
            editions.invite_juror(juror, actor=self.manager, now=invited_at)
        scoring_on = edition.nominations_close_on + datetime.timedelta(days=2)
        criteria = list(edition.criteria.all())
        rng = self.builder.rng
        merit = {nominee.pk: rng.randint(5, 8) for nominee in nominees}
        for number, (juror, leaning) in enumerate(zip(jurors, leanings, strict=True)):
            jury.confirm_conflicts(juror, today=scoring_on)
            set_aside = conflicted_nominee_ids(juror)
            scored = [nominee for nominee in nominees if nominee.pk not in set_aside]
            if not scored_by_all and number == len(jurors) - 1:
                scored = scored[:1]
            for nominee in scored:
                values = {
                    criterion.pk: max(0, min(10, merit[nominee.pk] + leaning + rng.randint(-1, 1)))
                    for criterion in criteria
                }
                jury.record_scores(juror, nominee, values, today=scoring_on)
