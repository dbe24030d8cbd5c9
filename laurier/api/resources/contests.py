"""The mentor-of-the-year contest (read): editions with their categories and phase, and the
winners once announced.

Only what the announcement makes known leaves through the API: the nominations' stories, who
nominated whom, the jury, its scores and the ranking stay on the managers' pages.
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from laurier.contests.models import Category, Edition, Phase, Winner
from laurier.core.dates import organisation_today

from ..filters import IdFilter, YearFilter
from ..viewsets import ReadOnlyViewSet


class EditionWinnerSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=gettext_lazy("The winner: a person of `/people/`.")
    )
    program = serializers.PrimaryKeyRelatedField(
        source="nominee.program",
        read_only=True,
        help_text=gettext_lazy("The program the winner mentors in, where their award is given."),
    )
    award = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("The recognition planned for the winner, if any."),
    )

    class Meta:
        model = Winner
        fields = ["id", "person", "program", "rank", "award", "announced_at"]


class CategorySerializer(serializers.ModelSerializer):
    winner_count = serializers.IntegerField(
        source="winners", help_text=gettext_lazy("How many winners the category names.")
    )
    badge_class = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("The badge its winners receive, in `/badge-classes/`."),
    )
    winners = EditionWinnerSerializer(
        source="winners_chosen",
        many=True,
        help_text=gettext_lazy("Empty until the edition is announced."),
    )

    class Meta:
        model = Category
        fields = [
            "id",
            "name_fr",
            "name_en",
            "description_fr",
            "description_en",
            "position",
            "winner_count",
            "badge_class",
            "winners",
        ]


class EditionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        read_only=True, help_text=gettext_lazy("In the language the call asked for.")
    )
    program = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("Null for an edition of the whole organisation."),
    )
    phase = serializers.SerializerMethodField()
    categories = CategorySerializer(many=True)

    class Meta:
        model = Edition
        fields = [
            "id",
            "year",
            "name",
            "name_fr",
            "name_en",
            "program",
            "phase",
            "nominations_open_on",
            "nominations_close_on",
            "scoring_close_on",
            "announce_on",
            "announced_at",
            "categories",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=Phase.choices))
    def get_phase(self, edition):
        """Where the edition stands today, in the organisation's time zone."""
        return edition.phase(self.context["today"])


class EditionFilter(django_filters.FilterSet):
    year = YearFilter()
    program = IdFilter(field_name="program_id")
    announced = django_filters.BooleanFilter(
        field_name="announced_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Edition
        fields = ["year", "program", "announced"]


def announced_winners():
    """Winners of announced editions: the announcement alone makes them known."""
    return Winner.objects.filter(category__edition__announced_at__isnull=False)


class ContestEditionViewSet(ReadOnlyViewSet):
    """The organisation's contest editions, newest year first, each with its categories and,
    once announced, their winners."""

    scope_family = "contests"
    serializer_class = EditionSerializer
    filterset_class = EditionFilter

    def scoped_queryset(self, organisation):
        winners = announced_winners().select_related("nominee").order_by("rank", "pk")
        categories = Category.objects.order_by("position", "pk").prefetch_related(
            Prefetch("winners_chosen", queryset=winners)
        )
        return (
            Edition.objects.filter(organisation=organisation)
            .prefetch_related(Prefetch("categories", queryset=categories))
            .order_by("-year", "-pk")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "organisation" in context:
            # One day for the whole answer: every edition's phase is read on the same date.
            context["today"] = organisation_today(context["organisation"])
        return context


class WinnerSerializer(EditionWinnerSerializer):
    edition = serializers.PrimaryKeyRelatedField(source="category.edition", read_only=True)
    year = serializers.IntegerField(source="category.edition.year")
    category = serializers.PrimaryKeyRelatedField(read_only=True)
    category_name_fr = serializers.CharField(source="category.name_fr")
    category_name_en = serializers.CharField(source="category.name_en")

    class Meta(EditionWinnerSerializer.Meta):
        fields = [
            "id",
            "edition",
            "year",
            "category",
            "category_name_fr",
            "category_name_en",
            "person",
            "program",
            "rank",
            "award",
            "announced_at",
        ]


class WinnerFilter(django_filters.FilterSet):
    edition = IdFilter(field_name="category__edition_id")
    year = YearFilter(field_name="category__edition__year")
    person = IdFilter(field_name="person_id")
    program = IdFilter(field_name="nominee__program_id")

    class Meta:
        model = Winner
        fields = ["edition", "year", "person", "program"]


class ContestWinnerViewSet(ReadOnlyViewSet):
    """Every winner of the organisation's announced editions, newest edition first, then by
    category and rank: for an HR system that records distinctions."""

    scope_family = "contests"
    serializer_class = WinnerSerializer
    filterset_class = WinnerFilter

    def scoped_queryset(self, organisation):
        return (
            announced_winners()
            .filter(category__edition__organisation=organisation)
            .select_related("category__edition", "nominee")
            .order_by(
                "-category__edition__year",
                "-category__edition_id",
                "category__position",
                "category_id",
                "rank",
                "pk",
            )
        )


ROUTES = [
    ("contest-editions", ContestEditionViewSet, "contest-edition"),
    ("contest-winners", ContestWinnerViewSet, "contest-winner"),
]
