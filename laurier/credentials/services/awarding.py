"""What each kind of credential attests, and the services that issue and revoke them."""

import uuid

from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from laurier.core.durations import minutes_to_hours
from laurier.core.site_urls import absolute_url
from laurier.hours.certificates import certificate_language
from laurier.organisations.audit import acting_user, record_change, snapshot
from laurier.organisations.models import AuditEvent

from ..builder import Achievement
from ..models import Credential, CredentialKind
from .issuance import (
    Recipient,
    _locked_issuer,
    issue_one,
    issuer_for,
    sign_status_list,
    signer_for,
)
from .notify import tell_badge_holders, tell_holder_of_revocation


class CredentialRefused(Exception):
    """A credential Laurier will not issue or change, with the reason to show."""


def badge_achievement(badge_class, language) -> Achievement:
    issuer = issuer_for(badge_class.organisation)
    with translation.override(language):
        return Achievement(
            id=badge_class.achievement_url,
            achievement_type="Badge",
            name=badge_class.name,
            description=badge_class.description,
            criteria=badge_class.criteria,
            language=language,
            image_url=absolute_url(
                "credentials:achievement_image", issuer.public_id, badge_class.public_id
            ),
        )


def badge_valid_until(badge_class, now):
    if not badge_class.valid_years:
        return None
    try:
        return now.replace(year=now.year + badge_class.valid_years)
    except ValueError:  # 29 February
        return now.replace(year=now.year + badge_class.valid_years, day=28)


def manual_issue_key(badge_class, held_before: int) -> str:
    # A badge revoked by mistake, or expired, can be awarded again: the count of the person's
    # earlier credentials of the badge makes the new award a new reason, while a double submit
    # still finds the same one.
    return f"badge:{badge_class.pk}:manual:{held_before}"


def badge_recipient(badge_class, person, issue_key, now) -> Recipient:
    return Recipient(
        person=person,
        achievement=badge_achievement(badge_class, certificate_language(person)),
        issue_key=issue_key,
        valid_until=badge_valid_until(badge_class, now),
    )


def current_filter(now) -> Q:
    """Credentials that attest today: neither revoked nor past their end."""
    return Q(revoked_at__isnull=True) & (Q(valid_until__isnull=True) | Q(valid_until__gt=now))


def award_badge(badge_class, person, *, actor) -> tuple[Credential, bool]:
    """Award `badge_class` to `person` by hand. (credential, created): a person who already holds
    it (neither revoked nor expired) keeps the one they have."""
    if person.organisation_id != badge_class.organisation_id:
        raise CredentialRefused(_("This person is not part of your organisation."))
    if not badge_class.active:
        raise CredentialRefused(_("This badge is retired: it can no longer be awarded."))
    now = timezone.now()
    held = Credential.objects.filter(badge_class=badge_class, person=person)
    current = held.filter(current_filter(now)).first()
    if current is not None:
        return current, False
    key = manual_issue_key(badge_class, held.count())
    recipient = badge_recipient(badge_class, person, key, now)
    with transaction.atomic():
        credential, created = issue_one(
            badge_class.organisation,
            recipient,
            kind=CredentialKind.BADGE,
            actor=actor,
            badge_class=badge_class,
        )
        if created:
            tell_badge_holders(badge_class.organisation, [credential])
    return credential, created


def _stable_urn(issuer, name) -> str:
    """A URI that names the same achievement for every credential of the issuer, for achievements
    that have no public page of their own."""
    return f"urn:uuid:{uuid.uuid5(issuer.public_id, name)}"


def award_achievement(award, language) -> Achievement:
    organisation = award.organisation
    with translation.override(language):
        option = award.option.name
        description = _(
            "%(organisation)s recognised this mentor's contribution with “%(option)s”."
        ) % {"organisation": organisation.name, "option": option}
        if award.moment:
            description += " " + _("Occasion: %(moment)s.") % {"moment": award.moment}
        criteria = _(
            "Given by %(organisation)s in its mentoring program %(program)s on %(day)s."
        ) % {
            "organisation": organisation.name,
            "program": award.program.name,
            "day": formats.date_format(award.given_on, "DATE_FORMAT"),
        }
        return Achievement(
            id=_stable_urn(organisation.issuer, f"option:{award.option_id}"),
            achievement_type="Award",
            name=option,
            description=description,
            criteria=criteria,
            language=language,
        )


def certify_award(award, *, actor) -> tuple[Credential, bool]:
    """The certificate of a given recognition, issued once (a second call returns it)."""
    from laurier.recognition.models import Award

    if award.status != Award.Status.GIVEN:
        raise CredentialRefused(_("Only a recognition already given has a certificate."))
    issuer_for(award.organisation)
    recipient = Recipient(
        person=award.mentor,
        achievement=award_achievement(award, certificate_language(award.mentor)),
        issue_key=f"award:{award.pk}",
    )
    return issue_one(
        award.organisation, recipient, kind=CredentialKind.AWARD, actor=actor, award=award
    )


def training_achievement(certificate, language) -> Achievement:
    person, year = certificate.person, certificate.year
    with translation.override(language):
        hours = minutes_to_hours(certificate.total_minutes)
        name = _("Training hours %(year)s: %(hours)s h") % {
            "year": year,
            "hours": formats.number_format(hours, use_l10n=True),
        }
        description = _(
            "Time %(person)s spent in mentoring sessions and professional-development events "
            "in %(year)s, as recorded by %(organisation)s."
        ) % {"person": person.full_name, "year": year, "organisation": person.organisation.name}
        criteria = _(
            "Mentoring sessions count once the other side confirmed them or a program manager "
            "recorded them; events count when attendance was taken."
        )
        return Achievement(
            id=_stable_urn(person.organisation.issuer, f"training-hours:{year}"),
            achievement_type="Certificate",
            name=name,
            description=description,
            criteria=criteria,
            language=language,
        )


def training_issue_key(year, minutes) -> str:
    return f"training:{year}:{minutes}"


def training_year(credential) -> str:
    """The year a training-hours credential attests, from its issue key ('' for other kinds)."""
    kind, _sep, rest = credential.issue_key.partition(":")
    year = rest.partition(":")[0]
    return year if kind == "training" and year.isdigit() else ""


def certify_training(certificate, *, actor) -> tuple[Credential, bool]:
    """The credential behind a training-hours certificate: one per person, year and total, so
    that more hours later make a new certificate while the earlier one stays true."""
    if not certificate.total_minutes:
        raise CredentialRefused(_("There are no training hours to certify for this year."))
    person = certificate.person
    issuer_for(person.organisation)
    recipient = Recipient(
        person=person,
        achievement=training_achievement(certificate, certificate_language(person)),
        issue_key=training_issue_key(certificate.year, certificate.total_minutes),
    )
    with transaction.atomic():
        credential, created = issue_one(
            person.organisation, recipient, kind=CredentialKind.TRAINING, actor=actor
        )
        if created:
            _supersede_training(credential, certificate.year, actor)
    return credential, created


def _supersede_training(current, year, actor):
    """Revoke the person's earlier credentials of the same year: one total holds at a time, and
    a verifier of an earlier one is sent to the current one."""
    earlier = Credential.objects.filter(
        person=current.person,
        kind=CredentialKind.TRAINING,
        issue_key__startswith=training_issue_key(year, ""),
        revoked_at__isnull=True,
    ).exclude(pk=current.pk)
    for credential in earlier:
        with translation.override(credential.language):
            reason = _("Replaced by an updated certificate: %(url)s") % {"url": current.url}
        revoke(credential, reason=reason, actor=actor, tell_holder=False)


def revoke(credential, *, reason, actor, tell_holder=True) -> Credential:
    """Revoke `credential`: its bit is set in its status list, which is signed again at once,
    so every verifier sees it as revoked from now on, and its holder is told why. Revoking twice
    changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise CredentialRefused(
            _("Say why the credential is revoked: the verification page shows it.")
        )
    with transaction.atomic():
        issuer = _locked_issuer(credential.organisation)
        credential = Credential.objects.select_for_update().get(pk=credential.pk)
        if credential.revoked_at is not None:
            return credential
        # The whole row before: the trail then holds only what changed, never the signed
        # document (which does not change).
        before = snapshot(credential)
        credential.revoked_at = timezone.now()
        credential.revoked_by = acting_user(actor)
        credential.revocation_reason = reason[:500]
        credential.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        sign_status_list(credential.status_list, signer_for(issuer))
        if tell_holder:
            tell_holder_of_revocation(credential)
        record_change(
            organisation=credential.organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=credential,
            before=before,
        )
        return credential
