"""Writes of compensation decisions: whether a program pays its mentors, kept as a history.

A new decision never changes nor removes an earlier one; the latest is in force. Every rule the
form checks is checked here again, so a crafted request cannot record a paid decision without
its risks and amount, or dates that make no sense.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from laurier.core.dates import organisation_today
from laurier.core.money import format_money, to_cents
from laurier.organisations.audit import record_change
from laurier.organisations.models import AuditEvent, Role
from laurier.outbox.services import queue_email
from laurier.programs.figures_cache import figures_changed
from laurier.programs.models import Program

from ..models import CompensationDecision
from ..selectors.compensation import decision_in_force, main_risks

DECISION_FIELDS = (
    "decision",
    "context",
    "goals",
    "stakeholders",
    "benefits",
    "risks",
    "amount_per_mentor",
    "decided_on",
    "review_on",
)
PAID = (CompensationDecision.Decision.STIPEND, CompensationDecision.Decision.HONORARIUM)
TEXT_FIELDS = ("context", "goals", "stakeholders", "benefits", "risks")

# What research on mentoring warns about paying mentors: the starting text of a paid
# decision's risks.
SUGGESTED_RISKS = (
    _(
        "Paying can change the relationship between mentor and mentee: mentoring may come to"
        " feel like a service that is bought rather than help freely given."
    ),
    _(
        "Paying can change why mentors mentor: their motives may shift from intrinsic ones"
        " (the wish to help, to pass on what they know) to extrinsic ones (the money)."
    ),
    _(
        "Once the payment is expected, stopping or lowering it may discourage mentors who"
        " would have volunteered."
    ),
    _("Mentors of other programs, who are not paid, may feel their contribution is worth less."),
    _("The stipends must be budgeted every year for as long as this decision stands."),
)


# One whole sentence per decision, so that no choice label lands capitalised mid-sentence and
# each language can word it its own way.
DECISION_SENTENCES = {
    CompensationDecision.Decision.VOLUNTEER: _("The mentors are volunteers: they are not paid."),
    CompensationDecision.Decision.STIPEND: _(
        "Each mentor receives a stipend of %(amount)s per fiscal year."
    ),
    CompensationDecision.Decision.HONORARIUM: _(
        "Each mentor receives an honorarium of %(amount)s per fiscal year."
    ),
}


def decision_in_words(decision, currency):
    """The decision as a sentence in the active language ("Each mentor receives a stipend…")."""
    amount = decision.amount_per_mentor
    return str(DECISION_SENTENCES[decision.decision]) % {"amount": format_money(amount, currency)}


def suggested_risks_text():
    """The known risks of paying mentors, one per line, in the active language."""
    return "\n".join(f"- {risk}" for risk in SUGGESTED_RISKS)


def check_decision(*, program, today, in_force=None, **fields):
    """Raise a ValidationError naming the fields that break a rule of compensation decisions.

    A decision that pays (stipend or honorarium) states its risks and an amount above zero;
    a volunteer decision pays no amount. It is dated today or earlier, not before the decision
    in force, and is reviewed after it is made.
    """
    errors = {}
    for name in ("context", "goals", "stakeholders"):
        if not (fields.get(name) or "").strip():
            errors[name] = _("This field is required.")
    decision = fields.get("decision")
    if decision not in CompensationDecision.Decision.values:
        errors["decision"] = _("Choose whether mentors are volunteers or paid.")
    amount = fields.get("amount_per_mentor")
    if decision in PAID:
        if not (fields.get("risks") or "").strip():
            errors["risks"] = _(
                "A program that pays its mentors states the risks: paying can change the"
                " mentor–mentee relationship and why mentors mentor."
            )
        if amount is None:
            errors["amount_per_mentor"] = _("Give the amount each mentor receives in a year.")
        elif amount <= 0:
            errors["amount_per_mentor"] = _("The amount per mentor must be above zero.")
    elif decision == CompensationDecision.Decision.VOLUNTEER and amount:
        errors["amount_per_mentor"] = _("Volunteer mentors are not paid: leave the amount empty.")
    decided_on, review_on = fields.get("decided_on"), fields.get("review_on")
    if decided_on is None:
        errors["decided_on"] = _("Give the date of the decision.")
    elif decided_on > today:
        errors["decided_on"] = _("A decision cannot be dated in the future.")
    elif in_force is not None and decided_on < in_force.decided_on:
        errors["decided_on"] = _(
            "The decision in force dates from %(date)s: a new decision is dated on or after it."
        ) % {"date": date_format(in_force.decided_on, "DATE_FORMAT")}
    if review_on is None:
        errors["review_on"] = _("Give the date on which the decision will be reviewed.")
    elif decided_on is not None and review_on <= decided_on:
        errors["review_on"] = _("The review date must come after the decision date.")
    if errors:
        raise ValidationError(errors)


def _same_as(decision, fields):
    return all(getattr(decision, name) == fields[name] for name in DECISION_FIELDS)


def record_decision(*, program, actor, notify=True, **fields):
    """Record a new compensation decision of `program`; it is in force from now on.

    Returns (decision, created). A decision that starts, changes or stops paying the mentors
    is e-mailed to the program's managers and the organisation's admins (unless `notify` is
    False, as for the demo's history). The program row is locked while checking, so the same form
    sent twice (a double click, a reload) returns the decision it recorded the first time,
    identical in every field, instead of recording it again. Earlier decisions stay as they were.
    """
    fields = {name: fields.get(name) for name in DECISION_FIELDS}
    for name in TEXT_FIELDS:
        fields[name] = (fields[name] or "").strip()
    if fields["amount_per_mentor"] is not None:
        fields["amount_per_mentor"] = to_cents(fields["amount_per_mentor"])
    if (
        fields["decision"] == CompensationDecision.Decision.VOLUNTEER
        and not fields["amount_per_mentor"]
    ):
        fields["amount_per_mentor"] = None
    with transaction.atomic():
        # Only the program's row: the organisation's stays free for everyone else's writes.
        program = (
            Program.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=program.pk)
        )
        in_force = decision_in_force(program)
        check_decision(
            program=program,
            today=organisation_today(program.organisation),
            in_force=in_force,
            **fields,
        )
        if in_force is not None and _same_as(in_force, fields):
            return in_force, False
        decision = CompensationDecision.objects.create(program=program, recorded_by=actor, **fields)
        record_change(
            organisation=program.organisation,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=decision,
        )
        if notify:
            _email_payment_change(decision, in_force, actor)
        figures_changed(program.organisation_id)
    return decision, True


def payment_change_recipients(program, actor):
    """Who hears that a program starts, changes or stops paying its mentors: the program's
    managers and the organisation's admins, except the person who recorded the decision."""
    from laurier.accounts.models import User

    people = User.objects.filter(
        Q(managed_programs=program)
        | Q(memberships__organisation=program.organisation_id, memberships__role=Role.ADMIN),
        is_active=True,
    )
    if actor is not None and actor.is_authenticated:
        people = people.exclude(pk=actor.pk)
    return people.distinct().order_by("pk")


def _pays_the_same(decision, previous):
    return (
        previous is not None
        and previous.decision == decision.decision
        and previous.amount_per_mentor == decision.amount_per_mentor
    )


def _email_payment_change(decision, previous, actor):
    """E-mail, in each reader's language, a decision that starts, changes or stops payment.

    A review that keeps the same payment, or a volunteer program that stays so, says nothing new.
    """
    stops = previous is not None and previous.pays_mentors and not decision.pays_mentors
    if not (decision.pays_mentors or stops) or _pays_the_same(decision, previous):
        return
    program = decision.program
    link = settings.SITE_URL.rstrip("/") + reverse(
        "recognition:compensation", args=[program.organisation.slug, program.slug]
    )
    risks, more_risks = main_risks(decision)
    for user in payment_change_recipients(program, actor):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "decision": decision,
                "program": program,
                "organisation": program.organisation,
                "stops": stops,
                "recorded_by": actor,
                "risks": risks,
                "more_risks": more_risks,
                "link": link,
                "language": translation.get_language(),
            }
            values = {"program": program.name}
            if stops:
                subject = gettext("%(program)s no longer pays its mentors") % values
            else:
                subject = gettext("%(program)s pays its mentors: the risks to watch") % values
            text = render_to_string("recognition/compensation/email/payment.txt", context)
            html = render_to_string("recognition/compensation/email/payment.html", context)
        queue_email(
            organisation=program.organisation,
            to=user.email,
            subject=subject,
            text=text,
            html=html,
            reason=f"compensation:{decision.pk}",
        )
