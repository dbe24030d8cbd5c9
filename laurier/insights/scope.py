"""What an insights page looks at: the programs, cycle, department and period chosen in its filters.

Every insights figure starts from a `Scope`, built once per request by `scope_from_request`:
the programs are those the member manages (every program for an admin), narrowed by the
filters, so no figure can reach another organisation or a program the member does not manage.
A program or cycle named in the query string that is out of reach answers 404, as it would in
its own page's address.

The querysets below are the only way the selectors reach people, pairings, sessions and
awards; each applies the department and cycle filters the same way:
- department: the mentor's department (the mentee's, for mentee counts);
- cycle: mentors paired in that cycle, the cycle's pairings and their sessions.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from laurier.core.dates import fiscal_year_bounds, fiscal_year_of, months_before, organisation_today
from laurier.hours.models import MentoringSession
from laurier.organisations.tenancy import programs_managed_by
from laurier.programs.models import (
    Cycle,
    EnrolmentStatus,
    MenteeEnrolment,
    MentorEnrolment,
    Pairing,
    Person,
)
from laurier.recognition.models import Award

# Periods longer than this are refused: figures by month would no longer fit a chart.
LONGEST_PERIOD_DAYS = 5 * 366


class Period:
    LAST_12_MONTHS = "12m"
    THIS_FISCAL_YEAR = "fy"
    LAST_FISCAL_YEAR = "last_fy"
    CUSTOM = "custom"

    CHOICES = (
        (LAST_12_MONTHS, _("The last 12 months")),
        (THIS_FISCAL_YEAR, _("This fiscal year")),
        (LAST_FISCAL_YEAR, _("Last fiscal year")),
        (CUSTOM, _("Dates of my choice")),
    )


def period_bounds(organisation, period, today, start=None, end=None):
    """The first and last day of a period, both included."""
    if period == Period.THIS_FISCAL_YEAR:
        return fiscal_year_bounds(organisation, fiscal_year_of(organisation, today))
    if period == Period.LAST_FISCAL_YEAR:
        return fiscal_year_bounds(organisation, fiscal_year_of(organisation, today) - 1)
    if period == Period.CUSTOM and start and end:
        return start, end
    return months_before(today, 12) + datetime.timedelta(days=1), today


class InsightFilterForm(forms.Form):
    """The filters every insights page shares. Built from the query string (GET)."""

    program = forms.ChoiceField(label=_("Program"), required=False)
    cycle = forms.ChoiceField(label=_("Cycle"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    period = forms.ChoiceField(
        label=_("Period"), choices=Period.CHOICES, required=False, initial=Period.LAST_12_MONTHS
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, programs, cycles, departments, all_programs_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [("", all_programs_label)] + [
            (program.slug, program.name) for program in programs
        ]
        several = len(programs) > 1
        self.fields["cycle"].choices = [("", _("All cycles"))] + [
            (str(cycle.pk), f"{cycle.program.name} — {cycle.name}" if several else cycle.name)
            for cycle in cycles
        ]
        self.fields["department"].choices = [("", _("All departments"))] + [
            (department, department) for department in departments
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == Period.CUSTOM:
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give both dates of the period."))
            if start > end:
                raise forms.ValidationError(_("The period must end after it starts."))
            if (end - start).days > LONGEST_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose a period of at most five years."))
        return cleaned


@dataclass
class Scope:
    organisation: object
    membership: object
    # Every program the member manages, and those the filters keep (ids, read once).
    managed_programs: list
    program_ids: list
    program: object = None
    cycle: object = None
    department: str = ""
    period: str = Period.LAST_12_MONTHS
    start: datetime.date = None
    end: datetime.date = None
    today: datetime.date = None
    form: object = field(default=None, repr=False)

    # People

    def _in_cycle(self, person_field="person"):
        return Exists(
            Pairing.objects.filter(cycle=self.cycle, mentor=OuterRef(person_field)).order_by()
        )

    def mentor_enrolments(self):
        """The mentors' enrolments in the chosen programs (every status)."""
        enrolments = MentorEnrolment.objects.filter(program_id__in=self.program_ids)
        if self.department:
            enrolments = enrolments.filter(person__department=self.department)
        if self.cycle is not None:
            enrolments = enrolments.filter(self._in_cycle())
        return enrolments

    def active_mentor_enrolments(self):
        return self.mentor_enrolments().filter(status=EnrolmentStatus.ACTIVE)

    def mentee_enrolments(self):
        enrolments = MenteeEnrolment.objects.filter(program_id__in=self.program_ids)
        if self.department:
            enrolments = enrolments.filter(person__department=self.department)
        if self.cycle is not None:
            enrolments = enrolments.filter(
                Exists(Pairing.objects.filter(cycle=self.cycle, mentee=OuterRef("person")))
            )
        return enrolments

    def active_mentors(self):
        """The people with an active mentor enrolment in scope, each once."""
        return Person.objects.filter(pk__in=self.active_mentor_enrolments().values("person_id"))

    # Activity

    def pairings(self):
        pairings = Pairing.objects.filter(program_id__in=self.program_ids)
        if self.department:
            pairings = pairings.filter(mentor__department=self.department)
        if self.cycle is not None:
            pairings = pairings.filter(cycle=self.cycle)
        return pairings

    def sessions(self):
        """Mentoring sessions in scope, at every date (filter on `held_on` for the period)."""
        sessions = MentoringSession.objects.filter(program_id__in=self.program_ids)
        if self.department:
            sessions = sessions.filter(mentor__department=self.department)
        if self.cycle is not None:
            sessions = sessions.filter(pairing__cycle=self.cycle)
        return sessions

    def awards(self):
        """Awards in scope, every status and date."""
        awards = Award.objects.filter(program_id__in=self.program_ids)
        if self.department:
            awards = awards.filter(mentor__department=self.department)
        if self.cycle is not None:
            awards = awards.filter(self._in_cycle("mentor"))
        return awards

    def given_awards(self):
        """Recognitions given, at every date: what "recognised" means in insights."""
        return self.awards().filter(status=Award.Status.GIVEN)

    def given_in_period(self):
        return self.given_awards().filter(given_on__range=(self.start, self.end))

    # Describing the scope

    @property
    def reference_day(self):
        """ "Now" for the chosen period: its last day, or today while it is still running."""
        return min(self.end, self.today)

    @property
    def is_empty(self):
        return not self.program_ids

    @property
    def period_label(self):
        return _("%(start)s to %(end)s") % {
            "start": date_format(self.start, "DATE_FORMAT"),
            "end": date_format(self.end, "DATE_FORMAT"),
        }

    @property
    def description(self):
        """What the figures cover, in words: for page headings, exports and reports."""
        parts = [self.program.name if self.program else _("All programs")]
        if self.cycle is not None:
            parts.append(self.cycle.name)
        if self.department:
            parts.append(self.department)
        parts.append(self.period_label)
        return " · ".join(str(part) for part in parts)

    def query(self, **changes):
        """The filters as a query string ('program=x&period=fy'), for links between pages."""
        values = {
            "program": self.program.slug if self.program else "",
            "cycle": self.cycle.pk if self.cycle else "",
            "department": self.department,
            "period": self.period,
        }
        values.update(changes)
        if values["period"] == Period.CUSTOM:
            values.setdefault("start", self.start.isoformat())
            values.setdefault("end", self.end.isoformat())
        return urlencode({key: value for key, value in values.items() if value not in ("", None)})


def _departments(program_ids):
    return list(
        Person.objects.filter(
            pk__in=MentorEnrolment.objects.filter(program_id__in=program_ids).values("person_id")
        )
        .exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )


def scope_from_request(request):
    """The request's scope: its filters checked against the programs the member manages.

    Three queries: the managed programs, their cycles, their mentors' departments.
    """
    membership = request.membership
    organisation = request.organisation
    managed = list(programs_managed_by(membership).order_by("name", "pk"))
    by_slug = {program.slug: program for program in managed}
    cycles = list(
        Cycle.objects.filter(program__in=managed)
        .select_related("program")
        .order_by("program__name", "-starts_on", "pk")
    )
    departments = _departments([program.pk for program in managed])
    data = request.GET.copy()
    # A program or cycle out of reach is a 404, as in its own address.
    if data.get("program") and data["program"] not in by_slug:
        raise Http404
    if data.get("cycle") and data["cycle"] not in {str(cycle.pk) for cycle in cycles}:
        raise Http404
    # A manager of one program sees it without choosing it.
    if len(managed) == 1 and not data.get("program"):
        data["program"] = managed[0].slug
    form = InsightFilterForm(
        data,
        programs=managed,
        cycles=cycles,
        departments=departments,
        all_programs_label=_("All programs") if membership.is_admin else _("All my programs"),
    )
    cleaned = form.cleaned_data if form.is_valid() else {}
    today = organisation_today(organisation)
    period = cleaned.get("period") or Period.LAST_12_MONTHS
    if period == Period.CUSTOM and not (cleaned.get("start") and cleaned.get("end")):
        period = Period.LAST_12_MONTHS
    start, end = period_bounds(
        organisation, period, today, cleaned.get("start"), cleaned.get("end")
    )
    program = by_slug.get(cleaned.get("program") or "")
    cycle = next((c for c in cycles if str(c.pk) == cleaned.get("cycle")), None)
    if cycle is not None:
        # A cycle belongs to one program: choosing it chooses its program.
        program = cycle.program
    program_ids = [program.pk] if program else [p.pk for p in managed]
    return Scope(
        organisation=organisation,
        membership=membership,
        managed_programs=managed,
        program_ids=program_ids,
        program=program,
        cycle=cycle,
        department=cleaned.get("department") or "",
        period=period,
        start=start,
        end=end,
        today=today,
        form=form,
    )


def scope_for_report(organisation, program, start, end, today):
    """The scope of an annual report: one program (or every program of the organisation), a
    period, no other filter. Used by the report task, which has no request."""
    if program is not None:
        program_ids = [program.pk]
        managed = [program]
    else:
        managed = list(organisation.programs.order_by("name", "pk"))
        program_ids = [p.pk for p in managed]
    return Scope(
        organisation=organisation,
        membership=None,
        managed_programs=managed,
        program_ids=program_ids,
        program=program,
        period=Period.CUSTOM,
        start=start,
        end=end,
        today=today,
    )
