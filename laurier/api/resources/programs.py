"""Programs and their cycles (read)."""

import django_filters
from rest_framework import serializers

from laurier.programs.models import Cycle, Program

from ..filters import IdFilter
from ..viewsets import ReadOnlyViewSet


class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = [
            "id",
            "name",
            "slug",
            "status",
            "objectives",
            "expectations",
            "expected_hours_per_month",
            "commitment_months",
            "created_at",
        ]


class ProgramFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Program.Status.choices)

    class Meta:
        model = Program
        fields = ["status"]


class ProgramViewSet(ReadOnlyViewSet):
    """The organisation's mentoring programs."""

    scope_family = "programs"
    serializer_class = ProgramSerializer
    filterset_class = ProgramFilter

    def scoped_queryset(self, organisation):
        return Program.objects.filter(organisation=organisation).order_by("name", "pk")


class CycleSerializer(serializers.ModelSerializer):
    program = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Cycle
        fields = ["id", "program", "name", "starts_on", "ends_on"]


class CycleFilter(django_filters.FilterSet):
    program = IdFilter(field_name="program_id")

    class Meta:
        model = Cycle
        fields = ["program"]


class CycleViewSet(ReadOnlyViewSet):
    """Cycles (cohorts) of the programs, newest first."""

    scope_family = "programs"
    serializer_class = CycleSerializer
    filterset_class = CycleFilter

    def scoped_queryset(self, organisation):
        return Cycle.objects.filter(program__organisation=organisation).order_by("-starts_on", "pk")


ROUTES = [("programs", ProgramViewSet, "program"), ("cycles", CycleViewSet, "cycle")]
