from laurier.core.search import matches_every_word, without_accents
from laurier.programs.models import Person
from laurier.testing import factories


def test_accents_are_set_aside():
    assert without_accents("Hélène Côté-Lévesque") == "Helene Cote-Levesque"


def test_search_finds_names_whatever_accents_and_case(organisation):
    helene = factories.PersonFactory(
        organisation=organisation, first_name="Hélène", last_name="Côté"
    )
    factories.PersonFactory(organisation=organisation, first_name="Marc", last_name="Roy")
    for typed in ["helene", "HÉLÈNE", "cote hel", "Côté"]:
        found = Person.objects.filter(matches_every_word(typed, ["first_name", "last_name"]))
        assert list(found) == [helene], typed


def test_every_word_must_match(organisation):
    factories.PersonFactory(organisation=organisation, first_name="Hélène", last_name="Côté")
    found = Person.objects.filter(matches_every_word("helene roy", ["first_name", "last_name"]))
    assert list(found) == []
