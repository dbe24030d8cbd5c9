"""People of the organisation (read, add, change); enrolments and pairings."""

import django_filters
from rest_framework import serializers

from laurier.programs import services
from laurier.programs.models import Person

from ..viewsets import ReadCreateUpdateViewSet


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "language",
            "department",
            "job_title",
            "hire_date",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        # Uniqueness per organisation, whatever the case, is the service's rule.
        validators = []

    def create(self, validated_data):
        return services.create_person(
            organisation=self.context["organisation"],
            actor=self.context["request"].user,
            **validated_data,
        )

    def update(self, instance, validated_data):
        return services.update_person(
            instance, actor=self.context["request"].user, **validated_data
        )


class PersonFilter(django_filters.FilterSet):
    email = django_filters.CharFilter(field_name="email", lookup_expr="iexact")
    department = django_filters.CharFilter(field_name="department", lookup_expr="iexact")

    class Meta:
        model = Person
        fields = ["email", "department"]


class PersonViewSet(ReadCreateUpdateViewSet):
    """Everyone in the organisation, whether or not they have an account."""

    scope_family = "people"
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self, organisation):
        return Person.objects.filter(organisation=organisation).order_by(
            "last_name", "first_name", "pk"
        )


ROUTES = [("people", PersonViewSet, "person")]
