"""The mentor-of-the-year contest: editions with their categories, rubric and jury; nominations
merged per nominee; jurors' conflicts of interest and scores; the winners once announced.

An edition moves along its dates, in the organisation's time zone: nominations from
`nominations_open_on` to `nominations_close_on` (both included), then the jury scores until
`scoring_close_on` (included), then the managers announce. The announcement freezes the result
(`Edition.result`) so that what was announced can always be shown again as it was computed.
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from laurier.core.bilingual import in_reader_language
from laurier.core.dates import organisation_today
from laurier.organisations.models import Organisation
from laurier.programs.models import Person, Program

# What a juror gives for one criterion: a whole number, 0 (not at all) to 10 (exceptional).
SCORE_MIN = 0
SCORE_MAX = 10
STORY_MAX_LENGTH = 4000
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
MAX_WINNERS_PER_CATEGORY = 5


def new_link_token():
    # 32 random bytes: 256 bits, far beyond guessing.
    return secrets.token_urlsafe(32)


class Phase(models.TextChoices):
    """Where an edition stands, from its dates and whether it was announced."""

    UPCOMING = "upcoming", _("Nominations not open yet")
    NOMINATIONS = "nominations", _("Nominations open")
    SCORING = "scoring", _("Jury scoring")
    DELIBERATION = "deliberation", _("Ready to announce")
    ANNOUNCED = "announced", _("Announced")


class Edition(models.Model):
    """One year's contest, for one program or (without a program) for the whole organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contest_editions"
    )
    # Empty: the whole organisation, run by its admins; otherwise run by the program's managers.
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contest_editions",
        verbose_name=_("program"),
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    introduction_fr = models.TextField(
        _("introduction (French)"),
        max_length=3000,
        blank=True,
        help_text=_("Shown at the top of the nomination form."),
    )
    introduction_en = models.TextField(
        _("introduction (English)"),
        max_length=3000,
        blank=True,
        help_text=_("Shown at the top of the nomination form."),
    )
    nominations_open_on = models.DateField(_("nominations open on"))
    nominations_close_on = models.DateField(_("last day to nominate"))
    scoring_close_on = models.DateField(_("last day for the jury to score"))
    announce_on = models.DateField(_("announcement planned for"))

    # Eligibility of nominees.
    active_mentors_only = models.BooleanField(
        _("active mentors only"),
        default=True,
        help_text=_("Only mentors whose enrolment is active can be nominated."),
    )
    min_hours = models.DecimalField(
        _("minimum hours mentored"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Counted over the twelve months before nominations close. Empty: none."),
    )
    min_tenure_months = models.PositiveSmallIntegerField(
        _("minimum months as a mentor"),
        null=True,
        blank=True,
        help_text=_("From the mentor's first enrolment, on the last day to nominate."),
    )
    past_winners_excluded_years = models.PositiveSmallIntegerField(
        _("years a winner must wait to be nominated again"),
        default=0,
        validators=[MaxValueValidator(50)],
        help_text=_("0: past winners can be nominated again at once."),
    )
    allow_self_nomination = models.BooleanField(_("mentors may nominate themselves"), default=False)

    # The award the winners receive (a recognition of the catalog), given through the awards.
    option = models.ForeignKey(
        "recognition.RecognitionOption",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="contest_editions",
        verbose_name=_("award for the winners"),
    )
    # The public nomination form's address; a new token replaces the old one.
    nomination_token = models.CharField(
        max_length=64, unique=True, default=new_link_token, editable=False
    )
    announced_at = models.DateTimeField(_("announced on"), null=True, blank=True, editable=False)
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The result as computed and announced, with every step: see scoring.Result.as_dict().
    result = models.JSONField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The creating form's one-time token: a second submit finds the edition the first made.
    request_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("contest edition")
        verbose_name_plural = _("contest editions")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "request_key"],
                condition=~Q(request_key=""),
                name="one_edition_per_request_key",
            ),
            models.CheckConstraint(
                condition=Q(nominations_close_on__gte=F("nominations_open_on"))
                & Q(scoring_close_on__gt=F("nominations_close_on"))
                & Q(announce_on__gte=F("scoring_close_on")),
                name="edition_timeline_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_reader_language(self, "name")

    @property
    def introduction(self):
        return in_reader_language(self, "introduction")

    def phase(self, today=None):
        if self.announced_at is not None:
            return Phase.ANNOUNCED
        today = today or organisation_today(self.organisation)
        if today < self.nominations_open_on:
            return Phase.UPCOMING
        if today <= self.nominations_close_on:
            return Phase.NOMINATIONS
        if today <= self.scoring_close_on:
            return Phase.SCORING
        return Phase.DELIBERATION


class Category(models.Model):
    """A prize of the edition (mentor of the year, rising mentor...), with its number of winners
    and the badge its winners receive."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="categories")
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_fr = models.TextField(_("description (French)"), max_length=2000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=2000, blank=True)
    winners = models.PositiveSmallIntegerField(
        _("number of winners"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WINNERS_PER_CATEGORY)],
    )
    # A badge whose rule is "contest winner": the announcement issues it to the winners.
    badge_class = models.ForeignKey(
        "credentials.BadgeClass",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contest_categories",
        verbose_name=_("badge for the winners"),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("contest category")
        verbose_name_plural = _("contest categories")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                "edition", Lower("name_fr"), name="category_name_fr_per_edition"
            ),
            models.UniqueConstraint(
                "edition", Lower("name_en"), name="category_name_en_per_edition"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_reader_language(self, "name")

    @property
    def description(self):
        return in_reader_language(self, "description")


class Criterion(models.Model):
    """One line of the edition's rubric; weights count relative to each other."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="criteria")
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    guidance_fr = models.TextField(_("guidance for the jury (French)"), max_length=2000, blank=True)
    guidance_en = models.TextField(
        _("guidance for the jury (English)"), max_length=2000, blank=True
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                "edition", Lower("name_fr"), name="criterion_name_fr_per_edition"
            ),
            models.UniqueConstraint(
                "edition", Lower("name_en"), name="criterion_name_en_per_edition"
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_reader_language(self, "name")

    @property
    def guidance(self):
        return in_reader_language(self, "guidance")


class Nominee(models.Model):
    """A mentor nominated in one category: every nomination of them there merges here."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", pgettext_lazy("status of a nominee", "Nominated")
        DECLINED = "declined", pgettext_lazy("status of a nominee", "Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("status of a nominee", "Withdrawn")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="nominees")
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="contest_nominations",
        verbose_name=_("mentor"),
    )
    # Where the nominee mentors: the program their award and spotlight belong to.
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NOMINATED
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # The nominee's personal link, to read that they were nominated and decline.
    token = models.CharField(max_length=64, unique=True, default=new_link_token, editable=False)
    told_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nominee")
        verbose_name_plural = _("nominees")
        ordering = ["person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["category", "person"], name="one_nominee_per_category")
        ]

    def __str__(self):
        return f"{self.person} — {self.category}"

    @property
    def is_in_the_running(self):
        return self.status == self.Status.NOMINATED


class Relation(models.TextChoices):
    """What the nominator is to the nominee."""

    MENTEE = "mentee", _("Their mentee")
    PEER = "peer", _("A fellow mentor")
    PROGRAM_MANAGER = "program_manager", _("The program's manager")
    SUPERVISOR = "supervisor", _("Their manager at work")
    COLLEAGUE = "colleague", _("A colleague")
    SELF = "self", _("Myself")
    OTHER = "other", _("Other")


class Nomination(models.Model):
    """One person's nomination of a nominee: their story and, optionally, one file as evidence.
    One per nominator (e-mail address) and nominee; the nominator changes it through their
    personal link (`token`), or in Laurier when they made it there."""

    class Source(models.TextChoices):
        LINK = "link", _("Nomination link")
        LAURIER = "laurier", _("In Laurier")

    nominee = models.ForeignKey(Nominee, on_delete=models.CASCADE, related_name="nominations")
    nominator_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nominator_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nominator_name = models.CharField(_("your name"), max_length=200)
    nominator_email = models.EmailField(_("your e-mail address"))
    relation = models.CharField(_("you are the mentor's…"), max_length=20, choices=Relation.choices)
    story = models.TextField(_("why this mentor"), max_length=STORY_MAX_LENGTH)
    evidence = models.FileField(_("supporting document"), upload_to="contests/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    # The nominator's personal link to change their nomination: only their mailbox has it, so
    # knowing their address is not enough to rewrite their story.
    token = models.CharField(max_length=64, unique=True, default=new_link_token, editable=False)
    # The language the nominator wrote in: their e-mails and their personal page speak it,
    # whoever typed their address.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="fr-ca"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "nominee", Lower("nominator_email"), name="one_nomination_per_nominator"
            )
        ]

    def __str__(self):
        return f"{self.nominator_name} → {self.nominee}"


class Juror(models.Model):
    """A member of the edition's jury, who scores through a personal link (no account needed).
    `person` is set when the juror is someone of the organisation, found by e-mail: their
    pairings then reveal conflicts of interest by themselves."""

    class Kind(models.TextChoices):
        MANAGER = "manager", _("Manager")
        EXECUTIVE = "executive", _("Executive")
        PAST_WINNER = "past_winner", _("Past winner")
        OTHER = "other", _("Other")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="jurors")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="fr-ca"
    )
    kind = models.CharField(_("role on the jury"), max_length=12, choices=Kind.choices)
    token = models.CharField(max_length=64, unique=True, default=new_link_token, editable=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    # When the juror confirmed they declared every conflict of interest: scoring opens then.
    conflicts_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint("edition", Lower("email"), name="one_juror_per_email")
        ]

    def __str__(self):
        return self.name


class ConflictReason(models.TextChoices):
    # Found by Laurier from its records.
    SELF = "self", _("The juror is the nominee")
    PAIRED = "paired", _("Mentor and mentee of each other")
    SHARED_MENTEE = "shared_mentee", _("They mentor the same mentee")
    NOMINATOR = "nominator", _("The juror nominated them")
    # Declared by the juror or by a manager.
    REPORTING_LINE = "reporting_line", _("One reports to the other at work")
    FAMILY = "family", _("Family or personal relationship")
    CLOSE_WORK = "close_work", _("Close working relationship")
    OTHER = "other", _("Other")


DECLARABLE_REASONS = (
    ConflictReason.REPORTING_LINE,
    ConflictReason.FAMILY,
    ConflictReason.CLOSE_WORK,
    ConflictReason.OTHER,
)


class DeclaredConflict(models.Model):
    """A conflict of interest declared by a juror, or recorded by a manager for them. Those
    Laurier finds in its records are computed each time instead (selectors.conflicts)."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="declared_conflicts")
    nominee = models.ForeignKey(
        Nominee, on_delete=models.CASCADE, related_name="declared_conflicts"
    )
    reason = models.CharField(
        _("reason"),
        max_length=20,
        choices=[(reason.value, reason.label) for reason in DECLARABLE_REASONS],
    )
    note = models.CharField(_("details"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["juror", "nominee"], name="one_conflict_per_pair")
        ]

    def __str__(self):
        return f"{self.juror} ≠ {self.nominee}"


class Score(models.Model):
    """What one juror gave one nominee on one criterion."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="scores")
    nominee = models.ForeignKey(Nominee, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "nominee", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=SCORE_MIN) & Q(value__lte=SCORE_MAX),
                name="score_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.juror} → {self.nominee}: {self.value}"


class Winner(models.Model):
    """A nominee chosen at the announcement, with what they received."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="winners_chosen")
    nominee = models.OneToOneField(Nominee, on_delete=models.CASCADE, related_name="winner")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contest_wins")
    rank = models.PositiveSmallIntegerField(_("rank"))
    award = models.OneToOneField(
        "recognition.Award",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contest_win",
    )
    spotlight = models.OneToOneField(
        "recognition.Spotlight",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contest_win",
    )
    announced_at = models.DateTimeField()

    class Meta:
        verbose_name = _("winner")
        verbose_name_plural = _("winners")
        ordering = ["category__position", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["category", "rank"], name="one_winner_per_rank")
        ]

    def __str__(self):
        return f"{self.person} — {self.category}"
