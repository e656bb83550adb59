"""The one way the site fetches a URL that a person gave it (DESIGN.md "Outbound requests").

Link previews, broken-link checks and images saved from a URL all come through ``fetch``. A URL
typed by anyone must not become a way to reach the machines behind the site (the cloud metadata
service at 169.254.169.254, an admin page on localhost, the office network), so:

- only http and https, only ports 80 and 443, no user names or passwords in the address;
- the host is resolved here, every address it resolves to is checked, and the socket is opened to
  the checked address itself, then its peer address is checked again. There is no second lookup
  that a short-lived DNS answer could change (DNS rebinding). TLS still names the host (SNI and
  certificate check) and the Host header is the host's name;
- redirects are followed here, at most five, and each hop is checked like the first;
- short connect and read timeouts, a deadline for the whole fetch (a watchdog closes the sockets
  when it passes), and a cap on the body's size, decompressed.

``settings.OUTBOUND_ALLOWLIST`` names hosts (``intranet.example``) or hosts with a port
(``127.0.0.1:8123``) that may be reached even though they are private; the address checks are
skipped for them, and a port other than 80 and 443 must be named with the host. Tests use it to
reach their own local server explicitly.
"""

from __future__ import annotations

import contextlib
import contextvars
import http.client
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin

import requests
import urllib3.exceptions
from django.conf import settings
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util import parse_url

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_TIMEOUT = 10.0  # seconds for the whole fetch, redirects included
CONNECT_TIMEOUT = 4.0
READ_TIMEOUT = 6.0
MAX_REDIRECTS = 5
ALLOWED_PORTS = (80, 443)
CHUNK = 64 * 1024
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
# What ``requests`` verifies certificates against; tests point it at their own certificate.
CA_BUNDLE: str | bool = True


class OutboundError(Exception):
    """A fetch that did not happen or did not finish, with a reason a person can read."""

    def __init__(self, reason: str, *, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status  # the HTTP status when the server answered with an error


class OutboundRefused(OutboundError):
    """The URL points somewhere the site does not fetch from: nothing was sent to it."""


class OutboundFailed(OutboundError):
    """The fetch was allowed but did not succeed: timeout, too large, no connection, error status."""


@dataclass(frozen=True)
class Fetched:
    """A response read in full (or up to the cap, when truncation was asked for)."""

    url: str  # after redirects
    status: int
    headers: CaseInsensitiveDict
    content: bytes
    content_type: str  # lower-case media type without parameters, "" when the server gave none
    truncated: bool = False

    @property
    def charset(self) -> str:
        for param in self.headers.get("Content-Type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                return value.strip().strip("'\"")
        return ""


# --------------------------------------------------------------------------------------------- addresses

_V4_RANGES = [
    (ipaddress.ip_network(net), label)
    for net, label in [
        ("0.0.0.0/8", "an unspecified (“this network”) address"),
        ("10.0.0.0/8", "a private-network address"),
        ("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address"),
        ("172.16.0.0/12", "a private-network address"),
        ("192.0.0.0/24", "a reserved address"),
        ("192.0.2.0/24", "a documentation address"),
        ("192.88.99.0/24", "a reserved address"),
        ("192.168.0.0/16", "a private-network address"),
        ("198.18.0.0/15", "a benchmarking address"),
        ("198.51.100.0/24", "a documentation address"),
        ("203.0.113.0/24", "a documentation address"),
        ("224.0.0.0/4", "a multicast address"),
        ("240.0.0.0/4", "a reserved address"),
    ]
]
_V6_RANGES = [
    (ipaddress.ip_network(net), label)
    for net, label in [
        ("::/128", "an unspecified address"),
        ("::1/128", "a loopback address"),
        ("::/96", "a reserved address"),  # IPv4-compatible addresses, long deprecated
        ("64:ff9b:1::/48", "a local NAT64 address"),
        ("100::/64", "a reserved address"),
        ("2001::/32", "a Teredo tunnel address"),
        ("2001:db8::/32", "a documentation address"),
        ("fc00::/7", "a private-network address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a private-network address"),
        ("ff00::/8", "a multicast address"),
    ]
]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def address_refusal(address: str) -> str | None:
    """Why the site does not connect to ``address`` (an IP address), or None when it is a public one."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address written as IPv6 reaches the IPv4 host: judge that host.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_refusal(str(embedded))
        ranges = _V6_RANGES
    else:
        ranges = _V4_RANGES
    for network, label in ranges:
        if ip in network:
            return label
    # Whatever the lists above miss, Python's registry of special-purpose ranges still catches.
    if not ip.is_global or ip.is_multicast:
        return "not a public internet address"
    return None


def _resolve(host: str, port: int) -> list[tuple[int, tuple]]:
    """(family, socket address) pairs for ``host``; one lookup, whose answers are then checked and used."""
    infos = socket.getaddrinfo(host, port, socket.AF_UNSPEC, socket.SOCK_STREAM)
    return [(family, sockaddr) for family, _type, _proto, _name, sockaddr in infos]


def _resolve_in_time(host: str, port: int, timeout: float) -> list[tuple[int, tuple]]:
    """``_resolve``, given up on after ``timeout``: a slow name server must not outlast the fetch's deadline."""
    outcome: dict = {}

    def lookup():
        try:
            outcome["addresses"] = _resolve(host, port)
        except BaseException as exc:  # handed to the waiting thread, which raises it
            outcome["error"] = exc

    # getaddrinfo cannot be interrupted, so it runs aside and is abandoned if late (the resolver's own
    # timeout ends it).
    worker = threading.Thread(target=lookup, name="outbound-lookup", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise OutboundFailed(f"Looking up the name {host.rstrip('.')} took too long.")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["addresses"]


def _open_socket(family: int, sockaddr: tuple, timeout, socket_options) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        for option in socket_options or ():
            sock.setsockopt(*option)
        sock.settimeout(timeout)
        sock.connect(sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


# ------------------------------------------------------------------------------------------------- guard


def _host_key(host: str) -> str:
    host = host.strip().strip("[]").rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _allowlist() -> frozenset[tuple[str, int | None]]:
    entries = set()
    for entry in getattr(settings, "OUTBOUND_ALLOWLIST", None) or ():
        entry = entry.strip()
        if not entry:
            continue
        if entry.startswith("["):  # [::1]:8080
            host, _, rest = entry[1:].partition("]")
            port = rest[1:] if rest.startswith(":") else ""
        elif entry.count(":") == 1:
            host, _, port = entry.partition(":")
        else:
            host, port = entry, ""
        entries.add((_host_key(host), int(port) if port.isdigit() else None))
    return frozenset(entries)


@dataclass
class _Guard:
    """What one ``fetch`` may connect to, and its deadline; the connection classes consult it."""

    allowlist: frozenset
    timeout: float
    deadline: float = 0.0
    timed_out: bool = False
    sockets: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        self.deadline = time.monotonic() + self.timeout

    def listed(self, host: str, port: int) -> bool:
        key = _host_key(host)
        return (key, port) in self.allowlist or (port in ALLOWED_PORTS and (key, None) in self.allowlist)

    def check_port(self, host: str, port: int) -> bool:
        """Whether ``host`` is allow-listed for ``port``; refuses ports nobody allowed."""
        if self.listed(host, port):
            return True
        if port not in ALLOWED_PORTS:
            raise OutboundRefused(f"Only the standard web ports (80 and 443) are fetched, not port {port}.")
        return False

    def remaining(self) -> float:
        return max(self.deadline - time.monotonic(), 0.0)

    def register(self, sock: socket.socket) -> None:
        with self.lock:
            if self.timed_out:
                sock.close()
                raise OutboundFailed(self.timeout_reason())
            self.sockets.append(sock)

    def expire(self) -> None:
        """Runs on the watchdog thread: shutting the sockets down wakes whatever read is blocked on them."""
        with self.lock:
            self.timed_out = True
            for sock in self.sockets:
                with contextlib.suppress(OSError):  # already closed by its own side
                    sock.shutdown(socket.SHUT_RDWR)

    def timeout_reason(self) -> str:
        return f"The site took longer than {self.timeout:g} seconds to answer."


_current_guard: contextvars.ContextVar[_Guard | None] = contextvars.ContextVar("outbound_guard", default=None)


class _GuardedConnectionMixin:
    """Replaces urllib3's own lookup-and-connect with one that checks every address it uses."""

    def _new_conn(self) -> socket.socket:
        guard = _current_guard.get()
        if guard is None:
            raise OutboundRefused("Outbound connections are made through lib.outbound.fetch only.")
        host = self._dns_host.strip("[]")
        name = host.rstrip(".")
        listed = guard.check_port(name, self.port)
        try:
            addresses = _resolve_in_time(host, self.port, min(CONNECT_TIMEOUT, guard.remaining()))
        except (socket.gaierror, UnicodeError):
            raise OutboundFailed(f"The name {name} could not be found.") from None
        if not addresses:
            raise OutboundFailed(f"The name {name} could not be found.")
        if not listed:
            for _family, sockaddr in addresses:
                reason = address_refusal(sockaddr[0])
                if reason:
                    subject = sockaddr[0] if name == sockaddr[0] else f"{name} resolves to {sockaddr[0]}, which"
                    raise OutboundRefused(f"{subject} is {reason}; only public internet addresses are fetched.")
        failure = None
        for family, sockaddr in addresses:
            try:
                sock = _open_socket(family, sockaddr, self.timeout, self.socket_options)
            except TimeoutError:
                failure = f"{name} did not accept a connection in time."
                continue
            except OSError as exc:
                failure = f"Could not connect to {name}: {exc.strerror or exc}."
                continue
            guard.register(sock)
            if not listed:
                _check_peer(sock, sockaddr[0], name)
            return sock
        raise OutboundFailed(failure or f"Could not connect to {name}.")


def _check_peer(sock: socket.socket, checked: str, name: str) -> None:
    try:
        peer = sock.getpeername()[0]
        same = ipaddress.ip_address(peer.split("%", 1)[0]) == ipaddress.ip_address(checked.split("%", 1)[0])
    except (OSError, ValueError):
        peer, same = "an unknown address", False
    reason = address_refusal(peer) if same else "not the address that was checked"
    if reason:
        sock.close()
        raise OutboundRefused(f"The connection to {name} reached {peer}, which is {reason}.")


class _GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        # A proxy would make the connection to an address nobody checked.
        raise OutboundRefused("Outbound requests do not go through proxies.")


# ------------------------------------------------------------------------------------------------- fetch


def user_agent() -> str:
    return f"Watercooler/1.0 (link previews and checks; +{settings.SITE_URL})"


def fetch(
    url: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    accept: str = "*/*",
    method: str = "GET",
    truncate: bool = False,
) -> Fetched:
    """GET (or HEAD) ``url`` through the guard; raises ``OutboundRefused`` or ``OutboundFailed``.

    ``truncate=True`` keeps the first ``max_bytes`` of a longer body instead of failing: enough for
    a page's head, useless for an image.
    """
    if method not in ("GET", "HEAD"):
        raise ValueError("fetch only reads: GET or HEAD")
    guard = _Guard(allowlist=_allowlist(), timeout=timeout)
    token = _current_guard.set(guard)
    watchdog = threading.Timer(timeout, guard.expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        with requests.Session() as session:
            session.trust_env = False  # no proxies or .netrc credentials from the environment
            session.mount("http://", _GuardedAdapter(max_retries=0))
            session.mount("https://", _GuardedAdapter(max_retries=0))
            return _follow(session, guard, url, method=method, accept=accept, max_bytes=max_bytes, truncate=truncate)
    except OutboundError:
        raise
    except (requests.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as exc:
        if guard.timed_out:
            raise OutboundFailed(guard.timeout_reason()) from exc
        raise OutboundFailed(_describe(exc)) from exc
    except ValueError as exc:  # urllib.parse on a malformed address, including a redirect's Location
        raise OutboundFailed("That address, or one it redirects to, is not valid.") from exc
    finally:
        watchdog.cancel()
        _current_guard.reset(token)


def _follow(session, guard: _Guard, url: str, *, method, accept, max_bytes, truncate) -> Fetched:
    headers = {"User-Agent": user_agent(), "Accept": accept, "Accept-Encoding": "gzip, deflate"}
    current = url
    for hop in range(MAX_REDIRECTS + 1):
        _precheck(current)
        remaining = guard.remaining()
        if remaining <= 0:
            raise OutboundFailed(guard.timeout_reason())
        response = session.request(
            method,
            current,
            headers=headers,
            allow_redirects=False,
            stream=True,
            timeout=(min(CONNECT_TIMEOUT, remaining), min(READ_TIMEOUT, remaining)),
            verify=CA_BUNDLE,
        )
        try:
            target = session.get_redirect_target(response) if response.status_code in REDIRECT_STATUSES else None
            if target:
                if hop == MAX_REDIRECTS:
                    raise OutboundFailed(f"The address redirects more than {MAX_REDIRECTS} times.")
                current = urljoin(response.url, target)
                continue
            if response.status_code >= 400:
                reason = f" {response.reason}" if response.reason else ""
                raise OutboundFailed(f"The site answered {response.status_code}{reason}.", status=response.status_code)
            content, truncated = (b"", False) if method == "HEAD" else _read_body(response, guard, max_bytes, truncate)
            return Fetched(
                url=response.url,
                status=response.status_code,
                headers=response.headers,
                content=content,
                content_type=response.headers.get("Content-Type", "").split(";")[0].strip().lower(),
                truncated=truncated,
            )
        finally:
            response.close()
    raise AssertionError("unreachable: the loop returns or raises")


def _precheck(url: str) -> None:
    """Refusals that need no network, with clearer reasons than the connection would give."""
    try:
        parts = parse_url(url)
    except urllib3.exceptions.LocationParseError:
        raise OutboundRefused("That is not a valid web address.") from None
    scheme = (parts.scheme or "").lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}: addresses" if scheme else "Addresses without http:// or https://"
        raise OutboundRefused(f"{shown} are not fetched; only http and https are.")
    if not parts.host:
        raise OutboundRefused("That web address has no host name.")
    if parts.auth:
        raise OutboundRefused("Addresses with a user name or password in them are not fetched.")
    host = parts.host.strip("[]")
    guard = _current_guard.get()
    port = parts.port or (443 if scheme == "https" else 80)
    listed = guard.check_port(host, port)
    if not listed:
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return  # a name: judged by what it resolves to, when connecting
        reason = address_refusal(host)
        if reason:
            raise OutboundRefused(f"{host} is {reason}; only public internet addresses are fetched.")


def _read_body(response, guard: _Guard, max_bytes: int, truncate: bool) -> tuple[bytes, bool]:
    declared = response.headers.get("Content-Length", "").strip()
    if not truncate and declared.isdigit() and int(declared) > max_bytes:
        raise OutboundFailed(f"The response is {_size(int(declared))}; at most {_size(max_bytes)} is fetched.")
    chunks: list[bytes] = []
    size = 0
    while True:
        # read1 returns what has arrived (decompressed, at most CHUNK), so the deadline is checked often.
        chunk = response.raw.read1(CHUNK, decode_content=True)
        if guard.timed_out:
            raise OutboundFailed(guard.timeout_reason())
        if not chunk:
            break
        if size + len(chunk) > max_bytes:
            if truncate:
                chunks.append(chunk[: max_bytes - size])
                return b"".join(chunks), True
            raise OutboundFailed(f"The response is larger than {_size(max_bytes)}, the most that is fetched.")
        chunks.append(chunk)
        size += len(chunk)
    # A watchdog shutdown looks like the end of the body: the content is then incomplete.
    if guard.timed_out:
        raise OutboundFailed(guard.timeout_reason())
    return b"".join(chunks), False


def _describe(exc: Exception) -> str:
    if isinstance(exc, (requests.ReadTimeout, urllib3.exceptions.ReadTimeoutError, TimeoutError)):
        return "The site did not answer in time."
    if isinstance(exc, requests.ConnectTimeout):
        return "The site did not accept a connection in time."
    if isinstance(exc, requests.exceptions.SSLError):
        return "The site's secure connection could not be verified (certificate or TLS error)."
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema)):
        return "That is not a valid web address."
    if isinstance(exc, (requests.exceptions.ContentDecodingError, urllib3.exceptions.DecodeError)):
        return "The site sent a response that could not be decompressed."
    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError)):
        return "The connection broke off before the whole response arrived."
    return "The site could not be reached, or did not answer in HTTP."


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    return f"{max(count // 1024, 1)} kB"
