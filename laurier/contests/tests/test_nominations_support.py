"""What the nomination tests share: an edition open today or on a given day, mentors, files."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from laurier.contests.models import Nomination
from laurier.contests.services import nominations as services
from laurier.profiles.models import MentorProfile, ProfileSource
from laurier.testing import factories

# In the factories' edition (nominations in March 2026), a day nominations are open.
OPEN_DAY = datetime.date(2026, 3, 15)

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
HTML_BYTES = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The public pages count requests in the cache: each test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def enrol(program, first_name="Hélène", last_name="Tremblay", **person_fields):
    """An active mentor of `program`."""
    return factories.MentorEnrolmentFactory(
        program=program,
        person__first_name=first_name,
        person__last_name=last_name,
        **{f"person__{name}": value for name, value in person_fields.items()},
    ).person


def open_edition(program=None, *, today=None, organisation=None, **fields):
    """An edition whose nominations are open today (the real today, where the pages look):
    of `program`, or organisation-wide when only `organisation` is given."""
    today = today or timezone.localdate()
    fields.setdefault("nominations_open_on", today - datetime.timedelta(days=10))
    fields.setdefault("nominations_close_on", today + datetime.timedelta(days=10))
    fields.setdefault("scoring_close_on", today + datetime.timedelta(days=20))
    fields.setdefault("announce_on", today + datetime.timedelta(days=30))
    if program is None:
        return factories.EditionFactory(program=None, organisation=organisation, **fields)
    return factories.EditionFactory(program=program, organisation=program.organisation, **fields)


def consent(person, answer):
    MentorProfile.objects.create(
        organisation=person.organisation,
        person=person,
        public_consent=answer,
        source=ProfileSource.SELF,
        updated_at=timezone.now(),
    )


def nominate(edition, category, person, *, today=OPEN_DAY, **fields):
    values = {
        "nominator_name": "Jean Roy",
        "nominator_email": "jean.roy@example.org",
        "relation": "mentee",
        "story": "Hélène m'a appris à oser.",
        "source": Nomination.Source.LINK,
    }
    values.update(fields)
    return services.nominate(
        edition,
        category=category,
        person_pk=person.pk if person is not None else None,
        today=today,
        **values,
    )


def upload(content, name="document.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def big_upload(size):
    """A file the upload declares to be `size` bytes; its content is never read whole."""

    class Declared(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("the file was read")

    file = Declared("big.pdf", b"%PDF-", content_type="application/pdf")
    file.size = size
    return file


def link(edition):
    return reverse("contests:nominate_by_link", args=[edition.nomination_token])


def form_data(category, person, **fields):
    data = {
        "category": category.pk,
        "nominee": person.pk,
        "relation": "mentee",
        "story": "Toujours présente quand il le fallait.",
        "nominator_name": "Jean Roy",
        "nominator_email": "jean.roy@example.org",
    }
    data.update(fields)
    return data
