"""The recognition-feedback survey's questions as insights read them (see `surveys.standard`)."""

SATISFACTION = "satisfaction"
RELEVANCE = "relevance"
EXPECTATIONS = "expectations"
# The answers to EXPECTATIONS, in the order pages show them.
EXPECTATION_CHOICES = ("yes", "partly", "no")
