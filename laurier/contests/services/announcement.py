"""Announcing an edition's winners: the result frozen as computed, a Winner per chosen
nominee, their award planned, their badge issued, a spotlight drafted where they agreed, and an
e-mail of congratulations to each winner; a thank-you of their own to each other nominee in the
running who was told of their nomination (one never told, having said no to it, is not told now).
A nominee nobody's counted score reaches is never proposed: a category may name fewer winners.

Everything happens in one transaction that locks the edition: a second submit finds it
announced and does nothing more.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from laurier.core.bilingual import in_reader_language
from laurier.core.dates import organisation_today
from laurier.core.site_urls import absolute_url
from laurier.credentials.models import BadgeRule, Credential
from laurier.credentials.services.rules import apply_rule, rule_key
from laurier.organisations.audit import record_change, record_event
from laurier.organisations.models import AuditEvent
from laurier.outbox.services import queue_email
from laurier.recognition.categories import Giver, PublicConsent
from laurier.recognition.selectors.spotlights import public_consent_of
from laurier.recognition.services.awards import add_award
from laurier.recognition.services.spotlights import create_spotlight, draft_spotlight

from ..models import Category, Edition, Nominee, Phase, Winner
from ..results import edition_result, label

# --- Who is proposed ---------------------------------------------------------------------------


@dataclass
class Proposal:
    """A category's proposed winners: those sure to win, and, where nominees ex aequo straddle
    the number of winners, the tied ones among whom the managers choose `places`."""

    category: object  # scoring.CategoryResult
    sure: list
    tied: list = field(default_factory=list)
    places: int = 0

    @property
    def must_choose(self):
        return bool(self.tied)

    @property
    def shortfall(self):
        """How many fewer winners than the category names: too few nominees were scored."""
        return max(self.category.winners - len(self.sure) - self.places, 0)

    @property
    def unscored(self):
        """Nominees in the running whom no counted score reaches: never proposed."""
        return [ranked for ranked in self.category.ranking if ranked.unscored]

    @property
    def name(self):
        return label(self.category.name)


def proposals(result):
    """[Proposal] per category of `result`, in order."""
    return [_proposal(category) for category in result.categories]


def _proposal(category):
    # Only scored nominees can win: an unscored one was never compared with anybody.
    ranking = [ranked for ranked in category.ranking if not ranked.unscored]
    winners = category.winners
    if len(ranking) <= winners:
        return Proposal(category, sure=list(ranking))
    last_in, first_out = ranking[winners - 1], ranking[winners]
    if last_in.rank != first_out.rank:
        return Proposal(category, sure=ranking[:winners])
    sure = [r for r in ranking if r.rank < last_in.rank]
    tied = [r for r in ranking if r.rank == last_in.rank]
    return Proposal(category, sure=sure, tied=tied, places=winners - len(sure))


def _chosen_winners(proposal, chosen):
    """The Ranked winners of a category: the sure ones, then those chosen among the tied.
    Refused when the choice is not `places` of the tied nominees."""
    picked = {int(pk) for pk in chosen or ()}
    tied = {ranked.nominee_id for ranked in proposal.tied}
    if picked - tied:
        raise ValidationError(
            _("In “%(category)s”, choose only among the nominees ex aequo at the cut.")
            % {"category": proposal.name},
            code="not_tied",
        )
    if proposal.must_choose and len(picked) != proposal.places:
        raise ValidationError(
            _("In “%(category)s”, choose %(count)d of the nominees ex aequo at the cut.")
            % {"category": proposal.name, "count": proposal.places},
            code="choose",
        )
    return proposal.sure + [r for r in proposal.tied if r.nominee_id in picked]


# --- The announcement --------------------------------------------------------------------------


@dataclass
class Announced:
    """What an announcement did, for the page that follows it."""

    created: bool
    winners: list = field(default_factory=list)
    # [(person name, reason)] of awards the catalog refused: the managers give another by hand.
    award_problems: list = field(default_factory=list)
    # People to ask before a spotlight (consent "ask me each time" or no answer yet).
    ask_first: list = field(default_factory=list)
    badges: int = 0
    thanked: int = 0


def refusal(edition, today):
    """Why `edition` cannot be announced on `today`, or ""."""
    phase = edition.phase(today)
    if phase == Phase.ANNOUNCED:
        return _("These winners were already announced.")
    if phase != Phase.DELIBERATION:
        return _(
            "The jury may score until %(date)s: the winners can be announced from the day after."
        ) % {"date": date_format(edition.scoring_close_on, "DATE_FORMAT")}
    return ""


def announce(edition, *, actor, chosen=None, today=None):
    """Announce `edition`'s winners; returns Announced.

    `chosen`: {category id: [nominee id, ...]}, the managers' choice among nominees ex aequo
    at the cut, needed only where there are some. Refused (ValidationError) before scoring
    closes, or for a choice that is not among the tied nominees. Idempotent: an edition
    already announced is left as it is (created=False).
    """
    chosen = chosen or {}
    with transaction.atomic():
        # Lock the row alone: PostgreSQL locks no row of an outer join (program, option).
        Edition.objects.select_for_update().filter(pk=edition.pk).values_list("pk").get()
        edition = Edition.objects.select_related("organisation", "program", "option").get(
            pk=edition.pk
        )
        if edition.announced_at is not None:
            return Announced(created=False, winners=list(_winners_of(edition)))
        organisation = edition.organisation
        today = today or organisation_today(organisation)
        problem = refusal(edition, today)
        if problem:
            raise ValidationError(problem, code="phase")
        result = edition_result(edition)
        proposed = proposals(result)
        picked = {}
        for proposal in proposed:
            picked[proposal.category.category_id] = _chosen_winners(
                proposal, chosen.get(proposal.category.category_id)
            )
        if not any(picked.values()):
            raise ValidationError(
                _("No nominee in the running was scored: there is no winner to announce."),
                code="empty",
            )
        # The managers' choice among nominees ex aequo at the cut, kept in the audit.
        choices = [
            {
                "category": proposal.category.category_id,
                "tied": [ranked.nominee_id for ranked in proposal.tied],
                "chosen": sorted(
                    ranked.nominee_id
                    for ranked in picked[proposal.category.category_id][len(proposal.sure) :]
                ),
            }
            for proposal in proposed
            if proposal.must_choose
        ]

        now = timezone.now()
        edition.result = result.as_dict()
        edition.announced_at = now
        edition.announced_by = actor if getattr(actor, "pk", None) else None
        edition.save(update_fields=["result", "announced_at", "announced_by"])

        nominees = {
            nominee.pk: nominee
            for nominee in Nominee.objects.filter(category__edition=edition)
            .select_related(
                "person__mentor_profile", "program__organisation", "category__badge_class"
            )
            .prefetch_related("nominations")
        }
        summary = Announced(created=True)
        winners = []
        for ranked in picked.values():
            for rank, entry in enumerate(ranked, start=1):
                nominee = nominees[entry.nominee_id]
                winner = Winner.objects.create(
                    category=nominee.category,
                    nominee=nominee,
                    person=nominee.person,
                    rank=rank,
                    announced_at=now,
                )
                record_change(
                    organisation=organisation,
                    actor=actor,
                    action=AuditEvent.Action.CREATE,
                    instance=winner,
                )
                winners.append(winner)

        for winner in winners:
            _plan_award(edition, winner, actor, today, summary)
            _draft_spotlight(winner, actor, today, summary)
        summary.badges = _issue_badges(edition, today)
        for winner in winners:
            _tell_winner(edition, winner)
        won = {winner.nominee_id for winner in winners}
        for nominee in nominees.values():
            if nominee.pk not in won and is_thanked(nominee):
                _thank(edition, nominee)
                summary.thanked += 1
        summary.winners = winners
        changes = {
            "announced_at": [None, now.isoformat()],
            "winners": [None, [str(winner.person) for winner in winners]],
        }
        if choices:
            changes["ex_aequo_choice"] = [None, choices]
        record_event(
            organisation=organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=edition,
            changes=changes,
        )
    return summary


def is_thanked(nominee):
    """A nominee not chosen gets a thank-you when still in the running, told of the nomination,
    and not saying no since: one never told is not told now (they could never decline).
    Reads the profile `select_related` brought."""
    return (
        nominee.status == Nominee.Status.NOMINATED
        and nominee.told_at is not None
        and public_consent_of(nominee.person) != PublicConsent.NO
    )


def _winners_of(edition):
    return Winner.objects.filter(category__edition=edition).select_related("person", "category")


def _plan_award(edition, winner, actor, today, summary):
    """The edition's award, planned for the winner: the managers approve and give it through
    the awards pages, where the budget is checked. A refusal is reported, not fatal."""
    if edition.option is None:
        return
    nominee = winner.nominee
    person = nominee.person
    with translation.override(person.language):
        message = _("%(category)s — %(edition)s") % {
            "category": in_reader_language(nominee.category, "name"),
            "edition": edition.name,
        }
    try:
        award, _created = add_award(
            program=nominee.program,
            mentor=person,
            option=edition.option,
            planned_on=max(edition.announce_on, today),
            actor=actor,
            givers=(Giver.EXECUTIVE,),
            message=message,
            form_token=f"contest-winner:{winner.pk}",
        )
    except ValidationError as error:
        summary.award_problems.append((person.full_name, " ".join(error.messages)))
        return
    winner.award = award
    winner.save(update_fields=["award"])


def _draft_spotlight(winner, actor, today, summary):
    """A spotlight draft for a winner who said yes to public recognition; those who asked to
    be asked (or never answered) are listed to be asked first; a "no" gets nothing."""
    person = winner.nominee.person
    consent = public_consent_of(person)
    if consent == PublicConsent.NO:
        return
    if consent != PublicConsent.YES:
        summary.ask_first.append(winner)
        return
    program = winner.nominee.program
    try:
        spotlight, _created = create_spotlight(
            program=program,
            mentor=person,
            actor=actor,
            **draft_spotlight(program, person, today),
        )
    except ValidationError:
        summary.ask_first.append(winner)
        return
    winner.spotlight = spotlight
    winner.save(update_fields=["spotlight"])


def _issue_badges(edition, today):
    """Issue each category's badge to its winners (the rule finds the Winner rows); returns
    how many credentials were issued."""
    badges = {
        category.badge_class
        for category in Category.objects.filter(
            edition=edition,
            badge_class__active=True,
            badge_class__rule=BadgeRule.CONTEST,
        ).select_related("badge_class__organisation")
    }
    return sum(apply_rule(badge, today) for badge in sorted(badges, key=lambda b: b.pk))


def winner_credential(winner):
    """The badge credential the winner received for this win, or None."""
    badge = winner.category.badge_class
    if badge is None:
        return None
    return Credential.objects.filter(
        badge_class=badge, person=winner.person, issue_key=rule_key(badge, f"contest:{winner.pk}")
    ).first()


# --- E-mails ---------------------------------------------------------------------------------


def winner_email(edition, winner):
    """(subject, text, HTML) telling a winner, in their language."""
    nominee = winner.nominee
    person = nominee.person
    organisation = edition.organisation
    with translation.override(person.language), timezone.override(organisation.time_zone):
        context = {
            "person": person,
            "organisation": organisation,
            "edition_name": edition.name,
            "category_name": in_reader_language(nominee.category, "name"),
            "option_name": in_reader_language(edition.option, "name") if winner.award else "",
            "badge_name": (
                in_reader_language(nominee.category.badge_class, "name")
                if nominee.category.badge_class and nominee.category.badge_class.active
                else ""
            ),
            "spotlight": winner.spotlight_id is not None,
            "nominations": len(nominee.nominations.all()),
            "link": (
                absolute_url("recognition:my_awards", organisation.slug)
                if person.user_id and winner.award
                else ""
            ),
            "language": person.language,
        }
        subject = _("Congratulations, %(first_name)s: %(category)s") % {
            "first_name": person.first_name,
            "category": context["category_name"],
        }
        text = render_to_string("contests/email/winner.txt", context)
        html = render_to_string("contests/email/winner.html", context)
    return subject, text, html


def thank_you_email(edition, nominee):
    """(subject, text, HTML) thanking a nominee who was not chosen, in their language: their
    category and how many people nominated them, never their scores."""
    person = nominee.person
    organisation = edition.organisation
    with translation.override(person.language), timezone.override(organisation.time_zone):
        context = {
            "person": person,
            "organisation": organisation,
            "edition_name": edition.name,
            "category_name": in_reader_language(nominee.category, "name"),
            "nominations": len(nominee.nominations.all()),
            "language": person.language,
        }
        subject = _("Thank you, %(first_name)s: you were nominated") % {
            "first_name": person.first_name
        }
        text = render_to_string("contests/email/thank_you.txt", context)
        html = render_to_string("contests/email/thank_you.html", context)
    return subject, text, html


def _tell_winner(edition, winner):
    subject, text, html = winner_email(edition, winner)
    queue_email(
        organisation=edition.organisation,
        to=winner.nominee.person.email,
        subject=subject,
        text=text,
        html=html,
        reason=f"contest-winner:{winner.pk}",
        topic=f"contest:{edition.pk}",
    )


def _thank(edition, nominee):
    subject, text, html = thank_you_email(edition, nominee)
    queue_email(
        organisation=edition.organisation,
        to=nominee.person.email,
        subject=subject,
        text=text,
        html=html,
        reason=f"contest-thanks:{nominee.pk}",
        topic=f"contest:{edition.pk}",
    )
