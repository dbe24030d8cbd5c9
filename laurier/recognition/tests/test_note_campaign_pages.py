"""The managers' pages of thank-you note campaigns: the list, inviting writers, the campaign's
page with its moderation, closing."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import pytest
from django.utils import translation

from laurier.recognition.categories import Giver
from laurier.recognition.models import NoteCampaign, NoteWriter, ThankYouNote

from .test_note_support import (
    _fresh_rate_limits,  # noqa: F401
    approve,
    campaign_url,
    enrol,
    invite,
    last_day,
    list_url,
    pair,
    set_aside,
    statuses,
    write,
    writer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def helene(program):
    return enrol(program, "Hélène", "Tremblay")


@pytest.fixture
def jean(program, helene):
    return pair(program, helene, "Jean", "Roy")


def form_data(program, **changes):
    data = {
        "mentor": "",
        "mentees": "on",
        "executives": "",
        "mentee_managers": "",
        "closes_on": last_day(program).isoformat(),
        "message": "",
        "form_token": "token-1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- The list ---------------------------------------------------------------------------------


def test_the_empty_list_explains_the_idea(login, manager_user, program):
    response = login(manager_user).get(list_url(program))

    html = response.content.decode()
    assert response.status_code == 200
    assert not response.context["page"].object_list
    # The manager reads Laurier in English.
    assert "A card of thanks, written by the people they helped" in html
    assert list_url(program, "note_campaign_create") in html


def test_the_list_counts_writers_notes_and_those_waiting(
    login, manager_user, program, helene, jean
):
    pair(program, helene, "Marie", "Côté")
    campaign = invite(program, manager_user)
    note = write(campaign, writer_of(campaign, jean), helene)
    write(campaign, NoteWriter.objects.get(campaign=campaign, name__startswith="Marie"), helene)
    approve(campaign, note)

    response = login(manager_user).get(list_url(program))

    row = response.context["page"].object_list[0]
    assert (row.writer_count, row.note_count, row.pending_count) == (2, 2, 1)
    assert "Every mentor" in response.content.decode()
    assert campaign_url("note_campaign_detail", campaign) in response.content.decode()


# --- Inviting ---------------------------------------------------------------------------------


def test_the_form_preselects_the_mentor_of_the_link(login, manager_user, program, helene):
    response = login(manager_user).get(
        list_url(program, "note_campaign_create") + f"?mentor={helene.pk}"
    )

    assert response.status_code == 200
    assert response.context["mentor"] == helene
    assert "Hélène Tremblay" in response.content.decode()


def test_the_form_finds_a_mentor_by_name(login, manager_user, program, helene):
    enrol(program, "Paul", "Gagnon")

    response = login(manager_user).get(list_url(program, "note_campaign_create") + "?find=hél")

    assert response.context["found"] == [helene]


def test_inviting_creates_the_campaign_and_says_how_many_are_invited(
    login, manager_user, program, helene, jean
):
    client = login(manager_user)

    response = client.post(
        list_url(program, "note_campaign_create"),
        form_data(
            program,
            mentor=str(helene.pk),
            executives="Sophie Gagnon <sophie@example.org>\nluc@example.org",
            message="Un mot pour Hélène?",
        ),
        follow=True,
    )

    campaign = NoteCampaign.objects.get()
    assert campaign.mentor == helene
    assert campaign.message == "Un mot pour Hélène?"
    assert response.redirect_chain[-1][0] == campaign_url("note_campaign_detail", campaign)
    relations = dict(NoteWriter.objects.values_list("email", "relation"))
    assert relations == {
        jean.email: Giver.MENTEE,
        "sophie@example.org": Giver.EXECUTIVE,
        "luc@example.org": Giver.EXECUTIVE,
    }
    with translation.override("en"):
        message = str(list(response.context["messages"])[0])
    assert "3" in message


def test_every_mentor_when_none_is_chosen(login, manager_user, program, helene, jean):
    other = enrol(program, "Paul", "Gagnon")
    pair(program, other, "Lise", "Fortin")

    login(manager_user).post(list_url(program, "note_campaign_create"), form_data(program))

    campaign = NoteCampaign.objects.get()
    assert campaign.mentor is None
    assert NoteWriter.objects.filter(campaign=campaign).count() == 2


def test_every_bad_line_is_listed_and_nothing_is_created(
    login, manager_user, program, helene, jean
):
    response = login(manager_user).post(
        list_url(program, "note_campaign_create"),
        form_data(
            program,
            executives="Sophie Gagnon <sophie@example.org>\nLuc sans adresse\nMarc <marc@>",
            mentee_managers="pas une adresse",
        ),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert len(errors["executives"]) == 2
    assert "Luc sans adresse" in errors["executives"][0]
    assert "Marc" in errors["executives"][1]
    assert len(errors["mentee_managers"]) == 1
    assert not NoteCampaign.objects.exists()
    assert not NoteWriter.objects.exists()


def test_nobody_to_invite_is_refused_clearly(login, manager_user, program, helene):
    response = login(manager_user).post(
        list_url(program, "note_campaign_create"), form_data(program, mentees=None)
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not NoteCampaign.objects.exists()


def test_a_last_day_in_the_past_is_refused(login, manager_user, program, helene, jean):
    response = login(manager_user).post(
        list_url(program, "note_campaign_create"),
        form_data(program, closes_on=last_day(program, -1).isoformat()),
    )

    assert "closes_on" in response.context["form"].errors
    assert not NoteCampaign.objects.exists()


def test_a_double_submit_creates_one_campaign(login, manager_user, program, helene, jean):
    client = login(manager_user)
    data = form_data(program, mentor=str(helene.pk))

    first = client.post(list_url(program, "note_campaign_create"), data)
    second = client.post(list_url(program, "note_campaign_create"), data)

    campaign = NoteCampaign.objects.get()
    assert first["Location"] == second["Location"] == campaign_url("note_campaign_detail", campaign)
    assert NoteWriter.objects.count() == 1


# --- The campaign's page ----------------------------------------------------------------------


@pytest.fixture
def campaign(program, manager_user, helene, jean):
    return invite(program, manager_user, mentor=helene)


def test_the_page_lists_waiting_notes_first_with_their_writer(
    login, manager_user, campaign, helene, jean
):
    write(campaign, writer_of(campaign, jean), helene, "Merci pour ta patience, Hélène.", "Jean")

    response = login(manager_user).get(campaign_url("note_campaign_detail", campaign))

    html = response.content.decode()
    assert response.context["waiting"][0].text == "Merci pour ta patience, Hélène."
    assert "Merci pour ta patience, Hélène." in html
    assert "Jean Roy" in html
    assert html.index('id="waiting"') < html.index('id="read-heading"')


def test_approving_one_note(login, manager_user, campaign, helene, jean):
    note = write(campaign, writer_of(campaign, jean), helene)

    response = login(manager_user).post(
        campaign_url("note_moderate", campaign), {"note": note.pk, "action": "approve"}
    )

    assert response.status_code == 302
    assert statuses(campaign) == {note.pk: ThankYouNote.Status.APPROVED}


def test_setting_a_note_aside_then_approving_it_later(login, manager_user, campaign, helene, jean):
    note = write(campaign, writer_of(campaign, jean), helene)
    client = login(manager_user)

    client.post(campaign_url("note_moderate", campaign), {"note": note.pk, "action": "reject"})
    assert statuses(campaign) == {note.pk: ThankYouNote.Status.REJECTED}
    client.post(campaign_url("note_moderate", campaign), {"note": note.pk, "action": "approve"})
    assert statuses(campaign) == {note.pk: ThankYouNote.Status.APPROVED}


def test_approve_all_waiting_approves_the_notes_shown(login, manager_user, program, helene, jean):
    marie = pair(program, helene, "Marie", "Côté")
    campaign = invite(program, manager_user, mentor=helene)
    first = write(campaign, writer_of(campaign, jean), helene)
    second = write(campaign, writer_of(campaign, marie), helene)
    client = login(manager_user)
    page = client.get(campaign_url("note_campaign_detail", campaign)).content.decode()
    approve_all = page[: page.index('value="approve"')]
    assert f'name="note" value="{first.pk}"' in approve_all
    assert f'name="note" value="{second.pk}"' in approve_all

    client.post(
        campaign_url("note_moderate", campaign),
        {"note": [first.pk, second.pk], "action": "approve"},
    )

    assert set(statuses(campaign).values()) == {ThankYouNote.Status.APPROVED}


def test_moderating_leaves_another_campaigns_notes_alone(
    login, manager_user, program, campaign, helene, jean
):
    other = invite(program, manager_user, mentor=helene, form_token="other")
    theirs = write(other, writer_of(other, jean), helene)

    login(manager_user).post(
        campaign_url("note_moderate", campaign), {"note": theirs.pk, "action": "approve"}
    )

    assert statuses(other) == {theirs.pk: ThankYouNote.Status.PENDING}


def test_an_unknown_action_changes_nothing(login, manager_user, campaign, helene, jean):
    note = write(campaign, writer_of(campaign, jean), helene)

    login(manager_user).post(
        campaign_url("note_moderate", campaign), {"note": note.pk, "action": "delete"}
    )

    assert statuses(campaign) == {note.pk: ThankYouNote.Status.PENDING}


def test_the_page_links_each_mentor_card_once_a_note_is_approved(
    login, manager_user, campaign, helene, jean
):
    note = write(campaign, writer_of(campaign, jean), helene)
    client = login(manager_user)
    card = campaign_url("note_card", campaign, helene.pk)
    assert card not in client.get(campaign_url("note_campaign_detail", campaign)).content.decode()

    approve(campaign, note)

    assert card in client.get(campaign_url("note_campaign_detail", campaign)).content.decode()


def test_set_aside_notes_show_in_their_tab(login, manager_user, campaign, helene, jean):
    note = write(campaign, writer_of(campaign, jean), helene, "Texte mis de côté")
    set_aside(campaign, note)
    client = login(manager_user)

    approved = client.get(campaign_url("note_campaign_detail", campaign))
    aside = client.get(campaign_url("note_campaign_detail", campaign) + "?notes=set-aside")

    assert "Texte mis de côté" not in approved.content.decode()
    assert "Texte mis de côté" in aside.content.decode()


def test_the_writers_show_whether_they_wrote(login, manager_user, program, campaign, helene, jean):
    response = login(manager_user).get(campaign_url("note_campaign_detail", campaign))

    writers = list(response.context["writers"].object_list)
    assert [(writer.name, writer.written) for writer in writers] == [("Jean Roy", 0)]


def test_closing_says_so_and_closes_once(login, manager_user, campaign):
    client = login(manager_user)

    client.post(campaign_url("note_campaign_close", campaign))
    closed_at = NoteCampaign.objects.get().closed_at
    client.post(campaign_url("note_campaign_close", campaign))

    assert closed_at is not None
    assert NoteCampaign.objects.get().closed_at == closed_at


def test_closing_is_a_post(login, manager_user, campaign):
    response = login(manager_user).get(campaign_url("note_campaign_close", campaign))

    assert response.status_code == 405


def test_the_notes_export_as_csv(login, manager_user, campaign, helene, jean):
    write(campaign, writer_of(campaign, jean), helene, "Merci, vraiment.", "Jean")

    response = login(manager_user).get(
        campaign_url("note_campaign_detail", campaign) + "?export=csv"
    )

    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Merci, vraiment." in text
    assert "Jean Roy" in text


def test_the_list_sorts_by_notes_waiting(login, manager_user, program, helene, jean):
    busy = invite(program, manager_user, mentor=helene, form_token="busy")
    quiet = invite(program, manager_user, mentor=helene, form_token="quiet")
    write(busy, writer_of(busy, jean), helene)

    response = login(manager_user).get(list_url(program) + "?sort=-waiting")

    # Newest first otherwise.
    assert list(response.context["page"].object_list) == [busy, quiet]
