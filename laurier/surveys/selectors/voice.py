"""Reads for a program's "Mentor voice" page: what its mentors want and how engaged they are.

Every figure is computed by the database (grouped counts and averages), so the page runs the
same handful of queries for ten mentors or ten thousand. Python only arranges the few
aggregated rows that come back (one per motivation, category, cycle and question).

Pulse surveys are always anonymous (`Survey.results_are_anonymous`), so three rules keep anyone
from reading one mentor's answers:
- a campaign counts only if, on its own, at least the organisation's anonymity threshold of
  distinct mentors answered it: otherwise comparing a cycle's figures with those of its other
  campaigns would reveal what the few answered;
- a group of answers (a cycle, or a campaign sent outside any cycle) answered by fewer distinct
  mentors than that threshold is reported as too small, and its figures are never read into
  the result, so no template or export can show them by mistake;
- only closed campaigns count: figures that moved while a campaign is open would tell, by
  comparing before and after, what the latest mentor answered;
- only the answers of the program's mentors count: the page speaks of mentors.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from laurier.core.figures import percent
from laurier.profiles.models import (
    PREFERENCE_SCORES,
    CategoryPreference,
    Motivation,
    ProfileMotivation,
)
from laurier.programs.models import EnrolmentStatus, MentorEnrolment
from laurier.recognition.categories import PublicConsent, RecognitionCategory

from ..models import (
    Answer,
    Campaign,
    EngagementFactor,
    Question,
    Recipient,
    Response,
    Survey,
    open_condition,
)

RECENT_CAMPAIGNS = 10
INTENTION_KEY = "intention"
FACTOR_KEYS = {f"factor:{factor.value}": factor for factor in EngagementFactor}
COMMENT_KEYS = {f"comment:{factor.value}": factor for factor in EngagementFactor}
NUMBER_KEYS = (*FACTOR_KEYS, INTENTION_KEY)
# Cells of the preference heat map are shaded in this many steps (heat-1 … heat-5; heat-0 is
# an empty cell).
HEAT_LEVELS = 5
PROMOTERS = Q(number__gte=9)
PASSIVES = Q(number__gte=7, number__lte=8)
DETRACTORS = Q(number__lte=6)


# Response rates


@dataclass
class CampaignRate:
    """How many people a campaign asked and how many answered."""

    campaign: Campaign
    recipients: int
    answered: int

    @property
    def rate(self):
        """The share who answered, in whole percent; None when nobody was asked."""
        return percent(self.answered, self.recipients)


def _count_of(model, **correlation):
    return Coalesce(
        Subquery(
            model.objects.filter(**correlation)
            .order_by()
            .values("campaign")
            .annotate(count=Count("pk"))
            .values("count")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def campaign_response_rates(program, limit=RECENT_CAMPAIGNS):
    """The program's latest campaigns, newest first, with how many people were asked and answered.

    Counted by correlated subqueries rather than joins, so that a campaign's recipients and
    responses are never multiplied by each other.
    """
    campaigns = (
        Campaign.objects.filter(program=program)
        .select_related("survey", "cycle")
        .annotate(
            recipient_count=_count_of(Recipient, campaign=OuterRef("pk")),
            answered_count=_count_of(Response, campaign=OuterRef("pk")),
        )
        .order_by("-created_at", "-pk")[:limit]
    )
    return [
        CampaignRate(campaign, campaign.recipient_count, campaign.answered_count)
        for campaign in campaigns
    ]


# Profiles: motivations, preferences, consent


@dataclass
class Share:
    """One answer (a motivation, a consent) and how many profiles gave it, as a share."""

    key: str
    label: str
    count: int
    share: int | None


@dataclass
class CategoryRow:
    """One recognition category of the preference heat map."""

    category: str
    label: str
    answers: int
    average: float | None
    # (score, count, heat level) for each of PREFERENCE_SCORES.
    cells: list = field(default_factory=list)


@dataclass
class ProfileFigures:
    """What the active mentors' profiles say, in aggregate."""

    active_mentors: int
    with_profile: int
    motivations: list
    categories: list
    consent: list

    @property
    def profile_share(self):
        """The share of active mentors who have a profile, in whole percent."""
        return percent(self.with_profile, self.active_mentors)


def _active_mentor_people(program):
    return MentorEnrolment.objects.filter(program=program, status=EnrolmentStatus.ACTIVE).values(
        "person_id"
    )


def profile_figures(program):
    """Motivations, category preferences and public consent of the program's active mentors.

    Only active mentors who have a profile count; shares are of those profiles (a mentor may
    give several motivations, so motivation shares add up to more than 100 %).
    """
    enrolments = MentorEnrolment.objects.filter(program=program, status=EnrolmentStatus.ACTIVE)
    consent_field = "person__mentor_profile__public_consent"
    totals = enrolments.aggregate(
        active=Count("pk"),
        with_profile=Count("person__mentor_profile"),
        **{
            f"consent_{value}": Count("pk", filter=Q(**{consent_field: value}))
            for value in PublicConsent.values
        },
    )
    profiles = totals["with_profile"]
    people = _active_mentor_people(program)

    motivation_counts = dict(
        ProfileMotivation.objects.filter(profile__person__in=people)
        .order_by()
        .values("motivation")
        .annotate(mentors=Count("profile", distinct=True))
        .values_list("motivation", "mentors")
    )
    motivations = [
        Share(value, label, motivation_counts.get(value, 0), None)
        for value, label in Motivation.choices
    ]
    for motivation in motivations:
        motivation.share = percent(motivation.count, profiles)

    consent = [
        Share(value, label, totals[f"consent_{value}"], None)
        for value, label in PublicConsent.choices
    ]
    unknown = profiles - sum(row.count for row in consent)
    consent.append(Share("unknown", _("Not answered"), unknown, None))
    for row in consent:
        row.share = percent(row.count, profiles)

    return ProfileFigures(
        active_mentors=totals["active"],
        with_profile=profiles,
        motivations=motivations,
        categories=_category_rows(people),
        consent=consent,
    )


def _category_rows(people):
    """One row per recognition category, the most valued first, with its score distribution."""
    by_category = {
        row["category"]: row
        for row in CategoryPreference.objects.filter(profile__person__in=people)
        .order_by()
        .values("category")
        .annotate(
            answers=Count("pk"),
            average=Avg("score"),
            **{f"score_{score}": Count("pk", filter=Q(score=score)) for score in PREFERENCE_SCORES},
        )
    }
    largest = max(
        (row[f"score_{score}"] for row in by_category.values() for score in PREFERENCE_SCORES),
        default=0,
    )
    rows = []
    for value, label in RecognitionCategory.choices:
        found = by_category.get(value, {})
        cells = [
            (score, count, heat_level(count, largest))
            for score in PREFERENCE_SCORES
            for count in [found.get(f"score_{score}", 0)]
        ]
        average = found.get("average")
        rows.append(
            CategoryRow(
                category=value,
                label=label,
                answers=found.get("answers", 0),
                average=None if average is None else round(average, 1),
                cells=cells,
            )
        )
    # Stable: among equal averages the catalog's order stays; unrated categories go last.
    rows.sort(key=lambda row: -1 if row.average is None else row.average, reverse=True)
    return rows


def heat_level(count, largest):
    """0 for an empty cell, else 1 to HEAT_LEVELS in proportion to the largest cell."""
    if not count or not largest:
        return 0
    return max(1, math.ceil(HEAT_LEVELS * count / largest))


# The engagement pulse


@dataclass
class PulseGroup:
    """The pulse answers of one cycle (or of one campaign sent outside any cycle)."""

    cycle_id: int | None
    label: str
    responses: int
    starts: object
    campaign_id: int
    shown: bool
    # Distinct mentors who answered: what the anonymity threshold is compared with.
    people: int = 0
    factors: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    intention: float | None = None
    intention_answers: int = 0
    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def factor_rows(self):
        """(factor, average or None) for the five factors, in the standard order."""
        return [(factor, self.factors.get(factor)) for factor in EngagementFactor]

    @property
    def promoter_share(self):
        return percent(self.promoters, self.intention_answers)

    @property
    def passive_share(self):
        return percent(self.passives, self.intention_answers)

    @property
    def detractor_share(self):
        return percent(self.detractors, self.intention_answers)

    @property
    def weakest_factor(self):
        """(factor, average) of the lowest average; the first in the standard order on a tie."""
        rated = [
            (average, index, factor)
            for index, (factor, average) in enumerate(self.factor_rows)
            if average is not None
        ]
        if not rated:
            return None
        average, _index, factor = min(rated)
        return factor, average


@dataclass
class PulseFigures:
    """The pulse groups, oldest first, and what the page says about the others."""

    groups: list
    threshold: int
    # Pulse campaigns still open: their results appear once they close.
    open_campaigns: int = 0

    @property
    def shown_groups(self):
        """The groups answered by enough mentors to be shown."""
        return [group for group in self.groups if group.shown]

    @property
    def latest(self):
        """The most recent group with enough responses to be shown."""
        shown = self.shown_groups
        return shown[-1] if shown else None

    @property
    def factor_table(self):
        """Rows (factor, [(group, average or None)]) for the table under the trend chart."""
        return [
            (factor, [(group, group.factors.get(factor)) for group in self.groups])
            for factor in EngagementFactor
        ]

    @property
    def comment_table(self):
        """Rows (factor, [comment count per group shown])."""
        return [
            (factor, [group.comments.get(factor, 0) for group in self.shown_groups])
            for factor in EngagementFactor
        ]


def pulse_campaigns(program, since=None):
    """The program's engagement-pulse campaigns, from cycle `since` on when given."""
    campaigns = Campaign.objects.filter(program=program, survey__purpose=Survey.Purpose.PULSE)
    if since is not None:
        campaigns = campaigns.filter(
            Q(cycle__starts_on__gte=since.starts_on)
            | Q(
                cycle__isnull=True,
                created_at__gte=timezone.make_aware(
                    datetime.datetime.combine(since.starts_on, datetime.time.min)
                ),
            )
        )
    return campaigns


def _program_mentors(program):
    """The people who mentor (or mentored) in `program`, whatever their enrolment's status."""
    return MentorEnrolment.objects.filter(program=program).values("person_id")


def _outside_cycle():
    """The campaign's id when it has no cycle (it makes its own group), else null."""
    return Case(
        When(cycle__isnull=True, then=F("id")),
        default=Value(None),
        output_field=IntegerField(),
    )


def _campaigns_answered_by_enough(campaigns, mentors, threshold):
    """The ids of `campaigns` answered, each on its own, by at least `threshold` distinct
    mentors: a subquery, so that it costs no query of its own."""
    respondents = (
        Response.objects.filter(campaign=OuterRef("pk"), recipient__person__in=mentors)
        .order_by()
        .values("campaign")
        .annotate(people=Count("recipient__person", distinct=True))
        .values("people")[:1]
    )
    return (
        campaigns.annotate(
            respondents=Coalesce(Subquery(respondents, output_field=IntegerField()), Value(0))
        )
        .filter(respondents__gte=threshold)
        .values("pk")
    )


def pulse_figures(program, *, threshold, since=None):
    """The five factors and the intention to continue, per cycle, oldest first.

    Only closed campaigns answered, each on its own, by at least `threshold` distinct mentors
    count, and only the answers of the program's mentors. Groups answered by fewer than
    `threshold` distinct mentors keep only their label and size.
    """
    campaigns = pulse_campaigns(program, since)
    now = timezone.now()
    is_open = open_condition(now)
    closed = ~is_open
    mentors = _program_mentors(program)
    eligible = _campaigns_answered_by_enough(campaigns, mentors, threshold)
    answered = closed & Q(responses__recipient__person__in=mentors)
    counted = answered & Q(pk__in=eligible)
    # Open campaigns are only counted, in the same query, to say their results will come.
    group_rows = (
        campaigns.order_by()
        .values("cycle", "cycle__name", "cycle__starts_on", outside=_outside_cycle())
        .annotate(
            closed_campaigns=Count("pk", filter=closed, distinct=True),
            open_campaigns=Count("pk", filter=is_open, distinct=True),
            response_count=Count("responses", filter=counted),
            people_count=Count("responses__recipient__person", filter=counted, distinct=True),
            # The size of a group too small to show, whatever its campaigns' own sizes.
            all_responses=Count("responses", filter=answered),
            all_people=Count("responses__recipient__person", filter=answered, distinct=True),
            first_sent=Min("created_at", filter=closed),
            campaign_name=Max("name", filter=closed),
            latest_campaign=Max("pk", filter=closed),
        )
    )
    groups = {}
    open_campaigns = 0
    for row in group_rows:
        open_campaigns += row["open_campaigns"]
        if not row["closed_campaigns"]:
            continue
        shown = row["people_count"] >= threshold
        starts = row["cycle__starts_on"] or timezone.localdate(row["first_sent"])
        groups[(row["cycle"], row["outside"])] = PulseGroup(
            cycle_id=row["cycle"],
            # A pulse outside any cycle: its name, or when it was sent.
            label=row["cycle__name"]
            or row["campaign_name"]
            or date_format(starts, "SHORT_DATE_FORMAT"),
            responses=row["response_count" if shown else "all_responses"],
            people=row["people_count" if shown else "all_people"],
            starts=starts,
            campaign_id=row["latest_campaign"],
            shown=shown,
        )
    if any(group.shown for group in groups.values()):
        _add_answers(groups, campaigns.closed(now).filter(pk__in=eligible), mentors)
    ordered = sorted(groups.values(), key=lambda group: (group.starts, group.campaign_id))
    return PulseFigures(groups=ordered, threshold=threshold, open_campaigns=open_campaigns)


NUMBER_FIGURES = {
    "total": Sum("number"),
    "answers": Count("number"),
    "promoters": Count("number", filter=PROMOTERS),
    "passives": Count("number", filter=PASSIVES),
    "detractors": Count("number", filter=DETRACTORS),
}
SUMMED = ("total", "answers", "promoters", "passives", "detractors", "comments")


def _answer_figures(campaigns, mentors):
    """{(group, key): {total, answers, promoters, passives, detractors, comments}}.

    Each campaign sends its own frozen copy of the survey, so a question belongs to one
    campaign: answers are summed per question from the (question, number) index, and put in
    their campaign's group here. Answers by people who are not mentors of the program are left
    out through their recipient.
    """
    keys = [*NUMBER_KEYS, *COMMENT_KEYS]
    questions = Question.objects.filter(
        key__in=keys, survey__campaigns__in=campaigns.values("pk")
    ).values_list("pk", "key", "survey__campaigns", "survey__campaigns__cycle")
    question_group = {
        question: ((cycle, None if cycle else campaign), key)
        for question, key, campaign, cycle in questions
    }
    answers = Answer.objects.filter(response__recipient__person__in=mentors).order_by()
    rows = []
    by_number = [pk for pk, (_group, key) in question_group.items() if key in NUMBER_KEYS]
    if by_number:
        rows += answers.filter(question__in=by_number).values("question").annotate(**NUMBER_FIGURES)
    with_comments = [pk for pk, (_group, key) in question_group.items() if key in COMMENT_KEYS]
    if with_comments:
        rows += (
            answers.filter(question__in=with_comments)
            .exclude(text="")
            .values("question")
            .annotate(comments=Count("pk"))
        )
    figures = {}
    for row in rows:
        summed = figures.setdefault(question_group[row["question"]], dict.fromkeys(SUMMED, 0))
        for name in SUMMED:
            summed[name] += row.get(name) or 0
    return figures


def average_of_figures(figures):
    return round(figures["total"] / figures["answers"], 1) if figures["answers"] else None


def _add_answers(groups, campaigns, mentors):
    for (group_key, key), figures in _answer_figures(campaigns, mentors).items():
        group = groups.get(group_key)
        if group is None or not group.shown:
            continue
        if key in FACTOR_KEYS and figures["answers"]:
            group.factors[FACTOR_KEYS[key]] = average_of_figures(figures)
        elif key in COMMENT_KEYS:
            group.comments[COMMENT_KEYS[key]] = figures["comments"]
        elif key == INTENTION_KEY and figures["answers"]:
            group.intention = average_of_figures(figures)
            group.intention_answers = figures["answers"]
            group.promoters = figures["promoters"]
            group.passives = figures["passives"]
            group.detractors = figures["detractors"]


# The whole page


@dataclass
class MentorVoice:
    """Everything the page shows: response rates, profiles and the pulse."""

    rates: list
    profiles: ProfileFigures
    pulse: PulseFigures


def mentor_voice(program, *, threshold, since=None):
    """Everything the "Mentor voice" page shows, in a fixed number of queries."""
    return MentorVoice(
        rates=campaign_response_rates(program),
        profiles=profile_figures(program),
        pulse=pulse_figures(program, threshold=threshold, since=since),
    )


def export_rows(voice):
    """The page's figures as (section, item, cycle, value, responses) rows.

    Aggregates only, and nothing of a pulse group below the anonymity threshold.
    """
    rows = []
    for rate in voice.rates:
        campaign = rate.campaign
        rows.append(
            (
                _("Response rate (%)"),
                campaign.title,
                campaign.cycle.name if campaign.cycle else "",
                rate.rate,
                rate.answered,
            )
        )
    profiles = voice.profiles
    rows.append((_("Active mentors with a profile"), "", "", profiles.with_profile, None))
    rows.append((_("Active mentors"), "", "", profiles.active_mentors, None))
    for motivation in profiles.motivations:
        rows.append(
            (_("Motivation"), motivation.label, "", motivation.count, profiles.with_profile)
        )
    for category in profiles.categories:
        rows.append(
            (_("Preference, average (0–5)"), category.label, "", category.average, category.answers)
        )
        for score, count, _level in category.cells:
            item = _("%(category)s: score %(score)s") % {
                "category": category.label,
                "score": score,
            }
            rows.append((_("Preference, mentors per score"), item, "", count, category.answers))
    for consent in profiles.consent:
        rows.append(
            (_("Public recognition"), consent.label, "", consent.count, profiles.with_profile)
        )
    for group in voice.pulse.shown_groups:
        for factor, average in group.factor_rows:
            rows.append(
                (
                    _("Engagement factor, average (1–5)"),
                    factor.label,
                    group.label,
                    average,
                    group.responses,
                )
            )
        for factor in EngagementFactor:
            rows.append(
                (
                    _("Comments"),
                    factor.label,
                    group.label,
                    group.comments.get(factor, 0),
                    group.responses,
                )
            )
        intention = _("Intention to continue")
        rows += [
            (
                _("%(what)s, average (0–10)") % {"what": intention},
                "",
                group.label,
                group.intention,
                group.responses,
            ),
            (intention, _("Promoters (9–10)"), group.label, group.promoters, group.responses),
            (intention, _("Passives (7–8)"), group.label, group.passives, group.responses),
            (intention, _("Detractors (0–6)"), group.label, group.detractors, group.responses),
        ]
    return rows
