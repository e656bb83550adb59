"""URL normalisation: examples and properties (hypothesis)."""

import string
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.provisional import urls

from links.normalise import MAX_LENGTH, TRACKING_PARAMETERS, normalise_url

labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
hosts = st.lists(labels, min_size=1, max_size=4).map(".".join).map(lambda h: h + ".example")
path_text = st.text(alphabet=string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@% é/", max_size=30)
segments = st.lists(st.text(alphabet=string.ascii_letters + string.digits + "-_~", min_size=1, max_size=8), max_size=4)
param_names = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8).filter(
    lambda n: n not in TRACKING_PARAMETERS and not n.startswith("utm_")
)
params = st.lists(
    st.tuples(param_names, st.text(alphabet=string.ascii_letters + string.digits, max_size=6)), max_size=4
)
tracking = st.one_of(st.sampled_from(sorted(TRACKING_PARAMETERS)), st.from_regex(r"utm_[a-z]{1,8}", fullmatch=True))


def query_of(pairs):
    return "&".join(f"{name}={value}" for name, value in pairs)


@st.composite
def web_urls(draw):
    scheme = draw(st.sampled_from(["http", "https"]))
    path = "/" + "/".join(draw(segments))
    pairs = draw(params)
    return f"{scheme}://{draw(hosts)}{path}" + (f"?{query_of(pairs)}" if pairs else "")


# ------------------------------------------------------------------------------------------ examples


@pytest.mark.parametrize(
    ("given_url", "expected"),
    [
        ("HTTP://Example.COM", "http://example.com/"),
        ("https://example.com:443/a/./b/../c", "https://example.com/a/c"),
        ("http://example.com:8080", "http://example.com:8080/"),
        ("https://example.com/page#section-2", "https://example.com/page"),
        ("https://example.com/?utm_source=x&id=4&fbclid=y&b=2", "https://example.com/?id=4&b=2"),
        ("https://example.com/%7euser/a%2fb?q=%2a", "https://example.com/~user/a%2Fb?q=%2A"),
        ("http://bücher.example/straße ä", "http://xn--bcher-kva.example/stra%C3%9Fe%20%C3%A4"),
        ("  https://example.com/\n", "https://example.com/"),
        ("https://app.example.com/#/docs/intro", "https://app.example.com/#/docs/intro"),
    ],
)
def test_it_writes_each_address_in_one_spelling(given_url, expected):
    assert normalise_url(given_url) == expected


@pytest.mark.parametrize(
    ("given_url", "message"),
    [
        ("javascript:alert(1)", "not javascript:"),
        ("data:text/html,hi", "not data:"),
        ("file:///etc/passwd", "not file:"),
        ("place:sort=8&maxResults=10", "not place:"),
        ("?lY47tw", "should start with https://"),
        ("example.com/page", "should start with https://"),
        ("http:///path", "no host"),
        ("https://user:secret@example.com/", "user name or password"),
        ("http://example.com:99999/", "port"),
        ("", "Enter a web address"),
    ],
)
def test_it_refuses_what_is_not_a_web_address_with_a_clear_message(given_url, message):
    with pytest.raises(ValidationError) as raised:
        normalise_url(given_url)
    assert message in raised.value.messages[0]


def test_it_refuses_addresses_longer_than_a_link_can_hold():
    with pytest.raises(ValidationError, match="at most 2,000"):
        normalise_url("https://example.com/" + "a" * MAX_LENGTH)


# ---------------------------------------------------------------------------------------- properties


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=80), st.text(max_size=80).map(lambda t: "https://" + t)))
@example("http://a/%")
@example("http://a/%2")
@example("http://[::1")
@example("http://a/..%2e/%2E./b")
@example("https://\u3002example.com")
def test_it_never_raises_anything_but_validation_error_on_any_text(text):
    try:
        clean = normalise_url(text)
    except ValidationError as error:
        assert error.messages[0]
    else:
        assert clean.startswith(("http://", "https://"))


@settings(max_examples=300)
@given(st.text(alphabet=string.printable + "éß€\u3002\uff21", max_size=60).map(lambda t: "http://" + t))
@example("http://a/b/../../..")
@example("http://a/%zz%25")
@example("http://a/?&&x=%7e&")
@example("http://a/#!/x#y")
def test_normalising_twice_gives_what_normalising_once_gave(text):
    try:
        once = normalise_url(text)
    except ValidationError:
        assume(False)
    assert normalise_url(once) == once


@given(urls())
def test_every_generated_web_address_normalises_and_stays_put(url):
    assume(urlsplit(url).scheme in ("http", "https"))
    try:
        once = normalise_url(url)
    except ValidationError:
        assume(False)
    assert normalise_url(once) == once
    assert once.startswith(("http://", "https://"))


@given(web_urls(), st.sampled_from(["upper", "port", "fragment", "empty-path", "dot", "escape"]))
def test_equivalent_spellings_map_to_one_address(url, change):
    parts = urlsplit(url)
    default_port = 80 if parts.scheme == "http" else 443
    variant = {
        "upper": f"{parts.scheme.upper()}://{parts.netloc.upper()}{parts.path}"
        + (f"?{parts.query}" if parts.query else ""),
        "port": f"{parts.scheme}://{parts.netloc}:{default_port}{parts.path}"
        + (f"?{parts.query}" if parts.query else ""),
        "fragment": url + "#somewhere",
        "empty-path": f"{parts.scheme}://{parts.netloc}" + (f"?{parts.query}" if parts.query else "")
        if parts.path == "/"
        else url,
        "dot": f"{parts.scheme}://{parts.netloc}/./x/..{parts.path}" + (f"?{parts.query}" if parts.query else ""),
        "escape": url.replace("~", "%7e").replace("-", "%2D"),
    }[change]
    assert normalise_url(variant) == normalise_url(url)


@given(web_urls(), st.lists(st.tuples(tracking, st.integers(0, 3)), min_size=1, max_size=3), st.randoms())
def test_tracking_parameters_are_removed_wherever_they_are(url, added, rnd):
    base, _, query = url.partition("?")
    pieces = query.split("&") if query else []
    for name, _ in added:
        pieces.insert(rnd.randint(0, len(pieces)), f"{name}=campaign")
    tracked = base + "?" + "&".join(pieces)
    clean = normalise_url(tracked)
    assert clean == normalise_url(url)
    assert not any(name in clean for name, _ in added)


@given(web_urls())
def test_the_query_keeps_its_order(url):
    query = urlsplit(url).query
    assert urlsplit(normalise_url(url)).query == query


@given(
    st.sampled_from(["javascript", "data", "file", "ftp", "place", "mailto", "about", "chrome", "JavaScript"]),
    st.text(max_size=30),
)
def test_other_schemes_are_refused(scheme, rest):
    with pytest.raises(ValidationError):
        normalise_url(f"{scheme}:{rest}")
