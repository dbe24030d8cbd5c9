"""The base of every API view: the organisation comes from the token, and nowhere else.

A resource names its family (for the token's scopes) and writes `scoped_queryset(organisation)`;
it cannot reach another organisation's rows, which therefore answer 404.
"""

from django.utils import timezone
from rest_framework import mixins, viewsets

from .idempotency import idempotent


class OrganisationScopedMixin:
    scope_family = None
    # Ids are whole numbers; any other text falls through to the API's own "not found".
    lookup_value_regex = "[0-9]+"
    # Actions whose access differs from their method's: {"verify": "read"}.
    scope_access = {}

    @property
    def organisation(self):
        return self.request.auth.organisation

    def scoped_queryset(self, organisation):
        raise NotImplementedError(f"{type(self).__name__} must scope its rows to the organisation")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # Schema generation: there is no token, hence no organisation and no rows.
            return self.get_serializer_class().Meta.model.objects.none()
        return self.scoped_queryset(self.organisation)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and self.request.auth is not None:
            context["organisation"] = self.organisation
        return context

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Dates and times read and written in the organisation's time zone.
        timezone.activate(self.organisation.time_zone)

    def finalize_response(self, request, response, *args, **kwargs):
        timezone.deactivate()
        return super().finalize_response(request, response, *args, **kwargs)


class ReadOnlyViewSet(OrganisationScopedMixin, viewsets.ReadOnlyModelViewSet):
    """List and read one."""


class IdempotentCreateModelMixin(mixins.CreateModelMixin):
    create = idempotent(mixins.CreateModelMixin.create)


class ReadCreateViewSet(
    OrganisationScopedMixin, IdempotentCreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """List, read one and create (with `Idempotency-Key`)."""


class ReadCreateUpdateViewSet(
    OrganisationScopedMixin,
    IdempotentCreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """List, read one, create (with `Idempotency-Key`) and change."""
