from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.INT)
class OrganisationRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id to another row of the caller's organisation.

    `scoped(organisation)` gives the rows that may be named; any other id, another
    organisation's included, reads "does not exist", exactly like an id that was never used.
    Documented as an integer: a serializer without a model leaves drf-spectacular no way to tell.
    """

    def __init__(self, *, scoped, **kwargs):
        self.scoped = scoped
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.scoped(self.context["organisation"])

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except OverflowError:
            # Larger than any database integer: no row has it.
            self.fail("does_not_exist", pk_value=data)
