"""Rows of the sessions family in an organisation, for the cross-organisation test."""

from laurier.testing import factories


def _mentor_with_a_session(organisation):
    # Training hours are read per person, and list only people with a pairing or training.
    return factories.MentoringSessionFactory(pairing__program__organisation=organisation).mentor


MAKERS = {
    "session": lambda organisation: factories.MentoringSessionFactory(
        pairing__program__organisation=organisation
    ),
    "training-hours": _mentor_with_a_session,
}
