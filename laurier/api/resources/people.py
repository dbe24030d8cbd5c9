"""People of the organisation (read, add, change); their enrolments as mentors and mentees, and
their pairings.

Mentors and mentees are two resources, `/mentors/` and `/mentees/`, rather than one
`/enrolments/` with a role: each is its own record with its own id (a person can be both, in the
same program), and mentoring platforms and HR systems name the two roles apart, so an
integrator reads "the mentors of program 4" as one call with no role to filter or mix up.
"""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from laurier.core.dates import organisation_today
from laurier.core.search import matches_every_word
from laurier.privacy.erased_emails import erased_on
from laurier.programs import services
from laurier.programs.models import (
    Cycle,
    EnrolmentStatus,
    MenteeEnrolment,
    MentorEnrolment,
    Pairing,
    Person,
    Program,
)

from ..errors import with_api_field_names
from ..fields import OrganisationRelatedField
from ..filters import IdFilter
from ..viewsets import ReadCreateUpdateViewSet

# Changes go through PATCH only: a PUT would have to repeat what can no longer change.
CHANGING_METHODS = ["get", "post", "patch", "head", "options"]


def _programs(organisation):
    return Program.objects.filter(organisation=organisation)


def _people(organisation):
    return Person.objects.filter(organisation=organisation)


def _cycles(organisation):
    return Cycle.objects.filter(program__organisation=organisation)


def _actor(serializer):
    return serializer.context["request"].user


def _today(serializer):
    return organisation_today(serializer.context["organisation"])


# People


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
            "left_on",
            "created_at",
        ]
        read_only_fields = ["left_on", "created_at"]
        extra_kwargs = {
            "left_on": {
                "help_text": _(
                    "The day a full staff list from the HR system stopped naming the person: "
                    "they are kept, never deleted. Null while they are with the organisation."
                )
            }
        }
        # Uniqueness per organisation, whatever the case, is the service's rule.
        validators = []

    def validate_email(self, email):
        # An HR system's next call must not bring back someone erased (privacy), as an import
        # would not: the person may come back, asked first and added by hand in the pages.
        if self.instance is None or self.instance.email.lower() != email.lower():
            erased = erased_on(self.context["organisation"], [email])
            if erased:
                raise serializers.ValidationError(
                    _(
                        "The person with this e-mail address was erased on %(date)s: an "
                        "integration may not add them back. If they agree to come back, add "
                        "them in Laurier's pages."
                    )
                    % {"date": erased[email].isoformat()}
                )
        return email

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
    search = django_filters.CharFilter(
        method="search_names",
        label=_("Every word in the first name, last name or e-mail, whatever the case or accents."),
    )
    left = django_filters.BooleanFilter(
        field_name="left_on",
        lookup_expr="isnull",
        exclude=True,
        label=_("Only people who left the organisation (true) or only those still in it (false)."),
    )

    class Meta:
        model = Person
        fields = ["email", "department", "search", "left"]

    def search_names(self, queryset, name, value: str):
        return queryset.filter(matches_every_word(value, ("first_name", "last_name", "email")))


class PersonViewSet(ReadCreateUpdateViewSet):
    """Everyone in the organisation, whether or not they have an account."""

    scope_family = "people"
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    http_method_names = CHANGING_METHODS

    def scoped_queryset(self, organisation):
        return Person.objects.filter(organisation=organisation).order_by(
            "last_name", "first_name", "pk"
        )


# Enrolments: mentors and mentees


ENROLMENT_FIELDS = [
    "id",
    "program",
    "person",
    "since",
    "status",
    "status_reason",
    "status_changed_on",
]
STATUS_FIELDS = ["status", "status_reason", "status_changed_on"]
# The service names the date of a status change `changed_on`; the API, like the record,
# `status_changed_on`.
STATUS_ERROR_NAMES = {"changed_on": "status_changed_on"}


class EnrolmentSerializer(serializers.ModelSerializer):
    """Enrol a person of the organisation in one of its programs."""

    program = OrganisationRelatedField(scoped=_programs, help_text=_("The program's id."))
    person = OrganisationRelatedField(
        scoped=_people, help_text=_("The id of a person of the organisation (see /people/).")
    )
    since = serializers.DateField(
        required=False,
        help_text=_("The day the person joined the program; today when left out."),
    )

    # The service that enrols, set by each role.
    enrol = None

    class Meta:
        fields = ENROLMENT_FIELDS
        read_only_fields = STATUS_FIELDS
        extra_kwargs = {
            "status_reason": {"help_text": _("Why the status last changed.")},
        }
        # One enrolment per person and program is the service's rule, with its own message.
        validators = []

    def create(self, validated_data):
        return type(self).enrol(
            program=validated_data["program"],
            person=validated_data["person"],
            since=validated_data.get("since") or _today(self),
            actor=_actor(self),
        )


class EnrolmentStatusSerializer(serializers.ModelSerializer):
    """Change an enrolment's status: active, paused or left (leaving ends the person's running
    pairings in the program on the same day)."""

    program = serializers.PrimaryKeyRelatedField(read_only=True)
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    status = serializers.ChoiceField(choices=EnrolmentStatus.choices, required=False)
    status_reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text=_("Why the status changes; empty when left out with a new status."),
    )
    status_changed_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("The day of the change; today when left out with a new status."),
    )

    class Meta:
        fields = ENROLMENT_FIELDS
        read_only_fields = ["since"]

    def update(self, instance, validated_data):
        status = validated_data.get("status", instance.status)
        # A new status starts afresh; resending the same one keeps what was said about it.
        unchanged = status == instance.status
        reason = validated_data.get("status_reason", instance.status_reason if unchanged else "")
        changed_on = validated_data.get(
            "status_changed_on", instance.status_changed_on if unchanged else _today(self)
        )
        try:
            return services.change_enrolment_status(
                instance, status=status, reason=reason, changed_on=changed_on, actor=_actor(self)
            )
        except ValidationError as error:
            raise with_api_field_names(error, STATUS_ERROR_NAMES) from error


class MentorSerializer(EnrolmentSerializer):
    enrol = staticmethod(services.enrol_mentor)

    class Meta(EnrolmentSerializer.Meta):
        model = MentorEnrolment


class MenteeSerializer(EnrolmentSerializer):
    enrol = staticmethod(services.enrol_mentee)

    class Meta(EnrolmentSerializer.Meta):
        model = MenteeEnrolment


class MentorStatusSerializer(EnrolmentStatusSerializer):
    class Meta(EnrolmentStatusSerializer.Meta):
        model = MentorEnrolment


class MenteeStatusSerializer(EnrolmentStatusSerializer):
    class Meta(EnrolmentStatusSerializer.Meta):
        model = MenteeEnrolment


class EnrolmentFilter(django_filters.FilterSet):
    program = IdFilter(field_name="program_id")
    person = IdFilter(field_name="person_id")
    status = django_filters.ChoiceFilter(choices=EnrolmentStatus.choices)


class MentorFilter(EnrolmentFilter):
    class Meta:
        model = MentorEnrolment
        fields = ["program", "person", "status"]


class MenteeFilter(EnrolmentFilter):
    class Meta:
        model = MenteeEnrolment
        fields = ["program", "person", "status"]


class EnrolmentViewSet(ReadCreateUpdateViewSet):
    scope_family = "people"
    http_method_names = CHANGING_METHODS
    model = None
    status_serializer_class = None

    def get_serializer_class(self):
        if self.action == "partial_update":
            return self.status_serializer_class
        return self.serializer_class

    def scoped_queryset(self, organisation):
        return self.model.objects.filter(program__organisation=organisation).order_by(
            "program_id", "person__last_name", "person__first_name", "pk"
        )


_ENROLMENT_DOCS = {
    "list": extend_schema(description=_("Filter by program, person or status.")),
    "create": extend_schema(
        description=_(
            "Enrol a person of the organisation in a program, from `since` (today when left "
            "out). A person already enrolled in the same role is refused."
        )
    ),
    "partial_update": extend_schema(
        description=_(
            "Change the status (active, paused, left) with a reason and a date. Leaving ends "
            "the person's running pairings in the program on that date. The program, the "
            "person and `since` do not change."
        )
    ),
}


@extend_schema_view(**_ENROLMENT_DOCS)
class MentorViewSet(EnrolmentViewSet):
    """Mentors: people of the organisation enrolled as mentors in its programs, one record per
    person and program, with their status (active, paused, left)."""

    model = MentorEnrolment
    serializer_class = MentorSerializer
    status_serializer_class = MentorStatusSerializer
    filterset_class = MentorFilter


@extend_schema_view(**_ENROLMENT_DOCS)
class MenteeViewSet(EnrolmentViewSet):
    """Mentees: people of the organisation enrolled as mentees in its programs, one record per
    person and program, with their status (active, paused, left)."""

    model = MenteeEnrolment
    serializer_class = MenteeSerializer
    status_serializer_class = MenteeStatusSerializer
    filterset_class = MenteeFilter


# Pairings


PAIRING_FIELDS = ["id", "program", "cycle", "mentor", "mentee", "starts_on", "ends_on", "status"]


class PairingSerializer(serializers.ModelSerializer):
    """Pair an active mentor with an active mentee of a program."""

    program = OrganisationRelatedField(scoped=_programs, help_text=_("The program's id."))
    cycle = OrganisationRelatedField(
        scoped=_cycles,
        required=False,
        allow_null=True,
        help_text=_("The id of a cycle of the same program, or null."),
    )
    mentor = OrganisationRelatedField(
        scoped=_people, help_text=_("The person's id; an active mentor of the program.")
    )
    mentee = OrganisationRelatedField(
        scoped=_people, help_text=_("The person's id; an active mentee of the program.")
    )
    starts_on = serializers.DateField(
        required=False, help_text=_("The day the pairing starts; today when left out.")
    )

    class Meta:
        model = Pairing
        fields = PAIRING_FIELDS
        read_only_fields = ["ends_on", "status"]
        # Who may be paired, and only once at a time, are the service's rules.
        validators = []

    def create(self, validated_data):
        return services.create_pairing(
            program=validated_data["program"],
            mentor=validated_data["mentor"],
            mentee=validated_data["mentee"],
            cycle=validated_data.get("cycle"),
            starts_on=validated_data.get("starts_on") or _today(self),
            actor=_actor(self),
        )


class PairingEndSerializer(serializers.ModelSerializer):
    """End a pairing, or change its status; a finished pairing needs the day it ended."""

    program = serializers.PrimaryKeyRelatedField(read_only=True)
    cycle = serializers.PrimaryKeyRelatedField(read_only=True)
    mentor = serializers.PrimaryKeyRelatedField(read_only=True)
    mentee = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Pairing
        fields = PAIRING_FIELDS
        read_only_fields = ["starts_on"]
        extra_kwargs = {
            "ends_on": {"help_text": _("The day the pairing ended; needed unless it is active.")}
        }

    def update(self, instance, validated_data):
        return services.update_pairing(
            instance,
            ends_on=validated_data.get("ends_on", instance.ends_on),
            status=validated_data.get("status", instance.status),
            actor=_actor(self),
        )


class PairingFilter(django_filters.FilterSet):
    program = IdFilter(field_name="program_id")
    cycle = IdFilter(field_name="cycle_id")
    mentor = IdFilter(field_name="mentor_id")
    mentee = IdFilter(field_name="mentee_id")
    person = IdFilter(method="either_side", label=_("A person's id, as mentor or as mentee."))
    status = django_filters.ChoiceFilter(choices=Pairing.Status.choices)

    class Meta:
        model = Pairing
        fields = ["program", "cycle", "mentor", "mentee", "person", "status"]

    def either_side(self, queryset, name, value):
        return queryset.filter(Q(mentor_id=value) | Q(mentee_id=value))


@extend_schema_view(
    list=extend_schema(
        description=_("Filter by program, cycle, mentor, mentee, either of them, or status.")
    ),
    create=extend_schema(
        description=_(
            "Pair an active mentor with an active mentee of the program, from `starts_on` "
            "(today when left out). Refused for someone paired with themselves, people not "
            "actively enrolled in that role, a cycle of another program, or two people "
            "already paired in the program."
        )
    ),
    partial_update=extend_schema(
        description=_(
            "End a pairing (`completed` or `ended_early`, with `ends_on`) or change its end "
            "date or status. Reactivating it is refused while the same two people have "
            "another running pairing in the program."
        )
    ),
)
class PairingViewSet(ReadCreateUpdateViewSet):
    """Pairings of a mentor with a mentee in a program, newest first."""

    scope_family = "people"
    serializer_class = PairingSerializer
    filterset_class = PairingFilter
    http_method_names = CHANGING_METHODS

    def get_serializer_class(self):
        if self.action == "partial_update":
            return PairingEndSerializer
        return PairingSerializer

    def scoped_queryset(self, organisation):
        return Pairing.objects.filter(program__organisation=organisation).order_by(
            "-starts_on", "-pk"
        )


ROUTES = [
    ("people", PersonViewSet, "person"),
    ("mentors", MentorViewSet, "mentor"),
    ("mentees", MenteeViewSet, "mentee"),
    ("pairings", PairingViewSet, "pairing"),
]
