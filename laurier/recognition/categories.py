"""The fixed vocabularies that surveys, the catalog and the planner share."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecognitionCategory(models.TextChoices):
    """Every family of recognition the catalog offers and mentors rate in their profile."""

    PUBLIC_MENTION = "public_mention", _("Public mention (newsletter, intranet)")
    THANK_YOU_CARD = "thank_you_card", _("Thank-you card")
    CERTIFICATE = "certificate", _("Certificate")
    BADGE = "badge", _("Mentoring badge")
    NETWORKS_AND_EVENTS = "networks_events", _("Access to networks and special events")
    MATERIAL_PERK = "material_perk", _("Material perk")
    SYMBOLIC_GIFT = "symbolic_gift", _("Symbolic gift")
    PUBLIC_EVENT = "public_event", _("Public event (gala, dinner)")
    PROFESSIONAL_DEVELOPMENT = "professional_development", _("Professional development")
    TRAINING_HOURS = "training_hours", _("Mentoring time credited as training hours")
    CONTEST = "contest", _("Mentor-of-the-year contest")
    STIPEND = "stipend", _("Stipend or honorarium")


class RecognitionMoment(models.TextChoices):
    """Moments of the year at which recognition can be given."""

    CYCLE_START = "cycle_start", _("Start of a cycle")
    MID_CYCLE = "mid_cycle", _("Middle of a cycle")
    CYCLE_END = "cycle_end", _("End of a cycle")
    MENTORING_ANNIVERSARY = "mentoring_anniversary", _("Anniversary of mentoring")
    MENTORING_DAY = "mentoring_day", _("International Mentoring Day (January 17)")
    YEAR_END = "year_end", _("End of the year")
    ORGANISATION_DATE = "organisation_date", _("One of the organisation's own dates")


class PublicConsent(models.TextChoices):
    """Whether a mentor agrees to be recognised in public."""

    YES = "yes", _("Yes, recognise me in public")
    NO = "no", _("No, keep my recognition private")
    ASK = "ask", _("Ask me each time")


class Giver(models.TextChoices):
    """Who gives a recognition, so that it comes from several people and not only the manager."""

    MANAGER = "manager", _("The program manager")
    EXECUTIVE = "executive", _("An executive")
    MENTEE = "mentee", _("The mentee")
    MENTEE_MANAGER = "mentee_manager", _("The mentee's manager")
    PEER = "peer", _("A fellow mentor")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")


class Formality(models.TextChoices):
    FORMAL = "formal", _("Formal")
    INFORMAL = "informal", _("Informal")


class Scope(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")


class Nature(models.TextChoices):
    SYMBOLIC = "symbolic", _("Symbolic")
    MATERIAL = "material", _("Material")


class Personalisation(models.TextChoices):
    """How far an option can be tailored to the person who receives it."""

    NONE = "none", _("The same for everyone")
    SOME = "some", _("Some personal touch (a name, a message)")
    FULL = "full", _("Chosen with and for the person")
