"""Speed of Laurier's busiest pages and of a large import, on a large generated organisation.

    .venv/bin/python bench/run.py        # full size: 10,000 mentors, 1,000,000 sessions,
                                         # 50,000 pulse responses, 20,000 ledger lines
    .venv/bin/python bench/run.py --mentors 500 --mentees 2000 --sessions 50000 \
        --responses 2500 --import-rows 5000

Without DATABASE_URL a throwaway PostgreSQL server is started and stopped
around the run. Prints a table and writes bench/results/latest.json. See
bench/README.md for the targets.
"""

import argparse
import csv
import datetime
import io
import json
import platform
import random
import statistics
import sys
import time
import traceback

from common import (
    ROOT,
    UNUSED_SESSION_LENGTHS,
    add_organisation_arguments,
    data_directory,
    database,
    generate,
    migrate,
    organisation_size,
    set_up_django,
)

RESULTS = ROOT / "bench" / "results" / "latest.json"
EXPLAIN_DIR = ROOT / "bench" / "results" / "explain"
# How many of a slow insights page's queries are explained (the slowest first).
EXPLAINED_QUERIES = 3
PAGE_TARGET_MS = 200
# The mentor-voice page aggregates every profile and pulse answer of the program.
VOICE_TARGET_MS = 300
IMPORT_TARGET_ROWS_PER_SECOND = 5000
# One `commit()` on a budget: locks its row, sums its ledger, writes a line and its audit.
COMMIT_TARGET_MS = 50
# Computing the biggest program's plan for a year: read the scenario, solve, write the lines.
PLAN_TARGET_SECONDS = 30
# Insights pages (issue 9) aggregate a year of sessions, awards, feedback and pulses.
INSIGHTS_TARGET_MS = 500
INSIGHTS_PAGES = (
    "insights:health",
    "insights:impact",
    "insights:attention",
    "insights:timing",
    "insights:reports",
)
# API lists (issue 10): a page of 100 rows, serialised, as an integration reads them.
API_TARGET_MS = 300
API_PAGE_SIZE = 100
# An annual report is built by the task worker while its page shows the progress.
REPORT_TARGET_SECONDS = 60
MIN_REQUESTS = 3
PAGE_TIME_BUDGET_MS = 30_000
TIMINGS = ("median_ms", "min_ms", "max_ms")
# Imported rows are new sessions, not updates.
IMPORT_LENGTHS = UNUSED_SESSION_LENGTHS


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_organisation_arguments(parser)
    parser.add_argument("--requests", type=int, default=15, help="timed requests per page")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument(
        "--explain",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="for each insights page over its target, EXPLAIN ANALYZE its slowest queries "
        "into bench/results/explain/",
    )
    return parser.parse_args()


def main():
    arguments = parse_arguments()
    with database(arguments.pg_port), data_directory() as data_dir:
        return Benchmark(arguments, data_dir).run()


def set_up_django_for_the_test_client(data_dir):
    set_up_django(data_dir)
    from django.test.utils import override_settings

    # The manifest storage needs collectstatic; the pages' server time does not depend on it.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()


class QueryTimer:
    """Records each query's time, SQL and parameters while installed as an execute wrapper."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql, params))

    def slowest(self, count):
        return sorted(self.queries, key=lambda query: query[0], reverse=True)[:count]


class QueryCounter:
    """Counts the queries run through a connection while installed as its execute wrapper."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Benchmark:
    def __init__(self, arguments, data_dir):
        self.arguments = arguments
        self.data_dir = data_dir
        self.results = {
            "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": {"python": platform.python_version(), "platform": platform.platform()},
            "size": organisation_size(arguments),
            "targets": {
                "page_median_ms": PAGE_TARGET_MS,
                "voice_page_median_ms": VOICE_TARGET_MS,
                "import_rows_per_second": IMPORT_TARGET_ROWS_PER_SECOND,
                "commit_median_ms": COMMIT_TARGET_MS,
                "plan_seconds": PLAN_TARGET_SECONDS,
                "insights_page_median_ms": INSIGHTS_TARGET_MS,
                "report_seconds": REPORT_TARGET_SECONDS,
            },
            "pages": [],
        }

    def run(self):
        set_up_django_for_the_test_client(self.data_dir)
        self.results["database"] = migrate()
        self.results["generation_seconds"] = generate(self.arguments)
        self.find_people()
        self.measure_plan()
        self.measure_pages()
        self.measure_insights()
        self.measure_api()
        self.measure_reports()
        self.measure_approval()
        self.measure_commit()
        self.measure_import()
        self.report()
        return 0

    # The organisation

    def find_people(self):
        """The biggest program, one of its managers, and an admin of the organisation."""
        from django.db.models import Count

        from laurier.organisations.models import Membership, Role
        from laurier.programs.models import Program

        slug = self.arguments.slug
        self.program = (
            Program.objects.filter(organisation__slug=slug)
            .annotate(mentor_count=Count("mentor_enrolments"))
            .order_by("-mentor_count")
            .first()
        )
        self.organisation = self.program.organisation
        self.manager = self.program.managers.order_by("pk").first()
        self.admin = (
            Membership.objects.filter(organisation=self.organisation, role=Role.ADMIN)
            .select_related("user")
            .order_by("pk")
            .first()
            .user
        )
        from laurier.hours.models import MentoringSession
        from laurier.profiles.models import MentorProfile
        from laurier.programs.models import MenteeEnrolment
        from laurier.surveys.models import Answer, Response, Survey

        # Feedback about awards is a survey's responses too: count the pulses only.
        PULSE = Survey.Purpose.PULSE

        self.results["biggest_program"] = {
            "slug": self.program.slug,
            "mentors": self.program.mentor_count,
            "mentees": MenteeEnrolment.objects.filter(program=self.program).count(),
            "sessions": MentoringSession.objects.filter(program=self.program).count(),
            "profiles": MentorProfile.objects.filter(
                person__mentor_enrolments__program=self.program
            ).count(),
            "pulse_responses": Response.objects.filter(
                campaign__program=self.program, campaign__survey__purpose=PULSE
            ).count(),
            "pulse_answers": Answer.objects.filter(
                response__campaign__program=self.program,
                response__campaign__survey__purpose=PULSE,
            ).count(),
        }
        self.results["organisation_pulse_responses"] = Response.objects.filter(
            campaign__organisation=self.organisation, campaign__survey__purpose=PULSE
        ).count()
        self.find_budget()
        self.count_awards()

    def count_awards(self):
        """How many recognitions the insights pages have to aggregate."""
        from django.db.models import Count, Q

        from laurier.recognition.models import Award

        def counts(awards):
            return awards.aggregate(
                awards=Count("pk"),
                given=Count("pk", filter=Q(status=Award.Status.GIVEN)),
                feedback=Count("pk", filter=Q(feedback_request__response__isnull=False)),
            )

        self.results["biggest_program"]["awards"] = counts(
            Award.objects.filter(program=self.program)
        )
        self.results["organisation_awards"] = counts(
            Award.objects.filter(organisation=self.organisation)
        )

    def find_budget(self):
        """The biggest program's budget for this fiscal year, and how big the ledgers are."""
        from laurier.core.dates import fiscal_year_of as current_fiscal_year
        from laurier.core.dates import organisation_today
        from laurier.recognition.models import Budget, LedgerEntry

        year = current_fiscal_year(self.organisation, organisation_today(self.organisation))
        self.budget = Budget.objects.filter(program=self.program, fiscal_year=year).first()
        entries = LedgerEntry.objects.filter(budget__organisation=self.organisation)
        self.results["biggest_program"]["ledger_lines"] = (
            entries.filter(budget=self.budget).count() if self.budget else 0
        )
        self.results["organisation_ledger_lines"] = entries.count()
        self.results["organisation_ledger_lines_this_year"] = entries.filter(
            budget__fiscal_year=year
        ).count()

    # Pages

    def pages(self):
        organisation, program = self.organisation.slug, self.program.slug
        in_program = (organisation, program)
        return [
            ("programs:dashboard", in_program, "manager", self.manager),
            ("programs:mentors", in_program, "manager", self.manager),
            ("programs:mentees", in_program, "manager", self.manager),
            ("programs:pairings", in_program, "manager", self.manager),
            ("hours:sessions", in_program, "manager", self.manager),
            ("hours:training_hours", (organisation,), "manager", self.manager),
            ("hours:training_hours", (organisation,), "admin", self.admin),
            ("programs:people", (organisation,), "admin", self.admin),
            ("surveys:voice", in_program, "manager", self.manager, VOICE_TARGET_MS),
            ("surveys:voice", in_program, "admin", self.admin, VOICE_TARGET_MS),
            ("recognition:catalog", (organisation,), "manager", self.manager),
            ("recognition:budgets", (organisation,), "admin", self.admin),
            ("recognition:budgets", (organisation,), "manager", self.manager),
            *self.budget_pages(organisation),
            ("recognition:compensation", in_program, "manager", self.manager),
            *self.plan_pages(in_program),
        ]

    def plan_pages(self, in_program):
        if getattr(self, "plan", None) is None:
            return []
        in_plan = (*in_program, self.plan.pk)
        return [
            ("recognition:plans", in_program, "manager", self.manager),
            ("recognition:plan_detail", in_plan, "manager", self.manager),
            ("recognition:plan_detail?view=moment", in_plan, "manager", self.manager),
            ("recognition:plan_detail?view=option", in_plan, "manager", self.manager),
            ("recognition:plan_line_add", in_plan, "manager", self.manager),
            ("recognition:plan_approve", in_plan, "manager", self.manager),
        ]

    def budget_pages(self, organisation):
        if self.budget is None:
            return []
        in_budget = (organisation, self.budget.pk)
        return [
            ("recognition:budget_detail", in_budget, "manager", self.manager),
            ("recognition:budget_commit", in_budget, "manager", self.manager),
        ]

    def measure_pages(self):
        print(f"Measuring pages ({self.arguments.requests} requests each)…", flush=True)
        for name, url_arguments, role, user, *target in self.pages():
            row = self.measure_page(name, url_arguments, user, *target)
            row["as"] = role
            self.results["pages"].append(row)
            shown = f"{row['median_ms']:.0f} ms" if row.get("median_ms") is not None else ""
            print(f"  {name} as {role}: {row['result']} {shown}", flush=True)

    def measure_page(self, name, url_arguments, user, target_ms=PAGE_TARGET_MS):
        from django.test import Client
        from django.urls import reverse

        name, _mark, query = name.partition("?")
        url = reverse(name, args=url_arguments) + (f"?{query}" if query else "")
        client = Client()
        client.force_login(user)
        row = {"page": name + (f"?{query}" if query else ""), "url": url}
        # An insights page still being written answers 404 from its placeholder view.
        return self.measure_url(client, url, row, target_ms, name.startswith("insights:"))

    def measure_url(self, client, url, row, target_ms, missing_is_unavailable=False):
        from django.db import connection

        queries = QueryCounter()
        try:
            # A wrapper, unlike the query log, survives the reconnection CONN_MAX_AGE may cause.
            with connection.execute_wrapper(queries):
                response = client.get(url)  # also warms caches, like a server that has run a while
        except NotImplementedError:
            return {**row, "result": "not available"}
        except Exception as error:  # a broken page is a result too; the others still run
            traceback.print_exc()
            return {**row, "result": f"error: {type(error).__name__}: {error}"}
        if response.status_code == 404 and missing_is_unavailable:
            return {**row, "result": "not available"}
        if response.status_code != 200:
            return {**row, "result": f"HTTP {response.status_code}"}
        timings = []
        # A page that takes seconds is slow whatever its exact median: cap its time.
        while len(timings) < self.arguments.requests and (
            len(timings) < MIN_REQUESTS or sum(timings) < PAGE_TIME_BUDGET_MS
        ):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        median = statistics.median(timings)
        return {
            **row,
            "result": "ok" if median < target_ms else "slow",
            "target_ms": target_ms,
            "median_ms": round(median, 1),
            "min_ms": round(min(timings), 1),
            "max_ms": round(max(timings), 1),
            "requests": len(timings),
            "queries": queries.count,
            "bytes": len(response.content),
        }

    # API (issue 10)

    def measure_api(self):
        """The first page of every API list, API_PAGE_SIZE rows, with a token of every scope."""
        import datetime as dt

        from django.test import Client
        from django.utils import timezone
        from rest_framework.throttling import SimpleRateThrottle

        from laurier.api.scopes import ALL_SCOPES
        from laurier.api.tokens import create_token, revoke_token
        from laurier.api.urls import router

        print(f"Measuring API lists ({self.arguments.requests} requests each)…", flush=True)
        # The bench measures speed, not the per-token limit.
        SimpleRateThrottle.THROTTLE_RATES = {"token": "1000000/min"}
        token, key = create_token(
            organisation=self.organisation,
            actor=self.admin,
            name=f"Bench {timezone.now():%Y-%m-%d %H:%M:%S}",
            scopes=ALL_SCOPES,
            expires_at=timezone.now() + dt.timedelta(days=1),
        )
        client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
        for prefix, _viewset, _basename in router.registry:
            url = f"/api/v1/{prefix}/?page_size={API_PAGE_SIZE}"
            row = {"page": f"API {prefix}", "url": url}
            row = self.measure_url(client, url, row, API_TARGET_MS)
            row["as"] = "token"
            self.results["pages"].append(row)
            shown = f"{row['median_ms']:.0f} ms" if row.get("median_ms") is not None else ""
            print(f"  {url}: {row['result']} {shown} {row.get('queries', '')} queries", flush=True)
        revoke_token(token, actor=self.admin)

    # Insights (issue 9)

    def insights_pages(self):
        """Each insights page as the biggest program's manager (that program chosen in the
        filters) and as an admin over the whole organisation."""
        organisation, program = (self.organisation.slug,), self.program.slug
        pages = []
        for name in INSIGHTS_PAGES:
            pages.append((f"{name}?program={program}", organisation, "manager", self.manager))
            pages.append((name, organisation, "admin", self.admin))
        return pages

    def measure_insights(self):
        print(f"Measuring insights pages ({self.arguments.requests} requests each)…", flush=True)
        for name, url_arguments, role, user in self.insights_pages():
            row = self.measure_page(name, url_arguments, user, INSIGHTS_TARGET_MS)
            row["as"] = role
            if row["result"] == "slow" and self.arguments.explain:
                row["slowest_queries"] = self.explain_page(name, row["url"], user, role)
            self.results["pages"].append(row)
            shown = f"{row['median_ms']:.0f} ms" if row.get("median_ms") is not None else ""
            queries = f"{row['queries']} queries" if "queries" in row else ""
            print(f"  {name} as {role}: {row['result']} {shown} {queries}", flush=True)

    def explain_page(self, name, url, user, role, count=EXPLAINED_QUERIES):
        """Where a slow page spends its time: one more request with each query timed, then
        `EXPLAIN (ANALYZE, BUFFERS)` of its slowest reads, written to bench/results/explain/."""
        from django.db import connection
        from django.test import Client

        client = Client()
        client.force_login(user)
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            client.get(url)
        slowest, report = [], [f"{url} as {role}: {len(timer.queries)} queries, "
                                f"{sum(q[0] for q in timer.queries):.0f} ms of SQL"]  # fmt: skip
        for milliseconds, sql, params in timer.slowest(count):
            slowest.append({"ms": round(milliseconds, 1), "sql": sql[:300]})
            report.append(f"\n===== {milliseconds:.0f} ms\n{sql}\n{params}\n")
            if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
                continue  # ANALYZE runs the statement: reads only
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                report += [line for (line,) in cursor.fetchall()]
        page = name.partition("?")[0].replace(":", "-")
        path = EXPLAIN_DIR / f"{page}-{role}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(report) + "\n")
        print(f"    slowest queries explained in {path.relative_to(ROOT)}", flush=True)
        return slowest

    def measure_reports(self):
        """One annual report of last fiscal year (a whole year), built as the task worker
        builds it: for the biggest program, then for the whole organisation. Each report and
        its files are deleted afterwards."""
        self.results["reports"] = [
            self.measure_report(self.program, "manager", self.manager),
            self.measure_report(None, "admin", self.admin),
        ]

    def measure_report(self, program, role, user):
        from django.db import connection

        from laurier.core.dates import fiscal_year_of, organisation_today

        what = program.slug if program else "organisation"
        row = {"report": what, "as": role}
        try:
            from laurier.insights import services
            from laurier.insights.models import AnnualReport

            build_report = services.build_report
        except (ImportError, AttributeError) as error:
            print(f"  annual report ({what}): not available", flush=True)
            return {**row, "result": f"not available: {error}"}
        year = fiscal_year_of(self.organisation, organisation_today(self.organisation)) - 1
        report = AnnualReport.objects.create(
            organisation=self.organisation,
            program=program,
            fiscal_year=year,
            language="fr-ca",
            requested_by=user,
            status=AnnualReport.Status.QUEUED,
        )
        print(f"Building the annual report of {year} ({what})…", flush=True)
        queries = QueryCounter()
        try:
            with connection.execute_wrapper(queries):
                started = time.perf_counter()
                build_report(report.pk)
                seconds = time.perf_counter() - started
            report.refresh_from_db()
            row.update(
                fiscal_year=year,
                seconds=round(seconds, 2),
                queries=queries.count,
                status=report.status,
                pdf_bytes=report.pdf.size if report.pdf else 0,
                xlsx_bytes=report.xlsx.size if report.xlsx else 0,
            )
            if report.status != AnnualReport.Status.READY:
                row["result"] = f"{report.status}: {report.error[:300]}"
            else:
                row["result"] = "ok" if seconds < REPORT_TARGET_SECONDS else "slow"
        except Exception as error:
            traceback.print_exc()
            row["result"] = f"error: {type(error).__name__}: {error}"
        finally:
            for stored in (report.pdf, report.xlsx):
                if stored:
                    stored.delete(save=False)
            report.delete()
        print(f"  {row}", flush=True)
        return row

    # The recognition plan

    def measure_plan(self):
        """Compute a plan of the biggest program for the rest of this fiscal year, in this
        process (as the task worker would), and keep it for the plan pages."""
        from django.conf import settings

        from laurier.core.dates import fiscal_year_bounds, fiscal_year_of, organisation_today
        from laurier.recognition.models import Plan
        from laurier.recognition.services import plans

        organisation, program = self.organisation, self.program
        today = organisation_today(organisation)
        _first, last = fiscal_year_bounds(organisation, fiscal_year_of(organisation, today))
        Plan.objects.filter(program=program).delete()
        print("Computing the biggest program's recognition plan…", flush=True)
        settings.PLAN_BACKGROUND_THRESHOLD_MENTORS = 10**9
        started = time.perf_counter()
        self.plan = plans.create_plan(
            program,
            actor=self.manager,
            starts_on=today,
            ends_on=last,
            min_per_mentor=1,
            max_per_mentor=3,
            one_per_moment=True,
            no_repeat_months=12,
        )
        seconds = time.perf_counter() - started
        plan = Plan.objects.get(pk=self.plan.pk)
        self.plan = plan
        self.results["plan"] = {
            "result": "ok" if seconds < PLAN_TARGET_SECONDS and plan.status == "draft" else "slow",
            "status": plan.status,
            "solver_status": plan.solver_status,
            "seconds": round(seconds, 2),
            "solver_seconds": round(plan.solve_seconds or 0, 2),
            "mentors": plan.mentor_count,
            "covered": plan.mentor_count - plan.uncovered_count,
            "lines": plan.lines.count(),
            "gap": plan.gap,
            "target_seconds": PLAN_TARGET_SECONDS,
        }
        print(f"  {self.results['plan']}", flush=True)

    def measure_approval(self):
        """Approving the plan (every line committed at once), rolled back so it stays a draft."""
        from django.db import connection, transaction

        from laurier.recognition.services import plans

        plan = getattr(self, "plan", None)
        result = self.results.setdefault("plan", {})
        if plan is None or plan.status != "draft":
            result["approval"] = "not available"
            return

        class RolledBack(Exception):
            pass

        queries = QueryCounter()
        try:
            with transaction.atomic(), connection.execute_wrapper(queries):
                started = time.perf_counter()
                plans.approve_plan(plan, actor=self.manager)
                result["approval_seconds"] = round(time.perf_counter() - started, 2)
                result["approval_queries"] = queries.count
                self.measure_award_pages(plan)
                raise RolledBack
        except RolledBack:
            pass
        except Exception as error:  # refused (over the budget left): a result too
            result["approval"] = f"{type(error).__name__}: {error}"

    def measure_award_pages(self, plan):
        """The pages of the awards an approval makes (one per line), inside the approval's
        transaction: the plan stays a draft for the next run."""
        from laurier.recognition.models import Award

        organisation, program = self.organisation.slug, self.program.slug
        in_program = (organisation, program)
        award = Award.objects.filter(plan_line__plan=plan).order_by("pk").first()
        if award is None:
            return
        in_award = (*in_program, award.pk)
        pages = [
            ("recognition:awards", in_program),
            ("recognition:awards?status=all", in_program),
            ("recognition:award_detail", in_award),
            ("recognition:award_give", in_award),
            ("recognition:plan_detail", (*in_program, plan.pk)),
            ("programs:mentor_detail", (*in_program, award.mentor_id)),
        ]
        print("Measuring the award pages after approval…", flush=True)
        for name, url_arguments in pages:
            row = self.measure_page(name, url_arguments, self.manager)
            row["as"] = "manager"
            row["page"] += " (plan approved)"
            self.results["pages"].append(row)
            shown = f"{row['median_ms']:.0f} ms" if row.get("median_ms") is not None else ""
            print(f"  {row['page']}: {row['result']} {shown}", flush=True)

    # The budget service

    def measure_commit(self):
        """The median time of one `commit()` on the biggest program's budget; each is rolled
        back, so the ledger stays as generated and --reuse measures the same data again."""
        from decimal import Decimal

        from django.db import connection, transaction

        from laurier.recognition.models import RecognitionOption
        from laurier.recognition.services.budgets import commit

        result = {"budget": self.budget.pk if self.budget else None}
        self.results["commit"] = result
        if self.budget is None:
            result["result"] = "not available: the biggest program has no budget this year"
            return
        option = RecognitionOption.objects.filter(
            organisation=self.organisation, standard_key="thank_you_card"
        ).first()
        print(f"Committing on the biggest budget ({self.arguments.requests} times)…", flush=True)
        timings, queries = [], QueryCounter()

        class RolledBack(Exception):
            pass

        try:
            for number in range(self.arguments.requests + 1):
                counter = queries if number == 0 else QueryCounter()
                try:
                    with transaction.atomic(), connection.execute_wrapper(counter):
                        started = time.perf_counter()
                        commit(
                            self.budget,
                            actor=self.manager,
                            option=option,
                            quantity=1,
                            money=Decimal("6.50"),
                            staff_hours=Decimal("0.25"),
                            material_items=1,
                            description="Mesure de performance",
                        )
                        elapsed = (time.perf_counter() - started) * 1000
                        raise RolledBack
                except RolledBack:
                    pass
                if number:  # the first call warms up, like a page's first request
                    timings.append(elapsed)
        except Exception as error:
            traceback.print_exc()
            result["result"] = f"error: {type(error).__name__}: {error}"
            return
        median = statistics.median(timings)
        result.update(
            {
                "result": "ok" if median < COMMIT_TARGET_MS else "slow",
                "target_ms": COMMIT_TARGET_MS,
                "median_ms": round(median, 1),
                "min_ms": round(min(timings), 1),
                "max_ms": round(max(timings), 1),
                "calls": len(timings),
                "queries": queries.count,
            }
        )

    # Import

    def import_file(self, rows):
        """A sessions file as French-Canadian Excel saves it: `;`, BOM, DD/MM/YYYY dates."""
        from laurier.core.dates import organisation_today
        from laurier.programs.models import Pairing

        yesterday = organisation_today(self.organisation) - datetime.timedelta(days=1)
        pairings = list(
            Pairing.objects.filter(program=self.program)
            .order_by("pk")
            .values_list("mentor__email", "mentee__email", "starts_on", "ends_on")
        )
        output = io.StringIO()
        writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
        writer.writerow(
            ["programme", "mentor", "mentoré", "date", "durée (minutes)", "format", "mode"]
        )
        rng = random.Random(self.arguments.seed)
        taken = set()
        open_pairings = []
        for mentor, mentee, starts_on, ends_on in pairings:
            days = (min(ends_on or yesterday, yesterday) - starts_on).days + 1
            if days > 0:
                open_pairings.append((mentor, mentee, starts_on, days))
        capacity = sum(days for *_emails, _start, days in open_pairings) * len(IMPORT_LENGTHS)
        if rows > capacity // 2:
            raise SystemExit("The biggest program is too small for that many import rows.")
        for number in range(rows):
            while True:
                mentor, mentee, starts_on, days = open_pairings[number % len(open_pairings)]
                held_on = starts_on + datetime.timedelta(days=rng.randrange(days))
                minutes = rng.choice(IMPORT_LENGTHS)
                if (mentor, mentee, held_on, minutes) not in taken:
                    break
                number += 1  # this pairing is getting full: try the next one
            taken.add((mentor, mentee, held_on, minutes))
            writer.writerow(
                [
                    self.program.slug,
                    mentor,
                    mentee,
                    held_on.strftime("%d/%m/%Y"),
                    minutes,
                    "individuel" if number % 9 else "groupe",
                    "en ligne" if number % 2 else "en personne",
                ]
            )
        return ("\ufeff" + output.getvalue()).encode("utf-8")

    def measure_import(self):
        from django.core.files.base import ContentFile

        from laurier.hours.models import MentoringSession
        from laurier.imports import services
        from laurier.imports.models import ImportJob, ImportKind

        rows = self.arguments.import_rows
        print(f"Importing {rows:,} sessions…", flush=True)
        data = self.import_file(rows)
        last_session = MentoringSession.objects.order_by("-pk").values_list("pk", flat=True)[:1]
        last_session_pk = last_session[0] if last_session else 0
        job = ImportJob(
            organisation=self.organisation,
            program=self.program,
            kind=ImportKind.SESSIONS,
            original_name="bench-sessions.csv",
            status=ImportJob.Status.CHECKING,
            total_rows=rows,
            created_by=self.manager,
            committed_by=self.manager,
        )
        job.file.save("bench-sessions.csv", ContentFile(data), save=False)
        job.save()
        result = {"rows": rows}
        try:
            started = time.perf_counter()
            services.check_import(job)
            check_seconds = time.perf_counter() - started
            job.refresh_from_db()
            result["check_seconds"] = round(check_seconds, 2)
            result["check_rows_per_second"] = round(rows / check_seconds)
            if job.status != ImportJob.Status.READY:
                result["result"] = f"check ended {job.status}: {job.errors[:3]}"
                return
            started = time.perf_counter()
            job = services.run_import(job)
            seconds = time.perf_counter() - started
            created = (job.summary or {}).get("created")
            result["seconds"] = round(seconds, 2)
            result["rows_per_second"] = round(rows / seconds)
            result["created"] = created
            if job.status != ImportJob.Status.DONE or created != rows:
                result["result"] = f"import ended {job.status}, created {created}: {job.errors[:3]}"
            else:
                fast = result["rows_per_second"] >= IMPORT_TARGET_ROWS_PER_SECOND
                result["result"] = "ok" if fast else "slow"
        except (ImportError, AttributeError, NotImplementedError) as error:
            result["result"] = f"not available: {error}"
        except Exception as error:
            traceback.print_exc()
            result["result"] = f"error: {type(error).__name__}: {error}"
        finally:
            self.results["import"] = result
            # Leave the organisation as generated, so that --reuse measures the same data.
            MentoringSession.objects.filter(program=self.program, pk__gt=last_session_pk).delete()
            job.file.delete(save=False)
            job.delete()

    # Report

    def report(self):
        def cells(row):
            timing = [f"{row[key]:>6.0f} ms" if key in row else "" for key in TIMINGS]
            counts = [row.get("requests", ""), row.get("queries", "")]
            return [row["page"], row["as"], *timing, *counts, row["result"]]

        table = [["page", "as", "median", "min", "max", "requests", "queries", "result"]]
        table += [cells(row) for row in self.results["pages"]]
        widths = (44, 8, 9, 9, 9, 8, 8)
        lines = [""] + [
            " ".join(
                f"{cell!s:{'<' if i < 2 else '>'}{widths[i]}}" for i, cell in enumerate(row[:-1])
            )
            + "  "
            + row[-1]
            for row in table
        ]
        committed = self.results.get("commit", {})
        if "median_ms" in committed:
            cells_ = [
                "commit() service",
                "manager",
                *(f"{committed[key]:>6.0f} ms" for key in TIMINGS),
                committed["calls"],
                committed["queries"],
            ]
            lines.append(
                " ".join(
                    f"{cell!s:{'<' if i < 2 else '>'}{widths[i]}}" for i, cell in enumerate(cells_)
                )
                + "  "
                + committed["result"]
            )
        else:
            lines.append(f"commit() service: {committed.get('result')}")
        planned = self.results.get("plan", {})
        if "seconds" in planned:
            lines.append(
                f"plan of {planned['mentors']:,} mentors: {planned['seconds']} s "
                f"(solver {planned['solver_seconds']} s, {planned['solver_status']}, gap "
                f"{planned['gap'] or 0:.2%}), {planned['lines']:,} lines, {planned['covered']:,} "
                f"covered; approval {planned.get('approval_seconds', planned.get('approval'))} s"
                f"  {planned['result']}"
            )
        for built in self.results.get("reports", []):
            if "seconds" in built:
                lines.append(
                    f"annual report {built['fiscal_year']} ({built['report']}, as {built['as']}): "
                    f"{built['seconds']} s, {built['queries']} queries, PDF "
                    f"{built['pdf_bytes']:,} bytes, XLSX {built['xlsx_bytes']:,} bytes"
                    f"  {built['result']}"
                )
            else:
                lines.append(f"annual report ({built['report']}): {built['result']}")
        imported = self.results.get("import", {})
        lines.append("")
        if "rows_per_second" in imported:
            lines.append(
                f"import of {imported['rows']:,} sessions: check {imported['check_seconds']} s "
                f"({imported['check_rows_per_second']:,} rows/s), write {imported['seconds']} s "
                f"({imported['rows_per_second']:,} rows/s)  {imported['result']}"
            )
        else:
            lines.append(
                f"import of {imported.get('rows', 0):,} sessions: {imported.get('result')}"
            )
        program = self.results["biggest_program"]
        lines.append(
            f"(biggest program {program['slug']}: {program['mentors']:,} mentors, "
            f"{program['mentees']:,} mentees, {program['sessions']:,} sessions, "
            f"{program['profiles']:,} profiles, {program['pulse_responses']:,} pulse responses "
            f"({self.results['organisation_pulse_responses']:,} in the organisation), "
            f"{program['ledger_lines']:,} ledger lines this fiscal year "
            f"({self.results['organisation_ledger_lines_this_year']:,} in the organisation, "
            f"{self.results['organisation_ledger_lines']:,} with last year's), "
            f"{program['awards']['given']:,} recognitions given with "
            f"{program['awards']['feedback']:,} feedback answers "
            f"({self.results['organisation_awards']['given']:,} and "
            f"{self.results['organisation_awards']['feedback']:,} in the organisation); "
            f"targets: pages < {PAGE_TARGET_MS} ms, mentor voice < {VOICE_TARGET_MS} ms, "
            f"insights < {INSIGHTS_TARGET_MS} ms, "
            f"commit() < {COMMIT_TARGET_MS} ms, import ≥ {IMPORT_TARGET_ROWS_PER_SECOND:,} rows/s)"
        )
        print("\n".join(lines))
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(self.results, indent=2, ensure_ascii=False) + "\n")
        print(f"\nWritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
