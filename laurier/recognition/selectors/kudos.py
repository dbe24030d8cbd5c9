"""Reads of kudos: whom a person may thank, and what a mentor received."""

from django.db.models import Count, Q

from laurier.core.ordering import natural
from laurier.core.search import matches_every_word
from laurier.programs.models import EnrolmentStatus, MentorEnrolment, Pairing, Person

from ..models import Behaviour, Kudos

# Fellow mentors shown at once in the search: enough to find one by name.
PEERS_SHOWN = 20


def mentors_of_mentee(person):
    """[(program, mentor)] of `person`'s pairings as mentee, ended ones too, by mentor name;
    a mentor met twice in a program is listed once."""
    pairings = (
        Pairing.objects.filter(mentee=person)
        .select_related("program", "mentor")
        .order_by(
            natural("mentor__last_name"), natural("mentor__first_name"), "program__name", "pk"
        )
    )
    return list(dict.fromkeys((pairing.program, pairing.mentor) for pairing in pairings))


def fellow_mentors(person, search=""):
    """[(program, mentor)] of the active mentors of the programs `person` mentors in, other
    than themselves, matching `search` (a name), at most PEERS_SHOWN; [] without a search."""
    search = search.strip()
    if not search:
        return []
    programs = MentorEnrolment.objects.filter(person=person, status=EnrolmentStatus.ACTIVE).values(
        "program_id"
    )
    enrolments = (
        MentorEnrolment.objects.filter(program_id__in=programs, status=EnrolmentStatus.ACTIVE)
        .exclude(person=person)
        .filter(matches_every_word(search, ["person__first_name", "person__last_name"]))
        .select_related("program", "person")
        .order_by(natural("person__last_name"), natural("person__first_name"), "program__name")[
            :PEERS_SHOWN
        ]
    )
    return [(enrolment.program, enrolment.person) for enrolment in enrolments]


def is_mentor(person):
    return MentorEnrolment.objects.filter(person=person, status=EnrolmentStatus.ACTIVE).exists()


def kudos_counts(mentor, program=None):
    """[(Behaviour, count)] of the kudos `mentor` received (in `program` if given), every
    behaviour listed, in one query."""
    kudos = Kudos.objects.filter(mentor=mentor)
    if program is not None:
        kudos = kudos.filter(program=program)
    counts = kudos.aggregate(
        **{value: Count("pk", filter=Q(behaviour=value)) for value in Behaviour.values}
    )
    return [(Behaviour(value), counts[value]) for value in Behaviour.values]


def kudos_received(mentor):
    """The kudos `mentor` received, newest first, with who gave them and where."""
    return Kudos.objects.filter(mentor=mentor).select_related("giver", "program")


def find_mentor(organisation, pk):
    return Person.objects.filter(organisation=organisation, pk=pk).first()
