from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from laurier.organisations.models import Organisation
from laurier.programs.models import Person
from laurier.recognition.categories import PublicConsent, RecognitionCategory


class Motivation(models.TextChoices):
    """Why people mentor."""

    PAY_IT_FORWARD = "pay_it_forward", _("To share and pay it forward")
    NEW_PERSPECTIVES = "new_perspectives", _("To gain new perspectives")
    NEXT_GENERATION = "next_generation", _("To develop the next generation")
    OWN_GROWTH = "own_growth", _("For my own growth")
    NETWORK = "network", _("To build my network")
    OTHER = "other", _("Another reason")


class ProfileSource(models.TextChoices):
    SURVEY = "survey", _("Survey answer")
    SELF = "self", _("Edited by the mentor")
    MANAGER = "manager", _("Edited by a manager")


class MentorProfile(models.Model):
    """What a mentor wants: the structured profile the planner reads. One current profile per
    person; every change also leaves a ProfileVersion behind."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="mentor_profiles"
    )
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="mentor_profile")
    public_consent = models.CharField(
        _("public recognition"), max_length=5, choices=PublicConsent.choices, blank=True
    )
    motivation_other = models.CharField(_("other reason"), max_length=300, blank=True)
    interests = models.TextField(_("interests"), blank=True)
    diet = models.CharField(_("dietary needs"), max_length=300, blank=True)
    accessibility = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    availability = models.CharField(_("availability for events"), max_length=300, blank=True)
    # RecognitionMoment values, read one mentor at a time by the planner.
    preferred_moments = models.JSONField(_("preferred moments"), default=list, blank=True)
    source = models.CharField(max_length=10, choices=ProfileSource.choices)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")

    def __str__(self):
        return str(self.person)


class ProfileMotivation(models.Model):
    profile = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="motivations")
    motivation = models.CharField(max_length=20, choices=Motivation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "motivation"], name="motivation_once")
        ]
        indexes = [models.Index(fields=["motivation"], name="profile_motivation")]

    def __str__(self):
        return self.get_motivation_display()


# The scale on which a mentor rates each category of recognition: 0 (not at all) to 5.
PREFERENCE_SCORES = range(0, 6)


class CategoryPreference(models.Model):
    """How much a mentor values one category of recognition, from 0 (not at all) to 5."""

    profile = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="preferences")
    category = models.CharField(max_length=30, choices=RecognitionCategory.choices)
    score = models.PositiveSmallIntegerField(
        validators=[
            MinValueValidator(PREFERENCE_SCORES[0]),
            MaxValueValidator(PREFERENCE_SCORES[-1]),
        ]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "category"], name="category_once"),
            models.CheckConstraint(
                condition=models.Q(score__lte=PREFERENCE_SCORES[-1]), name="score_at_most_5"
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.score}"


class ProfileVersion(models.Model):
    """A profile as it was after one change: the history shown on the mentor's page."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="profile_versions")
    recorded_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=ProfileSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["person", "-recorded_at"], name="profile_history")]

    def __str__(self):
        return f"{self.person} · {self.recorded_at:%Y-%m-%d}"
