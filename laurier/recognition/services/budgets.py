"""Writes of budgets and their ledger: nothing is ever committed or spent beyond a budget.

Every write that uses a budget runs in one transaction that locks the budget's row
(`select_for_update`), recomputes what is used from the ledger, and refuses anything that would
make committed + spent exceed the allocation of any resource. Two managers committing at the
same moment therefore queue on the lock, and the second sees what the first wrote.

The ledger is append-only: a commitment reserves resources, a release gives a commitment back
(cancelled, or replaced by its spending) and a spending records what was actually used. Other
features (plans, awards) call `commit`, `record_spending`, `spend_commitment` and
`release_commitment`; each raises a translated ValidationError when it refuses.

Every line is dated in its budget's fiscal year, and every amount fits the ledger's columns:
money up to 12 digits (cents included), staff hours up to 8, items and quantities as the
database's positive integers hold them.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from laurier.core.bilingual import in_reader_language
from laurier.core.dates import fiscal_year_label, organisation_today
from laurier.core.money import format_money, to_cents
from laurier.organisations.audit import acting_user, record_change, record_event, snapshot
from laurier.organisations.models import AuditEvent, Membership, Role
from laurier.outbox.services import queue_email

from ..models import Budget, BudgetAlert, LedgerEntry, RecognitionOption, Resource
from ..selectors.budgets import (
    ALERT_THRESHOLDS,
    RESOURCES,
    Amounts,
    budget_usage,
    capacity_period_bounds,
    capacity_used,
    date_outside_fiscal_year,
    default_entry_date,
    format_amount,
    is_default_description,
    long_date,
)

Kind = LedgerEntry.Kind
# The largest values the ledger's columns hold (DecimalField 12,2 and 8,2, PositiveIntegerField).
MAX_AMOUNT = {
    "money": Decimal("9999999999.99"),
    "staff_hours": Decimal("999999.99"),
    "material_items": 2_147_483_647,
}
# More of one option at once is a typing error, never a plan; it also keeps costs × quantity
# far inside the columns.
MAX_QUANTITY = 10_000


class BudgetExists(ValidationError):
    """The program (or the organisation) already has a budget for that fiscal year."""


# --- Amounts -------------------------------------------------------------------------------


def clean_amounts(*, money=0, staff_hours=0, material_items=0):
    """The three amounts as Decimal cents, Decimal hundredths of an hour and a whole number.

    Refuses (ValidationError per field) what is not a number, is negative, is not a whole
    number of items, or is larger than the ledger holds (MAX_AMOUNT). Money is rounded to the
    cent as accountants round (half away from zero).
    """
    errors = {}
    values = {}
    for name, value in (("money", money), ("staff_hours", staff_hours)):
        try:
            amount = Decimal(str(value if value not in (None, "") else 0))
            if not amount.is_finite():
                raise InvalidOperation
        except (ArithmeticError, ValueError, TypeError):
            errors[name] = _("Enter a number.")
            continue
        if amount < 0:
            errors[name] = _("An amount cannot be negative.")
        # Compared before rounding too: rounding a number of more than 28 digits to the cent
        # overflows Decimal's context.
        elif amount > MAX_AMOUNT[name] or to_cents(amount) > MAX_AMOUNT[name]:
            errors[name] = _too_large(name)
        else:
            values[name] = to_cents(amount)
    try:
        items = Decimal(str(material_items if material_items not in (None, "") else 0))
        if not items.is_finite() or items != items.to_integral_value():
            raise InvalidOperation
    except (ArithmeticError, ValueError, TypeError):
        errors["material_items"] = _("Enter a whole number of items.")
    else:
        if items < 0:
            errors["material_items"] = _("An amount cannot be negative.")
        elif items > MAX_AMOUNT["material_items"]:
            errors["material_items"] = _too_large("material_items")
        else:
            values["material_items"] = int(items)
    if errors:
        raise ValidationError(errors)
    return Amounts(values["money"], values["staff_hours"], values["material_items"])


def _too_large(resource):
    """The refusal of an amount the ledger cannot hold, naming the largest it can."""
    largest = formats.number_format(MAX_AMOUNT[resource], use_l10n=True, force_grouping=True)
    return _("This amount is too large: at most %(largest)s.") % {"largest": largest}


def option_costs(option, quantity=1):
    """What `quantity` recognitions of a catalog option cost: its costs × quantity."""
    return clean_amounts(
        money=Decimal(str(option.cost_money)) * quantity,
        staff_hours=Decimal(str(option.staff_hours)) * quantity,
        material_items=int(option.material_items) * quantity,
    )


def _check_quantity(quantity):
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise ValidationError({"quantity": _("The quantity is a whole number of at least 1.")})
    if quantity > MAX_QUANTITY:
        raise ValidationError({"quantity": quantity_too_large()})


def quantity_too_large():
    return _("The quantity is at most %(largest)s at once.") % {
        "largest": formats.number_format(MAX_QUANTITY, use_l10n=True, force_grouping=True)
    }


def _check_date(budget, occurred_on):
    if message := date_outside_fiscal_year(budget, occurred_on):
        raise ValidationError({"occurred_on": message})


# --- Locking and checking ------------------------------------------------------------------


def _locked(budget):
    """The budget's row, locked until the end of the transaction, read afresh."""
    return (
        Budget.objects.select_for_update(of=("self",))
        .select_related("organisation", "program")
        .get(pk=budget.pk)
    )


def _check_currency(budget):
    organisation = budget.organisation
    if budget.currency != organisation.currency:
        raise ValidationError(
            _(
                "This budget is in %(budget)s but %(organisation)s now counts in %(current)s:"
                " nothing can be committed or spent against it. Create a budget in %(current)s."
            )
            % {
                "budget": budget.currency,
                "organisation": organisation.name,
                "current": organisation.currency,
            }
        )


def _check_fits(budget, usage, added, *, given_back=None):
    """Refuse when committed + spent + `added` - `given_back` passes the allocation."""
    given_back = given_back or Amounts.zero()
    errors = {}
    for resource in RESOURCES:
        requested = getattr(added, resource)
        remaining = getattr(budget, resource) - usage.used(resource) + getattr(given_back, resource)
        if requested > remaining:
            errors[resource] = _(
                "Not enough %(resource)s left in the budget: %(requested)s requested,"
                " %(remaining)s remaining."
            ) % {
                "resource": Resource(resource).label.lower(),
                "requested": format_amount(resource, requested, budget.currency),
                "remaining": format_amount(resource, max(remaining, 0), budget.currency),
            }
    if errors:
        raise ValidationError(errors)


def _already_written(budget, form_token):
    """The ledger line an earlier submission of the same form wrote, if any."""
    if not form_token:
        return None
    return LedgerEntry.objects.filter(budget=budget, request_key=form_token).first()


def _audit_entry(budget, actor, entry):
    record_change(
        organisation=budget.organisation_id,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=entry,
    )


def _check_option(budget, option):
    if option is None:
        return
    if option.organisation_id != budget.organisation_id:
        raise ValidationError({"option": _("Choose an option of your organisation's catalog.")})


def _check_capacity(budget, option, quantity, occurred_on):
    """Refuse more of an option than its capacity for the period (e.g. 40 gala seats a year).

    Called with the option's row locked, so two commitments of its last seat cannot both pass.
    """
    if option is None or not option.capacity:
        return
    first, last = capacity_period_bounds(budget.organisation, option, occurred_on)
    used = capacity_used(option, first, last)
    left = max(option.capacity - used, 0)
    if quantity > left:
        raise ValidationError({"quantity": capacity_message(option, left, used, first, last)})


def capacity_message(option, left, used, first, last):
    """Why no more (or not that many) of an option fit in its capacity period, in words."""
    values = {
        "left": left,
        "option": in_reader_language(option, "name"),
        "first": long_date(first),
        "last": long_date(last),
        "capacity": option.capacity,
        "period": option.get_capacity_period_display(),
        "used": used,
    }
    if left:
        opening = ngettext(
            "Only %(left)s of “%(option)s” left between %(first)s and %(last)s.",
            "Only %(left)s of “%(option)s” left between %(first)s and %(last)s.",
            left,
        )
    else:
        opening = gettext("None of “%(option)s” left between %(first)s and %(last)s.")
    reason = ngettext(
        "Its capacity is %(capacity)s %(period)s and %(used)s is planned or given.",
        "Its capacity is %(capacity)s %(period)s and %(used)s are planned or given.",
        used,
    )
    # Translators: two sentences of the capacity refusal, kept apart so each takes its plural.
    return gettext("%(opening)s %(reason)s") % {
        "opening": opening % values,
        "reason": reason % values,
    }


def _description(description, option, quantity):
    """The description to store: as typed, or empty when it only names the option.

    An empty description is named at display time in the reader's language (its option's name
    × quantity, see selectors.budgets.entry_label): stored, it would stay in the author's.
    """
    description = (description or "").strip()[:300]
    if option is not None:
        return "" if is_default_description(description, option, quantity) else description
    if description:
        return description
    raise ValidationError({"description": _("Say what this is for.")})


# --- Ledger writes -------------------------------------------------------------------------


def _write(
    budget,
    *,
    kind,
    actor,
    money=None,
    staff_hours=None,
    material_items=None,
    description="",
    option=None,
    quantity=1,
    occurred_on=None,
    form_token="",
    person=None,
):
    """Write a commitment or a direct spending, checked under the budget's lock.

    A second submission of the same form (same `form_token`) writes nothing and returns the
    line the first one wrote; `is_new` on the returned entry tells which happened.
    """
    from_option = (
        option is not None and money is None and staff_hours is None and material_items is None
    )
    if option is None:
        # Free amounts are counted once: a quantity would only multiply nothing.
        quantity = 1
    _check_quantity(quantity)
    if not from_option:
        amounts = clean_amounts(money=money, staff_hours=staff_hours, material_items=material_items)
        if amounts.is_zero():
            raise ValidationError(_("Enter at least one amount above zero."))
    with transaction.atomic():
        budget = _locked(budget)
        if earlier := _already_written(budget, form_token):
            earlier.is_new = False
            return earlier
        _check_currency(budget)
        _check_option(budget, option)
        if occurred_on is None:
            occurred_on = default_entry_date(budget, organisation_today(budget.organisation))
        _check_date(budget, occurred_on)
        if option is not None:
            # Locked after the budget, in that order everywhere: the option's capacity is
            # shared by every budget of the organisation. Its costs are read under the lock,
            # so a cost edited at the same moment is either wholly before or wholly after.
            option = RecognitionOption.objects.select_for_update().get(pk=option.pk)
        if kind == Kind.COMMITMENT and option is not None and not option.active:
            raise ValidationError(
                {"option": _("This option is no longer offered: offer it again first.")}
            )
        if from_option:
            amounts = option_costs(option, quantity)
            if amounts.is_zero():
                raise ValidationError(_("Enter at least one amount above zero."))
        description = _description(description, option, quantity)
        usage = budget_usage(budget)
        _check_fits(budget, usage, amounts)
        _check_capacity(budget, option, quantity, occurred_on)
        entry = LedgerEntry.objects.create(
            budget=budget,
            kind=kind,
            money=amounts.money,
            staff_hours=amounts.staff_hours,
            material_items=amounts.material_items,
            option=option,
            person=person,
            quantity=quantity,
            description=description,
            occurred_on=occurred_on,
            request_key=form_token or "",
            created_by=acting_user(actor),
        )
        _audit_entry(budget, actor, entry)
        refresh_alerts(budget, usage.plus(kind, amounts))
    entry.is_new = True
    return entry


def commit(budget, *, actor, form_token="", **fields):
    """Reserve resources of `budget` for a planned or approved recognition; returns the entry.

    Fields: `option` and `quantity` (≤ MAX_QUANTITY), or amounts (`money` in the budget's
    currency, `staff_hours`, `material_items`), `description`, `occurred_on`, and the `person`
    it is for. With an option
    and no amounts, the commitment is the option's costs × `quantity`, read under lock; given
    amounts are used as they are; without an option the quantity is 1. With an option, a
    description that only names it is stored empty, and the line reads as the option's name
    × quantity in each reader's language (selectors.budgets.entry_label); `occurred_on`
    defaults to the organisation's today (brought into the budget's fiscal year), and a date
    outside that year is refused.

    Raises ValidationError (per resource: requested and remaining) when it would make
    committed + spent pass the allocation, on a negative or oversize amount, on a budget whose
    currency is no longer the organisation's, or on a retired option.

    `form_token`: the one-time token of the form that sent it, checked under the budget's lock.
    Sent again (a double click, a reload), nothing is written and the first line is returned;
    the returned entry's `is_new` is True when this call wrote it, False otherwise.
    """
    return _write(budget, kind=Kind.COMMITMENT, actor=actor, form_token=form_token, **fields)


@dataclass(frozen=True)
class Commitment:
    """One recognition to reserve with `commit_many`: one of `option` on `occurred_on`."""

    option: RecognitionOption
    occurred_on: object
    description: str = ""
    # The Person it is for (LedgerEntry.person), if it is one person's.
    person: object = None
    # The key its entry is found by (LedgerEntry.request_key), unique in the budget.
    request_key: str = ""


def commit_many(budget, *, actor, commitments):
    """Reserve several recognitions at once, all or nothing; returns their entries in order.

    Each `Commitment` becomes a commitment of one of its option, at the option's costs read
    under lock, even when it costs nothing: its capacity and what happens to it later (given,
    cancelled) are counted on it. The checks are `commit`'s, on the whole: currency, options
    still offered, dates in the fiscal year, the total within what is left, and each option's
    capacity for each of its periods. One audit event is recorded for all of them.
    """
    commitments = list(commitments)
    if not commitments:
        return []
    with transaction.atomic():
        budget = _locked(budget)
        _check_currency(budget)
        option_ids = sorted({commitment.option.pk for commitment in commitments})
        # Locked after the budget, in the same order as `commit`.
        options = {
            option.pk: option
            for option in RecognitionOption.objects.select_for_update()
            .filter(pk__in=option_ids)
            .order_by("pk")
        }
        for option in options.values():
            _check_option(budget, option)
            if not option.active:
                raise ValidationError(
                    _("“%(option)s” is no longer offered: offer it again first.")
                    % {"option": in_reader_language(option, "name")}
                )
        total = Amounts.zero()
        periods = {}
        for commitment in commitments:
            _check_date(budget, commitment.occurred_on)
            option = options[commitment.option.pk]
            total = _added(total, option_costs(option))
            if option.capacity:
                bounds = capacity_period_bounds(budget.organisation, option, commitment.occurred_on)
                periods[option.pk, bounds] = periods.get((option.pk, bounds), 0) + 1
        usage = budget_usage(budget)
        _check_fits(budget, usage, total)
        for (option_pk, (first, last)), count in periods.items():
            option = options[option_pk]
            used = capacity_used(option, first, last)
            if count > option.capacity - used:
                raise ValidationError(
                    capacity_message(option, max(option.capacity - used, 0), used, first, last)
                )
        created_by = acting_user(actor)
        entries = LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(
                    budget=budget,
                    kind=Kind.COMMITMENT,
                    money=costs.money,
                    staff_hours=costs.staff_hours,
                    material_items=costs.material_items,
                    option=options[commitment.option.pk],
                    person=commitment.person,
                    quantity=1,
                    description=(commitment.description or "").strip()[:300],
                    occurred_on=commitment.occurred_on,
                    request_key=commitment.request_key,
                    created_by=created_by,
                )
                for commitment in commitments
                for costs in [option_costs(options[commitment.option.pk])]
            ]
        )
        record_event(
            organisation=budget.organisation_id,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=budget,
            changes={
                "commitments": len(entries),
                "money": str(total.money),
                "staff_hours": str(total.staff_hours),
                "material_items": total.material_items,
            },
        )
        refresh_alerts(budget, usage.plus(Kind.COMMITMENT, total))
    return entries


def _added(first, second):
    return Amounts(
        first.money + second.money,
        first.staff_hours + second.staff_hours,
        first.material_items + second.material_items,
    )


def record_spending(budget, *, actor, form_token="", **fields):
    """Record what was spent without an earlier commitment (e.g. a stipend paid); returns it.

    Same fields, checks, `form_token` and `is_new` as `commit`: it never makes committed +
    spent pass the allocation.
    """
    return _write(budget, kind=Kind.SPENDING, actor=actor, form_token=form_token, **fields)


def _check_open(commitment):
    if commitment.kind != Kind.COMMITMENT:
        raise ValidationError(_("Only a commitment can be spent or released."))
    if commitment.settled_by.filter(kind=Kind.RELEASE).exists():
        raise ValidationError(_("This commitment is already settled: it was spent or released."))


def _release_entry(commitment, actor, occurred_on, description):
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(
                budget_id=commitment.budget_id,
                kind=Kind.RELEASE,
                money=commitment.money,
                staff_hours=commitment.staff_hours,
                material_items=commitment.material_items,
                option_id=commitment.option_id,
                person_id=commitment.person_id,
                quantity=commitment.quantity,
                description=description[:300],
                settles=commitment,
                occurred_on=occurred_on,
                created_by=acting_user(actor),
            )
    except IntegrityError as error:
        # Only reachable without the budget lock (it serialises settlements); kept as the
        # database's last word.
        raise ValidationError(
            _("This commitment is already settled: it was spent or released.")
        ) from error


def spend_commitment(
    commitment,
    *,
    actor,
    money=None,
    staff_hours=None,
    material_items=None,
    occurred_on=None,
    description="",
):
    """Record a commitment's actual spending: a release of the commitment + the spending.

    Amounts left as None are the commitment's own. The spending may cost more than committed
    only while the budget has room for the difference. A commitment is settled once: a second
    call raises ValidationError. Returns the spending entry.
    """
    if money is None and staff_hours is None and material_items is None:
        money, staff_hours, material_items = (
            commitment.money,
            commitment.staff_hours,
            commitment.material_items,
        )
    amounts = clean_amounts(money=money, staff_hours=staff_hours, material_items=material_items)
    with transaction.atomic():
        budget = _locked(commitment.budget)
        commitment = LedgerEntry.objects.select_related("option").get(pk=commitment.pk)
        _check_open(commitment)
        _check_currency(budget)
        usage = budget_usage(budget)
        committed = Amounts.of(commitment)
        _check_fits(budget, usage, amounts, given_back=committed)
        if occurred_on is None:
            occurred_on = default_entry_date(budget, organisation_today(budget.organisation))
        _check_date(budget, occurred_on)
        text = (description or "").strip() or commitment.description
        _release_entry(commitment, actor, occurred_on, text)
        spending = LedgerEntry.objects.create(
            budget=budget,
            kind=Kind.SPENDING,
            money=amounts.money,
            staff_hours=amounts.staff_hours,
            material_items=amounts.material_items,
            option_id=commitment.option_id,
            person_id=commitment.person_id,
            quantity=commitment.quantity,
            description=text[:300],
            settles=commitment,
            occurred_on=occurred_on,
            created_by=acting_user(actor),
        )
        _audit_entry(budget, actor, spending)
        refresh_alerts(budget, usage.plus(Kind.RELEASE, committed).plus(Kind.SPENDING, amounts))
    return spending


def release_commitment(commitment, *, actor, reason, occurred_on=None):
    """Give a commitment's resources back to its budget (the recognition will not happen).

    `reason` is required and becomes the release's description. A commitment is settled once:
    a second call raises ValidationError. Returns the release entry.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the commitment is released.")})
    with transaction.atomic():
        budget = _locked(commitment.budget)
        commitment = LedgerEntry.objects.get(pk=commitment.pk)
        _check_open(commitment)
        usage = budget_usage(budget)
        if occurred_on is None:
            occurred_on = default_entry_date(budget, organisation_today(budget.organisation))
        _check_date(budget, occurred_on)
        release = _release_entry(commitment, actor, occurred_on, reason)
        _audit_entry(budget, actor, release)
        refresh_alerts(budget, usage.plus(Kind.RELEASE, Amounts.of(commitment)))
    return release


# --- Budgets -------------------------------------------------------------------------------

BUDGET_FIELDS = ("money", "staff_hours", "material_items", "notes")


def create_budget(
    *, organisation, program, fiscal_year, actor, money, staff_hours, material_items, notes=""
):
    """Create the budget of `program` (None: the whole organisation) for a fiscal year.

    Its currency is the organisation's. One budget per program (or organisation) and year:
    a duplicate, even one created at the same instant by someone else, raises BudgetExists.
    """
    if program is not None and program.organisation_id != organisation.pk:
        raise ValidationError({"program": _("Choose one of your organisation's programs.")})
    amounts = clean_amounts(money=money, staff_hours=staff_hours, material_items=material_items)
    duplicate = Budget.objects.filter(
        organisation=organisation, program=program, fiscal_year=fiscal_year
    )
    if duplicate.exists():
        raise _budget_exists(organisation, program, fiscal_year)
    budget = Budget(
        organisation=organisation,
        program=program,
        fiscal_year=fiscal_year,
        currency=organisation.currency,
        money=amounts.money,
        staff_hours=amounts.staff_hours,
        material_items=amounts.material_items,
        notes=(notes or "").strip(),
    )
    try:
        with transaction.atomic():
            budget.save()
            record_change(
                organisation=organisation,
                actor=actor,
                action=AuditEvent.Action.CREATE,
                instance=budget,
            )
    except IntegrityError as error:
        raise _budget_exists(organisation, program, fiscal_year) from error
    return budget


def _budget_exists(organisation, program, fiscal_year):
    values = {"year": fiscal_year_label(organisation, fiscal_year)}
    if program is None:
        message = _("The whole organisation already has a budget for %(year)s.") % values
    else:
        message = _("%(program)s already has a budget for %(year)s.") % {
            **values,
            "program": program.name,
        }
    return BudgetExists({"fiscal_year": message})


def update_budget(budget, *, actor, money, staff_hours, material_items, notes=""):
    """Change a budget's allocations and notes.

    Checked with the budget's row locked: an allocation cannot fall under what is already
    committed + spent (the ValidationError names both amounts). Alerts follow the new
    allocation: raising it clears them, lowering it may send one.
    """
    amounts = clean_amounts(money=money, staff_hours=staff_hours, material_items=material_items)
    with transaction.atomic():
        budget = _locked(budget)
        before = snapshot(budget)
        usage = budget_usage(budget)
        errors = {}
        for resource in RESOURCES:
            used = usage.used(resource)
            allocated = getattr(amounts, resource)
            if allocated < used:
                errors[resource] = _(
                    "The budget cannot be lowered to %(allocated)s: %(committed)s is committed"
                    " and %(spent)s spent, %(used)s in all."
                ) % {
                    "allocated": format_amount(resource, allocated, budget.currency),
                    "committed": format_amount(
                        resource, usage.committed(resource), budget.currency
                    ),
                    "spent": format_amount(resource, usage.spent(resource), budget.currency),
                    "used": format_amount(resource, used, budget.currency),
                }
        if errors:
            raise ValidationError(errors)
        budget.money = amounts.money
        budget.staff_hours = amounts.staff_hours
        budget.material_items = amounts.material_items
        budget.notes = (notes or "").strip()
        budget.save(update_fields=[*BUDGET_FIELDS, "updated_at"])
        record_change(
            organisation=budget.organisation,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=budget,
            before=before,
        )
        refresh_alerts(budget, usage)
    return budget


# --- Alerts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReachedAlert:
    resource: str
    threshold: int
    allocated: Decimal
    used: Decimal


def refresh_alerts(budget, usage):
    """Record the 80 % and 100 % alerts `usage` reaches, and remove those it fell back under.

    Call it inside the transaction that changed the ledger or the allocation, with the budget
    locked and the usage after the change. An alert reached for the first time e-mails the
    program's managers (the organisation's admins for the organisation-wide budget), each in
    their language, through the outbox of the same transaction; it is never sent twice while
    the use stays above the threshold.
    """
    existing = {
        (alert.resource, alert.threshold): alert.pk
        for alert in BudgetAlert.objects.filter(budget=budget)
    }
    reached, gone = [], []
    for resource in RESOURCES:
        allocated = getattr(budget, resource)
        used = usage.used(resource)
        for threshold in ALERT_THRESHOLDS:
            is_reached = allocated > 0 and used * 100 >= allocated * threshold
            key = (resource, threshold)
            if is_reached and key not in existing:
                reached.append(ReachedAlert(resource, threshold, allocated, used))
            elif not is_reached and key in existing:
                gone.append(existing[key])
    if gone:
        BudgetAlert.objects.filter(pk__in=gone).delete()
    if not reached:
        return []
    now = timezone.now()
    BudgetAlert.objects.bulk_create(
        [
            BudgetAlert(
                budget=budget, resource=alert.resource, threshold=alert.threshold, reached_at=now
            )
            for alert in reached
        ]
    )
    # A resource that jumps past both thresholds at once is told once, at its highest.
    highest = {}
    for alert in reached:
        if alert.threshold > getattr(highest.get(alert.resource), "threshold", 0):
            highest[alert.resource] = alert
    _email_alerts(budget, list(highest.values()))
    return reached


def alert_recipients(budget):
    """Who hears of a budget's alerts: the program's managers, or the organisation's admins."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    if budget.program_id:
        users = users.filter(
            managed_programs=budget.program_id,
            memberships__organisation_id=budget.organisation_id,
            memberships__role__in=(Role.ADMIN, Role.MANAGER),
        )
    else:
        users = users.filter(
            pk__in=Membership.objects.filter(
                organisation_id=budget.organisation_id, role=Role.ADMIN
            ).values("user_id")
        )
    return users.distinct().order_by("pk")


def alert_reason(budget, alerts):
    """The outbox reason of an alert e-mail: the budget and every resource it tells of."""
    crossed = "+".join(f"{alert.resource}:{alert.threshold}" for alert in alerts)
    return f"budget-alert:{budget.pk}:{crossed}"


def _email_alerts(budget, alerts):
    from django.conf import settings
    from django.urls import reverse

    link = settings.SITE_URL.rstrip("/") + reverse(
        "recognition:budget_detail", args=[budget.organisation.slug, budget.pk]
    )
    for user in alert_recipients(budget):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            lines = [
                {
                    "resource": Resource(alert.resource).label,
                    "threshold": alert.threshold,
                    "used": format_amount(alert.resource, alert.used, budget.currency),
                    "allocated": format_amount(alert.resource, alert.allocated, budget.currency),
                    "remaining": format_amount(
                        alert.resource, max(alert.allocated - alert.used, 0), budget.currency
                    ),
                }
                for alert in alerts
            ]
            full = any(alert.threshold >= 100 for alert in alerts)
            context = {
                "budget": budget,
                "owner": budget.program.name
                if budget.program_id
                else gettext("Whole organisation"),
                "user": user,
                "lines": lines,
                "full": full,
                "link": link,
            }
            values = {
                "owner": context["owner"],
                "year": fiscal_year_label(budget.organisation, budget.fiscal_year),
            }
            if full:
                subject = gettext("Budget used up: %(owner)s, %(year)s") % values
            else:
                subject = gettext("Budget 80%% used: %(owner)s, %(year)s") % values
            text = render_to_string("recognition/email/budget_alert.txt", context)
            html = render_to_string("recognition/email/budget_alert.html", context)
        queue_email(
            organisation=budget.organisation,
            to=user.email,
            subject=subject,
            text=text,
            html=html,
            reason=alert_reason(budget, alerts),
        )


__all__ = [
    "BudgetExists",
    "clean_amounts",
    "commit",
    "create_budget",
    "format_money",
    "option_costs",
    "record_spending",
    "refresh_alerts",
    "release_commitment",
    "spend_commitment",
    "update_budget",
]
