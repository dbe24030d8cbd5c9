from laurier.testing import factories

MAKERS = {
    "program": lambda organisation: factories.ProgramFactory(organisation=organisation),
    "cycle": lambda organisation: factories.CycleFactory(
        program=factories.ProgramFactory(organisation=organisation)
    ),
}
