"""A backup of the demo organisation, restored into an empty database, gives back the same site:
every row of every model with all its fields, credentials that verify, signing keys that still
sign, stored files byte for byte.

How the test reaches an empty database: it is a `transactional_db` test, so the demo it loads is
committed to this xdist worker's own test database (in-memory SQLite, or `test_…_gwN` on
PostgreSQL). It takes a canonical dump of every model, writes the backup, empties the database
with `manage.py flush` (which, like a fresh `migrate`, leaves only the content types and
permissions, with new ids) and restores the archive into it; pytest-django flushes the database
again afterwards. One database alias is enough on both engines: a second alias would need a
settings change and a second test database per worker for what flush gives here. One test
rather than several on a shared fixture: loading the demo takes seconds, and xdist would load it
again on each worker that ran one of them.
"""

import datetime
import os

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command

from laurier.core.backup import backed_up_models, create_backup, restore_backup
from laurier.credentials.keys import decrypt_private_key, public_multikey
from laurier.credentials.models import Credential, SigningKey
from laurier.credentials.verification import verify_document
from laurier.demo.demo_organisation import load_demo_organisation
from laurier.imports.models import ImportJob, ImportKind
from laurier.organisations.models import Organisation

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


def assert_same_site(before):
    after = canonical_dump()
    assert after.keys() == before.keys()
    for label, rows in before.items():
        assert after[label] == rows, f"{label} differs after the restore"


def assert_keys_still_sign():
    keys = SigningKey.objects.all()
    assert keys
    for key in keys:
        assert public_multikey(decrypt_private_key(key.encrypted_seed)) == key.public_multikey


def test_a_round_trip_through_an_empty_database_gives_back_the_same_site(
    transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo_organisation(today=TODAY)
    job = stored_import(Organisation.objects.get(slug="demo"))
    credential = Credential.objects.order_by("pk").first()
    before = canonical_dump()
    create_backup(tmp_path / "site.tar.gz")
    call_command("flush", interactive=False, verbosity=0)
    os.remove(job.file.path)

    restored = restore_backup(tmp_path / "site.tar.gz")

    assert restored.rows["hours.mentoringsession"] > 1000
    assert sum(restored.rows.values()) == sum(map(len, before.values()))
    assert_same_site(before)
    assert verify_document(Credential.objects.get(pk=credential.pk).document).is_valid
    assert_keys_still_sign()
    with ImportJob.objects.get(pk=job.pk).file.open("rb") as stored:
        assert stored.read() == IMPORT_BYTES
