import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.backends import fts5_expression, marked_html, parse_query
from search.queries import search


def test_it_quotes_every_term_for_fts5():
    query = parse_query('title: NEAR(a b) ^c* "x" OR', prefix_last=False)
    assert fts5_expression(query) == '"title:" AND "NEAR(a" AND "b)" AND "^c*" AND "x"'


def test_it_matches_the_last_word_as_a_prefix_while_typing():
    assert fts5_expression(parse_query("data scien")) == '"data" AND "scien"*'
    assert fts5_expression(parse_query("data scien ")) == '"data" AND "scien"'


def test_it_matches_a_last_word_of_two_letters_whole():
    assert fts5_expression(parse_query("ml")) == '"ml"'


def test_it_reads_phrases_alternatives_and_exclusions():
    query = parse_query('"data science" python or rust -java -"old stuff"', prefix_last=False)
    expression = fts5_expression(query)
    assert expression == '("data science" AND ("python" OR "rust")) NOT "java" NOT "old stuff"'


def test_it_leaves_out_the_stop_words_postgresql_leaves_out():
    assert fts5_expression(parse_query("the art of war ")) == '"art" AND "war"'
    assert fts5_expression(parse_query('"the art of war" ')) == '"the art of war"'
    assert parse_query("to be or not to be").is_empty


def test_it_finds_no_terms_in_punctuation_or_exclusions_alone():
    for text in ["", "   ", "!!! ??? ...", '"" ""', "-java", "or or", "\x00\x01"]:
        assert parse_query(text).is_empty, text


def test_it_escapes_everything_except_its_own_marks():
    html = marked_html('<b>\x01bold\x02</b> & "quotes" \x01unclosed')
    assert html == "&lt;b&gt;<mark>bold</mark>&lt;/b&gt; &amp; &quot;quotes&quot; unclosed"


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=80))
def test_arbitrary_text_never_raises(personas, text):
    results = search(personas.alice, text)
    assert list(results) == [] or all(r.url for r in results)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from("ab \"-*:()^+{}\\'.,éß中"), max_size=30))
def test_query_syntax_characters_never_raise(personas, text):
    search(personas.alice, text)
