"""What the benchmarks share: a throwaway PostgreSQL server, Django set up without DEBUG,
and the large generated organisation (the arguments that size it and its generation)."""

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THROWAWAY_POSTGRES = ROOT / "scripts" / "throwaway-postgres"
# Session lengths (minutes) the generator never uses: sessions logged with them are new ones.
UNUSED_SESSION_LENGTHS = (40, 50, 55, 65, 70, 80, 85, 95, 100, 105, 110, 115)


def add_organisation_arguments(parser, *, pg_port=54339):
    """The options that size the generated organisation, and how to reuse or place it."""
    parser.add_argument("--mentors", type=int, default=10_000)
    parser.add_argument("--mentees", type=int, default=40_000)
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--programs", type=int, default=30)
    parser.add_argument(
        "--responses", type=int, default=50_000, help="engagement-pulse responses in total"
    )
    parser.add_argument(
        "--ledger-lines",
        type=int,
        default=20_000,
        help="ledger lines of the biggest program's budget this fiscal year",
    )
    parser.add_argument(
        "--awards",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="recognitions given over last and this fiscal year, with feedback (--no-awards "
        "to leave them out)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slug", default="bench")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the organisation if it already exists (with DATABASE_URL) instead of "
        "generating it again",
    )
    parser.add_argument("--pg-port", type=int, default=pg_port)


def organisation_size(arguments):
    """The generated organisation's size, as the results record it."""
    return {
        "mentors": arguments.mentors,
        "mentees": arguments.mentees,
        "sessions": arguments.sessions,
        "programs": arguments.programs,
        "pulse_responses": arguments.responses,
        "biggest_ledger_lines": arguments.ledger_lines,
        "awards": arguments.awards,
        "seed": arguments.seed,
    }


@contextlib.contextmanager
def database(pg_port):
    """DATABASE_URL as given, or a throwaway PostgreSQL server for the duration of the block."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    postgres_dir = tempfile.mkdtemp(prefix="laurier-bench-postgres-")
    print(f"Starting a throwaway PostgreSQL server on port {pg_port}…", flush=True)
    url = subprocess.run(
        [str(THROWAWAY_POSTGRES), "start", postgres_dir, str(pg_port)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    os.environ["DATABASE_URL"] = url
    try:
        yield url
    finally:
        subprocess.run([str(THROWAWAY_POSTGRES), "stop", postgres_dir], check=False)
        del os.environ["DATABASE_URL"]


@contextlib.contextmanager
def data_directory():
    """A temporary LAURIER_DATA_DIR (uploads, static files), removed afterwards."""
    data_dir = tempfile.mkdtemp(prefix="laurier-bench-data-")
    try:
        yield data_dir
    finally:
        subprocess.run(["rm", "-rf", data_dir], check=False)


def production_environment(data_dir, allowed_hosts):
    """The environment variables of a production-like Laurier: no DEBUG, this data directory,
    the cache the workers share (rate limits), as the README asks of production."""
    return {
        "DJANGO_SETTINGS_MODULE": "laurier.settings",
        # Production-like: no DEBUG (which records every query and serves static files itself).
        "DEBUG": "0",
        "LAURIER_DATA_DIR": data_dir,
        "ALLOWED_HOSTS": allowed_hosts,
        "SHARED_CACHE": "database",
    }


def set_up_django(data_dir, allowed_hosts="testserver,127.0.0.1,localhost"):
    """Django in this process, production-like, on DATABASE_URL."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(production_environment(data_dir, allowed_hosts))
    Path(data_dir, "static").mkdir(exist_ok=True)
    import django

    django.setup()


def migrate():
    """Migrate the database; returns its vendor and version."""
    from django.core.management import call_command
    from django.db import connection

    print("Migrating…", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    return f"{connection.vendor} {connection.get_database_version()}"


def generate(arguments):
    """Generate the organisation the arguments describe (unless --reuse finds it); returns
    the seconds it took, None when reused."""
    from laurier.demo.large_organisation import generate_organisation
    from laurier.organisations.models import Organisation

    if arguments.reuse and Organisation.objects.filter(slug=arguments.slug).exists():
        print(f"Reusing the organisation {arguments.slug}.", flush=True)
        return None
    print("Generating the organisation…", flush=True)
    result = generate_organisation(
        slug=arguments.slug,
        mentors=arguments.mentors,
        mentees=arguments.mentees,
        sessions=arguments.sessions,
        programs=arguments.programs,
        profiles=True,
        responses=arguments.responses,
        budgets=True,
        ledger_lines=arguments.ledger_lines,
        awards=arguments.awards,
        seed=arguments.seed,
        replace=True,
        progress=lambda message: print("  " + message, flush=True),
    )
    print(f"Generated in {result.seconds:.1f} s.", flush=True)
    return round(result.seconds, 1)
