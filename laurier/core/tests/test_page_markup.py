"""Every page is valid enough for assistive technology: unique ids, labelled fields, one <h1>."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from laurier.testing import factories


class MarkupCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = []
        self.label_targets = set()
        self.fields = []
        self.h1_count = 0
        self.open_labels = 0

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.open_labels += 1
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.label_targets.add(attrs["for"])
        if tag == "h1":
            self.h1_count += 1
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {
            "hidden",
            "submit",
            "button",
        }:
            # A field inside its <label> is labelled by it.
            self.fields.append({**attrs, "wrapped": self.open_labels > 0})


def check_markup(html):
    collector = MarkupCollector()
    collector.feed(html)
    duplicates = sorted({i for i in collector.ids if collector.ids.count(i) > 1})
    unlabelled = [
        field.get("name")
        for field in collector.fields
        if not field["wrapped"]
        and field.get("id") not in collector.label_targets
        and not field.get("aria-label")
        and not field.get("aria-labelledby")
        and not field.get("title")
    ]
    return duplicates, unlabelled, collector.h1_count


@pytest.fixture
def populated(program, admin_user, mentor_user, mentee_user):
    from laurier.programs.models import Person

    factories.CycleFactory(program=program)
    pairing = factories.PairingFactory(
        program=program,
        mentor=Person.objects.get(user=mentor_user),
        mentee=Person.objects.get(user=mentee_user),
    )
    factories.MentoringSessionFactory(pairing=pairing)
    return pairing


MANAGER_PAGES = [
    ("organisations:home", {}),
    ("organisations:settings", {}),
    ("organisations:members", {}),
    ("organisations:audit", {}),
    ("programs:list", {}),
    ("programs:create", {}),
    ("programs:people", {}),
    ("programs:person_create", {}),
    ("hours:training_hours", {}),
    ("imports:list", {}),
    ("programs:dashboard", {"program_slug": "releve"}),
    ("programs:edit", {"program_slug": "releve"}),
    ("programs:cycles", {"program_slug": "releve"}),
    ("programs:mentors", {"program_slug": "releve"}),
    ("programs:mentor_add", {"program_slug": "releve"}),
    ("programs:mentees", {"program_slug": "releve"}),
    ("programs:mentee_add", {"program_slug": "releve"}),
    ("programs:pairings", {"program_slug": "releve"}),
    ("programs:pairing_create", {"program_slug": "releve"}),
    ("hours:sessions", {"program_slug": "releve"}),
    ("hours:session_create", {"program_slug": "releve"}),
    ("hours:sessions_bulk", {"program_slug": "releve"}),
    ("recognition:culture", {}),
    ("recognition:culture_edit", {}),
    ("recognition:catalog", {}),
    ("recognition:option_create", {}),
    ("recognition:budgets", {}),
    ("recognition:budget_create", {}),
    ("recognition:compensation", {"program_slug": "releve"}),
    ("recognition:calendar", {"program_slug": "releve"}),
    ("recognition:plans", {"program_slug": "releve"}),
    ("recognition:plan_create", {"program_slug": "releve"}),
    ("recognition:important_dates", {}),
    ("recognition:compensation_decide", {"program_slug": "releve"}),
    ("recognition:awards", {"program_slug": "releve"}),
    ("recognition:award_create", {"program_slug": "releve"}),
    ("recognition:note_campaigns", {"program_slug": "releve"}),
    ("recognition:note_campaign_create", {"program_slug": "releve"}),
    ("recognition:events", {"program_slug": "releve"}),
    ("recognition:event_create", {"program_slug": "releve"}),
    ("recognition:spotlights", {"program_slug": "releve"}),
    ("recognition:spotlight_create", {"program_slug": "releve"}),
]


@pytest.mark.parametrize(("name", "kwargs"), MANAGER_PAGES)
def test_manager_pages_have_sound_markup(login, admin_user, populated, name, kwargs):
    client = login(admin_user)
    response = client.get(reverse(name, kwargs={"organisation_slug": "hydro", **kwargs}))
    assert response.status_code == 200
    duplicates, unlabelled, h1_count = check_markup(response.content.decode())
    assert duplicates == []
    assert unlabelled == []
    assert h1_count == 1


@pytest.mark.parametrize(
    "name",
    [
        "hours:my_space",
        "hours:my_session_create",
        "recognition:my_awards",
        "recognition:my_notes",
        "recognition:my_kudos",
        "recognition:my_events",
    ],
)
def test_personal_pages_have_sound_markup(login, mentor_user, populated, name):
    response = login(mentor_user).get(reverse(name, kwargs={"organisation_slug": "hydro"}))
    assert response.status_code == 200
    duplicates, unlabelled, h1_count = check_markup(response.content.decode())
    assert (duplicates, unlabelled, h1_count) == ([], [], 1)
