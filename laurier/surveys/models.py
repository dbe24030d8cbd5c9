import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from laurier.core.bilingual import in_reader_language
from laurier.organisations.models import Organisation
from laurier.profiles.models import PREFERENCE_SCORES
from laurier.programs.models import Cycle, Person, Program


class EngagementFactor(models.TextChoices):
    """The five factors that keep mentors, asked in every engagement pulse."""

    STRUCTURE = "structure", _("Clear program structure and expectations")
    TRAINING = "training", _("Continuing training")
    SUPPORT = "support", _("Regular support from the manager")
    COMMUNITY = "community", _("Community of practice between mentors")
    RECOGNITION = "recognition", _("Recognition of their involvement")


class Survey(models.Model):
    """A questionnaire. Campaigns send a frozen copy, so editing never changes sent surveys."""

    class Purpose(models.TextChoices):
        PROFILE = "profile", _("Motivation and preference profile")
        PULSE = "pulse", _("Engagement pulse")
        FEEDBACK = "feedback", _("Recognition feedback")
        OTHER = "other", _("Other survey")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="surveys")
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.OTHER
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    introduction_fr = models.TextField(_("introduction (French)"), blank=True)
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_(
            "Results appear only in aggregate, for groups large enough, and comments are "
            "never attributed."
        ),
    )
    # Set on the copy a campaign sends; the editor lists only the surveys people edit.
    frozen = models.BooleanField(default=False, editable=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    # Ready-made surveys installed by Laurier (one per purpose); they stay editable.
    standard = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["title_fr"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "purpose"],
                condition=Q(standard=True, frozen=False),
                name="one_standard_survey_per_purpose",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return in_reader_language(self, "title")

    @property
    def introduction(self):
        return in_reader_language(self, "introduction")

    @property
    def results_are_anonymous(self):
        """Pulses are anonymous by nature, even if someone unticked the box."""
        return self.anonymous or self.purpose == self.Purpose.PULSE


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE_CHOICE = "single", _("Single choice")
        MULTIPLE_CHOICE = "multiple", _("Multiple choice")
        RANKING = "ranking", _("Ranking")
        LIKERT = "likert", _("Scale from 1 to 5")
        RATING = "rating", _("Scale from 0 to 5")
        SCORE = "score", _("Scale from 0 to 10")
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")

    CHOICE_KINDS = (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.RANKING)
    # Ratings are how mentors value each recognition category in their profile.
    SCALE_BOUNDS = {
        Kind.LIKERT: (1, 5),
        Kind.RATING: (PREFERENCE_SCORES[0], PREFERENCE_SCORES[-1]),
        Kind.SCORE: (0, 10),
    }
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    # A stable meaning ("category:badge", "factor:support", "intention") that the profile and the
    # mentor-voice page read, whatever the wording; empty for questions a manager adds.
    key = models.CharField(_("key"), max_length=60, blank=True, editable=False)
    text_fr = models.CharField(_("question (French)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300)
    help_fr = models.CharField(_("help (French)"), max_length=300, blank=True)
    help_en = models.CharField(_("help (English)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # "Show this question only if the answer to another question includes this choice."
    shown_if_choice = models.ForeignKey(
        "Choice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conditional_questions",
        verbose_name=_("shown only if this choice is picked"),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "key"], condition=~Q(key=""), name="question_key_per_survey"
            )
        ]

    def __str__(self):
        return self.text

    @property
    def text(self):
        return in_reader_language(self, "text")

    @property
    def help(self):
        return in_reader_language(self, "help")

    @property
    def has_choices(self):
        return self.kind in self.CHOICE_KINDS

    @property
    def scale_bounds(self):
        """(lowest, highest) for a scale question, None otherwise."""
        return self.SCALE_BOUNDS.get(self.kind)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Stable value read by the profile ("pay_it_forward", "yes"); empty for added choices.
    key = models.CharField(_("key"), max_length=60, blank=True, editable=False)
    text_fr = models.CharField(_("choice (French)"), max_length=200)
    text_en = models.CharField(_("choice (English)"), max_length=200)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "position", "pk"]

    def __str__(self):
        return self.text

    @property
    def text(self):
        return in_reader_language(self, "text")


def open_condition(now=None, prefix=""):
    """The single definition of an open campaign, as a Q on Campaign (or through `prefix`,
    e.g. "campaign__" from a Recipient): not closed by hand and its closing time not reached."""
    now = now or timezone.now()
    return Q(**{f"{prefix}closed_at__isnull": True, f"{prefix}closes_at__gt": now})


class CampaignQuerySet(models.QuerySet):
    def open(self, now=None):
        return self.filter(open_condition(now))

    def closed(self, now=None):
        return self.exclude(open_condition(now))


class Campaign(models.Model):
    """A survey sent to a group of people, each through a personal link, until it closes."""

    class Audience(models.TextChoices):
        MENTORS = "mentors", _("The program's active mentors")
        MENTEES = "mentees", _("The program's active mentees")
        CHOSEN = "chosen", _("People I choose")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_campaigns"
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_campaigns",
        verbose_name=_("program"),
    )
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_campaigns",
        verbose_name=_("cycle"),
    )
    # The frozen copy that was sent: each campaign has its own.
    survey = models.ForeignKey(
        Survey,
        on_delete=models.RESTRICT,
        related_name="campaigns",
        verbose_name=_("survey"),
    )
    # Empty when the manager gave none: `title` then follows the survey in the reader's language.
    name = models.CharField(_("name"), max_length=200, blank=True)
    audience = models.CharField(
        _("sent to"), max_length=10, choices=Audience.choices, default=Audience.MENTORS
    )
    closes_at = models.DateTimeField(_("closes on"))
    remind_after_days = models.PositiveSmallIntegerField(
        _("remind those who have not answered after (days)"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The launch form's one-time token: a second submit of the same form finds this campaign.
    launch_key = models.CharField(max_length=64, blank=True, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["survey"], name="one_campaign_per_frozen_survey"),
            models.UniqueConstraint(
                fields=["program", "launch_key"],
                condition=~Q(launch_key=""),
                name="one_campaign_per_launch_key",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        """The name the manager gave, or "<survey title> — <cycle>" in the reader's language.

        Needs `survey` and `cycle` loaded with the campaign (select_related) in lists.
        """
        if self.name:
            return self.name
        if self.cycle_id:
            suffix = self.cycle.name
        else:
            suffix = date_format(timezone.localdate(self.created_at), "SHORT_DATE_FORMAT")
        return f"{self.survey.title} — {suffix}"

    @property
    def is_open(self):
        # Same rule as open_condition(), for a campaign already loaded.
        return self.closed_at is None and timezone.now() < self.closes_at

    @property
    def last_day(self):
        """The last day people may answer, in the current time zone (pages and e-mails activate
        the organisation's). A campaign closes at the start of the next day; one closed by hand
        closed during its last day."""
        return (timezone.localtime(self.closes_at) - datetime.timedelta(microseconds=1)).date()


def new_token():
    # 32 random bytes: 256 bits, far beyond guessing.
    return secrets.token_urlsafe(32)


class Recipient(models.Model):
    """One person asked to answer a campaign, with their personal link."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="survey_requests")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    responded_at = models.DateTimeField(null=True, blank=True)
    # What this one request is about, for a campaign that asks a person several times, each
    # about one thing (the recognition-feedback campaign asks about each award): a stable key
    # ("award:42") and a line shown with the survey, frozen in both languages like the survey.
    about_key = models.CharField(
        max_length=60, blank=True, default="", db_default="", editable=False
    )
    about_fr = models.CharField(
        max_length=300, blank=True, default="", db_default="", editable=False
    )
    about_en = models.CharField(
        max_length=300, blank=True, default="", db_default="", editable=False
    )

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person"],
                condition=Q(about_key=""),
                name="one_request_per_person",
            ),
            models.UniqueConstraint(
                fields=["campaign", "about_key"],
                condition=~Q(about_key=""),
                name="one_request_per_subject",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "responded_at"], name="recipient_answered")]

    def __str__(self):
        return f"{self.person} · {self.campaign}"

    @property
    def about(self):
        return in_reader_language(self, "about")


class Response(models.Model):
    """A recipient's answers; changed in place until the campaign closes."""

    recipient = models.OneToOneField(Recipient, on_delete=models.CASCADE, related_name="response")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return str(self.recipient)


class Answer(models.Model):
    """One value of a response: a choice (one row per choice picked or ranked), a number, a text.

    Typed columns rather than one blob, so the database computes every figure.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    # The scale value, or the rank (1 = first) of a ranked choice.
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "number"], name="answer_question_number")]

    def __str__(self):
        return f"{self.question_id}: {self.choice_id or self.number or self.text[:30]}"
