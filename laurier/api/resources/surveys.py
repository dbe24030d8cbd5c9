"""Survey campaigns (read) and their aggregate results, as the campaign page shows them.

Results never hold one person's answers to an anonymous survey: they come from the pages' own
selector (`surveys.selectors.results.campaign_results`), which withholds everything while an
anonymous campaign is open and every group smaller than the organisation's anonymity threshold.
"""

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from laurier.surveys.models import Campaign, Question, Survey
from laurier.surveys.selectors import results as results_selectors
from laurier.surveys.selectors.campaigns import with_figures

from ..filters import IdFilter
from ..viewsets import ReadOnlyViewSet


class CampaignStatus:
    OPEN = "open"
    CLOSED = "closed"
    CHOICES = ((OPEN, gettext_lazy("Open")), (CLOSED, gettext_lazy("Closed")))


def campaigns_of_organisation(organisation, now=None):
    """The organisation's campaigns with their survey and cycle, and the figures the campaign
    pages show (`answered_count` is the API's `response_count`)."""
    return with_figures(
        Campaign.objects.filter(organisation=organisation).select_related("survey", "cycle"), now
    )


class SentSurveySerializer(serializers.ModelSerializer):
    anonymous = serializers.BooleanField(
        source="results_are_anonymous",
        help_text=gettext_lazy(
            "Results appear only in aggregate, once the campaign is closed and for groups at "
            "least as large as the organisation's anonymity threshold (pulses always are)."
        ),
    )

    class Meta:
        model = Survey
        fields = ["purpose", "title_fr", "title_en", "anonymous"]


class CampaignSerializer(serializers.ModelSerializer):
    title = serializers.CharField(
        help_text=gettext_lazy(
            "The name the manager gave, or the survey's title and the cycle, in the language "
            "the call asked for."
        )
    )
    survey = SentSurveySerializer(help_text=gettext_lazy("The survey as it was sent."))
    program = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    cycle = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    status = serializers.SerializerMethodField()
    last_day = serializers.DateField(
        help_text=gettext_lazy("The last day people may answer, in the organisation's time zone.")
    )
    recipient_count = serializers.IntegerField(help_text=gettext_lazy("People asked to answer."))
    response_count = serializers.IntegerField(
        source="answered_count", help_text=gettext_lazy("People who answered.")
    )
    response_rate = serializers.FloatField(
        source="rate",
        allow_null=True,
        help_text=gettext_lazy("Responses over recipients, from 0 to 1; null without recipients."),
    )

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "name",
            "survey",
            "program",
            "cycle",
            "audience",
            "status",
            "created_at",
            "closes_at",
            "last_day",
            "closed_at",
            "recipient_count",
            "response_count",
            "response_rate",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=CampaignStatus.CHOICES))
    def get_status(self, campaign):
        return CampaignStatus.CLOSED if campaign.closed else CampaignStatus.OPEN


class CampaignFilter(django_filters.FilterSet):
    program = IdFilter(field_name="program_id")
    cycle = IdFilter(field_name="cycle_id")
    purpose = django_filters.ChoiceFilter(
        field_name="survey__purpose", choices=Survey.Purpose.choices
    )
    status = django_filters.ChoiceFilter(choices=CampaignStatus.CHOICES, method="filter_status")

    class Meta:
        model = Campaign
        fields = ["program", "cycle", "purpose", "status"]

    def filter_status(self, campaigns, _name, value):
        return campaigns.filter(closed=value == CampaignStatus.CLOSED)


# --- Results ----------------------------------------------------------------------------------


class Withheld:
    WAITING_FOR_CLOSE = "waiting_for_close"
    TOO_FEW_RESPONSES = "too_few_responses"
    TOO_FEW_ANSWERS = "too_few_answers"


class WithheldSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[
            (Withheld.WAITING_FOR_CLOSE, gettext_lazy("An anonymous campaign still open")),
            (Withheld.TOO_FEW_RESPONSES, gettext_lazy("Fewer people than the threshold")),
            (Withheld.TOO_FEW_ANSWERS, gettext_lazy("Fewer answers than the threshold")),
        ]
    )
    message = serializers.CharField()


class ChoiceResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="choice.pk")
    text = serializers.CharField(source="choice.text")
    text_fr = serializers.CharField(source="choice.text_fr")
    text_en = serializers.CharField(source="choice.text_en")
    count = serializers.IntegerField(help_text=gettext_lazy("Answers that picked or ranked it."))
    percent = serializers.FloatField(
        help_text=gettext_lazy("Share of the question's respondents, to a tenth.")
    )
    average_rank = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("Ranking questions: 1 is first.")
    )


class ValueResultSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    count = serializers.IntegerField()
    percent = serializers.FloatField()


class TextAnswerSerializer(serializers.Serializer):
    text = serializers.CharField()
    author = serializers.CharField(
        help_text=gettext_lazy("Empty for an anonymous survey: comments are never attributed.")
    )


class QuestionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="question.pk")
    position = serializers.IntegerField(source="question.position")
    kind = serializers.ChoiceField(source="question.kind", choices=Question.Kind.choices)
    text = serializers.CharField(source="question.text")
    text_fr = serializers.CharField(source="question.text_fr")
    text_en = serializers.CharField(source="question.text_en")
    respondents = serializers.IntegerField(help_text=gettext_lazy("People who answered it."))
    withheld = serializers.SerializerMethodField()
    choices = ChoiceResultSerializer(
        many=True, help_text=gettext_lazy("Choice and ranking questions; ranking by average rank.")
    )
    average = serializers.FloatField(allow_null=True, help_text=gettext_lazy("Scales."))
    distribution = ValueResultSerializer(
        many=True, help_text=gettext_lazy("Scales: every value of the scale, lowest first.")
    )
    text_count = serializers.IntegerField(help_text=gettext_lazy("Texts: how many were written."))
    texts = TextAnswerSerializer(
        many=True,
        help_text=gettext_lazy(
            "Texts: the first ones, as the campaign page lists them, sorted by their text, "
            "never by when they came."
        ),
    )

    @extend_schema_field(WithheldSerializer(allow_null=True))
    def get_withheld(self, result):
        if not result.hidden:
            return None
        message = _(
            "Not enough answers to this question to show them without identifying anyone "
            "(%(count)s of at least %(threshold)s)."
        ) % {"count": result.respondents, "threshold": self.context["threshold"]}
        return {"code": Withheld.TOO_FEW_ANSWERS, "message": message}


class CampaignResultsSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    anonymous = serializers.BooleanField()
    threshold = serializers.IntegerField(
        help_text=gettext_lazy("The organisation's anonymity threshold, in people.")
    )
    responses = serializers.IntegerField(help_text=gettext_lazy("Distinct people who answered."))
    withheld = WithheldSerializer(
        allow_null=True,
        help_text=gettext_lazy("Why no figure is given; null when the results are shown."),
    )
    questions = QuestionResultSerializer(
        many=True, help_text=gettext_lazy("Empty when the results are withheld.")
    )


def _withheld(results):
    if results.waiting_for_close:
        return {
            "code": Withheld.WAITING_FOR_CLOSE,
            "message": str(results_selectors.ANONYMOUS_WAIT_NOTE),
        }
    if results.too_few:
        message = _(
            "Not enough responses to show results without identifying anyone "
            "(%(count)s of at least %(threshold)s)."
        ) % {"count": results.responses, "threshold": results.threshold}
        return {"code": Withheld.TOO_FEW_RESPONSES, "message": message}
    return None


class SurveyCampaignViewSet(ReadOnlyViewSet):
    """Survey campaigns sent to a program's people, with their response counts, newest first.

    Their results, per question, are at `/survey-campaigns/{id}/results/`."""

    scope_family = "surveys"
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter

    def scoped_queryset(self, organisation):
        return campaigns_of_organisation(organisation).order_by("-created_at", "-pk")

    @extend_schema(
        summary="Results of a campaign",
        description=(
            "The figures of each question as the campaign page shows them to managers: counts "
            "and shares per choice, average rank, average and distribution of scales, the "
            "first written answers. For an anonymous survey nothing is given while the "
            "campaign is open, nor below the organisation's anonymity threshold (for the whole "
            "campaign, or for a question fewer people answered), and written answers carry no "
            "author: `withheld` then says why."
        ),
        responses={200: CampaignResultsSerializer},
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def results(self, request, pk=None):
        campaign = self.get_object()
        campaign.organisation = self.organisation
        results = results_selectors.campaign_results(campaign)
        data = {
            "campaign": campaign.pk,
            "anonymous": results.anonymous,
            "threshold": results.threshold,
            "responses": results.responses,
            "withheld": _withheld(results),
            "questions": results.questions,
        }
        serializer = CampaignResultsSerializer(
            data, context={**self.get_serializer_context(), "threshold": results.threshold}
        )
        return Response(serializer.data)


ROUTES = [("survey-campaigns", SurveyCampaignViewSet, "survey-campaign")]
