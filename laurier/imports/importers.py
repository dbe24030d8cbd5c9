"""What each kind of file holds, how its rows are checked, matched and written.

Rows go through in batches of BATCH_SIZE: each batch is parsed in memory,
its references (people, programs, pairings) are looked up with one query per
kind of reference, the rows already in the database are fetched with one
query, and the batch is written with bulk_create / bulk_update. No query
depends on the number of rows in a batch, which is what makes a
hundred-thousand-row file take seconds rather than minutes.
"""

import datetime
import functools
import zoneinfo
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import connection
from django.db.models.functions import Lower
from django.utils import timezone

from laurier.api import webhooks
from laurier.hours.models import LoggedBy, MentoringSession, SessionFormat, SessionSetting
from laurier.hours.services import is_session_length, session_date_problem
from laurier.privacy.erased_emails import erased_on
from laurier.programs.models import (
    Cycle,
    EnrolmentStatus,
    MenteeEnrolment,
    MentorEnrolment,
    Pairing,
    Person,
)
from laurier.programs.services import (
    active_enrolment_keys,
    active_pairing_keys,
    pairing_end_problem,
    pairing_people_problems,
)

from .models import ImportKind
from .problems import Problem
from .reading import (
    BadCell,
    cell_text,
    match_headers,
    normalise_text,
    parse_choice,
    parse_date,
    parse_decimal,
    synonyms_for,
)

BATCH_SIZE = 2000
# bulk_update writes one CASE per field whose length grows with the batch: small batches are faster.
UPDATE_BATCH_SIZE = 250

validate_email = EmailValidator()
EMAIL_MAX_LENGTH = Person._meta.get_field("email").max_length


@functools.lru_cache(maxsize=65536)
def is_valid_email(value):
    # Session files repeat the same few thousand e-mails; checking each once is enough.
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


COLUMNS = {
    "email": ("courriel", "e-mail", "email", "adresse courriel", "adresse e-mail", "mail",
              "adresse électronique", "e-mail address", "email address", "courriel du participant"),
    "first_name": ("prénom", "first name", "firstname", "given name"),
    "last_name": ("nom", "nom de famille", "last name", "lastname", "surname", "family name"),
    "language": ("langue", "language", "lang", "langue de communication"),
    "department": ("service", "département", "department", "direction", "unité"),
    "job_title": ("poste", "titre", "job title", "title", "titre du poste", "fonction"),
    "hire_date": ("date d'embauche", "hire date", "date of hire", "embauche", "hired on"),
    "program": ("programme", "program", "programme de mentorat"),
    "since": ("depuis", "since", "inscrit depuis", "enrolled since", "date d'inscription"),
    "status": ("statut", "status", "état"),
    "mentor": ("mentor", "courriel du mentor", "mentor e-mail", "mentor email"),
    "mentee": ("mentoré", "mentorée", "mentoree", "mentee", "courriel du mentoré",
               "mentee e-mail", "mentee email"),
    "starts_on": ("début", "start", "start date", "date de début", "starts on"),
    "ends_on": ("fin", "end", "end date", "date de fin", "ends on"),
    "cycle": ("cohorte", "cycle", "cohort"),
    "held_on": ("date", "date de la rencontre", "session date", "held on"),
    "duration_minutes": ("durée (minutes)", "duration (minutes)", "minutes", "durée (min)",
                         "duration (min)", "durée en minutes", "duration in minutes"),
    "duration_hours": ("durée (heures)", "duration (hours)", "hours", "heures", "durée (h)",
                       "duration (h)", "durée en heures", "duration in hours"),
    "format": ("format", "type"),
    "setting": ("mode", "setting", "lieu", "where", "modalité"),
    "notes": ("notes", "note", "remarques", "commentaires", "comments"),
}  # fmt: skip

LANGUAGES = synonyms_for(
    {
        "fr-ca": ("fr", "fr_ca", "fr-ca", "français", "francais", "french", "fra", "fre"),
        "en": ("en", "en-ca", "en_ca", "en-us", "anglais", "english", "eng"),
    }
)
ENROLMENT_STATUSES = synonyms_for(
    {
        EnrolmentStatus.ACTIVE: ("actif", "active", "en cours", "oui", "yes"),
        EnrolmentStatus.PAUSED: ("en pause", "pause", "paused", "suspendu", "suspended"),
        EnrolmentStatus.LEFT: ("parti", "partie", "left", "quitté", "inactif", "inactive"),
    }
)
PAIRING_STATUSES = synonyms_for(
    {
        Pairing.Status.ACTIVE: ("actif", "active", "en cours", "ongoing"),
        Pairing.Status.COMPLETED: ("terminé", "terminée", "completed", "complété", "complete"),
        Pairing.Status.ENDED_EARLY: (
            "ended early",
            "terminé tôt",
            "terminé plus tôt",
            "fin anticipée",
            "interrompu",
            "abandonné",
        ),
    }
)
FORMATS = synonyms_for(
    {
        SessionFormat.ONE_TO_ONE: ("individuel", "individuelle", "one-to-one", "one to one",
                                   "1:1", "1 à 1", "un à un", "individual"),
        SessionFormat.GROUP: ("groupe", "group", "collectif", "collective"),
    }
)  # fmt: skip
SETTINGS = synonyms_for(
    {
        SessionSetting.IN_PERSON: ("en personne", "in person", "in-person", "présentiel",
                                   "en présentiel", "sur place", "face à face"),
        SessionSetting.ONLINE: ("en ligne", "online", "virtuel", "virtual", "à distance",
                                "remote", "visioconférence", "téléphone", "phone"),
    }
)  # fmt: skip


class Context:
    """What every row of one import shares: the organisation, the programs the importer
    manages, the program chosen in the form, and caches that spare repeated queries."""

    def __init__(self, *, organisation, programs, default_program, actor):
        self.organisation = organisation
        self.actor = actor
        self.default_program = default_program
        self.programs = {}
        for program in programs:
            self.programs.setdefault(normalise_text(program.name), program)
            self.programs[normalise_text(program.slug)] = program
        self.program_ids = {program.pk for program in programs}
        self.today = timezone.localtime(
            timezone.now(), zoneinfo.ZoneInfo(organisation.time_zone)
        ).date()
        self.now = timezone.now()
        self._person_ids = {}
        self._cycles = None

    def program_named(self, value):
        program = self.programs.get(normalise_text(value))
        if program is None:
            raise BadCell("unknown_program", value=cell_text(value))
        return program

    def person_ids(self, emails):
        """{lower-case e-mail: person id} for the organisation's people, one query per new batch."""
        missing = {email for email in emails if email not in self._person_ids}
        if missing:
            found = dict(
                Person.objects.filter(organisation=self.organisation)
                .annotate(email_key=Lower("email"))
                .filter(email_key__in=missing)
                .values_list("email_key", "pk")
            )
            for email in missing:
                self._person_ids[email] = found.get(email)
        return {email: self._person_ids[email] for email in emails}

    def cycle_named(self, program, value):
        if self._cycles is None:
            self._cycles = {
                (program_id, normalise_text(name)): pk
                for pk, program_id, name in Cycle.objects.filter(
                    program_id__in=self.program_ids
                ).values_list("pk", "program_id", "name")
            }
        cycle_id = self._cycles.get((program.pk, normalise_text(value)))
        if cycle_id is None:
            raise BadCell("unknown_cycle", value=cell_text(value), program=program.name)
        return cycle_id


class Row:
    """One data row: its cells by field name, what was read from them, and what is wrong."""

    __slots__ = ("number", "cells", "data", "problems", "key", "match_key")

    def __init__(self, number, cells):
        self.number = number
        self.cells = cells
        self.data = {}
        self.problems = []
        self.key = None
        self.match_key = None

    def add_problem(self, code, **params):
        self.problems.append(Problem(code=code, row=self.number, params=params))

    def raw(self, name):
        value = self.cells.get(name, "")
        return "" if value is None else value

    def read(self, name, parser=None, *, required=False):
        """Parse one cell into self.data[name]; an empty cell leaves the field out."""
        value = self.raw(name)
        if value == "":
            if required:
                self.add_problem("missing_value", column=name)
            return None
        if parser is None:
            parsed = cell_text(value)
        else:
            try:
                parsed = parser(value)
            except BadCell as bad:
                self.problems.append(Problem(code=bad.code, row=self.number, params=bad.params))
                return None
        self.data[name] = parsed
        return parsed

    def read_text(self, name, limit, *, required=False):
        text = self.read(name, required=required)
        if text is not None and len(text) > limit:
            self.add_problem("too_long", column=name, limit=limit)
            del self.data[name]
            return None
        return text

    def read_email(self, name):
        value = self.read(name, required=True)
        if value is None:
            return None
        if not is_valid_email(value):
            self.add_problem("invalid_email", value=value)
            del self.data[name]
            return None
        if len(value) > EMAIL_MAX_LENGTH:
            # Django's validator takes up to 320 characters; the column holds fewer.
            self.add_problem("too_long", column=name, limit=EMAIL_MAX_LENGTH)
            del self.data[name]
            return None
        return value.lower()

    def read_program(self, context):
        program = self.read("program", context.program_named)
        if program is None and self.raw("program") == "":
            program = context.default_program
            if program is None:
                self.add_problem("missing_value", column="program")
            else:
                self.data["program"] = program
        return program


@dataclass
class Outcome:
    """What an import did, or would do: counts of rows and every problem found."""

    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)

    def summary(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "ignored_columns": self.ignored_columns,
        }


class Importer:
    """The shared batch loop; subclasses say what their rows mean."""

    model = None
    fields = ()  # the fields (keys of COLUMNS) this kind of file may hold
    required = ()
    program_column = False  # whether rows belong to a program
    update_fields = ()

    def columns(self):
        return {name: COLUMNS[name] for name in self.fields}

    def header_problems(self, positions, context):
        problems = [
            Problem("missing_column", None, {"column": name})
            for name in self.required
            if name not in positions
        ]
        if self.program_column and "program" not in positions and context.default_program is None:
            problems.append(Problem("missing_program_column", None))
        return problems

    def parse(self, row, context):
        raise NotImplementedError

    def resolve(self, rows, context):
        """Look up the batch's references with a constant number of queries."""

    def existing(self, rows, context):
        """{match key: instance} for the batch's rows already in the database, in one query."""
        raise NotImplementedError

    def build(self, row, context):
        raise NotImplementedError

    def changes(self, row, instance, context):
        """Set on `instance` what the row changes; return the names of the changed fields."""
        changed = set()
        for name in self.update_fields:
            if name in row.data and getattr(instance, name) != row.data[name]:
                setattr(instance, name, row.data[name])
                changed.add(name)
        return changed

    def run(self, table, context, *, write, on_progress=None):
        """Check every row and, when `write` is true and nothing is wrong, save them."""
        outcome = Outcome(total_rows=len(table.rows))
        positions, ignored, repeated = match_headers(table.headers, self.columns())
        outcome.ignored_columns = ignored
        outcome.problems += [Problem("repeated_column", None, {"column": h}) for h in repeated]
        outcome.problems += self.header_problems(positions, context)
        if not table.rows:
            outcome.problems.append(Problem("no_rows", None))
        if outcome.problems:
            return outcome

        first_row_of = {}
        processed = 0
        for start in range(0, len(table.rows), BATCH_SIZE):
            batch = table.rows[start : start + BATCH_SIZE]
            rows = []
            for number, cells in batch:
                row = Row(
                    number,
                    {name: cells[i] for name, i in positions.items() if i < len(cells)},
                )
                self.parse(row, context)
                if not row.problems and row.key is not None:
                    first = first_row_of.setdefault(row.key, number)
                    if first != number:
                        row.add_problem("duplicate_row", first_row=first)
                rows.append(row)
            parsed = [row for row in rows if not row.problems]
            self.resolve(parsed, context)
            plan = self._match([row for row in parsed if not row.problems], context, write=write)
            for row in rows:
                outcome.problems += row.problems
            outcome.created += len(plan.to_create)
            outcome.updated += len(plan.to_update)
            outcome.unchanged += plan.unchanged
            if write and not outcome.problems:
                self._save(plan)
            processed += len(batch)
            if on_progress is not None:
                on_progress(processed)
        return outcome

    def check(self, row, instance, context):
        """Last rules, once the row is matched: `instance` is the row it updates (changes
        applied) or None for a new row. Add problems to `row` to keep it from being written."""

    def _match(self, rows, context, *, write):
        """What the batch's rows create, update or leave as they are; rows the last
        checks refuse get problems and are left out."""
        plan = Plan()
        if not rows:
            return plan
        existing = self.existing(rows, context)
        for row in rows:
            instance = existing.get(row.match_key)
            changed = self.changes(row, instance, context) if instance is not None else None
            self.check(row, instance, context)
            if row.problems:
                continue
            if instance is None:
                # A preview only counts the new rows: building them would be wasted time.
                plan.to_create.append(self.build(row, context) if write else row)
            elif changed:
                plan.to_update.append(instance)
                plan.changed_fields |= {self.model._meta.get_field(name).name for name in changed}
            else:
                plan.unchanged += 1
        return plan

    def _save(self, plan):
        if plan.to_create:
            self.model.objects.bulk_create(plan.to_create, batch_size=BATCH_SIZE)
        if plan.to_update:
            update_in_bulk(self.model, plan.to_update, sorted(plan.changed_fields))


@dataclass
class Plan:
    """What one batch will write."""

    to_create: list = field(default_factory=list)
    to_update: list = field(default_factory=list)
    changed_fields: set = field(default_factory=set)
    unchanged: int = 0


def matching_rows(model, key_fields, keys, only):
    """{key: instance} for the rows of `model` whose `key_fields` equal one of `keys`.

    One query per batch of keys, matching the keys exactly through the unique
    index, so that the rows fetched are the rows the file names rather than, say,
    every session of the same pairings. The instances hold `only` besides the key.
    """
    if not keys:
        return {}
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in key_fields]
    selected = [meta.pk, *fields, *(meta.get_field(name) for name in only)]
    select = ", ".join(f"t.{quote(field.column)}" for field in selected)
    table = quote(meta.db_table)
    keys = list(keys)
    if connection.vendor == "postgresql":
        # One array per key column: three parameters, whatever the number of keys.
        arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
        names = ", ".join(f"k{index}" for index in range(len(fields)))
        joined = " AND ".join(
            f"t.{quote(field.column)} = k.k{index}" for index, field in enumerate(fields)
        )
        queries = [
            (
                f"SELECT {select} FROM {table} t JOIN unnest({arrays}) AS k({names}) ON {joined}",
                [
                    [field.get_db_prep_value(key[index], connection) for key in chunk]
                    for index, field in enumerate(fields)
                ],
            )
            for chunk in _chunks(keys, BATCH_SIZE)
        ]
    else:
        placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
        columns = ", ".join(f"t.{quote(field.column)}" for field in fields)
        per_query = max(1, (connection.features.max_query_params or 30000) // len(fields) - 1)
        queries = [
            (
                f"SELECT {select} FROM {table} t "
                f"WHERE ({columns}) IN (VALUES {', '.join([placeholder] * len(chunk))})",
                [
                    field.get_db_prep_value(value, connection)
                    for key in chunk
                    for field, value in zip(fields, key, strict=True)
                ],
            )
            for chunk in _chunks(keys, min(per_query, BATCH_SIZE))
        ]
    found = {}
    for sql, params in queries:
        for instance in model.objects.raw(sql, params):
            found[tuple(getattr(instance, name) for name in key_fields)] = instance
    return found


def _chunks(items, size):
    return [items[start : start + size] for start in range(0, len(items), size)]


def update_in_bulk(model, instances, field_names):
    """Save `field_names` of many instances with one statement per batch.

    On PostgreSQL this is one UPDATE … FROM (VALUES …): Django's bulk_update
    builds a CASE with one branch per row for every field, which costs more
    than the write itself for thousands of rows. Elsewhere, bulk_update.
    """
    if connection.vendor != "postgresql":
        model.objects.bulk_update(instances, field_names, batch_size=UPDATE_BATCH_SIZE)
        return
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [meta.pk] + [meta.get_field(name) for name in field_names]
    table, key = quote(meta.db_table), quote(meta.pk.column)
    assignments = ", ".join(
        f"{quote(column.column)} = new.{quote(column.column)}" for column in columns[1:]
    )
    names = ", ".join(quote(column.column) for column in columns)
    # Casts give the VALUES columns their types; an all-NULL column would otherwise be text.
    row = "(" + ", ".join(f"CAST(%s AS {column.db_type(connection)})" for column in columns) + ")"
    for start in range(0, len(instances), BATCH_SIZE):
        batch = instances[start : start + BATCH_SIZE]
        params = [
            column.get_db_prep_save(getattr(instance, column.attname), connection)
            for instance in batch
            for column in columns
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(batch))})"
                f" AS new({names}) WHERE {table}.{key} = new.{key}",
                params,
            )


class PeopleImporter(Importer):
    model = Person
    fields = (
        "email",
        "first_name",
        "last_name",
        "language",
        "department",
        "job_title",
        "hire_date",
    )
    required = ("email", "first_name", "last_name")
    update_fields = ("first_name", "last_name", "language", "department", "job_title", "hire_date")

    def parse(self, row, context):
        email = row.read_email("email")
        row.read_text("first_name", 100, required=True)
        row.read_text("last_name", 100, required=True)
        row.read("language", lambda value: parse_choice(value, LANGUAGES, "bad_language"))
        row.read_text("department", 200)
        row.read_text("job_title", 200)
        row.read("hire_date", parse_date)
        row.key = row.match_key = email

    def resolve(self, rows, context):
        # An erased person comes back only if someone asks them first (see privacy).
        erased = erased_on(context.organisation, [row.match_key for row in rows])
        for row in rows:
            if row.match_key in erased:
                row.add_problem(
                    "erased_person", value=row.match_key, date=erased[row.match_key].isoformat()
                )

    def existing(self, rows, context):
        return {
            person.email_key: person
            for person in Person.objects.filter(organisation=context.organisation)
            .annotate(email_key=Lower("email"))
            .filter(email_key__in=[row.match_key for row in rows])
            .only("pk", "email", *self.update_fields)
        }

    def build(self, row, context):
        return Person(
            organisation=context.organisation,
            email=row.data["email"],
            first_name=row.data["first_name"],
            last_name=row.data["last_name"],
            language=row.data.get("language", context.organisation.language),
            department=row.data.get("department", ""),
            job_title=row.data.get("job_title", ""),
            hire_date=row.data.get("hire_date"),
        )


class EnrolmentImporter(Importer):
    fields = ("email", "program", "since", "status")
    required = ("email",)
    program_column = True

    def __init__(self, model):
        self.model = model

    def parse(self, row, context):
        program = row.read_program(context)
        email = row.read_email("email")
        row.read("since", parse_date)
        row.read("status", lambda value: parse_choice(value, ENROLMENT_STATUSES, "bad_status"))
        if program is not None and email is not None:
            row.key = (program.pk, email)

    def resolve(self, rows, context):
        person_ids = context.person_ids({row.key[1] for row in rows})
        for row in rows:
            person_id = person_ids[row.key[1]]
            if person_id is None:
                row.add_problem("unknown_person", value=row.data["email"])
            else:
                row.match_key = (row.key[0], person_id)
        # The rule of programs.services (enrol, change_enrolment_status), for the whole batch.
        self._left = set(
            Person.objects.filter(
                pk__in={row.match_key[1] for row in rows if row.match_key},
                left_on__isnull=False,
            ).values_list("pk", flat=True)
        )

    def check(self, row, instance, context):
        status = instance.status if instance is not None else row.data.get("status")
        if row.match_key[1] in self._left and status != EnrolmentStatus.LEFT:
            row.add_problem("person_left", value=row.data["email"])

    def existing(self, rows, context):
        return {
            (enrolment.program_id, enrolment.person_id): enrolment
            for enrolment in self.model.objects.filter(
                program_id__in={row.match_key[0] for row in rows},
                person_id__in={row.match_key[1] for row in rows},
            ).only("pk", "program_id", "person_id", "since", "status", "status_changed_on")
        }

    def build(self, row, context):
        status = row.data.get("status", EnrolmentStatus.ACTIVE)
        return self.model(
            program_id=row.match_key[0],
            person_id=row.match_key[1],
            since=row.data.get("since", context.today),
            status=status,
            status_changed_on=None if status == EnrolmentStatus.ACTIVE else context.today,
        )

    def _save(self, plan):
        # Webhooks: mentors who join, leave or come back (compared before the write).
        moves = webhooks.enrolment_moves(self.model, plan.to_update)
        super()._save(plan)
        webhooks.imported_enrolments(self.model, plan.to_create, moves)

    def changes(self, row, instance, context):
        changed = set()
        if "since" in row.data and instance.since != row.data["since"]:
            instance.since = row.data["since"]
            changed.add("since")
        if "status" in row.data and instance.status != row.data["status"]:
            instance.status = row.data["status"]
            instance.status_changed_on = context.today
            changed |= {"status", "status_changed_on"}
        return changed


class PairingImporter(Importer):
    model = Pairing
    fields = ("program", "mentor", "mentee", "starts_on", "ends_on", "cycle", "status")
    required = ("mentor", "mentee", "starts_on")
    program_column = True
    update_fields = ("ends_on", "cycle_id", "status")

    def __init__(self):
        # {(program id, mentor id, mentee id): row number} of the file's new active pairings.
        self._new_active_pairs = {}

    def parse(self, row, context):
        program = row.read_program(context)
        mentor = row.read_email("mentor")
        mentee = row.read_email("mentee")
        starts_on = row.read("starts_on", parse_date, required=True)
        row.read("ends_on", parse_date)
        if program is not None and row.raw("cycle") != "":
            row.read("cycle", lambda value: context.cycle_named(program, value))
        row.read("status", lambda value: parse_choice(value, PAIRING_STATUSES, "bad_status"))
        if "cycle" in row.data:
            row.data["cycle_id"] = row.data.pop("cycle")
        if None not in (program, mentor, mentee, starts_on):
            row.key = (program.pk, mentor, mentee, starts_on)

    def resolve(self, rows, context):
        person_ids = context.person_ids({e for row in rows for e in (row.key[1], row.key[2])})
        for row in rows:
            mentor_id, mentee_id = person_ids[row.key[1]], person_ids[row.key[2]]
            if mentor_id is None:
                row.add_problem("unknown_mentor", value=row.data["mentor"])
            if mentee_id is None:
                row.add_problem("unknown_mentee", value=row.data["mentee"])
            row.match_key = (row.key[0], mentor_id, mentee_id, row.key[3])
        known = [row for row in rows if not row.problems]
        program_ids = {row.key[0] for row in known}
        self._active_mentors = active_enrolment_keys(
            MentorEnrolment, program_ids, {row.match_key[1] for row in known}
        )
        self._active_mentees = active_enrolment_keys(
            MenteeEnrolment, program_ids, {row.match_key[2] for row in known}
        )
        self._active_pairs = active_pairing_keys(
            program_ids, {row.match_key[1] for row in known}, {row.match_key[2] for row in known}
        )

    def check(self, row, instance, context):
        # The rules of programs.services.create_pairing and update_pairing, shared with them.
        program_id, mentor_id, mentee_id, starts_on = row.match_key
        if instance is None:
            people = pairing_people_problems(
                mentor_id=mentor_id,
                mentee_id=mentee_id,
                mentor_active=(program_id, mentor_id) in self._active_mentors,
                mentee_active=(program_id, mentee_id) in self._active_mentees,
            )
            if people:
                # The first is the one to fix: someone paired with themselves is not a mentor too.
                value = row.data["mentee" if people[0] == "mentee_not_active" else "mentor"]
                row.add_problem(people[0], value=value, program=row.data["program"].name)
                return
            ends_on = row.data.get("ends_on")
            status = row.data.get("status", Pairing.Status.ACTIVE)
        else:
            ends_on, status = instance.ends_on, instance.status
        problem = pairing_end_problem(starts_on=starts_on, ends_on=ends_on, status=status)
        if problem is not None:
            row.add_problem(problem, start=str(starts_on), end=str(ends_on or ""))
            return
        if instance is None and status == Pairing.Status.ACTIVE:
            self._check_second_active_pairing(row)

    def _check_second_active_pairing(self, row):
        """Like create_pairing, refuse a second active pairing of the same two people.

        The file is looked at first: while the rows are written, a pairing created
        by an earlier batch is already in the database, and the report must read
        the same as the preview's.
        """
        pair = row.match_key[:3]
        names = {
            "mentor": row.data["mentor"],
            "mentee": row.data["mentee"],
            "program": row.data["program"].name,
        }
        first_row = self._new_active_pairs.setdefault(pair, row.number)
        if first_row != row.number:
            row.add_problem("paired_twice_in_file", first_row=first_row, **names)
        elif pair in self._active_pairs:
            del self._new_active_pairs[pair]
            row.add_problem("already_paired", **names)

    def existing(self, rows, context):
        return matching_rows(
            Pairing,
            ("program_id", "mentor_id", "mentee_id", "starts_on"),
            {row.match_key for row in rows},
            self.update_fields,
        )

    def build(self, row, context):
        program_id, mentor_id, mentee_id, starts_on = row.match_key
        return Pairing(
            program_id=program_id,
            mentor_id=mentor_id,
            mentee_id=mentee_id,
            starts_on=starts_on,
            ends_on=row.data.get("ends_on"),
            cycle_id=row.data.get("cycle_id"),
            status=row.data.get("status", Pairing.Status.ACTIVE),
        )


# The codes under which a file's reader sees hours.services.session_date_problem's answers.
SESSION_DATE_PROBLEMS = {
    "future": "session_in_future",
    "before_pairing": "before_pairing",
    "after_pairing": "after_pairing",
}


def parse_minutes(value):
    return _session_length(parse_decimal(value))


def parse_hours(value):
    return _session_length(parse_decimal(value) * 60)


def _session_length(minutes):
    # The rule of hours.services.log_session, shared with it.
    try:
        whole = minutes.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        # More digits than the decimal context holds ("1e300"): far beyond any session.
        raise BadCell("bad_duration", minutes=str(minutes)) from None
    if not is_session_length(int(whole)):
        raise BadCell("bad_duration", minutes=str(whole))
    return int(whole)


class SessionImporter(Importer):
    model = MentoringSession
    fields = (
        "program",
        "mentor",
        "mentee",
        "held_on",
        "duration_minutes",
        "duration_hours",
        "format",
        "setting",
        "notes",
    )
    required = ("mentor", "mentee", "held_on")
    program_column = True
    update_fields = ("format", "setting", "notes")

    def header_problems(self, positions, context):
        problems = super().header_problems(positions, context)
        if "duration_minutes" not in positions and "duration_hours" not in positions:
            problems.append(Problem("missing_duration_column", None))
        return problems

    def parse(self, row, context):
        program = row.read_program(context)
        mentor = row.read_email("mentor")
        mentee = row.read_email("mentee")
        held_on = row.read("held_on", parse_date, required=True)
        if row.raw("duration_minutes") != "":
            minutes = row.read("duration_minutes", parse_minutes)
        elif row.raw("duration_hours") != "":
            minutes = row.read("duration_hours", parse_hours)
        else:
            minutes = None
            column = "duration_minutes" if "duration_minutes" in row.cells else "duration_hours"
            row.add_problem("missing_value", column=column)
        row.read("format", lambda value: parse_choice(value, FORMATS, "bad_format"))
        row.read("setting", lambda value: parse_choice(value, SETTINGS, "bad_setting"))
        row.read("notes")
        if None not in (program, mentor, mentee, held_on, minutes):
            row.data["minutes"] = minutes
            row.key = (program.pk, mentor, mentee, held_on, minutes)

    def resolve(self, rows, context):
        person_ids = context.person_ids({e for row in rows for e in (row.key[1], row.key[2])})
        pairs = {}
        for row in rows:
            mentor_id, mentee_id = person_ids[row.key[1]], person_ids[row.key[2]]
            if mentor_id is None:
                row.add_problem("unknown_mentor", value=row.data["mentor"])
            if mentee_id is None:
                row.add_problem("unknown_mentee", value=row.data["mentee"])
            if not row.problems:
                pairs[row] = (row.key[0], mentor_id, mentee_id)
        starts = self._pairing_starts(set(pairs.values()))
        for row, pair in pairs.items():
            held_on = row.data["held_on"]
            candidates = starts.get(pair)
            if not candidates:
                row.add_problem(
                    "no_pairing",
                    mentor=row.data["mentor"],
                    mentee=row.data["mentee"],
                    program=row.data["program"].name,
                )
                continue
            # The session belongs to the latest pairing of these two that had started by then
            # (or to their first pairing, which refuses it as too early).
            started = [candidate for candidate in candidates if candidate[0] <= held_on]
            starts_on, pairing_id, ends_on = started[-1] if started else candidates[0]
            # The rule of hours.services.log_session, shared with it.
            problem = session_date_problem(
                held_on, today=context.today, starts_on=starts_on, ends_on=ends_on
            )
            if problem is not None:
                row.add_problem(
                    SESSION_DATE_PROBLEMS[problem],
                    date=str(held_on),
                    start=str(starts_on),
                    end=str(ends_on or ""),
                    today=str(context.today),
                )
                continue
            row.data["pair"] = pair
            row.match_key = (pairing_id, held_on, row.data["minutes"])

    def _pairing_starts(self, pairs):
        """{(program, mentor, mentee): [(starts_on, pairing id, ends_on), ...] oldest first}."""
        if not hasattr(self, "_starts_cache"):
            self._starts_cache = {}
        cache = self._starts_cache
        missing = {pair for pair in pairs if pair not in cache}
        if missing:
            for pair in missing:
                cache[pair] = []
            found = Pairing.objects.filter(
                program_id__in={pair[0] for pair in missing},
                mentor_id__in={pair[1] for pair in missing},
                mentee_id__in={pair[2] for pair in missing},
            ).values_list("program_id", "mentor_id", "mentee_id", "starts_on", "pk", "ends_on")
            for program_id, mentor_id, mentee_id, starts_on, pk, ends_on in found:
                pair = (program_id, mentor_id, mentee_id)
                if pair in missing:
                    cache[pair].append((starts_on, pk, ends_on))
            for pair in missing:
                cache[pair].sort()
        return {pair: cache[pair] for pair in pairs}

    def existing(self, rows, context):
        return matching_rows(
            MentoringSession,
            ("pairing_id", "held_on", "duration_minutes"),
            {row.match_key for row in rows},
            self.update_fields,
        )

    def build(self, row, context):
        pairing_id, held_on, minutes = row.match_key
        program_id, mentor_id, mentee_id = row.data["pair"]
        return MentoringSession(
            pairing_id=pairing_id,
            program_id=program_id,
            mentor_id=mentor_id,
            mentee_id=mentee_id,
            held_on=held_on,
            duration_minutes=minutes,
            format=row.data.get("format", SessionFormat.ONE_TO_ONE),
            setting=row.data.get("setting", SessionSetting.IN_PERSON),
            notes=row.data.get("notes", ""),
            # A manager's records are authoritative: nobody needs to confirm them again.
            logged_by=LoggedBy.MANAGER,
            logged_by_user=context.actor,
            confirmed_at=context.now,
            confirmed_by=context.actor,
        )


def importer_for(kind):
    """A fresh importer (importers keep per-import caches) for a kind of file."""
    return {
        ImportKind.PEOPLE: PeopleImporter,
        ImportKind.MENTORS: lambda: EnrolmentImporter(MentorEnrolment),
        ImportKind.MENTEES: lambda: EnrolmentImporter(MenteeEnrolment),
        ImportKind.PAIRINGS: PairingImporter,
        ImportKind.SESSIONS: SessionImporter,
    }[kind]()


def sample_rows(kind, program_slug):
    """A header row with French names and two example rows, for the sample file of a kind."""
    today = datetime.date.today()
    samples = {
        ImportKind.PEOPLE: [
            ["courriel", "prénom", "nom", "langue", "service", "poste", "date d'embauche"],
            ["marie.tremblay@example.org", "Marie", "Tremblay", "fr", "Finances",
             "Analyste", "15/03/2019"],
            ["john.smith@example.org", "John", "Smith", "en", "Ingénierie",
             "Ingénieur", "2021-09-01"],
        ],
        ImportKind.MENTORS: [
            ["courriel", "programme", "depuis", "statut"],
            ["marie.tremblay@example.org", program_slug, "01/09/2025", "actif"],
        ],
        ImportKind.MENTEES: [
            ["courriel", "programme", "depuis", "statut"],
            ["john.smith@example.org", program_slug, "01/09/2025", "actif"],
        ],
        ImportKind.PAIRINGS: [
            ["programme", "mentor", "mentoré", "début", "fin", "cohorte", "statut"],
            [program_slug, "marie.tremblay@example.org", "john.smith@example.org",
             "15/09/2025", "", "", "actif"],
        ],
        ImportKind.SESSIONS: [
            ["programme", "mentor", "mentoré", "date", "durée (heures)", "format", "mode",
             "notes"],
            [program_slug, "marie.tremblay@example.org", "john.smith@example.org",
             today.replace(day=1).strftime("%d/%m/%Y"), "1,5", "individuel", "en personne",
             "Premier bilan"],
        ],
    }  # fmt: skip
    return samples[kind]
