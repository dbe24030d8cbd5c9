"""Backups of the whole site and their restore: one archive, portable between SQLite and PostgreSQL.

The archive (a .tar.gz) holds:

- `data/<app>.<model>.jsonl`: every row of every model of Laurier and of the libraries it relies
  on (accounts, allauth, the task queue, the admin's log), in Django's JSON-lines format, ordered
  by primary key. Primary keys are kept, so every link between rows survives as it was. Content
  types and permissions are not stored: `migrate` creates them in every database, and rows that
  point to them name them by their natural key (app, model, codename) rather than by an id that
  differs from one database to another. Sessions are left out: people sign in again.
- `media/…`: the stored files (imported spreadsheets, annual reports, contest evidence).
- `manifest.json`, last: Laurier's version, the database engine, when, the migrations applied per
  app, the row count per model and the SHA-256 of every other member.

The organisations' signing keys are rows (credentials.SigningKey), so they come along, encrypted
with settings.CREDENTIAL_KEY_SECRETS, which live outside the database and outside the archive: keep
those secrets with the backups, or the restored keys sign nothing. The archive holds everyone's
personal data and password hashes: it is written readable by its owner only (mode 0600).

The rows are read in one snapshot of the database (a read-only REPEATABLE READ transaction on
PostgreSQL, one read transaction on SQLite in WAL mode) while the site keeps running, model by
model in chunks, so that a large organisation is never held in memory. A restore loads everything
in one transaction: all of it, or nothing.
"""

import contextlib
import datetime
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import tomllib
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JsonLinesSerializer
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_DIR = "data"
MEDIA_DIR = "media"
READ_CHUNK = 2000
INSERT_BATCH = 500
COPY_BUFFER = 1024 * 1024

# Created by `migrate` in every database: named by natural key in the archive, never stored.
MIGRATION_MADE = (ContentType, Permission)
# Short-lived, and tied to the ids of the database they were made in.
LEFT_OUT = (Session,)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass
class Restored:
    """What a restore loaded: rows per model and the number of files."""

    rows: dict = field(default_factory=dict)
    files: int = 0


# --- What is backed up ------------------------------------------------------------------------


def backed_up_models():
    """Every model whose rows a backup holds, with the auto-created tables of many-to-many
    fields as models of their own. Their order does not matter: Django makes every foreign key
    deferrable, checked when the restore's transaction commits."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy
        and model._meta.managed
        and model not in MIGRATION_MADE
        and model not in LEFT_OUT
    ]
    plain = [model for model in models if not model._meta.auto_created]
    through = [model for model in models if model._meta.auto_created]
    return plain + through


def member_name(model) -> str:
    return f"{DATA_DIR}/{model._meta.label_lower}.jsonl"


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but with times to the microsecond: Django's own rounds them to the
    millisecond (ECMA-262), which would change every stored time on the way back."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class _ArchiveSerializer(JsonLinesSerializer):
    """Django's JSON lines with primary keys kept, natural keys only for the rows `migrate` makes
    (content types, permissions), and many-to-many links left to their own tables."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in MIGRATION_MADE
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        if field.remote_field.through._meta.auto_created:
            return  # stored as rows of the through table, itself backed up
        super().handle_m2m_field(obj, field)


# --- Backup -----------------------------------------------------------------------------------


def default_archive_name(now=None) -> str:
    stamp = (now or timezone.now()).astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"laurier-backup-{stamp}.tar.gz"


def create_backup(output, *, using=DEFAULT_DB_ALIAS) -> dict:
    """Write the archive to `output` (a path) and return its manifest.

    The archive appears under its name only once complete: a backup that fails half-way
    leaves no archive that looks whole.
    """
    output = Path(output)
    partial = output.with_name(output.name + ".partial")
    connection = connections[using]
    # The tables are written out before they are packed (a tar member needs its size first),
    # next to the archive: where the operator made room for backups, not in a small /tmp.
    with tempfile.TemporaryDirectory(prefix=".laurier-backup-", dir=output.parent) as workdir:
        with snapshot(connection):
            manifest = _manifest_header(connection)
            rows, checksums = _dump_models(Path(workdir), using)
        manifest["rows"] = rows
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                for name, checksum in checksums.items():
                    tar.add(Path(workdir) / name, arcname=name, recursive=False)
                    manifest["files"][name] = checksum
                manifest["media_files"] = _add_media(tar, manifest["files"])
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
            os.chmod(partial, 0o600)
            os.replace(partial, output)
        finally:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
    return manifest


@contextlib.contextmanager
def snapshot(connection):
    """Read everything inside in one consistent view of the database, without blocking writers.

    Inside a caller's transaction (a test, a script), that transaction is the snapshot.
    """
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    # SQLite: Django's transactions begin IMMEDIATE (a write lock that would stop the site);
    # a DEFERRED one only reads, and in WAL mode sees the same snapshot until it ends.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")


def _manifest_header(connection) -> dict:
    return {
        "format": FORMAT_VERSION,
        "laurier_version": laurier_version(),
        "created_at": timezone.now().astimezone(datetime.UTC).isoformat(),
        "database_engine": connection.vendor,
        "migrations": applied_migrations(connection),
        "models": [model._meta.label_lower for model in backed_up_models()],
        "files": {},
    }


def laurier_version() -> str:
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as pyproject:
        return tomllib.load(pyproject)["project"]["version"]


def applied_migrations(connection) -> dict:
    """The migrations applied to the database, as {app: [names]}."""
    applied = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def _dump_models(workdir: Path, using):
    """Write each model's rows to its own file, streaming; return the counts and checksums."""
    (workdir / DATA_DIR).mkdir()
    rows, checksums = {}, {}
    for model in backed_up_models():
        name = member_name(model)
        queryset = model._base_manager.using(using).order_by("pk")
        with open(workdir / name, "wb") as out:
            writer = _HashingWriter(out)
            counted = _Counted(queryset.iterator(chunk_size=READ_CHUNK))
            _ArchiveSerializer().serialize(counted, stream=writer, cls=_ExactJSONEncoder)
        rows[model._meta.label_lower] = counted.count
        checksums[name] = writer.hexdigest()
    return rows, checksums


class _Counted:
    """An iterable that counts what went through it."""

    def __init__(self, iterable):
        self.iterable = iterable
        self.count = 0

    def __iter__(self):
        for item in self.iterable:
            self.count += 1
            yield item


class _HashingWriter(io.TextIOBase):
    """A text stream that writes UTF-8 to a binary file and hashes what it wrote."""

    def __init__(self, out):
        self.out = out
        self.digest = hashlib.sha256()

    def write(self, text):
        data = text.encode()
        self.digest.update(data)
        self.out.write(data)
        return len(text)

    def hexdigest(self):
        return self.digest.hexdigest()


class _HashingReader:
    """A binary file that hashes what is read from it."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.raw.read(size)
        self.digest.update(data)
        return data


def _add_media(tar, checksums) -> int:
    """Add every stored file under MEDIA_ROOT; return how many."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return 0
    count = 0
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        name = f"{MEDIA_DIR}/{path.relative_to(root).as_posix()}"
        try:
            stored = open(path, "rb")  # noqa: SIM115 — closed below; may vanish before
        except FileNotFoundError:
            continue  # deleted by the site since the listing: not in the snapshot either
        with stored:
            info = tar.gettarinfo(arcname=name, fileobj=stored)
            reader = _HashingReader(stored)
            tar.addfile(info, reader)
        checksums[name] = reader.digest.hexdigest()
        count += 1
    return count


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


# --- Restore ----------------------------------------------------------------------------------


def restore_backup(archive, *, replace=False, using=DEFAULT_DB_ALIAS) -> Restored:
    """Load an archive into the database `using`, all or nothing, and put its files back.

    The database must be migrated to the archive's migrations and empty (apart from what
    `migrate` makes); `replace` empties it first, in the same transaction as the load.
    Raises BackupError, with nothing changed, when the archive is damaged, comes from a newer
    Laurier, or does not fit the database.
    """
    archive = Path(archive)
    connection = connections[using]
    manifest = verify_archive(archive)
    check_migrations(manifest, connection)
    models = _models_of(manifest)
    restored = Restored()
    try:
        with transaction.atomic(using=using), _open_archive(archive) as tar:
            if replace:
                _empty(connection, models)
            else:
                _refuse_unless_empty(models, using)
            _load_members(tar, manifest, models, using, restored)
            _reset_sequences(connection, models)
    except _ARCHIVE_ERRORS as error:
        raise BackupError(_damaged(archive, error)) from error
    return restored


_ARCHIVE_ERRORS = (
    tarfile.TarError,
    zlib.error,
    EOFError,
    ValueError,
    KeyError,
    serializers.base.DeserializationError,
)


def _damaged(archive, error):
    return _("The archive %(name)s is damaged or is not a Laurier backup (%(error)s).") % {
        "name": archive.name,
        "error": error,
    }


def _open_archive(archive):
    return tarfile.open(archive, mode="r:gz")


def verify_archive(archive) -> dict:
    """Read the whole archive once, check every member against the manifest's SHA-256, and
    return the manifest; BackupError when anything is missing, added or altered."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(_("There is no file %(name)s.") % {"name": archive})
    digests, manifest_bytes = {}, None
    try:
        _check_compressed_stream(archive)
        with _open_archive(archive) as tar:
            for member in tar:
                if not member.isfile():
                    continue
                content = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest_bytes = content.read()
                    continue
                digest = hashlib.sha256()
                while chunk := content.read(COPY_BUFFER):
                    digest.update(chunk)
                digests[member.name] = digest.hexdigest()
    except (*_ARCHIVE_ERRORS, OSError) as error:
        raise BackupError(_damaged(archive, error)) from error
    if manifest_bytes is None:
        raise BackupError(_damaged(archive, _("no manifest")))
    try:
        manifest = json.loads(manifest_bytes)
        expected = manifest["files"]
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(_damaged(archive, _("unreadable manifest"))) from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            _("The archive %(name)s is in a backup format this Laurier does not read.")
            % {"name": archive.name}
        )
    altered = sorted(
        name for name in set(expected) | set(digests) if expected.get(name) != digests.get(name)
    )
    if altered:
        raise BackupError(
            _damaged(archive, _("checksum mismatch: %(names)s") % {"names": ", ".join(altered)})
        )
    return manifest


def _check_compressed_stream(archive):
    """Decompress the whole file, to its end: gzip's own checksum (CRC-32) covers every byte,
    the manifest included, but tarfile stops reading at the end of the tar, before it."""
    with gzip.open(archive, "rb") as stream:
        while stream.read(COPY_BUFFER):
            pass


def check_migrations(manifest, connection):
    """Refuse an archive made by a newer Laurier, or a database migrated to another state
    than the archive's (saying which `migrate` commands bring it there)."""
    archived = {
        (app_label, name) for app_label, names in manifest["migrations"].items() for name in names
    }
    known = set(MigrationLoader(connection, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(archived - known)
    if unknown:
        raise BackupError(
            _(
                "This backup was made by a newer version of Laurier (%(version)s): its "
                "migrations %(migrations)s are unknown here. Install that version or a later "
                "one, then restore."
            )
            % {
                "version": manifest.get("laurier_version", "?"),
                "migrations": ", ".join(f"{app}.{name}" for app, name in unknown),
            }
        )
    current = {
        (app_label, name)
        for app_label, names in applied_migrations(connection).items()
        for name in names
    }
    if current != archived:
        raise BackupError(
            _(
                "The database is not migrated like the backup. Bring it to the backup's "
                "migrations first (%(commands)s), restore, then run `manage.py migrate`."
            )
            % {"commands": "; ".join(_migrate_commands(archived, current))}
        )


def _migrate_commands(archived, current):
    apps_differing = sorted({app for app, _name in archived ^ current})
    commands = []
    for app_label in apps_differing:
        names = sorted(name for app, name in archived if app == app_label)
        target = names[-1] if names else "zero"
        commands.append(f"manage.py migrate {app_label} {target}")
    return commands


def _models_of(manifest):
    try:
        return [apps.get_model(label) for label in manifest["models"]]
    except LookupError as error:
        raise BackupError(
            _("The backup holds data of a model this Laurier does not know (%(error)s).")
            % {"error": error}
        ) from error


def _refuse_unless_empty(models, using):
    filled = [model._meta.label for model in models if model._base_manager.using(using).exists()]
    if filled:
        raise BackupError(
            _(
                "The database already holds data (%(models)s). Restore into an empty, migrated "
                "database, or add --replace to delete everything in it first."
            )
            % {"models": ", ".join(filled[:5])}
        )


def _empty(connection, models):
    """Delete every row the archive will bring back, and the sessions (whose ids would now
    name other people), in the caller's transaction. DELETE rather than TRUNCATE: foreign keys
    are checked at commit, so the order does not matter, and it works inside any transaction."""
    with connection.cursor() as cursor:
        for model in [*models, *LEFT_OUT]:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _load_members(tar, manifest, models, using, restored):
    """Read the archive once, in order (a .tar.gz cannot be read backwards cheaply): insert the
    rows of each data member, write each stored file."""
    by_member = {member_name(model): model for model in models}
    for member in tar:
        if not member.isfile():
            continue
        if member.name in by_member:
            model = by_member.pop(member.name)
            restored.rows[model._meta.label_lower] = _load_rows(tar, member, model, using)
        elif member.name.startswith(f"{MEDIA_DIR}/"):
            _restore_file(tar, member)
            restored.files += 1
    if restored.rows != manifest["rows"] or by_member:
        raise BackupError(_("The archive's rows do not match its manifest."))


def _load_rows(tar, member, model, using):
    """Insert a data member's rows in batches, exactly as stored (no save(), no signals, no
    automatic dates); return how many."""
    lines = io.TextIOWrapper(tar.extractfile(member), encoding="utf-8")
    objects = (
        deserialized.object for deserialized in serializers.deserialize("jsonl", lines, using=using)
    )
    return _insert_all(model, objects, using)


def _insert_all(model, objects, using):
    fields = model._meta.local_concrete_fields
    queryset = model._base_manager.using(using).all()
    batch, count = [], 0
    for obj in objects:
        batch.append(obj)
        if len(batch) == INSERT_BATCH:
            count += _insert(queryset, batch, fields, using)
            batch = []
    if batch:
        count += _insert(queryset, batch, fields, using)
    return count


def _insert(queryset, batch, fields, using):
    size = connections[using].ops.bulk_batch_size(fields, batch) or len(batch)
    for start in range(0, len(batch), size):
        # raw=True is what loaddata's save() uses: values go in as stored, without pre_save
        # (auto_now dates would otherwise become the moment of the restore).
        queryset._insert(batch[start : start + size], fields=fields, using=using, raw=True)
    return len(batch)


def _reset_sequences(connection, models):
    """PostgreSQL hands out ids from sequences that know nothing of the inserted rows."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _restore_file(tar, member):
    relative = PurePosixPath(member.name).relative_to(MEDIA_DIR)
    if relative.is_absolute() or ".." in relative.parts:
        raise BackupError(_("The archive names a file outside the media folder."))
    target = Path(settings.MEDIA_ROOT).joinpath(*relative.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tar.extractfile(member) as source, open(target, "wb") as out:
        shutil.copyfileobj(source, out, COPY_BUFFER)
