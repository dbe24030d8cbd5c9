from laurier.credentials.services.awarding import award_badge
from laurier.testing import factories


def _credential(organisation):
    badge = factories.BadgeClassFactory(organisation=organisation)
    person = factories.PersonFactory(organisation=organisation)
    return award_badge(badge, person, actor=None)[0]


MAKERS = {
    "badge-class": lambda organisation: factories.BadgeClassFactory(organisation=organisation),
    "credential": _credential,
}
