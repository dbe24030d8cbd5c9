from django.utils import timezone

from laurier.contests.models import Winner
from laurier.testing import factories


def _winner(organisation):
    nominee = factories.NomineeFactory(
        category__edition__program=factories.ProgramFactory(organisation=organisation)
    )
    edition = nominee.category.edition
    edition.announced_at = timezone.now()
    edition.save(update_fields=["announced_at"])
    return Winner.objects.create(
        category=nominee.category,
        nominee=nominee,
        person=nominee.person,
        rank=1,
        announced_at=edition.announced_at,
    )


MAKERS = {
    "contest-edition": lambda organisation: factories.EditionFactory(
        program=factories.ProgramFactory(organisation=organisation)
    ),
    "contest-winner": _winner,
}
