import pytest
from django.core.validators import validate_slug

from community.models import Paper, Topic
from community.services.slugs import unique_slug

pytestmark = pytest.mark.django_db


def make_topic(slug: str) -> Topic:
    return Topic.objects.create(slug=slug, name=slug)


def test_slugifies_latin_text():
    assert unique_slug(Topic, "Neural Networks & Deep Learning!") == "neural-networks-deep-learning"


def test_folds_accents_and_letters_unicode_does_not_decompose():
    assert unique_slug(Topic, "Jürgen Schmidhuber") == "jurgen-schmidhuber"
    assert unique_slug(Topic, "Léon Bottou") == "leon-bottou"
    assert unique_slug(Topic, "Łukasz Kaiser") == "lukasz-kaiser"
    assert unique_slug(Topic, "Søren Straße") == "soren-strasse"


def test_collisions_get_numbered_suffixes():
    make_topic("computer-vision")
    assert unique_slug(Topic, "Computer vision") == "computer-vision-2"
    make_topic("computer-vision-2")
    assert unique_slug(Topic, "Computer vision") == "computer-vision-3"


def test_collisions_are_per_model():
    make_topic("attention")
    assert unique_slug(Paper, "Attention") == "attention"


def test_non_latin_text_gets_a_stable_ascii_slug():
    slug = unique_slug(Topic, "深度学习")
    validate_slug(slug)
    assert slug.isascii()
    assert slug.startswith("topic-")
    # The same text always gives the same slug; different text a different one.
    assert unique_slug(Topic, "深度学习") == slug
    assert unique_slug(Topic, "卷积神经网络") != slug
    make_topic(slug)
    assert unique_slug(Topic, "深度学习") == f"{slug}-2"


def test_mixed_text_keeps_its_latin_part():
    assert unique_slug(Topic, "BERT 模型") == "bert"


def test_empty_text_falls_back_to_the_model_name():
    assert unique_slug(Topic, "  ") == "topic"
    make_topic("topic")
    assert unique_slug(Topic, "") == "topic-2"


def test_max_length_leaves_room_for_the_suffix():
    assert unique_slug(Topic, "a" * 200, max_length=10) == "a" * 10
    make_topic("a" * 10)
    assert unique_slug(Topic, "a" * 200, max_length=10) == "a" * 8 + "-2"


def test_cutting_never_leaves_a_trailing_hyphen():
    assert unique_slug(Topic, "abcd efgh", max_length=5) == "abcd"
    make_topic("abcd")
    assert unique_slug(Topic, "abcd efgh", max_length=5) == "abc-2"


def test_default_max_length_is_the_slug_fields():
    slug = unique_slug(Topic, "word " * 100)
    assert len(slug) <= Topic._meta.get_field("slug").max_length
    assert not slug.endswith("-")
