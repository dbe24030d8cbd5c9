"""Nominating a mentor, at the public link or in Laurier, and a nominee declining.

Nominations merge per nominee: the first one of a mentor in a category creates their Nominee,
later ones (other nominators) add their stories to it; one e-mail address nominates a mentor
once, so a double submit never doubles anything. The unique constraints settle races: two
simultaneous first nominations both try to insert, one meets the constraint in a savepoint and
takes the row the other wrote.

Knowing an address is not owning it: the public form never changes a nomination. The
nominator changes theirs at the personal link of their acknowledgment (their mailbox is the
proof), and the form, given their address again with other answers, sends them that link
again instead. A nomination made in Laurier changes only there, by its signed-in author.

A nominee is told by e-mail, in their language, the first time they are nominated in a
category, unless they said no to public recognition in their mentor profile; the e-mail names
the contest and the category, never the nominators, and links to their personal page where
they can decline until the jury's scoring closes.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from laurier.core.dates import organisation_today
from laurier.organisations.audit import record_change, snapshot
from laurier.organisations.models import AuditEvent, Role
from laurier.outbox.models import OutgoingEmail
from laurier.outbox.services import queue_email
from laurier.profiles.models import MentorProfile
from laurier.programs.models import MenteeEnrolment, MentorEnrolment
from laurier.recognition.categories import PublicConsent

from .. import selectors
from ..models import (
    STORY_MAX_LENGTH,
    Category,
    Edition,
    Nomination,
    Nominee,
    Phase,
    Relation,
)
from ..uploads import check_evidence, store_evidence
from .editions import set_nominee_status

NAME_MAX_LENGTH = 200
DECLINE_REASON_MAX_LENGTH = 300
# Beyond this many eligible mentors a list is no longer a way to find one: the form asks for
# a name first, then lists the mentors it matches.
MENTOR_LIST_LIMIT = 200
MENTORS_FOUND = 50
# Someone sending the public form with an address that already nominated the mentor: the
# address is sent its change link again, at most once per this many seconds.
CHANGE_LINK_PERIOD_SECONDS = 600


def _long_date(day):
    return date_format(day, "DATE_FORMAT")


# --- Reads -----------------------------------------------------------------------------------


def edition_by_nomination_token(token):
    """The edition whose public nomination link is `token`, or None."""
    if not token or len(token) > 64:
        return None
    return (
        Edition.objects.select_related("organisation", "program")
        .filter(nomination_token=token)
        .first()
    )


def nominee_by_token(token):
    """The nominee whose personal link is `token`, or None."""
    if not token or len(token) > 64:
        return None
    return (
        Nominee.objects.select_related(
            "person", "program", "category__edition__organisation", "category__edition__program"
        )
        .filter(token=token)
        .first()
    )


def closed_message(edition, today=None):
    """Why nothing can be nominated in `edition` today, or "" while nominations are open."""
    phase = edition.phase(today)
    if phase == Phase.NOMINATIONS:
        return ""
    if phase == Phase.UPCOMING:
        return _("Nominations open on %(date)s.") % {
            "date": _long_date(edition.nominations_open_on)
        }
    return _("Nominations closed on %(date)s.") % {"date": _long_date(edition.nominations_close_on)}


def _member_editions(membership, person):
    """A member's organisation's editions they can see: organisation-wide ones, and those of
    the programs where they mentor, are mentored or manage (every one for an admin)."""
    editions = Edition.objects.filter(organisation_id=membership.organisation_id)
    if membership.role == Role.ADMIN:
        return editions
    visible = Q(program__isnull=True)
    if membership.role == Role.MANAGER:
        visible |= Q(program__managers=membership.user_id)
    if person is not None:
        visible |= Q(
            program__in=MentorEnrolment.objects.filter(person=person).values("program_id")
        ) | Q(program__in=MenteeEnrolment.objects.filter(person=person).values("program_id"))
    return editions.filter(visible).distinct()


def editions_open_to(membership, person, today=None):
    """The editions a member may nominate in today: those they can see, in their nomination
    phase. One query."""
    today = today or organisation_today(membership.organisation)
    return (
        _member_editions(membership, person)
        .filter(
            announced_at__isnull=True,
            nominations_open_on__lte=today,
            nominations_close_on__gte=today,
        )
        .select_related("program")
        .order_by("nominations_close_on", "pk")
    )


def has_open_edition(membership, person, today=None):
    """Whether the member's space shows "Nominate a mentor". One query."""
    return editions_open_to(membership, person, today).exists()


def member_edition(membership, person, pk):
    """The edition `pk` if the member can see it (whatever its phase), or None."""
    return (
        _member_editions(membership, person)
        .select_related("organisation", "program")
        .filter(pk=pk)
        .first()
    )


def nominations_by(membership, person):
    """The nominations a member made in Laurier, or with their account's or person's e-mail
    address, newest first."""
    emails = {membership.user.email.lower()} | ({person.email.lower()} if person else set())
    mine = Q(nominator_user_id=membership.user_id)
    for email in emails:
        mine |= Q(nominator_email__iexact=email)
    if person is not None:
        mine |= Q(nominator_person=person)
    return (
        Nomination.objects.filter(
            nominee__category__edition__organisation_id=membership.organisation_id
        )
        .filter(mine)
        .select_related(
            "nominee__person", "nominee__category__edition__organisation", "nominee__program"
        )
        .order_by("-submitted_at", "-pk")
    )


def own_nomination(edition, email, category_pk, person_pk):
    """The nomination `email` made of `person_pk` in a category of `edition`, or None."""
    if not email or not isinstance(category_pk, int) or not isinstance(person_pk, int):
        return None
    return (
        Nomination.objects.filter(
            nominee__category__edition=edition,
            nominee__category_id=category_pk,
            nominee__person_id=person_pk,
            nominator_email__iexact=email,
        )
        .select_related("nominee")
        .first()
    )


def mentor_choices(edition, words=""):
    """(mentors, searching): the eligible mentors as (pk, name, program_id, detail), all of
    them when there are at most MENTOR_LIST_LIMIT, otherwise those whose names match `words`
    (at most MENTORS_FOUND) with searching True. `detail` (department, else job title) tells
    apart mentors of the same name. One query, two when searching.

    Names only: the public form must not turn an e-mail address into a name."""
    fields = ("pk", "first_name", "last_name", "nominee_program_id", "department", "job_title")
    rows = list(selectors.eligible_mentors(edition).values_list(*fields)[: MENTOR_LIST_LIMIT + 1])
    searching = len(rows) > MENTOR_LIST_LIMIT
    if searching:
        words = (words or "").split()
        if not words:
            return [], True
        found = selectors.eligible_mentors(edition)
        for word in words[:5]:
            found = found.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        rows = found.values_list(*fields)[:MENTORS_FOUND]
    return [
        (pk, f"{first} {last}".strip(), program, department or job_title)
        for pk, first, last, program, department, job_title in rows
    ], searching


def default_relation(membership, person, edition):
    """The relation a member most likely has to the mentors they nominate."""
    if membership.role in (Role.ADMIN, Role.MANAGER):
        return Relation.PROGRAM_MANAGER
    if membership.role == Role.MENTEE:
        return Relation.MENTEE
    if membership.role == Role.MENTOR:
        return Relation.PEER
    return Relation.OTHER


# --- Nominating ------------------------------------------------------------------------------


def _check_phase(edition, today):
    message = closed_message(edition, today)
    if message:
        raise ValidationError(message, code="closed")


def _category(edition, category):
    if isinstance(category, Category):
        return category if category.edition_id == edition.pk else None
    if not isinstance(category, int):
        return None
    return Category.objects.filter(edition=edition, pk=category).first()


def not_eligible_message():
    return _("Choose one of the mentors listed: this person cannot be nominated in this contest.")


def _is_self(person, nominator_email, nominator_person):
    if nominator_person is not None and nominator_person.pk == person.pk:
        return True
    return nominator_email.lower() == (person.email or "").lower()


def _check_story(story, errors):
    story = (story or "").strip()
    if not story:
        errors["story"] = _("Tell the jury why this mentor deserves it: a few sentences will do.")
    elif len(story) > STORY_MAX_LENGTH:
        errors["story"] = _("Your story is %(length)d characters long: keep it to %(limit)d.") % {
            "length": len(story),
            "limit": STORY_MAX_LENGTH,
        }
    return story


def _check_nominator(name, email, errors):
    name = " ".join((name or "").split())
    if not name:
        errors["nominator_name"] = _("Give your name: the jury reads who nominates.")
    elif len(name) > NAME_MAX_LENGTH:
        errors["nominator_name"] = _("Keep your name to %(limit)d characters.") % {
            "limit": NAME_MAX_LENGTH
        }
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        errors["nominator_email"] = _(
            "Give a valid e-mail address: we confirm your nomination there."
        )
    return name, email


def _refused_nominee_message(nominee):
    if nominee.status == Nominee.Status.DECLINED:
        return _(
            "%(name)s has chosen not to take part in this category. Thank you for thinking of "
            "them all the same: perhaps tell them in person what you would have written."
        ) % {"name": nominee.person.full_name}
    return _(
        "%(name)s is no longer in the running in this category: it cannot receive "
        "nominations for them."
    ) % {"name": nominee.person.full_name}


def nominate(
    edition,
    *,
    category,
    person_pk,
    nominator_name,
    nominator_email,
    relation,
    story,
    evidence=None,
    nominator_person=None,
    nominator_user=None,
    source,
    today=None,
    language=None,
):
    """Nominate the eligible mentor `person_pk` in `category` of `edition`; returns
    (nomination, created).

    Refused (ValidationError by field, nothing written) outside the nomination phase, for a
    category of another edition, a person who is not an eligible mentor (whoever they are),
    a self-nomination the edition does not allow, an empty or too long story, a bad file, or
    a nominee who declined or was withdrawn.

    When the address (in any case) already nominated this mentor in this category: the same
    story, relation and file again (a double submit) change nothing (created False). Anything
    else changes nothing either, since knowing someone's address must not let anyone rewrite
    their story: the address is sent its personal change link again (at most once per
    CHANGE_LINK_PERIOD_SECONDS) and AlreadyNominated is raised. Only the signed-in author
    (`nominator_user`) changes their nomination here, in Laurier; a nomination made in Laurier
    changes only there.
    `language`: the nominator's, for their acknowledgment, when no `nominator_person` says it
    (the page's language by default).
    """
    today = today or organisation_today(edition.organisation)
    _check_phase(edition, today)
    errors = {}
    category_obj = _category(edition, category)
    if category_obj is None:
        errors["category"] = _("Choose one of the contest's categories.")
    person = selectors.eligible_mentor(edition, person_pk)
    if person is None:
        errors["nominee"] = not_eligible_message()
    nominator_name, nominator_email = _check_nominator(nominator_name, nominator_email, errors)
    if relation not in Relation.values:
        errors["relation"] = _("Say what you are to the mentor.")
    story = _check_story(story, errors)
    checked = _check_file(evidence, errors)
    if person is not None and "nominator_email" not in errors:
        relation = _check_self(edition, person, nominator_email, nominator_person, relation, errors)
    if errors:
        raise ValidationError(errors)

    language = _nominator_language(nominator_person, language)
    with transaction.atomic():
        nominee, nominee_created = _nominee(category_obj, person)
        if not nominee.is_in_the_running:
            raise ValidationError({"nominee": _refused_nominee_message(nominee)})
        fields = {
            "nominator_name": nominator_name,
            "relation": relation,
            "story": story,
            "language": language,
        }
        if nominator_person is not None:
            fields["nominator_person"] = nominator_person
        if nominator_user is not None and nominator_user.is_authenticated:
            fields["nominator_user"] = nominator_user
        nomination, outcome, replaced_file = _save_nomination(
            nominee, nominator_email, fields, checked, source
        )
        if outcome == _CREATED:
            record_change(
                organisation=edition.organisation,
                actor=nominator_user,
                action=AuditEvent.Action.CREATE,
                instance=nomination,
            )
        if nominee_created:
            _tell_nominee(nominee, edition)
        if outcome in (_CREATED, _CHANGED):
            _acknowledge(nomination, edition, language=language, created=outcome == _CREATED)
        elif outcome == _ELSEWHERE:
            _send_change_link(nomination, edition)
        _forget_later(replaced_file)
    if outcome == _ELSEWHERE:
        raise AlreadyNominated(nomination)
    return nomination, outcome == _CREATED


class AlreadyNominated(Exception):
    """The address already nominated this mentor in this category, and the form said
    something else: nothing changed, and the address was sent its change link. The page says
    so, and nothing more about the nomination."""

    def __init__(self, nomination):
        super().__init__("already nominated")
        self.nomination = nomination


def _check_file(evidence, errors):
    if not evidence:
        return None
    try:
        return check_evidence(evidence)
    except ValidationError as error:
        errors["evidence"] = error.messages
    return None


def _check_self(edition, person, nominator_email, nominator_person, relation, errors):
    """The relation to keep: SELF for a self-nomination (when the edition takes them)."""
    is_self = _is_self(person, nominator_email, nominator_person)
    if is_self and not edition.allow_self_nomination:
        errors["nominee"] = _(
            "This contest does not take self-nominations: ask a mentee or a colleague to "
            "nominate you."
        )
    elif is_self:
        return Relation.SELF
    elif relation == Relation.SELF:
        errors["relation"] = _("“Myself” is for nominating yourself: choose another answer.")
    return relation


def _forget_later(name):
    """Delete a file the nomination no longer uses, once the change is committed."""
    if name:
        storage = Nomination._meta.get_field("evidence").storage
        transaction.on_commit(lambda: storage.delete(name))


def _nominator_language(nominator_person, language):
    if nominator_person is not None and nominator_person.language:
        return nominator_person.language
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _nominee(category, person):
    """(nominee, created), the nominee locked for the rest of the transaction so that a
    decline and a nomination do not cross."""
    nominee = _locked_nominee(category, person)
    if nominee is not None:
        return nominee, False
    try:
        with transaction.atomic():
            nominee = Nominee.objects.create(
                category=category, person=person, program_id=person.nominee_program_id
            )
    except IntegrityError:
        # A simultaneous first nomination created them a moment ago.
        return _locked_nominee(category, person, must_exist=True), False
    nominee.person = person
    return nominee, True


def _locked_nominee(category, person, must_exist=False):
    nominees = (
        Nominee.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(category=category, person=person)
    )
    return nominees.get() if must_exist else nominees.first()


def _own_nomination(nominee, email, must_exist=False):
    nominations = nominee.nominations.filter(nominator_email__iexact=email)
    return nominations.get() if must_exist else nominations.first()


# What a submit did to the address's nomination of a nominee.
_CREATED, _CHANGED, _UNCHANGED, _ELSEWHERE = "created", "changed", "unchanged", "elsewhere"


def _save_nomination(nominee, email, fields, checked, source):
    """(nomination, outcome, the file name it no longer uses or "")."""
    existing = _own_nomination(nominee, email)
    if existing is None:
        evidence = _stored_evidence(nominee, checked)
        try:
            with transaction.atomic():
                nomination = Nomination.objects.create(
                    nominee=nominee,
                    nominator_email=email,
                    source=source,
                    **fields,
                    **(evidence or {}),
                )
            return nomination, _CREATED, ""
        except IntegrityError:
            # The same nominator's other submit wrote it a moment ago.
            if evidence:
                Nomination._meta.get_field("evidence").storage.delete(evidence["evidence"])
            existing = _own_nomination(nominee, email, must_exist=True)
    _check_owner(existing, fields)
    if fields.get("nominator_user") is None:
        # Whoever typed the address: the same form again is a double submit; anything else
        # goes through the personal link that only the address's mailbox has.
        if _same_as_stored(existing, fields, checked):
            return existing, _UNCHANGED, ""
        return existing, _ELSEWHERE, ""
    evidence = _stored_evidence(nominee, checked)
    before = snapshot(existing)
    replaced = ""
    for name, value in fields.items():
        setattr(existing, name, value)
    if evidence is not None:
        replaced = existing.evidence.name or ""
        for name, value in evidence.items():
            setattr(existing, name, value)
    existing.save()
    event = record_change(
        organisation=nominee.category.edition.organisation_id,
        actor=fields.get("nominator_user"),
        action=AuditEvent.Action.UPDATE,
        instance=existing,
        before=before,
    )
    return existing, _CHANGED if event is not None else _UNCHANGED, replaced


def _same_as_stored(nomination, fields, checked):
    if nomination.story != fields["story"] or nomination.relation != fields["relation"]:
        return False
    if checked is None:
        return not nomination.evidence
    return _same_file(nomination, checked)


def _same_file(nomination, checked):
    """Whether the uploaded file has the content of the nomination's document (by content:
    a browser may name the same file differently)."""
    if not nomination.evidence:
        return False
    uploaded = checked.file
    storage = Nomination._meta.get_field("evidence").storage
    try:
        if storage.size(nomination.evidence.name) != uploaded.size:
            return False
        with storage.open(nomination.evidence.name, "rb") as stored:
            stored_digest = hashlib.file_digest(stored, "sha256").hexdigest()
    except OSError:
        return False
    uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest() == stored_digest


def _check_owner(existing, fields):
    """A nomination made in Laurier changes only in Laurier, by its author: typing their
    address in the public form must not rewrite their story."""
    if existing is None or existing.nominator_user_id is None:
        return
    user = fields.get("nominator_user")
    if user is None or user.pk != existing.nominator_user_id:
        raise ValidationError(
            {
                "nominator_email": _(
                    "This address already nominated this mentor in Laurier: sign in to Laurier "
                    "to change that nomination."
                )
            },
            code="owned",
        )


def _stored_evidence(nominee, checked):
    if checked is None:
        return None
    holder = Nomination()
    store_evidence(holder, nominee.category.edition, checked)
    return {
        "evidence": holder.evidence.name,
        "evidence_name": holder.evidence_name,
        "evidence_type": holder.evidence_type,
    }


# --- Changing a nomination at its personal link ----------------------------------------------


def nomination_by_token(token):
    """The nomination whose personal link is `token`, or None."""
    if not token or len(token) > 64:
        return None
    return (
        Nomination.objects.select_related(
            "nominee__person",
            "nominee__category__edition__organisation",
            "nominee__category__edition__program",
        )
        .filter(token=token)
        .first()
    )


def made_in_laurier(nomination):
    """A nomination made (or since changed) in Laurier by its signed-in author changes only
    there."""
    return nomination.nominator_user_id is not None


def can_change(nomination, today=None):
    """Whether the nominator may change `nomination` at its personal link today."""
    edition = nomination.nominee.category.edition
    return not made_in_laurier(nomination) and edition.phase(today) == Phase.NOMINATIONS


def change_nomination(
    nomination, *, relation, story, evidence=None, remove_evidence=False, today=None
):
    """The nominator changes their nomination at their personal link; returns
    (nomination, changed).

    Refused (ValidationError, nothing written) outside the nomination phase, for a nomination
    made in Laurier, a nominee no longer in the running, an empty or too long story, a
    relation that does not fit (“myself” for someone else), a self-nomination the edition no
    longer takes, or a bad file. A new file replaces the document; `remove_evidence` removes
    it (a new file wins over both). The same answers again change nothing and send nothing.
    """
    edition = nomination.nominee.category.edition
    today = today or organisation_today(edition.organisation)
    _check_phase(edition, today)
    if made_in_laurier(nomination):
        raise ValidationError(
            _("You made this nomination in Laurier: sign in to Laurier to change it."),
            code="in_laurier",
        )
    errors = {}
    if relation not in Relation.values:
        errors["relation"] = _("Say what you are to the mentor.")
    story = _check_story(story, errors)
    checked = _check_file(evidence, errors)
    relation = _check_self(
        edition,
        nomination.nominee.person,
        nomination.nominator_email,
        nomination.nominator_person,
        relation,
        errors,
    )
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        # The nominee first, as when nominating: a decline and a change do not cross.
        category = nomination.nominee.category
        nominee = (
            Nominee.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=nomination.nominee_id)
        )
        nominee.category = category
        if not nominee.is_in_the_running:
            raise ValidationError(_refused_nominee_message(nominee), code="not_running")
        nomination = Nomination.objects.select_for_update(of=("self",)).get(pk=nomination.pk)
        nomination.nominee = nominee
        if made_in_laurier(nomination):
            raise ValidationError(
                _("You made this nomination in Laurier: sign in to Laurier to change it."),
                code="in_laurier",
            )
        if checked is not None and _same_file(nomination, checked):
            checked = None
        remove = remove_evidence and checked is None and bool(nomination.evidence)
        if (
            nomination.story == story
            and nomination.relation == relation
            and checked is None
            and not remove
        ):
            return nomination, False
        before = snapshot(nomination)
        replaced = nomination.evidence.name if (checked or remove) else ""
        nomination.story = story
        nomination.relation = relation
        if checked is not None:
            store_evidence(nomination, edition, checked)
        elif remove:
            nomination.evidence = ""
            nomination.evidence_name = ""
            nomination.evidence_type = ""
        nomination.save()
        record_change(
            organisation=edition.organisation,
            actor=None,
            action=AuditEvent.Action.UPDATE,
            instance=nomination,
            before=before,
        )
        _acknowledge(nomination, edition, language=nomination.language, created=False)
        _forget_later(replaced)
    return nomination, True


# --- E-mails ---------------------------------------------------------------------------------


def nominee_link(nominee):
    """The absolute personal link of a nominee's page."""
    return settings.SITE_URL.rstrip("/") + reverse("contests:nominee_page", args=[nominee.token])


def nominate_link(edition):
    """The absolute public nomination link of an edition."""
    return settings.SITE_URL.rstrip("/") + reverse(
        "contests:nominate_by_link", args=[edition.nomination_token]
    )


def consents_to_be_told(person):
    """Told of a nomination unless they said no to public recognition; without a profile they
    never said no."""
    consent = (
        MentorProfile.objects.filter(person=person).values_list("public_consent", flat=True).first()
    )
    return consent != PublicConsent.NO


def nominee_email(nominee, edition):
    """(subject, text, HTML) of the e-mail telling a nominee, in their language."""
    person = nominee.person
    organisation = edition.organisation
    with translation.override(person.language), timezone.override(organisation.time_zone):
        context = {
            "person": person,
            "nominee": nominee,
            "edition": edition,
            "edition_name": edition.name,
            "category_name": nominee.category.name,
            "organisation": organisation,
            "link": nominee_link(nominee),
            "scoring_close_on": _long_date(edition.scoring_close_on),
            "announce_on": _long_date(edition.announce_on),
            "language": person.language,
        }
        subject = _("You are nominated: %(contest)s") % {"contest": edition.name}
        text = render_to_string("contests/email/nominee_told.txt", context)
        html = render_to_string("contests/email/nominee_told.html", context)
    return subject, text, html


def _tell_nominee(nominee, edition):
    if not consents_to_be_told(nominee.person):
        return
    subject, text, html = nominee_email(nominee, edition)
    queue_email(
        organisation=edition.organisation,
        to=nominee.person.email,
        subject=subject,
        text=text,
        html=html,
        reason=f"contest-nominee-told:{nominee.pk}",
        topic=f"contest:{edition.pk}",
    )
    nominee.told_at = timezone.now()
    nominee.save(update_fields=["told_at"])


def acknowledgment_email(nomination, edition, language, created=True, resent=False):
    """(subject, text, HTML) of the e-mail thanking a nominator, in `language`, telling them
    that their nomination changed, or (`resent`) sending their change link again because
    someone sent the form with their address."""
    organisation = edition.organisation
    nominee = nomination.nominee
    with translation.override(language), timezone.override(organisation.time_zone):
        context = {
            "nomination": nomination,
            "edition": edition,
            "edition_name": edition.name,
            "category_name": nominee.category.name,
            "mentor": nominee.person.full_name,
            "organisation": organisation,
            "close_on": _long_date(edition.nominations_close_on),
            "announce_on": _long_date(edition.announce_on),
            "link": _change_link(nomination, edition),
            "in_laurier": made_in_laurier(nomination),
            "changed": not created and not resent,
            "resent": resent,
            "language": language,
        }
        if resent:
            subject = _("Your link to change your nomination of %(mentor)s")
        elif created:
            subject = _("Your nomination of %(mentor)s is received")
        else:
            subject = _("Your nomination of %(mentor)s is changed")
        subject = subject % {"mentor": nominee.person.full_name}
        text = render_to_string("contests/email/nomination_received.txt", context)
        html = render_to_string("contests/email/nomination_received.html", context)
    return subject, text, html


def nomination_change_link(nomination):
    """The absolute personal link where a nominator changes their nomination."""
    return settings.SITE_URL.rstrip("/") + reverse(
        "contests:nomination_change", args=[nomination.token]
    )


def _change_link(nomination, edition):
    if made_in_laurier(nomination):
        return settings.SITE_URL.rstrip("/") + reverse(
            "contests:my_nominations", args=[edition.organisation.slug]
        )
    return nomination_change_link(nomination)


def _acknowledge(nomination, edition, language, created):
    subject, text, html = acknowledgment_email(nomination, edition, language, created)
    queue_email(
        organisation=edition.organisation,
        to=nomination.nominator_email,
        subject=subject,
        text=text,
        html=html,
        reason=f"contest-nomination-received:{nomination.pk}"
        if created
        else f"contest-nomination-changed:{nomination.pk}:{nomination.updated_at.isoformat()}",
        topic=f"contest:{edition.pk}",
    )


def _send_change_link(nomination, edition):
    """Send the address its change link again, unless it was sent in the last
    CHANGE_LINK_PERIOD_SECONDS: someone retyping a colleague's address must not flood their
    mailbox. Returns whether it was sent. The nominee is locked: two submits do not cross."""
    reason = f"contest-nomination-link:{nomination.pk}"
    since = timezone.now() - datetime.timedelta(seconds=CHANGE_LINK_PERIOD_SECONDS)
    if OutgoingEmail.objects.filter(
        organisation=edition.organisation, reason=reason, created_at__gte=since
    ).exists():
        return False
    subject, text, html = acknowledgment_email(
        nomination, edition, nomination.language, created=False, resent=True
    )
    queue_email(
        organisation=edition.organisation,
        to=nomination.nominator_email,
        subject=subject,
        text=text,
        html=html,
        reason=reason,
        topic=f"contest:{edition.pk}",
    )
    return True


# --- Declining -------------------------------------------------------------------------------


def can_decline(nominee, today=None):
    edition = nominee.category.edition
    return edition.phase(today) in (Phase.UPCOMING, Phase.NOMINATIONS, Phase.SCORING)


def decline(nominee, *, reason="", today=None):
    """The nominee chooses not to take part in their category; returns (nominee, changed).

    Refused once the jury's scoring has closed (the result is being decided), and for a
    nominee the managers withdrew. Declining twice declines once.
    """
    reason = " ".join((reason or "").split())
    if len(reason) > DECLINE_REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep your reason to %(limit)d characters.")
                % {"limit": DECLINE_REASON_MAX_LENGTH}
            }
        )
    return _set_own_status(
        nominee,
        Nominee.Status.DECLINED,
        reason,
        today,
        too_late=_(
            "The jury's scoring closed on %(date)s: the result is being decided, and it "
            "is too late to decline. Write to the program's team if you have a concern."
        ),
    )


def undo_decline(nominee, *, today=None):
    """The nominee who declined changes their mind: back in the running; returns (nominee,
    changed).

    Possible as long as declining is (until the jury's scoring closes): after that the
    result is being decided without them. Refused for a nominee the managers withdrew; a
    nominee who did not decline is left as they are (a double submit changes nothing).
    """
    return _set_own_status(
        nominee,
        Nominee.Status.NOMINATED,
        "",
        today,
        too_late=_(
            "The jury's scoring closed on %(date)s: the result is being decided "
            "without this nomination, and your decline can no longer be undone."
        ),
    )


def _set_own_status(nominee, status, reason, today, *, too_late):
    """The nominee's own change of `status` (declining, or undoing it); returns (nominee,
    changed). Refused after the jury's scoring (`too_late`, with the date) and for a nominee
    the managers withdrew; a nominee already in `status` is left as they are."""
    with transaction.atomic():
        nominee = (
            Nominee.objects.select_for_update(of=("self",))
            .select_related("person", "category__edition__organisation")
            .get(pk=nominee.pk)
        )
        edition = nominee.category.edition
        if nominee.status == status:
            return nominee, False
        if nominee.status == Nominee.Status.WITHDRAWN:
            raise ValidationError(
                _("This nomination was withdrawn by the contest's organisers."), code="withdrawn"
            )
        if not can_decline(nominee, today):
            raise ValidationError(
                too_late % {"date": _long_date(edition.scoring_close_on)}, code="too_late"
            )
        set_nominee_status(nominee, status, reason, actor=None, organisation=edition.organisation)
    return nominee, True


def timeline(edition):
    """[(label, date)] of an edition's dates, for the pages."""
    return [
        (_("Nominations open"), edition.nominations_open_on),
        (_("Last day to nominate"), edition.nominations_close_on),
        (_("The jury scores until"), edition.scoring_close_on),
        (_("Announcement planned for"), edition.announce_on),
    ]
