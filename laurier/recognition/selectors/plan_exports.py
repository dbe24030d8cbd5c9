"""A recognition plan as a spreadsheet (CSV or XLSX) and as an iCalendar file.

The manager hands the spreadsheet to whoever prepares the recognitions (cards to write,
certificates to print, executives to brief) and loads the .ics into a calendar so that each
recognition shows up on its day. Both read the plan's lines in a fixed number of queries:
the lines with their mentor, option and commitment, and the calendar's moments for labels.
Texts are in the active language: the view calls these inside the manager's language.
"""

import datetime

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from laurier.core.bilingual import in_reader_language
from laurier.core.ordering import natural

from ..models import PlanLine
from ..services.plans import plan_moments
from .plans import moment_label


def plan_lines(plan):
    """The plan's lines with what the exports show, by date then mentor name (one query)."""
    return (
        PlanLine.objects.filter(plan=plan)
        .select_related("mentor", "option", "commitment")
        .order_by(
            "moment_date",
            natural("mentor__last_name").asc(),
            natural("mentor__first_name").asc(),
            "pk",
        )
    )


def plan_currency(plan):
    """The currency of the plan's amounts: its budget's once approved, else the organisation's."""
    if plan.budget_id is not None:
        return plan.budget.currency
    return plan.organisation.currency


def line_reason(line):
    """Why the line is there, in the reader's language; a manager's own line says so."""
    reason = line.reason
    if not reason and line.source == PlanLine.Source.MANAGER:
        return str(PlanLine.Source.MANAGER.label)
    return reason


def line_costs(line):
    """(money, staff hours) of the line: what was committed once approved, else the option's.

    The commitment holds the costs read when the plan was approved; the option's may have
    changed since, and the export should match the budget's ledger.
    """
    if line.commitment_id is not None:
        commitment = line.commitment
        return commitment.money, commitment.staff_hours, commitment.material_items
    return line.option.cost_money, line.option.staff_hours, line.option.material_items


def plan_export(plan):
    """(headers, rows) of the plan for `core.listing.export_response`, one row per line.

    Sorted by date then mentor name. Dates stay dates and amounts Decimals, so that a
    spreadsheet can sort and add them.
    """
    moments = plan_moments(plan)
    headers = [
        _("date"),
        _("moment"),
        _("mentor"),
        _("mentor's e-mail address"),
        _("recognition option"),
        _("category"),
        _("cost (%(currency)s)") % {"currency": plan_currency(plan)},
        _("staff hours"),
        _("material items"),
        _("given by"),
        _("locked"),
        _("reason"),
    ]
    rows = []
    for line in plan_lines(plan):
        money, staff_hours, items = line_costs(line)
        rows.append(
            [
                line.moment_date,
                moment_label(line, moments),
                line.mentor.full_name,
                line.mentor.email,
                in_reader_language(line.option, "name"),
                line.option.get_category_display(),
                money,
                staff_hours,
                items,
                ", ".join(str(label) for label in line.giver_labels),
                _("Yes") if line.locked else _("No"),
                line_reason(line),
            ]
        )
    return headers, rows


def plan_filename(plan):
    """The name of the plan's downloads, without extension.

    E.g. "plan-releve-2026-04-01-2027-03-31"; the word "plan" is translated.
    """
    word = pgettext("file name of a recognition plan", "plan")
    return slugify(
        f"{word}-{plan.program.slug}-{plan.starts_on.isoformat()}-{plan.ends_on.isoformat()}"
    )


def _description(line, moments):
    parts = [
        _("Moment: %(moment)s") % {"moment": moment_label(line, moments)},
        _("Mentor: %(name)s <%(email)s>")
        % {"name": line.mentor.full_name, "email": line.mentor.email},
    ]
    givers = ", ".join(str(label) for label in line.giver_labels)
    if givers:
        parts.append(_("Given by: %(givers)s") % {"givers": givers})
    reason = line_reason(line)
    if reason:
        parts.append(_("Why: %(reason)s") % {"reason": reason})
    return "\n".join(parts)


def plan_ics(plan, now=None):
    """The plan as iCalendar bytes: one all-day event per line, named after the plan.

    Each event's UID is the line's, so importing the plan again after a change updates the
    events instead of adding copies. An approved plan's events are confirmed, a draft's
    tentative.
    """
    import icalendar

    from ..models import Plan

    now = now or timezone.now()
    organisation = plan.organisation
    moments = plan_moments(plan)
    approved = plan.status == Plan.Status.APPROVED
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Laurier//Recognition plan//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", str(plan.title))
    calendar.add("x-wr-timezone", organisation.time_zone)
    for line in plan_lines(plan):
        option = in_reader_language(line.option, "name")
        event = icalendar.Event()
        event.add("uid", f"plan-{plan.pk}-line-{line.pk}@laurier")
        event.add("dtstamp", now)
        event.add("dtstart", line.moment_date)
        event.add("dtend", line.moment_date + datetime.timedelta(days=1))
        event.add("summary", f"{option} — {line.mentor.full_name}")
        event.add("description", _description(line, moments))
        event.add("categories", [str(line.option.get_category_display())])
        event.add("status", "CONFIRMED" if approved else "TENTATIVE")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
