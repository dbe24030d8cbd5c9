"""Badges and the credentials issued (read), and verifying a credential someone shows.

What a list gives is what the organisation's admins read on the credential pages, through the
pages' own selectors: never a signing key, never the holder's public profile (published, or
not, by the holder alone). Verifying answers the verdict of the public verification page
(`credentials.verification`), check by check.
"""

import json

import django_filters
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from laurier.core.site_urls import absolute_url
from laurier.credentials import selectors
from laurier.credentials.baking import MAX_UPLOAD_BYTES, BakingError, extract_credential
from laurier.credentials.models import BadgeClass, BadgeRule, Credential, CredentialKind
from laurier.credentials.verification import MAX_INPUT_LENGTH, OUTCOME_TITLES, verify_text
from laurier.credentials.views.verify import signed_claims
from laurier.organisations.models import Membership, Role
from laurier.recognition.models import EventKind

from ..filters import IdFilter, MomentFilter
from ..throttling import TokenRateThrottle
from ..viewsets import ReadOnlyViewSet


class VerifyRateThrottle(TokenRateThrottle):
    """Verifying costs more than reading a row (the proof is checked over the whole document):
    at most this many a minute per token, on top of the token's general limit."""

    scope = "verify"
    rate = "60/min"


def as_admin(organisation):
    """The membership the credential selectors read with: a token acts as the admin who made
    it, and authentication refuses it once they are no longer one."""
    return Membership(organisation=organisation, role=Role.ADMIN)


# --- Badges ------------------------------------------------------------------------------------


class BadgeClassSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        read_only=True, help_text=gettext_lazy("In the language the call asked for.")
    )
    achievement_url = serializers.SerializerMethodField()
    image_url = serializers.SerializerMethodField()
    holder_count = serializers.IntegerField(
        source="holders", help_text=gettext_lazy("People who hold it, revoked ones excepted.")
    )
    revoked_count = serializers.IntegerField(
        source="revoked", help_text=gettext_lazy("Credentials of it that were revoked.")
    )

    class Meta:
        model = BadgeClass
        fields = [
            "id",
            "name",
            "name_fr",
            "name_en",
            "description_fr",
            "description_en",
            "criteria_fr",
            "criteria_en",
            "label",
            "rule",
            "threshold",
            "event_kind",
            "valid_years",
            "active",
            "achievement_url",
            "image_url",
            "holder_count",
            "revoked_count",
            "created_at",
        ]
        extra_kwargs = {
            "threshold": {
                "help_text": gettext_lazy(
                    "Hours, years or pairings the rule awards it at; null for the other rules."
                )
            },
        }

    def _issuer(self):
        # Read once per answer: an organisation has no issuer before its first credential.
        if "issuer" not in self.context:
            self.context["issuer"] = selectors.issuer_of(self.context["organisation"])
        return self.context["issuer"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_achievement_url(self, badge):
        """The badge's public description, which its credentials name; null until the
        organisation issues its first credential."""
        issuer = self._issuer()
        if issuer is None:
            return None
        return absolute_url("credentials:achievement", issuer.public_id, badge.public_id)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_image_url(self, badge):
        issuer = self._issuer()
        if issuer is None:
            return None
        return absolute_url("credentials:achievement_image", issuer.public_id, badge.public_id)


class BadgeClassFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter()
    rule = django_filters.ChoiceFilter(choices=BadgeRule.choices)
    event_kind = django_filters.ChoiceFilter(choices=EventKind.choices)

    class Meta:
        model = BadgeClass
        fields = ["active", "rule", "event_kind"]


class BadgeClassViewSet(ReadOnlyViewSet):
    """The organisation's badges, with how they are awarded and how many people hold them."""

    scope_family = "credentials"
    serializer_class = BadgeClassSerializer
    filterset_class = BadgeClassFilter

    def scoped_queryset(self, organisation):
        return selectors.badge_classes_of(as_admin(organisation)).order_by("name_fr", "pk")


# --- Credentials issued ------------------------------------------------------------------------


class CredentialStatusChoices:
    CHOICES = (
        (selectors.CredentialStatus.VALID, gettext_lazy("Valid")),
        (selectors.CredentialStatus.REVOKED, gettext_lazy("Revoked")),
        (selectors.CredentialStatus.EXPIRED, gettext_lazy("Expired")),
    )


class CredentialSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=gettext_lazy("The holder: a person of `/people/`.")
    )
    badge_class = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    award = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("The recognition a certificate attests, for that kind."),
    )
    status = serializers.SerializerMethodField()
    url = serializers.URLField(
        read_only=True,
        help_text=gettext_lazy(
            "The credential's public verification page, which the holder shares; asked for "
            "JSON (Accept: application/ld+json) it answers the signed credential."
        ),
    )

    class Meta:
        model = Credential
        fields = [
            "id",
            "kind",
            "name",
            "person",
            "badge_class",
            "award",
            "language",
            "issued_at",
            "valid_until",
            "status",
            "revoked_at",
            "revocation_reason",
            "url",
        ]
        extra_kwargs = {
            "name": {"help_text": gettext_lazy("The name it was signed with.")},
            "language": {"help_text": gettext_lazy("The language it was issued in.")},
        }

    @extend_schema_field(serializers.ChoiceField(choices=CredentialStatusChoices.CHOICES))
    def get_status(self, credential):
        return selectors.credential_status(credential, self.context.get("now"))


class CredentialFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=CredentialKind.choices)
    status = django_filters.ChoiceFilter(
        choices=CredentialStatusChoices.CHOICES, method="filter_status"
    )
    person = IdFilter(field_name="person_id")
    badge_class = IdFilter(field_name="badge_class_id")
    issued_after = MomentFilter(field_name="issued_at", lookup_expr="gte")
    issued_before = MomentFilter(field_name="issued_at", lookup_expr="lt")

    class Meta:
        model = Credential
        fields = ["kind", "status", "person", "badge_class", "issued_after", "issued_before"]

    def filter_status(self, credentials, _name, value):
        return credentials.filter(selectors.status_filter(value, timezone.now()))


class CredentialToVerifySerializer(serializers.Serializer):
    credential = serializers.JSONField(
        required=False,
        help_text=gettext_lazy(
            "The credential as JSON (an object, with its embedded proof), or as a string: its "
            "JSON text or its compact form, the signed token (JWT) that starts with “eyJ”."
        ),
    )
    file = serializers.FileField(
        required=False,
        help_text=gettext_lazy(
            "Instead, sent as multipart/form-data: a badge image (PNG or SVG) with its "
            "credential inside, or a .json or .jwt file, as the verification page accepts."
        ),
    )

    def validate_credential(self, value):
        if isinstance(value, dict):
            try:
                return json.dumps(value, ensure_ascii=False)
            except (ValueError, RecursionError) as error:
                raise serializers.ValidationError(_("This is not valid JSON.")) from error
        if isinstance(value, str) and value.strip():
            if len(value) > MAX_INPUT_LENGTH:
                raise serializers.ValidationError(_("This is far longer than any credential."))
            return value
        raise serializers.ValidationError(
            _("Send the credential as a JSON object, or as its text or signed token (JWT).")
        )

    def validate_file(self, upload):
        if upload.size > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(
                _("This file is too large: at most %(size)s.")
                % {"size": filesizeformat(MAX_UPLOAD_BYTES)}
            )
        try:
            text = extract_credential(upload.name, upload.read())
        except BakingError as error:
            raise serializers.ValidationError(str(error)) from error
        if not text:
            raise serializers.ValidationError(_("This image holds no credential."))
        return text

    def validate(self, data):
        # As on the page, a file sent wins over a credential pasted beside it.
        text = data.get("file") or data.get("credential")
        if not text:
            raise serializers.ValidationError(_("Paste a credential or choose a file."))
        return {"text": text}


class CheckSerializer(serializers.Serializer):
    label = serializers.CharField()
    passed = serializers.BooleanField()
    detail = serializers.CharField()


class AchievementClaimSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    criteria = serializers.CharField()


class ClaimsSerializer(serializers.Serializer):
    achievement = AchievementClaimSerializer()
    holder = serializers.CharField(help_text=gettext_lazy("The holder's name, as signed."))


class VerificationSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=list(OUTCOME_TITLES.items()))
    title = serializers.CharField(help_text=gettext_lazy("The outcome, in words."))
    valid = serializers.BooleanField()
    proof_format = serializers.CharField(
        help_text=gettext_lazy("“eddsa-rdfc-2022” (JSON with its proof) or “vc+jwt”.")
    )
    checks = CheckSerializer(many=True, help_text=gettext_lazy("What was checked, in order."))
    issuer = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("The issuing organisation, when Laurier knows it.")
    )
    claims = ClaimsSerializer(
        allow_null=True,
        help_text=gettext_lazy(
            "What the credential states, once its issuer's signature is known to hold; null "
            "for a forged, altered or unreadable one."
        ),
    )
    credential = serializers.IntegerField(
        allow_null=True,
        help_text=gettext_lazy(
            "The credential's id in `/credentials/` when this organisation issued it."
        ),
    )


def _claims(result):
    claims = signed_claims(result)
    if claims is None:
        return None
    achievement = claims["achievement"] if isinstance(claims["achievement"], dict) else {}
    criteria = achievement.get("criteria")
    return {
        "achievement": {
            "id": str(achievement.get("id", "")),
            "name": str(achievement.get("name", "")),
            "description": str(achievement.get("description", "")),
            "criteria": str(criteria.get("narrative", "")) if isinstance(criteria, dict) else "",
        },
        "holder": claims["holder"],
    }


def verification_answer(result, organisation):
    """What the API answers for a `verification.Verification`."""
    credential = result.credential
    ours = credential is not None and credential.organisation_id == organisation.pk
    return {
        "outcome": result.outcome,
        "title": str(result.title),
        "valid": result.is_valid,
        "proof_format": result.proof_format,
        "checks": [
            {"label": str(check.label), "passed": check.passed, "detail": str(check.detail)}
            for check in result.checks
        ],
        "issuer": str(result.issuer.organisation) if result.issuer is not None else None,
        "claims": _claims(result),
        "credential": credential.pk if ours else None,
    }


class CredentialViewSet(ReadOnlyViewSet):
    """Every credential the organisation issued (badges, recognition and training-hours
    certificates), newest first, with its status as a verifier would read it today.

    `POST /credentials/verify/` verifies any credential shown to you, as the public
    verification page does."""

    scope_family = "credentials"
    scope_access = {"verify": "read"}
    serializer_class = CredentialSerializer
    filterset_class = CredentialFilter

    def scoped_queryset(self, organisation):
        return selectors.credentials_of(as_admin(organisation)).order_by("-issued_at", "-pk")

    def get_serializer_context(self):
        # One "now" for a whole page: every status is read at the same instant.
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(
        summary="Verify a credential",
        description=(
            "Checks a credential exactly as the public verification page does: its format "
            "(Open Badges 3.0), its issuer, its signature, that Laurier issued this very "
            "content, its dates and its revocation. A credential issued by another "
            "organisation of this Laurier is verified too; only its `credential` id is "
            "withheld. Needs the `credentials:read` permission: verifying reads, it writes "
            "nothing. At most 60 verifications a minute per token."
        ),
        request=CredentialToVerifySerializer,
        responses={200: VerificationSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        filterset_class=None,
        pagination_class=None,
        throttle_classes=[TokenRateThrottle, VerifyRateThrottle],
    )
    def verify(self, request):
        given = CredentialToVerifySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        result = verify_text(given.validated_data["text"])
        return Response(VerificationSerializer(verification_answer(result, self.organisation)).data)


ROUTES = [
    ("badge-classes", BadgeClassViewSet, "badge-class"),
    ("credentials", CredentialViewSet, "credential"),
]
