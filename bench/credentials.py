"""How fast Laurier signs, verifies and prints credentials, on one core.

    .venv/bin/python bench/credentials.py              # 1,000 badges issued as one bulk job
    .venv/bin/python bench/credentials.py --people 200 --pdfs 20

Without DATABASE_URL a throwaway PostgreSQL server is started and stopped around the run.
Prints a table and writes bench/results/credentials.json. See bench/README.md for the targets.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "credentials.json"
TARGET_PER_SECOND = 1000


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1000, help="badges issued in bulk")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per micro-benchmark")
    parser.add_argument("--pdfs", type=int, default=50, help="PDF certificates rendered")
    parser.add_argument("--pg-port", type=int, default=54340)
    return parser.parse_args()


def main():
    arguments = parse_arguments()
    # The target is per core: pin the whole run to the first one.
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    postgres_dir = None
    if not os.environ.get("DATABASE_URL"):
        postgres_dir = tempfile.mkdtemp(prefix="laurier-bench-postgres-")
        print(f"Starting a throwaway PostgreSQL server on port {arguments.pg_port}…", flush=True)
        os.environ["DATABASE_URL"] = subprocess.run(
            [str(ROOT / "scripts" / "throwaway-postgres"), "start", postgres_dir,
             str(arguments.pg_port)],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
    data_dir = tempfile.mkdtemp(prefix="laurier-bench-data-")
    try:
        return run(arguments, data_dir)
    finally:
        if postgres_dir:
            subprocess.run(
                [str(ROOT / "scripts" / "throwaway-postgres"), "stop", postgres_dir], check=False
            )
        subprocess.run(["rm", "-rf", data_dir], check=False)


def set_up_django(data_dir):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "laurier.settings"
    os.environ["DEBUG"] = "0"
    os.environ["LAURIER_DATA_DIR"] = data_dir
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    # E-mails are queued, not sent: the worker sends them, outside what is measured here.
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    Path(data_dir, "static").mkdir(exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def rate(function, seconds):
    """Calls per second of `function()`, over about `seconds` (after one warm-up call)."""
    function()
    count, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        function()
        count += 1
    return count / elapsed


def run(arguments, data_dir):
    set_up_django(data_dir)
    from laurier.credentials.documents import schema_errors
    from laurier.credentials.keys import public_key_from_multikey
    from laurier.credentials.models import BadgeClass, Credential, IssuanceJob
    from laurier.credentials.proofs import (
        add_data_integrity_proof,
        sign_jwt,
        verify_data_integrity_proof,
        verify_jwt,
    )
    from laurier.credentials.services.bulk import run_job
    from laurier.credentials.services.issuance import issuer_for, signer_for
    from laurier.credentials.verification import verify_text
    from laurier.organisations.models import Organisation
    from laurier.programs.models import Person

    organisation = Organisation.objects.create(name="Bench Hydro", slug="bench-credentials")
    issuer_for(organisation)
    badge = BadgeClass.objects.create(
        organisation=organisation,
        name_fr="Mentor 100 heures",
        name_en="100-hour mentor",
        description_fr="A mentoré 100 heures.",
        description_en="Mentored for 100 hours.",
        criteria_fr="100 heures de mentorat confirmées.",
        criteria_en="100 confirmed hours of mentoring.",
        shape="medallion",
        palette="forest",
        emblem="clock",
        label="100 h",
    )
    people = Person.objects.bulk_create(
        Person(
            organisation=organisation,
            first_name=f"Prénom{n}",
            last_name=f"Nom{n}",
            email=f"mentor{n}@bench.example",
            language="fr-ca" if n % 3 else "en",
        )
        for n in range(arguments.people)
    )
    results = {}

    print(f"Issuing {len(people)} badges as one bulk job…", flush=True)
    job = IssuanceJob.objects.create(
        organisation=organisation,
        badge_class=badge,
        person_ids=[p.pk for p in people],
        total=len(people),
    )
    started = time.perf_counter()
    run_job(job)
    elapsed = time.perf_counter() - started
    results["bulk issuance (DI + JWT, stored, e-mails queued)"] = len(people) / elapsed
    results["bulk issuance: seconds for the job"] = elapsed

    credential = Credential.objects.select_related("signing_key__issuer").first()
    signer = signer_for(issuer_for(organisation))
    public_key = public_key_from_multikey(credential.signing_key.public_multikey)
    unsigned = {k: v for k, v in credential.document.items() if k != "proof"}
    method = signer.key.verification_method
    created = credential.document["proof"][0]["created"]
    seconds = arguments.seconds
    print("Micro-benchmarks…", flush=True)
    results["JWT sign (EdDSA)"] = rate(
        lambda: sign_jwt(unsigned, signer.private_key, method), seconds
    )
    results["JWT verify (EdDSA)"] = rate(lambda: verify_jwt(credential.jwt, public_key), seconds)
    results["Data Integrity sign (eddsa-rdfc-2022)"] = rate(
        lambda: add_data_integrity_proof(unsigned, signer.private_key, method, created), seconds
    )
    results["Data Integrity verify (eddsa-rdfc-2022)"] = rate(
        lambda: verify_data_integrity_proof(credential.document, public_key), seconds
    )
    results["OB 3.0 schema validation"] = rate(lambda: schema_errors(credential.document), seconds)
    results["full verification of a JWT (page's checks, database)"] = rate(
        lambda: verify_text(credential.jwt), seconds
    )
    results["full verification of a JSON credential"] = rate(
        lambda: verify_text(json.dumps(credential.document)), seconds
    )
    try:
        from laurier.credentials.certificates import certificate_pdf
    except ImportError:
        certificate_pdf = None
    if certificate_pdf is not None:
        credentials = list(Credential.objects.select_related(
            "organisation__issuer", "person", "badge_class")[: arguments.pdfs])  # fmt: skip
        certificate_pdf(credentials[0], credentials[0].language)
        started = time.perf_counter()
        for item in credentials:
            certificate_pdf(item, item.language)
        results["PDF certificates"] = len(credentials) / (time.perf_counter() - started)

    width = max(len(name) for name in results)
    print(f"\n{'measure'.ljust(width)}  per second (one core)")
    for name, value in results.items():
        unit = "s" if name.endswith("job") else "/s"
        print(f"{name.ljust(width)}  {value:10,.1f} {unit}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({k: round(v, 1) for k, v in results.items()}, indent=2))
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
