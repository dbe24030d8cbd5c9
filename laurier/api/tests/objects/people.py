"""Rows of the people family in an organisation, for the cross-organisation test."""

from laurier.testing import factories

MAKERS = {
    "person": lambda organisation: factories.PersonFactory(organisation=organisation),
    "mentor": lambda organisation: factories.MentorEnrolmentFactory(
        program__organisation=organisation
    ),
    "mentee": lambda organisation: factories.MenteeEnrolmentFactory(
        program__organisation=organisation
    ),
    "pairing": lambda organisation: factories.PairingFactory(program__organisation=organisation),
}
