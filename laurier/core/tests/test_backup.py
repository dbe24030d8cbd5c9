"""`manage.py backup` and `manage.py restore` on a small site: what the archive holds, and every
archive or database a restore must refuse while changing nothing.

These tests run in the test's transaction (the restore's own becomes a savepoint); the round
trip through an empty database is in test_backup_roundtrip.py.
"""

import io
import json
import stat
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from laurier.core.backup import BackupError, create_backup, restore_backup
from laurier.programs.models import Person
from laurier.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _in_english():
    """The operator's messages are translated; these tests read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def site(organisation, admin_user):
    """A small site: one organisation, its admin and three people."""
    return [factories.PersonFactory(organisation=organisation) for _ in range(3)]


@pytest.fixture
def archive(site, tmp_path):
    path = tmp_path / "site.tar.gz"
    create_backup(path)
    return path


def manifest_of(path):
    with tarfile.open(path, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


def with_manifest(path, change):
    """The archive again, with `change(manifest)` applied to its manifest."""
    changed = path.with_name("changed.tar.gz")
    with tarfile.open(path, "r:gz") as source, tarfile.open(changed, "w:gz") as target:
        for member in source:
            content = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(content)
                change(manifest)
                content = json.dumps(manifest).encode()
                member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    return changed


def test_the_archive_is_readable_by_its_owner_only(archive):
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600


def test_the_manifest_describes_the_site(archive, site):
    manifest = manifest_of(archive)
    assert manifest["database_engine"] == connection.vendor
    assert manifest["laurier_version"]
    assert "0001_initial" in manifest["migrations"]["programs"]
    assert manifest["rows"]["programs.person"] == len(site)
    assert len(manifest["files"]["data/programs.person.jsonl"]) == 64


def test_sessions_and_content_types_are_left_out_of_the_archive(archive):
    models = manifest_of(archive)["models"]
    assert "sessions.session" not in models
    assert "contenttypes.contenttype" not in models
    assert "auth.permission" not in models


def test_a_non_empty_database_is_refused_and_kept(archive, site):
    with pytest.raises(BackupError, match="already holds data"):
        restore_backup(archive)
    assert Person.objects.count() == len(site)


def test_replace_gives_back_the_site_as_it_was_backed_up(archive, site, organisation):
    backed_up = sorted(person.pk for person in site)
    site[0].delete()
    factories.PersonFactory(organisation=organisation, email="after@example.org")
    restore_backup(archive, replace=True)
    assert sorted(Person.objects.values_list("pk", flat=True)) == backed_up


def test_new_rows_after_a_restore_get_fresh_ids(archive, site, organisation):
    restore_backup(archive, replace=True)
    person = factories.PersonFactory(organisation=organisation)
    assert person.pk > max(p.pk for p in site)


def test_an_archive_with_one_byte_changed_is_refused_and_changes_nothing(archive, site):
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    site[0].delete()
    with pytest.raises(BackupError, match="site.tar.gz is damaged or is not a Laurier backup"):
        restore_backup(archive, replace=True)
    assert Person.objects.count() == len(site) - 1


def test_an_archive_whose_files_do_not_match_the_manifest_is_refused(archive, site):
    def tamper(manifest):
        manifest["files"]["data/programs.person.jsonl"] = "0" * 64

    with pytest.raises(BackupError, match="checksum mismatch: data/programs.person.jsonl"):
        restore_backup(with_manifest(archive, tamper), replace=True)


def test_an_archive_from_a_newer_laurier_is_refused(archive):
    def newer(manifest):
        manifest["migrations"]["programs"].append("9999_from_the_future")

    with pytest.raises(BackupError, match="newer version of Laurier.*programs.9999_from_the"):
        restore_backup(with_manifest(archive, newer), replace=True)


def test_a_database_migrated_past_the_archive_is_told_how_to_match_it(archive):
    def older(manifest):
        manifest["migrations"]["programs"] = manifest["migrations"]["programs"][:1]

    with pytest.raises(BackupError, match="manage.py migrate programs 0001_initial"):
        restore_backup(with_manifest(archive, older), replace=True)


def test_the_commands_back_up_and_restore(site, tmp_path, capsys):
    path = tmp_path / "by-command.tar.gz"
    call_command("backup", output=str(path))
    call_command("restore", str(path), replace=True)
    assert f"programs.person: {len(site)}" in capsys.readouterr().out


def test_the_restore_command_says_why_it_refuses(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))
