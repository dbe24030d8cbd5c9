"""Mentoring sessions (read, log in bulk) and the training hours they make with the
professional-development events people attended (read)."""

import django_filters
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.utils import translate_validation
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from laurier.core.durations import minutes_to_hours
from laurier.hours import selectors
from laurier.hours.models import MentoringSession
from laurier.hours.services import BulkSessionsError, log_sessions_in_bulk
from laurier.programs.models import Pairing, Person, Program

from ..errors import ErrorSerializer
from ..fields import OrganisationRelatedField
from ..filters import LARGEST_ID, IdFilter, YearFilter
from ..idempotency import idempotent
from ..viewsets import ReadCreateViewSet, ReadOnlyViewSet

MAX_SESSIONS_PER_CALL = 1000


# Sessions


class SessionSerializer(serializers.ModelSerializer):
    hours = serializers.SerializerMethodField(
        help_text=_("The duration in hours, to the tenth, as the pages show it.")
    )

    class Meta:
        model = MentoringSession
        fields = [
            "id",
            "pairing",
            "program",
            "mentor",
            "mentee",
            "held_on",
            "duration_minutes",
            "hours",
            "format",
            "setting",
            "notes",
            "logged_by",
            "confirmed_at",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "program": {"help_text": _("The pairing's program.")},
            "mentor": {"help_text": _("The pairing's mentor (a person's id).")},
            "mentee": {"help_text": _("The pairing's mentee (a person's id).")},
            "logged_by": {
                "help_text": _(
                    "Who logged the session: the mentor, the mentee or a manager "
                    "(sessions logged through the API are logged as a manager's)."
                )
            },
            "confirmed_at": {
                "help_text": _(
                    "When the other side of the pairing confirmed a session the mentor or the "
                    "mentee logged; null otherwise."
                )
            },
        }

    def get_hours(self, session) -> str:
        return str(minutes_to_hours(session.duration_minutes))


class BatchPairingField(OrganisationRelatedField):
    """A pairing of the organisation, by id, looked up with every other item of the call in one
    query (see SessionBatchSerializer) rather than one query per item."""

    def to_internal_value(self, data):
        pairing = self.context["pairings"].get(_as_id(data))
        if pairing is None:
            whole_number = not isinstance(data, bool) and (
                isinstance(data, int) or (isinstance(data, str) and data.isdigit())
            )
            if not whole_number:
                self.fail("incorrect_type", data_type=type(data).__name__)
            # Another organisation's, none at all, or beyond any id a row can have.
            self.fail("does_not_exist", pk_value=data)
        return pairing


def _as_id(data):
    """A whole number sent as an id (a number or its digits) that a row may have, or None."""
    if isinstance(data, bool):
        return None
    if isinstance(data, str) and data.isdigit():
        data = int(data)
    if isinstance(data, int) and 1 <= data <= LARGEST_ID:
        return data
    return None


class SessionBatchSerializer(serializers.ListSerializer):
    """The items of one call, their pairings read together before each item is checked.

    Keeps the items that passed (`valid_items`, by index) even when others did not, so that
    the services can check them too and one answer names every refused item.
    """

    def to_internal_value(self, data):
        self.valid_items = {}
        if not isinstance(data, list):
            return super().to_internal_value(data)
        ids = {_as_id(item.get("pairing")) for item in data if isinstance(item, dict)}
        self.context["pairings"] = {
            pairing.pk: pairing
            for pairing in Pairing.objects.filter(
                program__organisation=self.context["organisation"], pk__in=ids - {None}
            )
            # The program's organisation decides what "today" is; the two people name the
            # session in the audit trail.
            .select_related("program__organisation", "mentor", "mentee")
        }
        errors = []
        for index, item in enumerate(data):
            try:
                self.valid_items[index] = self.child.run_validation(item)
            except exceptions.ValidationError as error:
                # An item that is not an object at all (null) has messages but no fields.
                detail = error.detail
                errors.append(detail if isinstance(detail, dict) else {"non_field_errors": detail})
            else:
                errors.append({})
        if any(errors):
            raise exceptions.ValidationError(errors)
        return list(self.valid_items.values())


def _pairings(organisation):
    return Pairing.objects.filter(program__organisation=organisation)


class SessionToLogSerializer(serializers.ModelSerializer):
    """One session to log: which pairing, when, how long, how and where."""

    pairing = BatchPairingField(
        scoped=_pairings, help_text=_("The id of a pairing of the organisation.")
    )

    class Meta:
        model = MentoringSession
        fields = ["pairing", "held_on", "duration_minutes", "format", "setting", "notes"]
        list_serializer_class = SessionBatchSerializer
        extra_kwargs = {
            "held_on": {
                "help_text": _("The day it took place: not in the future, within the pairing.")
            },
            "duration_minutes": {"help_text": _("Its length, from 5 to 720 minutes.")},
        }
        # A session repeated (same pairing, day and length) is the service's rule, checked
        # for all the items at once.
        validators = []


def log_sessions(items, user):
    """Log the items ({index: validated SessionToLogSerializer data}) as `user`, a manager,
    all or nothing: program by program through the hours service, in one transaction.

    Returns {index: session}; raises BulkSessionsError with the refused items' messages by
    their index, whichever program they belong to.
    """
    indexes_by_program = {}
    for index, item in items.items():
        indexes_by_program.setdefault(item["pairing"].program_id, []).append(index)
    logged, row_errors = {}, {}
    with transaction.atomic():
        for indexes in indexes_by_program.values():
            program = items[indexes[0]]["pairing"].program
            try:
                sessions = log_sessions_in_bulk(program, [items[i] for i in indexes], user)
            except BulkSessionsError as error:
                row_errors.update(
                    {indexes[row]: messages for row, messages in error.row_errors.items()}
                )
            else:
                logged.update(zip(indexes, sessions, strict=True))
        if row_errors:
            # Raised inside the transaction: what other programs logged goes too.
            raise BulkSessionsError(row_errors)
    return logged


class SessionFilter(django_filters.FilterSet):
    program = IdFilter(field_name="program_id")
    pairing = IdFilter(field_name="pairing_id")
    mentor = IdFilter(field_name="mentor_id")
    mentee = IdFilter(field_name="mentee_id")
    person = IdFilter(method="either_side", label=_("A person's id, as mentor or as mentee."))
    held_from = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", label=_("Held on or after this day.")
    )
    held_until = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label=_("Held on or before this day.")
    )
    confirmed = django_filters.BooleanFilter(
        field_name="confirmed_at",
        lookup_expr="isnull",
        exclude=True,
        label=_("Confirmed by the other side of the pairing (true) or not (false)."),
    )

    class Meta:
        model = MentoringSession
        fields = [
            "program",
            "pairing",
            "mentor",
            "mentee",
            "person",
            "held_from",
            "held_until",
            "format",
            "setting",
            "confirmed",
        ]

    def either_side(self, queryset, name, value):
        # Two conditions each served by its index (mentor + day, mentee + day).
        return queryset.filter(Q(mentor_id=value) | Q(mentee_id=value))


SESSIONS_TO_LOG = PolymorphicProxySerializer(
    component_name="SessionsToLog",
    serializers=[
        SessionToLogSerializer,
        SessionToLogSerializer(many=True, min_length=1, max_length=MAX_SESSIONS_PER_CALL),
    ],
    resource_type_field_name=None,
    many=False,
)
SESSIONS_LOGGED = PolymorphicProxySerializer(
    component_name="SessionsLogged",
    serializers=[SessionSerializer, SessionSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)


@extend_schema_view(
    list=extend_schema(
        description=_(
            "Newest first. Filter by program, pairing, mentor, mentee or either of them "
            "(`person`), dates (`held_from`, `held_until`), format, setting or confirmation."
        )
    ),
)
class SessionViewSet(ReadCreateViewSet):
    """Mentoring sessions: time a mentor and a mentee spent together, which counts as training
    for both."""

    scope_family = "sessions"
    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    # A list of sessions has no form encoding.
    parser_classes = [JSONParser]

    def scoped_queryset(self, organisation):
        return MentoringSession.objects.filter(program__organisation=organisation).order_by(
            "-held_on", "-pk"
        )

    @extend_schema(
        request=SESSIONS_TO_LOG,
        responses={status.HTTP_201_CREATED: SESSIONS_LOGGED},
        description=_(
            "Log one session (an object) or many (a list of up to 1,000), as a manager of their "
            "programs: all of them or none. Each is refused for a date in the future or outside "
            "its pairing, a length outside 5 to 720 minutes, or a session already logged (same "
            "pairing, day and length, in the list included). When any item is refused, nothing "
            "is logged and the error's `fields` name each refused item by its index: "
            "`0.held_on`, `3.non_field_errors`. The answer is the session, or the list of "
            "sessions in the order sent."
        ),
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        one = not isinstance(request.data, list)
        items = [request.data] if one else request.data
        _check_batch_size(items)
        batch = SessionToLogSerializer(data=items, many=True, context=self.get_serializer_context())
        errors = [{}] * len(items) if batch.is_valid() else list(batch.errors)
        with transaction.atomic():
            try:
                logged = log_sessions(batch.valid_items, request.user)
            except BulkSessionsError as error:
                for index, messages in error.row_errors.items():
                    errors[index] = {"non_field_errors": messages}
            if any(errors):
                # Raised inside the transaction, so that nothing stays logged.
                raise _item_errors(errors, one)
        data = SessionSerializer([logged[index] for index in range(len(items))], many=True).data
        return Response(data[0] if one else data, status=status.HTTP_201_CREATED)


def _check_batch_size(items):
    if not items:
        raise exceptions.ValidationError(
            {"non_field_errors": [gettext("Send at least one session.")]}
        )
    if len(items) > MAX_SESSIONS_PER_CALL:
        raise exceptions.ValidationError(
            {
                "non_field_errors": [
                    gettext(
                        "Send at most %(limit)s sessions in one call (%(count)s were sent): "
                        "split the list."
                    )
                    % {"limit": f"{MAX_SESSIONS_PER_CALL:,}", "count": f"{len(items):,}"}
                ]
            }
        )


def _item_errors(errors, one):
    """The items' errors as one error: by field for one object, by index and field for a list."""
    return exceptions.ValidationError(errors[0] if one else errors)


# Training hours


@extend_schema_field(
    {
        "type": "integer",
        "minimum": 2000,
        "maximum": 2100,
        "description": _("The calendar year counted; this year when left out."),
    }
)
def _counted_by_the_selector(queryset, name, value: int):
    # The year and the program decide what is counted, so they go to the selector that builds
    # the rows (TrainingHoursViewSet.scoped_queryset), not to a filter of its result.
    return queryset


class TrainingHoursFilter(django_filters.FilterSet):
    year = YearFilter(
        method=_counted_by_the_selector,
        label=_("The calendar year counted; this year when left out."),
    )
    program = IdFilter(
        method=_counted_by_the_selector,
        label=_("Count only this program's sessions and events (and its people)."),
    )
    person = IdFilter(field_name="id", label=_("One person's id."))

    class Meta:
        model = Person
        fields = ["year", "program", "person"]


class TrainingHoursSerializer(serializers.ModelSerializer):
    """One person's training time in one calendar year: the mentoring sessions they took part in
    on either side, and the professional-development events they attended, as on the
    training-hours page."""

    person = serializers.IntegerField(source="pk", read_only=True, help_text=_("The person's id."))
    year = serializers.SerializerMethodField()
    mentor_minutes = serializers.IntegerField(
        read_only=True, help_text=_("Minutes of sessions as mentor.")
    )
    mentor_sessions = serializers.IntegerField(read_only=True)
    mentee_minutes = serializers.IntegerField(
        read_only=True, help_text=_("Minutes of sessions as mentee.")
    )
    mentee_sessions = serializers.IntegerField(read_only=True)
    mentoring_minutes = serializers.IntegerField(
        read_only=True, help_text=_("Mentor and mentee minutes together.")
    )
    session_count = serializers.IntegerField(
        read_only=True, help_text=_("Sessions on either side.")
    )
    training_minutes = serializers.IntegerField(
        read_only=True, help_text=_("Minutes of professional-development events attended.")
    )
    training_events = serializers.IntegerField(
        read_only=True, help_text=_("Professional-development events attended.")
    )
    total_minutes = serializers.IntegerField(
        read_only=True, help_text=_("Mentoring and training minutes together.")
    )
    total_hours = serializers.SerializerMethodField(
        help_text=_("The total in hours, to the tenth, as the pages and exports show it.")
    )

    class Meta:
        model = Person
        fields = [
            "person",
            "first_name",
            "last_name",
            "email",
            "department",
            "year",
            "mentor_minutes",
            "mentor_sessions",
            "mentee_minutes",
            "mentee_sessions",
            "mentoring_minutes",
            "session_count",
            "training_minutes",
            "training_events",
            "total_minutes",
            "total_hours",
        ]
        read_only_fields = fields

    def get_year(self, person) -> int:
        return self.context["year"]

    def get_total_hours(self, person) -> str:
        return str(minutes_to_hours(person.total_minutes))


YEAR_PARAMETER = OpenApiParameter(
    "year",
    {"type": "integer", "minimum": 2000, "maximum": 2100},
    description=_("The calendar year counted; this year when left out."),
)


@extend_schema_view(
    list=extend_schema(
        description=_(
            "Everyone with a pairing or a professional-development event attended, with their "
            "training time in the year, by name."
        ),
    ),
    retrieve=extend_schema(
        parameters=[YEAR_PARAMETER],
        responses={
            200: TrainingHoursSerializer,
            400: OpenApiResponse(ErrorSerializer, description=_("The year is not valid.")),
        },
        description=_("One person's training time in the year, by the person's id."),
    ),
)
class TrainingHoursViewSet(ReadOnlyViewSet):
    """Training hours per person and calendar year: mentoring sessions count as training for
    the mentor and the mentee, and so do professional-development events attended. The same
    figures as the training-hours page and its exports; certificates count only the sessions
    that were confirmed or logged by a manager."""

    scope_family = "sessions"
    serializer_class = TrainingHoursSerializer
    filterset_class = TrainingHoursFilter
    lookup_value_converter = "int"

    def scoped_queryset(self, organisation):
        year, programs = self._counted(organisation)
        return selectors.training_hours(organisation, year, programs).order_by(
            "last_name", "first_name", "pk"
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["year"] = self._counted(self.organisation)[0]
        return context

    def _counted(self, organisation):
        """The year and the programs to count, from the query (checked as the filters are)."""
        filterset = TrainingHoursFilter(self.request.query_params, queryset=Person.objects.none())
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        year = filterset.form.cleaned_data.get("year") or timezone.localdate().year
        program = filterset.form.cleaned_data.get("program")
        if program is None:
            return year, None
        return year, Program.objects.filter(organisation=organisation, pk=program)


ROUTES = [
    ("sessions", SessionViewSet, "session"),
    ("training-hours", TrainingHoursViewSet, "training-hours"),
]
