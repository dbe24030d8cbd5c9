"""People files: an HR system sends the organisation's staff list, imported as on the page."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser

from laurier.imports import selectors, services
from laurier.imports.forms import check_uploaded_file
from laurier.imports.leavers import file_date_problem
from laurier.imports.models import ImportJob, ImportKind, ImportSource
from laurier.imports.problems import describe

from ..scopes import READ, allows
from ..viewsets import ReadCreateViewSet


class PeopleFileCountsSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text=_("People added (or to add, until imported)."))
    updated = serializers.IntegerField(help_text=_("People whose details changed."))
    unchanged = serializers.IntegerField()
    leaving = serializers.IntegerField(
        help_text=_("People absent from a full list, marked as having left the organisation.")
    )
    returning = serializers.IntegerField(
        help_text=_("People marked as having left whom a full list names again.")
    )


class ProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text=_("The row of the file, or null for the file as a whole.")
    )
    message = serializers.CharField()


class LeaverSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The person's id (see /people/)."))
    name = serializers.CharField(
        required=False, help_text=_("Only for a token that may also read people.")
    )
    email = serializers.EmailField(
        required=False, help_text=_("Only for a token that may also read people.")
    )


class PeopleFileSerializer(serializers.ModelSerializer):
    """A people file's import: where it stands and what it did or would do."""

    file_name = serializers.CharField(source="original_name")
    processed_rows = serializers.SerializerMethodField(
        help_text=_("Rows checked or written so far, while the file is in progress.")
    )
    counts = serializers.SerializerMethodField(
        help_text=_(
            "What the import did (status “done”) or would do (“ready”, “held”); "
            "zero while the file is being checked or when it has problems."
        )
    )

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "file_name",
            "source",
            "full_list",
            "file_date",
            "status",
            "total_rows",
            "processed_rows",
            "counts",
            "created_at",
            "finished_at",
        ]

    def get_processed_rows(self, job) -> int:
        return selectors.progress_of(job)[0]

    @extend_schema_field(PeopleFileCountsSerializer)
    def get_counts(self, job):
        summary = job.summary or {}
        return {
            name: summary.get(name, 0)
            for name in ("created", "updated", "unchanged", "leaving", "returning")
        }


class PeopleFileDetailSerializer(PeopleFileSerializer):
    problems = serializers.SerializerMethodField(
        help_text=_("Every problem found, with its row: while there is one, nothing is written.")
    )
    leavers = serializers.SerializerMethodField(
        help_text=_(
            "For a full list: who it marks (or, when held, would mark) as having left; their "
            "names and e-mails only for a token that may also read people."
        )
    )

    class Meta(PeopleFileSerializer.Meta):
        fields = [*PeopleFileSerializer.Meta.fields, "problems", "leavers"]

    @extend_schema_field(ProblemSerializer(many=True))
    def get_problems(self, job):
        return selectors.problems_of(job)

    @extend_schema_field(LeaverSerializer(many=True))
    def get_leavers(self, job):
        leavers = (job.summary or {}).get("leavers", [])
        # People's names and addresses are governed by people:read, not imports:read.
        token = getattr(self.context.get("request"), "auth", None)
        if token is not None and allows(token.scopes, "people", READ):
            return leavers
        return [{"id": leaver["id"]} for leaver in leavers]


class PeopleFileUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        write_only=True,
        help_text=_(
            "CSV (comma, semicolon or tab) or Excel workbook (.xlsx, first sheet), with the "
            "columns of the people import; at most 50 MB."
        ),
    )
    full = serializers.BooleanField(
        default=False,
        write_only=True,
        help_text=_(
            "true: the file is the whole staff list, and people absent from it are marked as "
            "having left the organisation (never deleted). A list that would mark more than a "
            "set share of the people as left waits for an admin's confirmation (status “held”)."
        ),
    )
    file_date = serializers.DateField(
        required=False,
        write_only=True,
        help_text=_("The day of the staff list, when people absent from it left (default: today)."),
    )

    class Meta:
        # The schema generator reads the model of a view's serializer.
        model = ImportJob

    def validate_file(self, uploaded):
        return check_uploaded_file(uploaded)

    def validate_file_date(self, day):
        problem = file_date_problem(self.context["organisation"], day)
        if problem is not None:
            raise serializers.ValidationError(describe(problem.as_json()))
        return day

    def create(self, validated_data):
        return services.create_import(
            organisation=self.context["organisation"],
            user=self.context["request"].user,
            kind=ImportKind.PEOPLE,
            program=None,
            uploaded_file=validated_data["file"],
            source=ImportSource.API,
            full_list=validated_data["full"],
            file_date=validated_data.get("file_date"),
        )

    def to_representation(self, job):
        return PeopleFileDetailSerializer(job, context=self.context).data


class PeopleFileFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ImportJob.Status.choices)
    source = django_filters.ChoiceFilter(choices=ImportSource.choices)

    class Meta:
        model = ImportJob
        fields = ["status", "source"]


@extend_schema_view(
    create=extend_schema(
        summary="Send a people file",
        description=(
            "Upload a people file (multipart/form-data): it is checked row by row with the "
            "rules of the import page and written all at once, or not at all when a row is "
            "wrong (status “invalid”, every problem listed). A small file is done when the "
            "call answers; a large one is checked and written in the background: read its "
            "status and progress with GET. Send an `Idempotency-Key` so that a retried upload "
            "imports once."
        ),
        request={"multipart/form-data": PeopleFileUploadSerializer},
        responses={201: PeopleFileDetailSerializer},
    ),
)
class PeopleFileViewSet(ReadCreateViewSet):
    """People files sent by the API, the HR sync folder or the import page, newest first."""

    scope_family = "imports"
    filterset_class = PeopleFileFilter
    parser_classes = [MultiPartParser]

    def get_serializer_class(self):
        if self.action == "create":
            return PeopleFileUploadSerializer
        if self.action == "retrieve":
            return PeopleFileDetailSerializer
        return PeopleFileSerializer

    def scoped_queryset(self, organisation):
        return ImportJob.objects.filter(organisation=organisation, kind=ImportKind.PEOPLE).order_by(
            "-created_at", "-pk"
        )


ROUTES = [("people-files", PeopleFileViewSet, "people-file")]
