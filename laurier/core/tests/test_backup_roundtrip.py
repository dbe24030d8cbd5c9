"""A backup of the demo organisation, restored into an empty database, gives back the same site.

How the test reaches an empty database: the module's fixture runs outside any test transaction
(pytest-django's `django_db_blocker`, as a `transactional_db` test would), so the demo it loads is
committed to this xdist worker's own test database (in-memory SQLite, or `test_…_gwN` on
PostgreSQL). It takes a canonical dump of every model, writes the backup, empties the database
with `manage.py flush` (which, like a fresh `migrate`, leaves only the content types and
permissions) and restores the archive into it. The tests then read the restored database, each
in its own transaction; the fixture flushes the database again when the module ends, as
pytest-django does after a `transactional_db` test, so the worker's next tests find it empty.
One database alias is enough on both engines: a second alias would need a settings change and a
second test database per worker for what flush gives here.
"""

import datetime
import hashlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings

from laurier.core.backup import backed_up_models, create_backup, restore_backup
from laurier.credentials.keys import decrypt_private_key, public_multikey
from laurier.credentials.models import Credential, SigningKey
from laurier.credentials.verification import verify_document
from laurier.demo.demo_organisation import load_demo_organisation
from laurier.imports.models import ImportJob, ImportKind
from laurier.organisations.models import Organisation
from laurier.testing.overrides import settings_for_tests

TODAY = datetime.date(2026, 11, 24)
IMPORT_BYTES = "courriel;prénom;nom\r\nlea@example.org;Léa;Tremblay\r\n".encode()


def canonical_dump():
    """Every row of every backed-up model, all fields, ordered by primary key; content types
    by name, since their ids belong to the database that made them."""
    dump = {}
    for model in backed_up_models():
        fields = model._meta.concrete_fields
        dump[model._meta.label] = [
            tuple(_canonical(field, field.value_from_object(row)) for field in fields)
            for row in model._base_manager.order_by("pk")
        ]
    return dump


def _canonical(field, value):
    if field.is_relation and field.related_model is ContentType and value is not None:
        return ContentType.objects.get_for_id(value).natural_key()
    if field.get_internal_type() in ("FileField", "ImageField"):
        return str(value)
    if isinstance(value, memoryview):  # a BinaryField on PostgreSQL
        return bytes(value)
    return value


def stored_import(organisation):
    job = ImportJob(
        organisation=organisation,
        kind=ImportKind.PEOPLE,
        original_name="people.csv",
        status=ImportJob.Status.DONE,
    )
    job.file.save("people.csv", ContentFile(IMPORT_BYTES), save=True)
    return job


class RoundTrip:
    """What the module's round trip saw before the backup and what the restore said."""

    before = None
    media = None
    import_job_id = None
    import_path = None
    credential_id = None
    restored = None


@pytest.fixture(scope="module")
def round_trip(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("backup")
    media = folder / "media"
    trip = RoundTrip()
    trip.media = media
    with (
        django_db_blocker.unblock(),
        override_settings(**settings_for_tests(), MEDIA_ROOT=media),
    ):
        try:
            load_demo_organisation(today=TODAY)
            job = stored_import(Organisation.objects.get(slug="demo"))
            trip.import_job_id, trip.import_path = job.pk, job.file.path
            trip.credential_id = Credential.objects.order_by("pk").values_list("pk", flat=True)[0]
            trip.before = canonical_dump()
            create_backup(folder / "site.tar.gz")
            call_command("flush", interactive=False, verbosity=0)
            (media / job.file.name).unlink()
            trip.restored = restore_backup(folder / "site.tar.gz")
            yield trip
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def restored(round_trip, db, settings):
    settings.MEDIA_ROOT = round_trip.media
    return round_trip


def test_the_restored_database_holds_every_row_as_it_was(restored):
    assert canonical_dump() == restored.before


def test_the_round_trip_covered_the_whole_demo(restored):
    assert restored.restored.rows["credentials.credential"] > 0
    assert restored.restored.rows["hours.mentoringsession"] > 1000
    assert sum(restored.restored.rows.values()) == sum(map(len, restored.before.values()))


def test_a_credential_issued_before_the_backup_verifies_after_the_restore(restored):
    credential = Credential.objects.get(pk=restored.credential_id)
    assert verify_document(credential.document).is_valid


def test_the_restored_signing_keys_still_sign(restored):
    keys = SigningKey.objects.all()
    assert keys
    for key in keys:
        assert public_multikey(decrypt_private_key(key.encrypted_seed)) == key.public_multikey


def test_a_stored_import_file_comes_back_byte_for_byte(restored):
    job = ImportJob.objects.get(pk=restored.import_job_id)
    with open(restored.import_path, "rb") as stored:
        content = stored.read()
    assert job.file.path == restored.import_path
    assert hashlib.sha256(content).digest() == hashlib.sha256(IMPORT_BYTES).digest()
