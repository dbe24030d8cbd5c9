from rest_framework import serializers


class OrganisationRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id to another row of the caller's organisation.

    `scoped(organisation)` gives the rows that may be named; any other id, another
    organisation's included, reads "does not exist", exactly like an id that was never used.
    """

    def __init__(self, *, scoped, **kwargs):
        self.scoped = scoped
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.scoped(self.context["organisation"])
