"""wording_suggestions: phrases in the culture's tone and framing, naming its values."""

from types import SimpleNamespace

from django.utils import translation

from laurier.recognition.categories import (
    Formality,
    Nature,
    RecognitionCategory,
    Scope,
    Visibility,
)
from laurier.recognition.culture import framing, tone, wording_suggestions


def culture(formal=0, individual=0, values=(), public=0):
    return SimpleNamespace(
        public_or_private=public,
        formal_or_informal=formal,
        individual_or_collective=individual,
        symbolic_or_material=0,
        values=list(values),
    )


def option(**changes):
    fields = {
        "category": RecognitionCategory.THANK_YOU_CARD,
        "visibility": Visibility.PRIVATE,
        "formality": Formality.INFORMAL,
        "scope": Scope.INDIVIDUAL,
        "nature": Nature.SYMBOLIC,
    }
    fields.update(changes)
    return SimpleNamespace(**fields)


def suggestions(profile, choice):
    with translation.override("en"):
        return wording_suggestions(profile, choice)


def test_a_formal_culture_gets_a_formal_tone_whatever_the_option():
    assert tone(culture(formal=1), option(formality=Formality.INFORMAL)) == Formality.FORMAL
    assert suggestions(culture(formal=2), option())[0].startswith("We sincerely thank you")


def test_an_informal_culture_gets_an_informal_tone():
    assert suggestions(culture(formal=-1), option())[0].startswith("Thank you so much")


def test_a_collective_option_thanks_the_group():
    group = option(scope=Scope.COLLECTIVE)

    assert suggestions(culture(formal=2), group)[0].startswith("On behalf of the organisation")
    assert suggestions(culture(formal=-2), group)[0].startswith("What a team!")


def test_an_individual_option_never_thanks_a_team_even_in_a_collective_culture():
    # A newsletter portrait of one mentor is read by that mentor.
    portrait = option(scope=Scope.INDIVIDUAL)

    assert framing(culture(individual=-2), portrait) == Scope.INDIVIDUAL
    phrases = suggestions(culture(formal=-2, individual=-2), portrait)
    assert not any("team" in p or "all of you" in p or "Thank you all" in p for p in phrases)


def test_without_leanings_the_option_own_character_sets_the_tone():
    formal_collective = option(formality=Formality.FORMAL, scope=Scope.COLLECTIVE)

    assert suggestions(None, formal_collective)[0].startswith("On behalf of the organisation")


def test_the_organisation_values_are_named():
    phrases = suggestions(culture(formal=2, values=["Mutual help", "Rigour"]), option())

    assert "Your commitment embodies our values: Mutual help, Rigour." in phrases


def test_no_values_no_phrase_about_them():
    assert not any("values" in phrase for phrase in suggestions(culture(), option()))


def test_a_stipend_is_never_worded_as_the_measure_of_generosity():
    phrases = suggestions(culture(), option(category=RecognitionCategory.STIPEND))

    assert any("does not measure the value of your generosity" in p for p in phrases)


def test_public_options_mention_the_mentor_agreement():
    phrases = suggestions(culture(formal=2), option(visibility=Visibility.PUBLIC))

    assert any("with your agreement" in p for p in phrases)


def test_suggestions_follow_the_reader_language():
    with translation.override("fr-ca"):
        french = wording_suggestions(culture(formal=2), option())

    assert len(french) == len(suggestions(culture(formal=2), option()))


def test_a_culture_leaning_private_is_not_promised_publicity():
    for lean in (-1, -2):
        phrases = suggestions(culture(public=lean), option(visibility=Visibility.PUBLIC))

        assert not any("everyone" in p for p in phrases)


def test_a_private_option_is_not_promised_publicity():
    phrases = suggestions(culture(public=2), option(visibility=Visibility.PRIVATE))

    assert not any("everyone" in p for p in phrases)
