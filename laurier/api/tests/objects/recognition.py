import datetime

from laurier.recognition.models import Plan
from laurier.testing import factories


def make_plan(organisation):
    return Plan.objects.create(
        organisation=organisation,
        program=factories.ProgramFactory(organisation=organisation),
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2027, 3, 31),
        status=Plan.Status.DRAFT,
    )


MAKERS = {
    "recognition-option": lambda organisation: factories.RecognitionOptionFactory(
        organisation=organisation
    ),
    "budget": lambda organisation: factories.BudgetFactory(
        program=factories.ProgramFactory(organisation=organisation)
    ),
    "plan": make_plan,
    "award": lambda organisation: factories.AwardFactory(
        program=factories.ProgramFactory(organisation=organisation),
        status="planned",
    ),
}
