from laurier.testing import factories

MAKERS = {
    "survey-campaign": lambda organisation: factories.CampaignFactory(
        program=factories.ProgramFactory(organisation=organisation)
    ),
}
