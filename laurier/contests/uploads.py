"""Checking a nomination's supporting document before it is kept.

The file comes from a public form: its name and the content type the browser sends are the
sender's word, so the type is decided by the bytes alone. Only a few kinds a juror can open
safely are kept (PDF, PNG, JPEG, WebP and plain text); a page of HTML or a script renamed
`.pdf` is refused, and a kept file gets a random name with the extension of its detected type,
so nothing the sender chose reaches the storage's paths.
"""

import codecs
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import EVIDENCE_MAX_BYTES, Nomination


@dataclass(frozen=True)
class FileType:
    mime: str
    extension: str
    label: str


PDF = FileType("application/pdf", "pdf", "PDF")
PNG = FileType("image/png", "png", "PNG")
JPEG = FileType("image/jpeg", "jpg", "JPEG")
WEBP = FileType("image/webp", "webp", "WebP")
TEXT = FileType("text/plain", "txt", "TXT")
ACCEPTED = (PDF, PNG, JPEG, WEBP, TEXT)
# What the form's file picker offers; the content is checked whatever the name says.
ACCEPT_ATTRIBUTE = (
    ".pdf,.png,.jpg,.jpeg,.webp,.txt,application/pdf,image/png,image/jpeg,image/webp,text/plain"
)

HEAD_BYTES = 16
CHUNK_BYTES = 64 * 1024
NAME_MAX_LENGTH = 200
# Markup that a browser would run or render if the text were ever served as HTML: plain text
# has no need of it, and a "text" file that is really a web page is refused like any other.
MARKUP = re.compile(
    r"<\s*(?:!doctype|\?xml|(?:html|head|body|script|svg|iframe|object|embed|meta|link|style|"
    r"form|img|a)\b)",
    re.IGNORECASE,
)


def accepted_types():
    """'PDF, PNG, JPEG, WebP or TXT', for the form's help and the refusals."""
    labels = [kind.label for kind in ACCEPTED]
    return _("%(types)s or %(last)s") % {"types": ", ".join(labels[:-1]), "last": labels[-1]}


def _refuse_type():
    return ValidationError(
        _(
            "This kind of file cannot be attached. Attach a document of one of these types: "
            "%(types)s."
        )
        % {"types": accepted_types()},
        code="type",
    )


def _binary_type(head):
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def _is_plain_text(uploaded):
    """Valid UTF-8 from end to end, without NUL bytes nor markup."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    uploaded.seek(0)
    tail = ""
    try:
        for chunk in uploaded.chunks(CHUNK_BYTES):
            if b"\x00" in chunk:
                return False
            text = decoder.decode(chunk)
            # The tail of the previous chunk: a tag cut in two is still seen.
            if MARKUP.search(tail + text):
                return False
            tail = text[-32:]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_type(uploaded):
    """The FileType of an uploaded file, read from its content; ValidationError otherwise."""
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    kind = _binary_type(head)
    if kind is None and _is_plain_text(uploaded):
        kind = TEXT
    uploaded.seek(0)
    if kind is None:
        raise _refuse_type()
    return kind


def clean_name(name):
    """The original file name as it may be shown: no folders, no control characters, at most
    NAME_MAX_LENGTH characters (its extension kept)."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if unicodedata.category(char).startswith(("C", "Z")) else char for char in name
    )
    name = " ".join(name.split()).strip(" .")
    if not name:
        return _("document")
    if len(name) > NAME_MAX_LENGTH:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: NAME_MAX_LENGTH - len(suffix)] + suffix
    return name


@dataclass(frozen=True)
class CheckedFile:
    file: object
    kind: FileType
    original_name: str


def check_evidence(uploaded):
    """A CheckedFile for an uploaded supporting document, or ValidationError (translated,
    code "size", "empty" or "type"). The size is checked first, from what the upload
    declared, before a byte of it is read."""
    if uploaded.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s: attach one of at most %(limit)s.")
            % {
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(EVIDENCE_MAX_BYTES),
            },
            code="size",
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = detect_type(uploaded)
    return CheckedFile(file=uploaded, kind=kind, original_name=clean_name(uploaded.name))


def storage_name(edition, kind):
    """Where a supporting document is kept: a random name under the edition's folder."""
    return f"contests/{edition.public_id}/{uuid.uuid4()}.{kind.extension}"


def store_evidence(nomination, edition, checked):
    """Save a checked file for `nomination` (not saved itself) under a random name."""
    storage = Nomination._meta.get_field("evidence").storage
    checked.file.seek(0)
    saved = storage.save(storage_name(edition, checked.kind), checked.file)
    nomination.evidence.name = saved
    nomination.evidence_name = checked.original_name
    nomination.evidence_type = checked.kind.mime


EVIDENCE_FIELD = "evidence"


class EvidenceSizeLimit(FileUploadHandler):
    """Receives at most one file per request, in the `evidence` field, of at most
    EVIDENCE_MAX_BYTES, instead of writing whatever a sender posts to the server's disk first.

    The count is for the whole request, not per file: a file in another field, or a second
    file, is nothing our forms send, so reading stops there and `request.refused_upload` is
    set (the view refuses the request). A file past the limit also stops the reading; its
    field is named in `request.oversized_uploads`, so the form says why rather than
    forgetting it silently. The forms put the file last, so the answers before it are kept.

    First among the request's upload handlers, before the body is read (see the views).
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.files = 0
        self.received = 0

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.files += 1
        if field_name != EVIDENCE_FIELD or self.files > 1:
            self.request.refused_upload = True
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > EVIDENCE_MAX_BYTES:
            self.request.oversized_uploads = {self.field_name}
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def oversized_message():
    return _("The file is larger than %(limit)s: attach a smaller one.") % {
        "limit": filesizeformat(EVIDENCE_MAX_BYTES)
    }
