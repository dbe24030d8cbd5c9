"""Laurier under load: gunicorn on PostgreSQL with the large organisation, and locust's users.

    make bench-tools                      # locust (the `bench` dependency group)
    .venv/bin/python bench/load.py        # 10,000 mentors; 60 s of 50 users after a warm-up
    .venv/bin/python bench/load.py --mentors 500 --mentees 2000 --sessions 50000 \
        --responses 2500 --run-time 30
    DATABASE_URL=postgres://… .venv/bin/python bench/load.py --reuse --workers 3

Without DATABASE_URL a throwaway PostgreSQL server is started and stopped around the run.
Two phases: managers, mentors and API clients mixed (p50/p95/p99 per page), then a closed
loop of the same clients on /health/ then on the dashboard (the throughput ratio). Prints a
table and writes bench/results/load-latest.json. See bench/README.md ("Load").
"""

import argparse
import datetime
import json
import os
import platform
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import load_report
from common import (
    ROOT,
    UNUSED_SESSION_LENGTHS,
    add_organisation_arguments,
    data_directory,
    database,
    generate,
    migrate,
    organisation_size,
    production_environment,
    set_up_django,
)

RESULTS = ROOT / "bench" / "results" / "load-latest.json"
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
MIXED_USERS = ("Manager", "Mentor", "ApiClient")
INSIGHTS_PAGES = (
    "insights:health",
    "insights:impact",
    "insights:attention",
    "insights:timing",
)
API_SCOPES = ("programs:read", "people:read", "sessions:write", "recognition:read")
SERVER_START_SECONDS = 60


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_organisation_arguments(parser, pg_port=54340)
    parser.add_argument("--users", type=int, default=50, help="simulated people at once")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument(
        "--warm-up",
        type=int,
        default=30,
        help="seconds not measured first: every user logs in then, each login hashing its "
        "password (about 0.5 s of CPU, on purpose), so the storm has passed when measuring",
    )
    parser.add_argument("--run-time", type=int, default=60, help="seconds measured")
    parser.add_argument(
        "--closed-clients", type=int, default=10, help="clients of the throughput ratio's loop"
    )
    parser.add_argument(
        "--closed-seconds", type=int, default=20, help="seconds measured for each closed loop"
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--mentor-logins", type=int, default=200, help="mentors given a login")
    parser.add_argument("--api-clients", type=int, default=10, help="API tokens made")
    parser.add_argument(
        "--phases",
        default="mixed,closed",
        help="which phases to run: mixed (the three kinds of users), closed (the ratio)",
    )
    return parser.parse_args()


def main():
    arguments = parse_arguments()
    with database(arguments.pg_port), data_directory() as data_dir:
        return LoadBenchmark(arguments, data_dir).run()


class LoadBenchmark:
    def __init__(self, arguments, data_dir):
        self.arguments = arguments
        self.data_dir = data_dir
        self.work_dir = Path(tempfile.mkdtemp(prefix="laurier-load-"))
        self.run_id = secrets.token_hex(4)
        self.results = {
            "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
                "load_average_before": [round(load, 2) for load in os.getloadavg()],
            },
            "size": organisation_size(arguments),
            "server": {
                "command": "gunicorn laurier.wsgi",
                "workers": arguments.workers,
                "threads": arguments.threads,
                "worker_class": "gthread" if arguments.threads > 1 else "sync",
            },
            "load": {
                "users": arguments.users,
                "spawn_rate": arguments.spawn_rate,
                "warm_up_seconds": arguments.warm_up,
                "run_seconds": arguments.run_time,
                "think_seconds": {"manager": [1, 5], "mentor": [1, 5], "api_client": [1, 3]},
                "mix": {"manager": 2, "mentor": 2, "api_client": 1},
            },
            "targets": {
                "p95_ms": load_report.P95_TARGET_MS,
                "errors": 0,
                "dashboard_to_trivial_ratio": load_report.RATIO_TARGET,
            },
        }

    def run(self):
        set_up_django(self.data_dir, allowed_hosts="127.0.0.1")
        self.results["database"] = migrate()
        self.results["generation_seconds"] = generate(self.arguments)
        self.refresh_statistics()
        self.collect_static()
        population = self.prepare_population()
        self.population_path = self.work_dir / "population.json"
        self.population_path.write_text(json.dumps(population))
        # The server opens its own connections; this process's would sit idle in a transaction.
        from django.db import connections

        connections.close_all()
        self.server = server = self.start_server()
        try:
            phases = self.arguments.phases.split(",")
            if "mixed" in phases:
                self.results["mixed"] = self.mixed_phase()
            if "closed" in phases:
                self.results["closed_loop"] = self.closed_phase()
        finally:
            self.stop_server(server)
            self.clean_up()
        self.results["machine"]["load_average_after"] = [round(load, 2) for load in os.getloadavg()]
        return self.report()

    # Preparation

    def refresh_statistics(self):
        """ANALYZE, so that the planner knows the generated tables' sizes from the first request."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def collect_static(self):
        """The production storage (whitenoise's manifest) needs collectstatic, as in production."""
        from django.core.management import call_command

        print("Collecting static files…", flush=True)
        call_command("collectstatic", interactive=False, verbosity=0)

    def prepare_population(self):
        """Who the simulated users are: the programs' managers, mentors given a login, API
        tokens; and the addresses of the pages each of them visits."""
        from laurier.demo.demo_organisation import DEMO_PASSWORD
        from laurier.organisations.models import Organisation

        self.organisation = Organisation.objects.get(slug=self.arguments.slug)
        self.rng = random.Random(self.arguments.seed)
        print("Preparing managers, mentors' logins and API tokens…", flush=True)
        population = {
            "password": DEMO_PASSWORD,
            "insights_pages": list(INSIGHTS_PAGES),
            "managers": self.managers(),
            "mentors": self.mentors(),
            "api_clients": self.api_clients(),
            "lengths": list(UNUSED_SESSION_LENGTHS),
            "session_note": self.session_note(),
        }
        self.results["population"] = {
            "managers": len(population["managers"]),
            "mentors": len(population["mentors"]),
            "api_clients": len(population["api_clients"]),
        }
        return population

    def session_note(self):
        return f"Logged by bench/load.py, run {self.run_id}"

    def managers(self):
        """Each program's manager with the addresses of their program's pages."""
        from django.urls import reverse

        from laurier.core.dates import fiscal_year_of, organisation_today
        from laurier.recognition.models import Budget

        organisation = self.organisation
        year = fiscal_year_of(organisation, organisation_today(organisation))
        budgets = dict(
            Budget.objects.filter(organisation=organisation, fiscal_year=year)
            .exclude(program=None)
            .values_list("program_id", "pk")
        )
        managers = []
        for program in organisation.programs.prefetch_related("managers").order_by("pk"):
            in_program = (organisation.slug, program.slug)
            pages = {
                name: reverse(name, args=in_program)
                for name in (
                    "programs:dashboard",
                    "programs:mentors",
                    "hours:sessions",
                    "recognition:awards",
                    "surveys:voice",
                )
            }
            pages["recognition:catalog"] = reverse("recognition:catalog", args=[organisation.slug])
            pages["recognition:budget_detail"] = reverse(
                "recognition:budget_detail", args=[organisation.slug, budgets[program.pk]]
            )
            for name in INSIGHTS_PAGES:
                pages[name] = reverse(name, args=[organisation.slug]) + f"?program={program.slug}"
            managers += [{"email": user.email, "pages": pages} for user in program.managers.all()]
        self.rng.shuffle(managers)
        return managers

    def mentors(self):
        """`--mentor-logins` active mentors, drawn across the programs, each with a login."""
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password
        from django.urls import reverse

        from laurier.demo.demo_organisation import DEMO_PASSWORD
        from laurier.organisations.models import Membership, Role
        from laurier.programs.models import EnrolmentStatus, Person

        organisation = self.organisation
        candidates = list(
            Person.objects.filter(
                organisation=organisation,
                mentor_enrolments__status=EnrolmentStatus.ACTIVE,
            )
            .distinct()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen = self.rng.sample(candidates, min(self.arguments.mentor_logins, len(candidates)))
        people = list(Person.objects.filter(pk__in=chosen).order_by("pk"))
        User = get_user_model()
        password = make_password(DEMO_PASSWORD)
        without_login = [person for person in people if person.user_id is None]
        users = User.objects.bulk_create(
            [User(email=person.email, password=password) for person in without_login]
        )
        for person, user in zip(without_login, users, strict=True):
            person.user = user
        Person.objects.bulk_update(without_login, ["user"])
        Membership.objects.bulk_create(
            [Membership(organisation=organisation, user=user, role=Role.MENTOR) for user in users]
        )
        pages = {
            "home": reverse("home"),
            "hours:my_space": reverse("hours:my_space", args=[organisation.slug]),
            "credentials:my_credentials": reverse(
                "credentials:my_credentials", args=[organisation.slug]
            ),
            "recognition:my_awards": reverse("recognition:my_awards", args=[organisation.slug]),
        }
        emails = User.objects.filter(people__in=people).values_list("email", flat=True)
        return [{"email": email, "pages": pages} for email in sorted(emails)]

    def api_clients(self):
        """`--api-clients` tokens, each for three programs and a few of their active pairings."""
        from django.utils import timezone

        from laurier.api.tokens import create_token
        from laurier.organisations.models import Membership, Role
        from laurier.programs.models import Pairing

        organisation = self.organisation
        admin = Membership.objects.filter(organisation=organisation, role=Role.ADMIN).first().user
        self.token_admin = admin
        today = timezone.localdate()
        month_ago = today - datetime.timedelta(days=30)
        program_ids = list(organisation.programs.order_by("pk").values_list("pk", flat=True))
        self.tokens = []
        clients = []
        for number in range(self.arguments.api_clients):
            token, key = create_token(
                organisation=organisation,
                actor=admin,
                name=f"Load {self.run_id} #{number + 1}",
                scopes=API_SCOPES,
                expires_at=timezone.now() + datetime.timedelta(days=1),
            )
            self.tokens.append(token)
            programs = self.rng.sample(program_ids, min(3, len(program_ids)))
            pairings = list(
                Pairing.objects.filter(
                    program_id__in=programs,
                    status=Pairing.Status.ACTIVE,
                    starts_on__lte=month_ago,
                ).values_list("pk", flat=True)[:20]
            )
            clients.append(
                {
                    "key": key,
                    "programs": programs,
                    "pairings": pairings,
                    "days": [
                        (today - datetime.timedelta(days=d)).isoformat() for d in range(1, 29)
                    ],
                    "held_from": (today - datetime.timedelta(days=90)).isoformat(),
                }
            )
        return clients

    # The server

    def start_server(self):
        port = free_port()
        self.host = f"http://127.0.0.1:{port}"
        arguments = self.arguments
        command = [
            sys.executable, "-m", "gunicorn", "laurier.wsgi",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(arguments.workers),
            "--threads", str(arguments.threads),
            "--worker-class", "gthread" if arguments.threads > 1 else "sync",
            "--error-logfile", str(self.work_dir / "gunicorn.log"),
        ]  # fmt: skip
        environment = {
            **os.environ,
            **production_environment(self.data_dir, "127.0.0.1"),
            "SECRET_KEY": secrets.token_urlsafe(50),
        }
        print(
            f"Starting gunicorn ({arguments.workers} workers × {arguments.threads} threads) "
            f"on {self.host}…",
            flush=True,
        )
        server = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)
        wait_until_up(self.host + "/health/", server)
        return server

    def stop_server(self, server):
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()

    def clean_up(self):
        """The sessions the API clients logged and their tokens go; mentors keep their logins."""
        from laurier.api.tokens import revoke_token
        from laurier.hours.models import MentoringSession

        deleted, _counts = MentoringSession.objects.filter(notes=self.session_note()).delete()
        self.results["api_sessions_logged_and_deleted"] = deleted
        for token in self.tokens:
            revoke_token(token, actor=self.token_admin)

    # Phases

    def mixed_phase(self):
        arguments = self.arguments
        print(
            f"Mixed load: {arguments.users} users (managers, mentors, API clients), "
            f"{arguments.warm_up} s of warm-up then {arguments.run_time} s measured…",
            flush=True,
        )
        samples, cpu = self.run_locust(
            "mixed",
            MIXED_USERS,
            users=arguments.users,
            spawn_rate=arguments.spawn_rate,
            seconds=arguments.warm_up + arguments.run_time,
        )
        start = first_start(samples) + arguments.warm_up
        kept = load_report.measured(samples, start, start + arguments.run_time)
        return {
            "pages": load_report.summarise(kept, arguments.run_time),
            "errors": error_examples(kept),
            "warm_up_errors": error_examples(load_report.measured(samples, 0, start)),
            # Every login happens in the warm-up: shown, not held to the target.
            "logins": load_report.summarise(
                [sample for sample in samples if sample["name"].startswith("account_login")],
                arguments.warm_up,
            ),
            "cpu_seconds": cpu,
        }

    def closed_phase(self):
        """The same number of clients without think time, on /health/ then on the dashboard,
        for the same time: like compared with like."""
        arguments = self.arguments
        clients, seconds = arguments.closed_clients, arguments.closed_seconds
        warm_up = 5
        result = {"clients": clients, "seconds": seconds, "warm_up_seconds": warm_up}
        for key, user_class, name in (
            ("trivial", "TrivialClient", "health"),
            ("dashboard", "DashboardClient", "programs:dashboard"),
        ):
            print(f"Closed loop: {clients} clients on {name} for {seconds} s…", flush=True)
            samples, cpu = self.run_locust(
                key, (user_class,), users=clients, spawn_rate=clients, seconds=warm_up + seconds
            )
            start = first_start(samples) + warm_up
            kept = [
                sample
                for sample in load_report.measured(samples, start, start + seconds)
                if sample["name"] == name
            ]
            result[key] = {
                **load_report.summarise(kept, seconds)[load_report.TOTAL],
                "errors_seen": error_examples(kept),
                "cpu_seconds": cpu,
            }
        result.update(
            load_report.throughput_ratio(
                result["dashboard"]["per_second"], result["trivial"]["per_second"]
            )
        )
        return result

    def run_locust(self, label, user_classes, *, users, spawn_rate, seconds):
        """Runs locust headless for `seconds`; returns its samples and the CPU seconds used by
        the server's processes and by locust meanwhile."""
        samples_path = self.work_dir / f"samples-{label}.json"
        command = [
            sys.executable, "-m", "locust",
            "-f", str(LOCUSTFILE),
            "--headless",
            "--users", str(users),
            "--spawn-rate", str(spawn_rate),
            "--run-time", f"{seconds + 1}s",
            "--host", self.host,
            "--csv", str(RESULTS.parent / f"load-locust-{label}"),
            "--only-summary",
            "--loglevel", "WARNING",
            *user_classes,
        ]  # fmt: skip
        environment = {
            **os.environ,
            "LAURIER_LOAD_POPULATION": str(self.population_path),
            "LAURIER_LOAD_SAMPLES": str(samples_path),
        }
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        server_before = server_cpu_seconds(self.server.pid)
        started = time.monotonic()
        locust = subprocess.run(
            command,
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=seconds + 120,
        )
        cpu = {
            "wall": round(time.monotonic() - started, 1),
            "server": round(server_cpu_seconds(self.server.pid) - server_before, 1),
        }
        (self.work_dir / f"locust-{label}.log").write_text(locust.stdout + locust.stderr)
        if not samples_path.exists():
            raise RuntimeError(f"locust recorded nothing:\n{locust.stderr[-3000:]}")
        cpu["load_generator"] = round(child_cpu_seconds(), 1)
        return json.loads(samples_path.read_text()), cpu

    # Report

    def report(self):
        lines = [""]
        mixed = self.results.get("mixed")
        if mixed:
            arguments = self.arguments
            lines.append(
                f"Mixed load: {arguments.users} users, {arguments.run_time} s measured after "
                f"{arguments.warm_up} s of warm-up; target p95 < {load_report.P95_TARGET_MS} ms, "
                "no error"
            )
            lines += load_report.table(mixed["pages"])
            lines.append("Logins, all in the warm-up (not held to the target):")
            lines += load_report.table(mixed["logins"])[1:-1]
            for example in mixed["errors"][:10]:
                lines.append(f"  error: {example['name']}: {example['error']} ×{example['count']}")
        closed = self.results.get("closed_loop")
        if closed:
            trivial, dashboard = closed["trivial"], closed["dashboard"]
            lines += [
                "",
                f"Closed loop, {closed['clients']} clients, {closed['seconds']} s each: "
                f"/health/ {trivial['per_second']} req/s (p95 {trivial['p95_ms']} ms, "
                f"{trivial['errors']} errors), dashboard {dashboard['per_second']} req/s "
                f"(p95 {dashboard['p95_ms']} ms, {dashboard['errors']} errors): ratio "
                f"{closed['ratio']}, target ≥ {load_report.RATIO_TARGET}  {closed['result']}",
                f"  CPU seconds (server / locust): /health/ {trivial['cpu_seconds']['server']} / "
                f"{trivial['cpu_seconds']['load_generator']}, dashboard "
                f"{dashboard['cpu_seconds']['server']} / "
                f"{dashboard['cpu_seconds']['load_generator']}",
            ]
        lines.append(
            f"(load average {self.results['machine']['load_average_before']} before, "
            f"{self.results['machine']['load_average_after']} after; gunicorn "
            f"{self.arguments.workers} workers × {self.arguments.threads} threads)"
        )
        print("\n".join(lines))
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(self.results, indent=2, ensure_ascii=False) + "\n")
        print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
        return 0 if self.all_ok() else 1

    def all_ok(self):
        mixed = self.results.get("mixed", {}).get("pages", {})
        closed = self.results.get("closed_loop", {})
        return all(row["result"] == "ok" for row in mixed.values()) and closed.get(
            "result", "ok"
        ) in ("ok",)


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url, server):
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {SERVER_START_SECONDS} s")


def server_cpu_seconds(pid):
    """CPU seconds used so far by the gunicorn master `pid` and its workers (a worker replaced
    meanwhile is not counted)."""
    import psutil

    master = psutil.Process(pid)
    total = 0.0
    for process in [master, *master.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


_children_cpu_seen = 0.0


def child_cpu_seconds():
    """CPU seconds of the child processes that ended since the last call (locust's run)."""
    import resource

    global _children_cpu_seen
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    spent, _children_cpu_seen = total - _children_cpu_seen, total
    return spent


def first_start(samples):
    if not samples:
        raise RuntimeError("no request was made")
    return min(sample["started"] for sample in samples)


def error_examples(samples):
    """The distinct errors (page and message) with how many times each happened."""
    counts = {}
    for sample in samples:
        if sample["error"]:
            key = (sample["name"], sample["error"])
            counts[key] = counts.get(key, 0) + 1
    return [
        {"name": name, "error": error, "count": count}
        for (name, error), count in sorted(counts.items(), key=lambda item: -item[1])
    ]


if __name__ == "__main__":
    sys.exit(main())
