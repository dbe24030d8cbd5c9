"""Writes of kudos: a mentee or a fellow mentor thanks a mentor for one behaviour, in a click."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from laurier.core.dates import organisation_today
from laurier.outbox.services import queue_email
from laurier.programs.models import EnrolmentStatus, MentorEnrolment, Pairing

from ..categories import Giver
from ..models import KUDOS_MESSAGE_MAX_LENGTH, Behaviour, Kudos


def relation_to(giver, mentor, program):
    """How `giver` may thank `mentor` in `program`: as their mentee (a pairing, even ended: its
    end is a fine moment to say thanks), as a fellow active mentor, or not at all (None)."""
    if giver.pk == mentor.pk:
        return None
    if Pairing.objects.filter(program=program, mentor=mentor, mentee=giver).exists():
        return Giver.MENTEE
    active = MentorEnrolment.objects.filter(program=program, status=EnrolmentStatus.ACTIVE)
    if active.filter(person=giver).exists() and active.filter(person=mentor).exists():
        return Giver.PEER
    return None


def give_kudos(*, giver, mentor, program, behaviour, message="", today=None):
    """Thank `mentor` for `behaviour`; returns (kudos, created).

    Only a mentee of the mentor or a fellow mentor of the program may; a person gives a mentor
    one kudos per behaviour and day, so a second click returns the first (created=False). The
    mentor is told by e-mail, in their language, the first time only.
    """
    if behaviour not in Behaviour.values:
        raise ValidationError({"behaviour": _("Choose what you thank them for.")})
    message = (message or "").strip()
    if len(message) > KUDOS_MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                "message": _("Your message is %(length)d characters long: keep it to %(limit)d.")
                % {"length": len(message), "limit": KUDOS_MESSAGE_MAX_LENGTH}
            }
        )
    relation = relation_to(giver, mentor, program)
    if relation is None or program.organisation_id != giver.organisation_id:
        raise ValidationError(
            {"mentor": _("You can thank your own mentors and the fellow mentors of your programs.")}
        )
    today = today or organisation_today(program.organisation)
    fields = {"giver": giver, "mentor": mentor, "behaviour": behaviour, "given_on": today}
    if earlier := Kudos.objects.filter(**fields).first():
        return earlier, False
    try:
        with transaction.atomic():
            kudos = Kudos.objects.create(
                organisation=program.organisation,
                program=program,
                relation=relation,
                message=message,
                **fields,
            )
            _tell_mentor(kudos)
    except IntegrityError:
        # The same click, sent twice at the same moment.
        return Kudos.objects.get(**fields), False
    return kudos, True


def kudos_email(kudos):
    """(subject, text, HTML) of the e-mail telling a mentor about a kudos, in their language."""
    mentor, organisation = kudos.mentor, kudos.organisation
    with translation.override(mentor.language):
        context = {
            "kudos": kudos,
            "mentor": mentor,
            "giver": kudos.giver,
            "behaviour": kudos.get_behaviour_display(),
            "organisation": organisation,
            "program": kudos.program,
            "language": mentor.language,
            "link": (
                settings.SITE_URL.rstrip("/")
                + reverse("recognition:my_kudos", args=[organisation.slug])
                if mentor.user_id
                else ""
            ),
        }
        subject = _("%(organisation)s: %(giver)s thanks you for your %(behaviour)s") % {
            "organisation": organisation.name,
            "giver": kudos.giver.first_name,
            "behaviour": str(context["behaviour"]).lower(),
        }
        text = render_to_string("recognition/email/kudos.txt", context)
        html = render_to_string("recognition/email/kudos.html", context)
    return subject, text, html


def _tell_mentor(kudos):
    subject, text, html = kudos_email(kudos)
    queue_email(
        organisation=kudos.organisation,
        to=kudos.mentor.email,
        subject=subject,
        text=text,
        html=html,
        reason=f"kudos:{kudos.pk}",
    )
