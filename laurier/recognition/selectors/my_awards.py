"""Reads of a mentor's own recognitions: the ones given to them, never the ones still planned.

An award is shown to its mentor only once given: until then it may be a surprise. Each read is
scoped to the person, and through them to their organisation, so a URL naming someone else's
award, or another organisation's, finds nothing.
"""

from django.db.models import Case, CharField, Q, Value, When
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from laurier.surveys.models import open_condition

from ..models import Award

LATEST_IN_MY_SPACE = 3


class Feedback:
    """Where the mentor's feedback on one recognition stands (`Award.feedback_state`)."""

    # Not asked yet: the organisation waits some days after giving it.
    COMING = "coming"
    # Asked, and the survey waits for their answers.
    TO_GIVE = "to_give"
    # Answered; they may still change their answers.
    GIVEN = "given"
    # Answered; the survey is closed, the answers can be read.
    GIVEN_CLOSED = "given_closed"
    # Asked, never answered, and the survey closed.
    MISSED = "missed"


def _feedback_state():
    open_now = open_condition(prefix="feedback_request__campaign__")
    answered = Q(feedback_request__responded_at__isnull=False)
    return Case(
        When(feedback_request__isnull=True, then=Value(Feedback.COMING)),
        When(answered & open_now, then=Value(Feedback.GIVEN)),
        When(answered, then=Value(Feedback.GIVEN_CLOSED)),
        When(open_now, then=Value(Feedback.TO_GIVE)),
        default=Value(Feedback.MISSED),
        output_field=CharField(),
    )


def given_awards_of_person(person):
    """The recognitions given to `person` in their organisation, newest first, across
    programs, with their program and option and where the mentor's feedback on each stands
    (`feedback_state`, a `Feedback` value)."""
    return (
        Award.objects.filter(
            mentor=person,
            organisation_id=person.organisation_id,
            status=Award.Status.GIVEN,
        )
        .select_related("program", "option")
        .annotate(feedback_state=_feedback_state())
        .order_by("-given_on", "-pk")
    )


def latest_given_awards(person, count=LATEST_IN_MY_SPACE):
    """The last `count` recognitions given to `person`, for their space (one query), each
    with `from_whom`."""
    return with_givers(given_awards_of_person(person)[:count])


def from_whom(award):
    """Who gave `award`, as its mentor reads it: the names the manager wrote, else who they
    were ("An executive and the mentee"); empty when neither is known."""
    if award.giver_names:
        return award.giver_names
    labels = [str(label) for label in award.giver_labels]
    # The labels are sentence-case on their own; inside a list only the first one stays so.
    labels[1:] = [label[:1].lower() + label[1:] for label in labels[1:]]
    return str(get_text_list(labels, _("and")))


def with_givers(awards):
    """`awards` as a list, each with `from_whom` set for the page."""
    awards = list(awards)
    for award in awards:
        award.from_whom = from_whom(award)
    return awards


def given_award_of_person(person, pk):
    """One recognition given to `person`, as in `given_awards_of_person`, with `from_whom` and
    its feedback request's campaign; None when it is not theirs, not given (yet, or ever), or
    of another organisation."""
    award = (
        given_awards_of_person(person)
        .select_related("feedback_request__campaign")
        .filter(pk=pk)
        .first()
    )
    if award is not None:
        award.from_whom = from_whom(award)
    return award
