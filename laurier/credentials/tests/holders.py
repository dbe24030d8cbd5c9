"""Fixtures for the holder's side: a mentor with a badge, a recognition certificate and a
training-hours certificate, each a signed credential. Test modules import the fixtures by their
function names (`badge_fixture`…) and use them by their names (`badge`…)."""

import datetime
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from laurier.credentials.services import awarding
from laurier.programs.models import Person
from laurier.recognition.models import Award
from laurier.testing import factories


def make_badge(organisation, **fields):
    return factories.BadgeClassFactory(organisation=organisation, **fields)


@pytest.fixture(name="badge")
def badge_fixture(organisation):
    return make_badge(organisation)


@pytest.fixture(name="holder")
def holder_fixture(mentor_user, organisation):
    person = Person.objects.get(organisation=organisation, user=mentor_user)
    person.first_name, person.last_name = "Jeanne", "Tremblay"
    person.save()
    return person


@pytest.fixture(name="badge_credential")
def badge_credential_fixture(badge, holder):
    credential, _created = awarding.award_badge(badge, holder, actor=None)
    return credential


def training_figures(person, year=2025, minutes=345):
    """What certify_training reads of a training-hours certificate."""

    class Figures:
        pass

    figures = Figures()
    figures.person, figures.year, figures.total_minutes = person, year, minutes
    return figures


@pytest.fixture(name="training_credential")
def training_credential_fixture(holder):
    credential, _created = awarding.certify_training(training_figures(holder), actor=None)
    return credential


@pytest.fixture(name="award_credential")
def award_credential_fixture(program, holder):
    option = factories.RecognitionOptionFactory(
        organisation=program.organisation, name_fr="Dîner avec la PDG", name_en="Lunch with the CEO"
    )
    award = Award.objects.create(
        organisation=program.organisation,
        program=program,
        mentor=holder,
        option=option,
        planned_on=datetime.date(2025, 6, 12),
        given_on=datetime.date(2025, 6, 12),
        status=Award.Status.GIVEN,
    )
    credential, _created = awarding.certify_award(award, actor=None)
    return credential


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # Words may be cut across lines: compare on single spaces.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def decode_qr_codes(pdf: bytes, tmp_path) -> list[str]:
    """The QR codes of the PDF's first page, read by zbar from a 150 dpi rendering."""
    missing = [tool for tool in ("pdftoppm", "zbarimg") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed (apt: poppler-utils, zbar-tools)")
    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    page = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", source, page],
        check=True,
    )
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", tmp_path / "page.png"], capture_output=True, text=True
    )
    return result.stdout.split()
