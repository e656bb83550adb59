"""One spelling per web page, so the same page saved by twenty people is one shared ``Link``.

``normalise_url`` lower-cases the scheme and host, writes international host names in their
ASCII (IDNA) form, drops default ports, the fragment and known tracking parameters, keeps the
rest of the query in its order, resolves ``.`` and ``..`` path segments (RFC 3986 §5.2.4) and
normalises percent-encoding (RFC 3986 §6.2.2: unreserved characters decoded, other escapes in
upper case, characters a URL may not hold encoded as UTF-8). Only http and https are accepted.

Fragments that are application routes (``#!/inbox``, ``#/docs/intro``) are kept: single-page
sites name their pages that way, and dropping them would fold different pages into one link.
"""

from __future__ import annotations

import ipaddress
import re
import string
from urllib.parse import unquote, urlsplit

import idna
from django.core.exceptions import ValidationError

MAX_LENGTH = 2000  # Link.url's max_length

# Names a site adds to follow a visit from a campaign, an e-mail or a share; they never change the page.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",  # Facebook
        "gclid",  # Google Ads
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "srsltid",  # Google Merchant
        "_ga",  # Google Analytics cross-domain linker
        "_gl",
        "msclkid",  # Microsoft Ads
        "yclid",  # Yandex
        "_openstat",
        "mc_cid",  # Mailchimp
        "mc_eid",
        "igshid",  # Instagram
        "igsh",
        "ref_src",  # Twitter / X
        "ref_url",
        "twclid",
        "ttclid",  # TikTok
        "li_fat_id",  # LinkedIn
        "_hsenc",  # HubSpot
        "_hsmi",
        "__hssc",
        "__hstc",
        "__hsfp",
        "hsctatracking",
        "mkt_tok",  # Marketo
        "oly_anon_id",  # Omeda
        "oly_enc_id",
        "vero_id",  # Vero
        "vero_conv",
        "wickedid",
        "rb_clickid",
        "s_kwcid",  # Adobe
        "ef_id",
    }
)
TRACKING_PREFIXES = ("utm_",)  # utm_source, utm_medium, utm_campaign, utm_term, utm_content, utm_id, …

_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_SUB_DELIMS = "!$&'()*+,;="
_PATH_SAFE = frozenset(_UNRESERVED | set(_SUB_DELIMS) | set(":@/"))
_QUERY_SAFE = frozenset(_PATH_SAFE | {"?"})
_HEX = frozenset(string.hexdigits)
_HOST_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\Z")
# WHATWG's URL parser removes these wherever they are, so browsers treat "https://exa\tmple.com" as example.com.
_INVISIBLE = str.maketrans("", "", "\t\n\r")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def normalise_url(url: str) -> str:
    """The one spelling of ``url``; anything that is not a usable http(s) address raises ValidationError."""
    if not isinstance(url, str):
        raise ValidationError("Enter a web address.")
    text = url.translate(_INVISIBLE).strip(_C0_AND_SPACE)
    if not text:
        raise ValidationError("Enter a web address.")
    try:
        clean = _normalise(text)
    except ValidationError:
        raise
    except (ValueError, UnicodeError, idna.IDNAError) as error:  # IDNAError is a UnicodeError; kept for clarity
        raise ValidationError(f"“{_shorten(text)}” is not a valid web address.") from error
    if len(clean) > MAX_LENGTH:
        raise ValidationError(f"Web addresses are at most {MAX_LENGTH:,} characters long.")
    return clean


def is_tracking_parameter(name: str) -> bool:
    name = unquote(name).lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def _normalise(text: str) -> str:
    scheme, colon, _ = text.partition(":")
    if not colon or not scheme or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
        raise ValidationError(
            f"“{_shorten(text)}” is not a full web address: it should start with https:// or http://."
        )
    scheme = scheme.lower()
    if scheme not in ("http", "https"):
        raise ValidationError(f"Only web addresses (http or https) can be saved, not {scheme}: addresses.")
    # WHATWG: in http(s) URLs a backslash is a slash, so "https:\\example.com\path" is what browsers open.
    text = scheme + ":" + text[len(scheme) + 1 :].replace("\\", "/")
    parts = urlsplit(text)
    netloc = parts.netloc
    if not netloc:
        raise ValidationError(f"“{_shorten(text)}” has no host name.")
    if "@" in netloc:
        raise ValidationError("Addresses with a user name or password in them cannot be saved: they would be shared.")
    if not parts.hostname:
        raise ValidationError(f"“{_shorten(text)}” has no host name.")
    host = _normalise_host(parts.hostname, bracketed=netloc.startswith("["))
    try:
        port = parts.port
    except ValueError:
        raise ValidationError(f"“{_shorten(text)}” has a port that is not a number from 0 to 65535.") from None
    default = 80 if scheme == "http" else 443
    netloc = host if port in (None, default) else f"{host}:{port}"
    path = _remove_dot_segments(_normalise_escapes(parts.path, _PATH_SAFE)) or "/"
    query = _normalise_query(parts.query)
    fragment = parts.fragment
    clean = f"{scheme}://{netloc}{path}"
    if query:
        clean += "?" + query
    if fragment[:1] in ("!", "/"):
        clean += "#" + _normalise_escapes(fragment, _QUERY_SAFE)
    return clean


def _normalise_host(host: str, *, bracketed: bool) -> str:
    if bracketed:
        try:
            address = ipaddress.IPv6Address(host)
        except ValueError:
            raise ValidationError(f"“{host}” is not an IPv6 address.") from None
        return f"[{address.compressed}]"
    host = unquote(host, errors="strict")
    if host.endswith("."):  # the fully qualified spelling of the same name
        host = host[:-1]
    if not host.isascii():
        host = idna.encode(host, uts46=True).decode("ascii")
    host = host.lower()
    labels = host.split(".")
    if not host or len(host) > 253 or not all(_HOST_LABEL.match(label) for label in labels):
        raise ValidationError(f"“{_shorten(host)}” is not a valid host name.")
    return host


def _normalise_query(query: str) -> str:
    kept = []
    for piece in query.split("&"):
        if not piece:
            continue
        piece = _normalise_escapes(piece, _QUERY_SAFE)
        if not is_tracking_parameter(piece.partition("=")[0]):
            kept.append(piece)
    return "&".join(kept)


def _normalise_escapes(text: str, safe: frozenset[str]) -> str:
    """Decode escaped unreserved characters, upper-case other escapes, escape what may not appear raw."""
    out = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "%" and text[i + 1 : i + 2] in _HEX and text[i + 2 : i + 3] in _HEX:
            decoded = chr(int(text[i + 1 : i + 3], 16))
            out.append(decoded if decoded in _UNRESERVED else "%" + text[i + 1 : i + 3].upper())
            i += 3
            continue
        out.append(char if char in safe else "".join(f"%{byte:02X}" for byte in char.encode("utf-8")))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4, for an absolute path."""
    if not path:
        return path
    output: list[str] = []
    segments = path.split("/")[1:]
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if output:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    return "/" + "/".join(output)


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
