"""Questions in the editor: their choices, conditions, order, and the keys that must stay."""

import pytest
from django.urls import reverse

from laurier.organisations.models import AuditEvent
from laurier.surveys.models import Choice, Question
from laurier.surveys.standard import install_standard_surveys
from laurier.testing import factories

pytestmark = pytest.mark.django_db

Kind = Question.Kind


def url(name, *args):
    return reverse(f"surveys:{name}", args=("hydro", *args))


@pytest.fixture
def client(login, admin_user):
    return login(admin_user)


@pytest.fixture
def survey(organisation):
    return factories.SurveyFactory(organisation=organisation)


@pytest.fixture
def colour(survey):
    """Question 1: a single choice with two choices."""
    question = factories.QuestionFactory(
        survey=survey, position=1, kind=Kind.SINGLE_CHOICE, text_en="Colour?", text_fr="Couleur ?"
    )
    factories.ChoiceFactory(question=question, position=1, text_en="Red", text_fr="Rouge")
    factories.ChoiceFactory(question=question, position=2, text_en="Blue", text_fr="Bleu")
    return question


@pytest.fixture
def why(survey, colour):
    """Question 2: a text shown only if "Red" is picked in question 1."""
    return factories.QuestionFactory(
        survey=survey,
        position=2,
        kind=Kind.SHORT_TEXT,
        text_en="Why red?",
        text_fr="Pourquoi rouge ?",
        shown_if_choice=colour.choices.get(text_en="Red"),
    )


def question_data(question=None, *, choices=(), **fields):
    """What the question page posts: the question's fields and its choice rows.

    `choices` are (choice or None, text_fr, text_en, delete) rows, in order.
    """
    data = {
        "text_fr": "Quel repas ?",
        "text_en": "Which meal?",
        "help_fr": "",
        "help_en": "",
        "kind": Kind.SINGLE_CHOICE,
        "required": "",
        "condition": "",
    }
    if question is not None:
        data.update(
            text_fr=question.text_fr,
            text_en=question.text_en,
            kind=question.kind,
            required="on" if question.required else "",
            condition=question.shown_if_choice_id or "",
        )
    data.update(fields)
    existing = [row for row in choices if row[0] is not None]
    data["choices-TOTAL_FORMS"] = str(len(choices))
    data["choices-INITIAL_FORMS"] = str(len(existing))
    for index, (choice, text_fr, text_en, delete) in enumerate(choices):
        prefix = f"choices-{index}-"
        data[prefix + "id"] = choice.pk if choice else ""
        data[prefix + "text_fr"] = text_fr
        data[prefix + "text_en"] = text_en
        data[prefix + "ORDER"] = str(index + 1)
        if delete:
            data[prefix + "DELETE"] = "on"
    return data


def rows_of(question):
    return [(choice, choice.text_fr, choice.text_en, False) for choice in question.choices.all()]


def texts(question):
    return list(question.choices.values_list("text_en", flat=True))


# Adding


def test_adding_a_question_puts_it_last_with_its_choices(client, survey, colour):
    response = client.post(
        url("question_create", survey.pk),
        question_data(choices=[(None, "Midi", "Lunch", False), (None, "Soir", "Dinner", False)]),
    )

    added = survey.questions.get(text_en="Which meal?")
    assert response["Location"] == url("detail", survey.pk) + f"#question-{added.pk}"
    assert added.position == 2
    assert texts(added) == ["Lunch", "Dinner"]
    assert list(added.choices.values_list("position", flat=True)) == [1, 2]


def test_adding_a_question_is_audited_with_its_choices(client, survey):
    client.post(
        url("question_create", survey.pk),
        question_data(choices=[(None, "Midi", "Lunch", False), (None, "Soir", "Dinner", False)]),
    )
    created = AuditEvent.objects.filter(action="create")
    assert created.filter(object_type="surveys.question").count() == 1
    assert created.filter(object_type="surveys.choice").count() == 2


def test_blank_choice_rows_are_ignored(client, survey):
    client.post(
        url("question_create", survey.pk),
        question_data(
            choices=[(None, "Midi", "Lunch", False), (None, "Soir", "Dinner", False)]
            + [(None, "", "", False)] * 3
        ),
    )
    assert texts(survey.questions.get()) == ["Lunch", "Dinner"]


def test_a_choice_question_needs_two_choices(client, survey):
    response = client.post(
        url("question_create", survey.pk), question_data(choices=[(None, "Midi", "Lunch", False)])
    )

    assert response.status_code == 200
    assert "at least two choices" in response.content.decode()
    assert not survey.questions.exists()


def test_a_text_question_takes_no_choices(client, survey):
    response = client.post(
        url("question_create", survey.pk),
        question_data(kind=Kind.LONG_TEXT, choices=[(None, "Midi", "Lunch", False)] * 2),
    )

    assert response.status_code == 200
    assert not survey.questions.exists()


def test_a_text_question_is_added_without_choices(client, survey):
    client.post(
        url("question_create", survey.pk),
        question_data(kind=Kind.LONG_TEXT, choices=[(None, "", "", False)] * 3),
    )
    assert survey.questions.get().kind == Kind.LONG_TEXT


def test_a_choice_is_written_in_both_languages(client, survey):
    response = client.post(
        url("question_create", survey.pk),
        question_data(choices=[(None, "Midi", "", False), (None, "Soir", "Dinner", False)]),
    )
    assert response.status_code == 200
    assert not survey.questions.exists()


def test_a_double_submit_adds_one_question(client, survey):
    data = question_data(choices=[(None, "Midi", "Lunch", False), (None, "Soir", "Dinner", False)])
    client.post(url("question_create", survey.pk), data)
    second = client.post(url("question_create", survey.pk), data)

    assert second.status_code == 200
    assert "already has a question worded this way" in second.content.decode()
    assert survey.questions.count() == 1


def test_more_rows_keep_what_was_typed_and_save_nothing(client, survey):
    response = client.post(
        url("question_create", survey.pk),
        {**question_data(choices=[(None, "Midi", "Lunch", False)]), "add_rows": "1"},
    )

    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 4
    assert 'value="Lunch"' in response.content.decode()
    assert not survey.questions.exists()


# Conditions


def test_a_condition_reads_a_choice_of_an_earlier_question(client, survey, colour):
    blue = colour.choices.get(text_en="Blue")
    client.post(
        url("question_create", survey.pk),
        question_data(kind=Kind.SHORT_TEXT, condition=blue.pk),
    )
    assert survey.questions.get(text_en="Which meal?").shown_if_choice == blue


def test_the_condition_list_offers_earlier_questions_choices_grouped(client, survey, colour, why):
    response = client.get(url("question_edit", survey.pk, why.pk))

    options = response.context["form"].fields["condition"].choices
    assert options[0][0] == ""
    group, choices = options[1]
    assert "Colour?" in group or "Couleur ?" in group
    assert [pk for pk, _label in choices] == list(colour.choices.values_list("pk", flat=True))


def test_a_question_cannot_depend_on_a_later_one(client, survey, colour, why):
    later = factories.QuestionFactory(survey=survey, position=3, kind=Kind.SINGLE_CHOICE)
    late_choice = factories.ChoiceFactory(question=later)
    factories.ChoiceFactory(question=later)

    response = client.post(
        url("question_edit", survey.pk, colour.pk),
        question_data(colour, choices=rows_of(colour), condition=late_choice.pk),
    )

    assert response.status_code == 200
    colour.refresh_from_db()
    assert colour.shown_if_choice is None


@pytest.mark.parametrize("where", ["another survey", "another organisation"])
def test_a_crafted_condition_from_elsewhere_is_refused(
    client, survey, colour, organisation, other_organisation, where
):
    owner = organisation if where == "another survey" else other_organisation
    foreign = factories.ChoiceFactory(question__survey__organisation=owner)

    response = client.post(
        url("question_create", survey.pk),
        question_data(kind=Kind.SHORT_TEXT, condition=foreign.pk),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["condition"]
    assert not survey.questions.filter(text_en="Which meal?").exists()


def test_a_choice_used_by_a_condition_cannot_be_deleted(client, survey, colour, why):
    red, blue = colour.choices.all()
    client.post(
        url("question_edit", survey.pk, colour.pk),
        question_data(
            colour,
            choices=[(red, "Rouge", "Red", True), (blue, "Bleu", "Blue", False)]
            + [(None, "Vert", "Green", False)],
        ),
    )
    assert Choice.objects.filter(pk=red.pk).exists()
    why.refresh_from_db()
    assert why.shown_if_choice == red


# Editing choices


def test_choices_are_reworded_added_deleted_and_ordered(client, survey, colour):
    red, blue = colour.choices.all()
    data = question_data(
        colour,
        choices=[
            (red, "Rouge", "Red", True),
            (blue, "Bleu ciel", "Sky blue", False),
            (None, "Vert", "Green", False),
        ],
    )
    # The new choice goes first.
    data["choices-2-ORDER"] = "0"

    client.post(url("question_edit", survey.pk, colour.pk), data)

    assert texts(colour) == ["Green", "Sky blue"]
    assert list(colour.choices.values_list("position", flat=True)) == [1, 2]
    assert not Choice.objects.filter(pk=red.pk).exists()


def test_rewording_a_choice_is_audited(client, survey, colour):
    red, blue = colour.choices.all()
    client.post(
        url("question_edit", survey.pk, colour.pk),
        question_data(colour, choices=[(red, "Rouge", "Crimson", False), rows_of(colour)[1]]),
    )
    event = AuditEvent.objects.get(object_type="surveys.choice", object_id=str(red.pk))
    assert event.changes["text_en"] == ["Red", "Crimson"]


def test_a_choice_of_another_question_cannot_be_slipped_in(client, survey, colour, organisation):
    foreign = factories.ChoiceFactory(question__survey=survey, text_en="Elsewhere")
    red, blue = colour.choices.all()

    client.post(
        url("question_edit", survey.pk, colour.pk),
        question_data(
            colour,
            choices=[(red, "Rouge", "Red", False), (foreign, "x", "Hijacked", False)],
        ),
    )

    foreign.refresh_from_db()
    assert (foreign.question_id, foreign.text_en) != (colour.pk, "Hijacked")


def test_turning_a_choice_question_into_text_needs_its_choices_deleted(client, survey, colour):
    response = client.post(
        url("question_edit", survey.pk, colour.pk),
        question_data(colour, kind=Kind.LONG_TEXT, choices=rows_of(colour)),
    )
    assert response.status_code == 200
    colour.refresh_from_db()
    assert colour.kind == Kind.SINGLE_CHOICE

    client.post(
        url("question_edit", survey.pk, colour.pk),
        question_data(
            colour,
            kind=Kind.LONG_TEXT,
            choices=[(c, t_fr, t_en, True) for c, t_fr, t_en, _d in rows_of(colour)],
        ),
    )
    colour.refresh_from_db()
    assert colour.kind == Kind.LONG_TEXT and not colour.choices.exists()


# Keyed questions of the ready-made surveys


@pytest.fixture
def profile(organisation):
    return install_standard_surveys(organisation)["profile"]


def test_a_keyed_question_can_be_reworded(client, profile):
    question = profile.questions.get(key="interests")
    client.post(
        url("question_edit", profile.pk, question.pk),
        question_data(question, text_en="What do you love doing?"),
    )
    question.refresh_from_db()
    assert question.text_en == "What do you love doing?"


def test_a_keyed_question_keeps_its_type_even_with_a_crafted_post(client, profile):
    question = profile.questions.get(key="interests")
    client.post(
        url("question_edit", profile.pk, question.pk),
        question_data(question, kind=Kind.SHORT_TEXT, text_en="Interests?"),
    )
    question.refresh_from_db()
    assert (question.kind, question.text_en) == (Kind.LONG_TEXT, "Interests?")


def test_a_keyed_choice_cannot_be_deleted_even_with_a_crafted_post(client, profile):
    question = profile.questions.get(key="public_consent")
    rows = rows_of(question)
    rows[2] = (rows[2][0], rows[2][1], rows[2][2], True)

    client.post(
        url("question_edit", profile.pk, question.pk), question_data(question, choices=rows)
    )

    assert question.choices.filter(key="ask").exists()


def test_a_keyed_choice_offers_no_delete_box(client, profile):
    question = profile.questions.get(key="public_consent")
    response = client.get(url("question_edit", profile.pk, question.pk))
    assert all("DELETE" not in form.fields for form in response.context["formset"].initial_forms)


def test_a_choice_can_be_added_to_a_keyed_question(client, profile):
    question = profile.questions.get(key="moments")
    client.post(
        url("question_edit", profile.pk, question.pk),
        question_data(question, choices=rows_of(question) + [(None, "Été", "Summer", False)]),
    )
    assert question.choices.filter(key="", text_en="Summer").exists()


def test_a_keyed_question_cannot_be_deleted(client, profile):
    question = profile.questions.get(key="diet")

    page = client.get(url("question_delete", profile.pk, question.pk))
    response = client.post(url("question_delete", profile.pk, question.pk), follow=True)

    assert "cannot be deleted" in page.content.decode()
    assert "<form" not in page.content.decode().split("<main", 1)[1].split("</main>")[0]
    assert "cannot be deleted" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


# Deleting


def test_deleting_asks_first_then_deletes_and_closes_the_gap(client, survey, colour):
    middle = factories.QuestionFactory(survey=survey, position=2)
    last = factories.QuestionFactory(survey=survey, position=3)

    page = client.get(url("question_delete", survey.pk, middle.pk))
    client.post(url("question_delete", survey.pk, middle.pk))

    assert page.status_code == 200
    assert not Question.objects.filter(pk=middle.pk).exists()
    last.refresh_from_db()
    assert last.position == 2
    assert AuditEvent.objects.filter(object_id=str(middle.pk), action="delete").exists()


def test_deleting_twice_deletes_once_and_says_so(client, survey, colour):
    client.post(url("question_delete", survey.pk, colour.pk))
    second = client.post(url("question_delete", survey.pk, colour.pk), follow=True)

    assert second.status_code == 200
    assert "already deleted" in second.content.decode()


def test_a_question_others_depend_on_cannot_be_deleted(client, survey, colour, why):
    client.post(url("question_delete", survey.pk, colour.pk))
    assert Question.objects.filter(pk=colour.pk).exists()


# Order


def move(client, survey, question, direction, position):
    return client.post(
        url("question_move", survey.pk, question.pk),
        {"direction": direction, "position": position},
    )


def order(survey):
    return list(survey.questions.order_by("position").values_list("text_en", "position"))


def test_moving_down_swaps_with_the_next_question(client, survey, colour):
    second = factories.QuestionFactory(survey=survey, position=2, text_en="Second")

    response = move(client, survey, colour, "down", 1)

    assert response["Location"].endswith(f"#question-{colour.pk}")
    assert order(survey) == [("Second", 1), ("Colour?", 2)]
    assert second.pk


def test_moving_up_swaps_with_the_previous_question(client, survey, colour):
    second = factories.QuestionFactory(survey=survey, position=2, text_en="Second")
    move(client, survey, second, "up", 2)
    assert order(survey) == [("Second", 1), ("Colour?", 2)]


def test_a_double_submit_moves_once(client, survey, colour):
    factories.QuestionFactory(survey=survey, position=2, text_en="Second")
    factories.QuestionFactory(survey=survey, position=3, text_en="Third")

    move(client, survey, colour, "down", 1)
    move(client, survey, colour, "down", 1)

    assert order(survey) == [("Second", 1), ("Colour?", 2), ("Third", 3)]


def test_the_first_question_does_not_move_up(client, survey, colour):
    factories.QuestionFactory(survey=survey, position=2, text_en="Second")
    move(client, survey, colour, "up", 1)
    assert order(survey) == [("Colour?", 1), ("Second", 2)]


def test_a_question_stays_after_the_one_its_condition_reads(client, survey, colour, why):
    response = move(client, survey, why, "up", 2)

    assert order(survey) == [("Colour?", 1), ("Why red?", 2)]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("must stay after" in m for m in messages)


def test_an_unknown_direction_moves_nothing(client, survey, colour):
    factories.QuestionFactory(survey=survey, position=2, text_en="Second")
    move(client, survey, colour, "sideways", 1)
    assert order(survey) == [("Colour?", 1), ("Second", 2)]


def test_moving_is_audited(client, survey, colour):
    factories.QuestionFactory(survey=survey, position=2)
    move(client, survey, colour, "down", 1)
    event = AuditEvent.objects.get(object_id=str(colour.pk), action="update")
    assert event.changes["position"] == [1, 2]
