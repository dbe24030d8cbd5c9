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
import threading
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
# Locust runs this much longer than asked, so that the measured window can start after the
# last login even when a busy machine makes the logins slow.
LOGIN_ALLOWANCE_SECONDS = 30


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
    parser.add_argument(
        "--workers",
        type=worker_counts,
        default=[5],
        help="gunicorn worker processes; several (2,3,4,5) run the phases once per count",
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--mentor-logins", type=int, default=200, help="mentors given a login")
    parser.add_argument("--api-clients", type=int, default=10, help="API tokens made")
    parser.add_argument(
        "--phases",
        default="mixed,closed",
        help="which phases to run: mixed (the three kinds of users), closed (the ratio)",
    )
    return parser.parse_args()


def worker_counts(text):
    return [int(count) for count in text.split(",")]


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
            "runs": [],
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
        try:
            for workers in self.arguments.workers:
                self.results["runs"].append(self.run_with(workers))
        finally:
            self.clean_up()
        self.results["machine"]["load_average_after"] = [round(load, 2) for load in os.getloadavg()]
        return self.report()

    def run_with(self, workers):
        """The phases against a gunicorn of `workers` workers, started for them."""
        threads = self.arguments.threads
        run = {
            "server": {
                "command": "gunicorn laurier.wsgi",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread" if threads > 1 else "sync",
            }
        }
        self.server = self.start_server(workers)
        self.monitor = CpuMonitor(self.server.pid, database_port())
        try:
            phases = self.arguments.phases.split(",")
            if "mixed" in phases:
                run["mixed"] = self.mixed_phase()
            if "closed" in phases:
                run["closed_loop"] = self.closed_phase()
        finally:
            self.stop_server(self.server)
            # The next run's clients log the same sessions again.
            run["api_sessions_logged"] = self.delete_logged_sessions()
        return run

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
        clients, taken = [], set()
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
            # Pairings of its own: two clients logging the same session would be refused.
            pairings = list(
                Pairing.objects.filter(
                    program_id__in=programs,
                    status=Pairing.Status.ACTIVE,
                    starts_on__lte=month_ago,
                )
                .exclude(pk__in=taken)
                .order_by("pk")
                .values_list("pk", flat=True)[:20]
            )
            taken.update(pairings)
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

    def start_server(self, workers):
        port = free_port()
        self.host = f"http://127.0.0.1:{port}"
        arguments = self.arguments
        command = [
            sys.executable, "-m", "gunicorn", "laurier.wsgi",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers),
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
            f"Starting gunicorn ({workers} workers × {arguments.threads} threads) on {self.host}…",
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

    def delete_logged_sessions(self):
        """Deletes the sessions the API clients logged; returns how many."""
        from laurier.hours.models import MentoringSession

        deleted, _counts = MentoringSession.objects.filter(notes=self.session_note()).delete()
        return deleted

    def clean_up(self):
        """The sessions the API clients logged and their tokens go; mentors keep their logins."""
        from laurier.api.tokens import revoke_token

        self.delete_logged_sessions()
        for token in getattr(self, "tokens", []):
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
            seconds=arguments.warm_up + arguments.run_time + LOGIN_ALLOWANCE_SECONDS,
        )
        start = window_start(samples, arguments.warm_up)
        kept = load_report.measured(samples, start, start + arguments.run_time)
        return {
            "measured_from_second": round(start - min(x["started"] for x in samples), 1),
            "pages": load_report.summarise(kept, arguments.run_time),
            "cpu": {**cpu, **self.monitor.per_request(start, start + arguments.run_time, kept)},
            "errors": error_examples(kept),
            "warm_up_errors": error_examples(load_report.measured(samples, 0, start)),
            # Every login happens in the warm-up: shown, not held to the target.
            "logins": load_report.summarise(
                [sample for sample in samples if sample["name"].startswith("account_login")],
                arguments.warm_up,
            ),
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
            ("trivial_signed_in", "SignedInTrivialClient", "health (signed in)"),
            ("dashboard", "DashboardClient", "programs:dashboard"),
        ):
            print(f"Closed loop: {clients} clients on {name} for {seconds} s…", flush=True)
            samples, cpu = self.run_locust(
                key,
                (user_class,),
                users=clients,
                spawn_rate=clients,
                seconds=warm_up + seconds + LOGIN_ALLOWANCE_SECONDS,
            )
            start = window_start(samples, warm_up)
            kept = [
                sample
                for sample in load_report.measured(samples, start, start + seconds)
                if sample["name"] == name
            ]
            result[key] = {
                "measured_from_second": round(start - min(x["started"] for x in samples), 1),
                **load_report.summarise(kept, seconds)[load_report.TOTAL],
                "errors_seen": error_examples(kept),
                "cpu": {**cpu, **self.monitor.per_request(start, start + seconds, kept)},
            }
        dashboard = result["dashboard"]["per_second"]
        result["anonymous"] = load_report.throughput_ratio(
            dashboard, result["trivial"]["per_second"]
        )
        # The verdict: the trivial view asked by the same signed-in clients as the dashboard,
        # whose session and account the middleware reads before any view (bench/README.md).
        result["signed_in"] = load_report.throughput_ratio(
            dashboard, result["trivial_signed_in"]["per_second"]
        )
        result.update(result["signed_in"])
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
        started = time.monotonic()
        with self.monitor:
            locust = subprocess.run(
                command,
                cwd=ROOT,
                env=environment,
                capture_output=True,
                text=True,
                timeout=seconds + 120,
            )
        wall = time.monotonic() - started
        (self.work_dir / f"locust-{label}.log").write_text(locust.stdout + locust.stderr)
        if not samples_path.exists():
            raise RuntimeError(f"locust recorded nothing:\n{locust.stderr[-3000:]}")
        # Locust's whole run, start-up and warm-up included: whether it had a core to itself.
        cpu = {"load_generator_share_of_a_core": round(child_cpu_seconds() / wall, 2)}
        return json.loads(samples_path.read_text()), cpu

    # Report

    def report(self):
        lines = []
        for run in self.results["runs"]:
            lines += self.run_lines(run)
        machine = self.results["machine"]
        lines.append(
            f"(load average {machine['load_average_before']} before, "
            f"{machine['load_average_after']} after, {machine['cpus']} CPUs)"
        )
        print("\n".join(lines))
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(self.results, indent=2, ensure_ascii=False) + "\n")
        print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
        return 0 if all(run_ok(run) for run in self.results["runs"]) else 1

    def run_lines(self, run):
        arguments = self.arguments
        server = run["server"]
        lines = ["", f"gunicorn, {server['workers']} workers × {server['threads']} threads"]
        mixed = run.get("mixed")
        if mixed:
            lines.append(
                f"Mixed load: {arguments.users} users, {arguments.run_time} s measured after "
                f"{arguments.warm_up} s of warm-up; target p95 < {load_report.P95_TARGET_MS} ms, "
                "no error"
            )
            lines += load_report.table(mixed["pages"])
            for example in mixed["errors"][:10]:
                lines.append(f"  error: {example['name']}: {example['error']} ×{example['count']}")
            lines.append("Logins, all in the warm-up (not held to the target):")
            lines += load_report.table(mixed["logins"])[1:-1]
            lines.append(f"  CPU: {cpu_line(mixed['cpu'])}")
        closed = run.get("closed_loop")
        if closed:
            trivial, dashboard = closed["trivial"], closed["dashboard"]
            signed_in = closed["trivial_signed_in"]
            lines += [
                f"Closed loop, {closed['clients']} clients, {closed['seconds']} s each, target "
                f"≥ {load_report.RATIO_TARGET}: dashboard {dashboard['per_second']} req/s "
                f"(p95 {dashboard['p95_ms']} ms, {dashboard['errors']} errors)",
                f"  /health/ signed in: {signed_in['per_second']} req/s (p95 "
                f"{signed_in['p95_ms']} ms, {signed_in['errors']} errors): the dashboard's ratio "
                f"to it {closed['signed_in']['ratio']}  {closed['signed_in']['result']}",
                f"  /health/ anonymous: {trivial['per_second']} req/s (p95 {trivial['p95_ms']} "
                f"ms, {trivial['errors']} errors): the dashboard's ratio to it "
                f"{closed['anonymous']['ratio']}  {closed['anonymous']['result']}",
                f"  CPU, /health/: {cpu_line(trivial['cpu'])}",
                f"  CPU, /health/ signed in: {cpu_line(signed_in['cpu'])}",
                f"  CPU, dashboard: {cpu_line(dashboard['cpu'])}",
            ]
        return lines


def run_ok(run):
    pages = run.get("mixed", {}).get("pages", {})
    return (
        all(row["result"] == "ok" for row in pages.values())
        and run.get("closed_loop", {}).get("result", "ok") == "ok"
    )


def cpu_line(cpu):
    return (
        f"{cpu['server_ms_per_request']} ms gunicorn + {cpu['database_ms_per_request']} ms "
        f"PostgreSQL per request, using {cpu['share_of_the_cores']:.0%} of the machine's "
        f"cores; locust used "
        f"{cpu['load_generator_share_of_a_core']:.0%} of a core"
    )


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


def database_port():
    """The port of the PostgreSQL server on this machine behind DATABASE_URL, else None."""
    from urllib.parse import urlsplit

    address = urlsplit(os.environ["DATABASE_URL"])
    if address.hostname not in ("127.0.0.1", "localhost"):
        return None
    return address.port or 5432


def process_tree_cpu_seconds(root):
    """CPU seconds used so far by a process and each of its living descendants, by pid."""
    import psutil

    seconds = {}
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return seconds
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        seconds[process.pid] = times.user + times.system
    return seconds


def cpu_between(readings):
    """CPU seconds used over consecutive readings ({pid: seconds so far}) of a process tree:
    processes that start count from zero, those that end count up to their last reading (a
    database connection closed and opened again must not subtract its past)."""
    used = {}
    first = readings[0]
    for reading in readings:
        for pid, seconds in reading.items():
            used[pid] = seconds - first.get(pid, 0.0)
    return sum(used.values())


def postmaster(port):
    """The PostgreSQL server process listening on `port` here, or None."""
    import psutil

    if port is None:
        return None
    for process in psutil.process_iter(["name", "cmdline"]):
        arguments = process.info["cmdline"] or []
        if process.info["name"] == "postgres" and option_value(arguments, "-p") == str(port):
            return process
    return None


def option_value(arguments, option):
    """What follows `option` in a command line, or None."""
    if option not in arguments[:-1]:
        return None
    return arguments[arguments.index(option) + 1]


class CpuMonitor:
    """While in use (`with monitor:`), reads twice a second the CPU time of gunicorn (master
    and workers) and of PostgreSQL (server and backends), so that a phase's measured window
    can be charged its own CPU, logins of the warm-up left out."""

    INTERVAL = 0.5

    def __init__(self, server_pid, database_port):
        import psutil

        self.server = psutil.Process(server_pid)
        self.database = postmaster(database_port)
        self.readings = []

    def read(self):
        database = process_tree_cpu_seconds(self.database) if self.database else None
        return time.time(), process_tree_cpu_seconds(self.server), database

    def __enter__(self):
        self.readings = [self.read()]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.poll, daemon=True)
        self.thread.start()
        return self

    def poll(self):
        while not self.stopping.wait(self.INTERVAL):
            self.readings.append(self.read())

    def __exit__(self, *exception):
        self.stopping.set()
        self.thread.join()
        self.readings.append(self.read())

    def within(self, start, end):
        """The readings from the one nearest to `start` to the one nearest to `end`."""

        def nearest(moment):
            return min(range(len(self.readings)), key=lambda i: abs(self.readings[i][0] - moment))

        return self.readings[nearest(start) : nearest(end) + 1]

    def per_request(self, start, end, samples):
        """CPU milliseconds per request of the window, and the share of the machine's cores
        that gunicorn and PostgreSQL used in it."""
        readings = self.within(start, end)
        seconds = max(readings[-1][0] - readings[0][0], 1e-9)
        count = max(len(samples), 1)
        server = cpu_between([reading[1] for reading in readings])
        database = None
        if readings[0][2] is not None:
            database = cpu_between([reading[2] for reading in readings])
        return {
            "server_ms_per_request": round(server * 1000 / count, 1),
            "database_ms_per_request": (
                None if database is None else round(database * 1000 / count, 1)
            ),
            "share_of_the_cores": round((server + (database or 0)) / seconds / os.cpu_count(), 2),
        }


_children_cpu_seen = 0.0


def child_cpu_seconds():
    """CPU seconds of the child processes that ended since the last call (locust's run)."""
    import resource

    global _children_cpu_seen
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    spent, _children_cpu_seen = total - _children_cpu_seen, total
    return spent


def window_start(samples, warm_up):
    """When the measured window starts: `warm_up` seconds after the first request, and not
    before the last login has been answered."""
    if not samples:
        raise RuntimeError("no request was made")
    first = min(sample["started"] for sample in samples)
    logins = [
        sample["started"] + sample["ms"] / 1000
        for sample in samples
        if sample["name"].startswith("account_login")
    ]
    return max([first + warm_up, *logins])


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
