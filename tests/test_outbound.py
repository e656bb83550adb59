"""The guarded outbound client, against a real local server that each test allow-lists explicitly."""

from __future__ import annotations

import datetime
import gzip
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from lib import outbound
from lib.outbound import OutboundFailed, OutboundRefused, address_refusal, fetch


class PageServer:
    """A threaded HTTP server on 127.0.0.1 and a random port, answering from a table of routes.

    A route is a function taking the request handler. Requests seen are kept in ``seen`` as
    (method, path, headers). Links tests reuse it.
    """

    def __init__(self, ssl_context: ssl.SSLContext | None = None):
        self.routes = {}
        self.seen = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.answer(self)

            def do_HEAD(self):
                server.answer(self)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.httpd.handle_error = lambda request, address: None  # clients hanging up early is the point
        if ssl_context is not None:
            self.httpd.socket = ssl_context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def answer(self, handler) -> None:
        path = handler.path.split("?", 1)[0]
        self.seen.append((handler.command, handler.path, dict(handler.headers)))
        route = self.routes.get(path)
        if route is None:
            self.send(handler, b"not here", status=404, content_type="text/plain")
        else:
            route(handler)

    def page(self, path: str, body: bytes | str, *, content_type="text/html; charset=utf-8", status=200, headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = lambda h: self.send(h, data, status=status, content_type=content_type, headers=headers)

    def redirect(self, path: str, location: str, status: int = 302):
        self.routes[path] = lambda h: self.send(h, b"", status=status, headers=[("Location", location)])

    @staticmethod
    def send(handler, data: bytes, *, status=200, content_type="text/html; charset=utf-8", headers=(), length=True):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        for name, value in headers:
            handler.send_header(name, value)
        if length:
            handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(data)


@pytest.fixture
def server(settings):
    with PageServer() as running:
        settings.OUTBOUND_ALLOWLIST = [f"127.0.0.1:{running.port}"]
        yield running


def test_it_fetches_a_page_from_an_allow_listed_server(server):
    server.page("/hello", "<title>Hello</title>")

    page = fetch(server.url("/hello"))

    assert page.status == 200
    assert page.content == b"<title>Hello</title>"
    assert page.content_type == "text/html"
    assert page.charset == "utf-8"
    assert page.url == server.url("/hello")


def test_it_says_who_is_asking_in_the_user_agent(server):
    server.page("/", "ok")

    fetch(server.url("/"))

    assert server.seen[0][2]["User-Agent"].startswith("Watercooler/")


def test_it_refuses_the_local_server_when_it_is_not_allow_listed(server, settings):
    settings.OUTBOUND_ALLOWLIST = []

    with pytest.raises(OutboundRefused, match="port"):
        fetch(server.url("/"))
    assert server.seen == []


def test_an_allow_listed_host_without_a_port_does_not_open_other_ports(server, settings):
    settings.OUTBOUND_ALLOWLIST = ["127.0.0.1"]

    with pytest.raises(OutboundRefused, match=f"port {server.port}"):
        fetch(server.url("/"))


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://localhost/", "loopback"),
        ("http://127.1/", "loopback"),
        ("http://2130706433/", "loopback"),
        ("http://0x7f000001/", "loopback"),
        ("http://10.1.2.3/", "private"),
        ("http://172.16.0.9/", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://100.64.0.1/", "shared"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://255.255.255.255/", "reserved"),
        ("http://[::1]/", "loopback"),
        ("http://[::]/", "unspecified"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[::ffff:a9fe:a9fe]/", "link-local"),
        ("http://[64:ff9b::a00:1]/", "private"),
        ("http://[2002:7f00:1::]/", "loopback"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[fd00::1]/", "private"),
        ("https://[ff02::1]/", "multicast"),
    ],
)
def test_it_refuses_addresses_inside_the_network(server, url, why):
    with pytest.raises(OutboundRefused, match=why):
        fetch(url)


def test_it_refuses_a_name_that_resolves_to_a_private_address(monkeypatch):
    monkeypatch.setattr(outbound, "_resolve", lambda host, port: [(socket.AF_INET, ("10.0.0.7", port))])

    with pytest.raises(OutboundRefused, match="intranet.example resolves to 10.0.0.7"):
        fetch("https://intranet.example/")


def test_it_refuses_a_name_when_any_of_its_addresses_is_private(monkeypatch):
    answers = [(socket.AF_INET, ("93.184.215.14", 80)), (socket.AF_INET, ("127.0.0.1", 80))]
    monkeypatch.setattr(outbound, "_resolve", lambda host, port: answers)

    with pytest.raises(OutboundRefused, match="loopback"):
        fetch("http://mixed.example/")


def test_it_connects_to_the_address_it_checked_with_one_lookup_and_keeps_the_host_name(server, settings, monkeypatch):
    server.page("/", "ok")
    lookups = []

    def resolve(host, port):
        lookups.append(host)
        return [(socket.AF_INET, ("127.0.0.1", port))]

    monkeypatch.setattr(outbound, "_resolve", resolve)
    settings.OUTBOUND_ALLOWLIST = [f"site.test:{server.port}"]

    fetch(f"http://site.test:{server.port}/")

    assert lookups == ["site.test"]
    assert server.seen[0][2]["Host"] == f"site.test:{server.port}"


def test_it_refuses_a_connection_that_lands_on_another_address_than_the_one_checked(server, monkeypatch):
    server.page("/", "secret")
    monkeypatch.setattr(outbound, "_resolve", lambda host, port: [(socket.AF_INET, ("93.184.215.14", port))])
    real_open = outbound._open_socket
    # Stands in for anything between the check and the connect that sends the socket elsewhere.
    monkeypatch.setattr(
        outbound, "_open_socket", lambda family, sockaddr, *rest: real_open(family, ("127.0.0.1", server.port), *rest)
    )

    with pytest.raises(OutboundRefused, match="reached 127.0.0.1"):
        fetch("http://public.example/")
    assert server.seen == []


def test_it_reports_a_name_that_does_not_exist(monkeypatch):
    def resolve(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(outbound, "_resolve", resolve)

    with pytest.raises(OutboundFailed, match="nowhere.example could not be found"):
        fetch("http://nowhere.example/")


def test_a_name_server_that_does_not_answer_does_not_outlast_the_deadline(monkeypatch):
    monkeypatch.setattr(outbound, "_resolve", lambda host, port: time.sleep(4) or [])
    started = time.monotonic()

    with pytest.raises(OutboundFailed, match="took too long"):
        fetch("http://slow-dns.example/", timeout=1)
    assert time.monotonic() - started < 3  # well before the lookup would have finished


def test_it_follows_redirects_on_the_allowed_server(server):
    server.redirect("/old", "/newer")
    server.redirect("/newer", server.url("/new"), status=301)
    server.page("/new", "moved here")

    page = fetch(server.url("/old"))

    assert page.content == b"moved here"
    assert page.url == server.url("/new")


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://10.0.0.1/"])
def test_it_refuses_a_redirect_from_the_allowed_server_into_the_network(server, target):
    server.redirect("/go", target)

    with pytest.raises(OutboundRefused, match="only public internet addresses"):
        fetch(server.url("/go"))


def test_it_refuses_a_redirect_to_a_local_server_that_is_not_allow_listed(server):
    with PageServer() as other:
        other.page("/admin", "secret")
        server.redirect("/go", other.url("/admin"))

        with pytest.raises(OutboundRefused):
            fetch(server.url("/go"))
        assert other.seen == []


def test_it_refuses_a_redirect_to_another_scheme(server):
    server.redirect("/go", "file:///etc/passwd")

    with pytest.raises(OutboundRefused, match="only http and https"):
        fetch(server.url("/go"))


def test_it_gives_up_after_five_redirects(server):
    for hop in range(7):
        server.redirect(f"/{hop}", f"/{hop + 1}")

    with pytest.raises(OutboundFailed, match="more than 5 times"):
        fetch(server.url("/0"))
    assert len(server.seen) == 6


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/file", "file:///etc/passwd", "javascript:alert(1)", "data:text/html,hi", "gopher://x/", "//x/"],
)
def test_it_refuses_schemes_other_than_http_and_https(url):
    with pytest.raises(OutboundRefused, match="only http and https"):
        fetch(url)


def test_it_refuses_addresses_with_credentials_in_them():
    with pytest.raises(OutboundRefused, match="user name or password"):
        fetch("http://admin:secret@example.com/")


def test_it_refuses_a_response_that_declares_a_size_over_the_cap(server):
    server.page("/big", b"x" * 300_000)

    with pytest.raises(OutboundFailed, match="at most 97 kB"):
        fetch(server.url("/big"), max_bytes=100_000)


def test_it_stops_reading_a_response_without_a_length_once_it_passes_the_cap(server):
    server.routes["/endless"] = lambda h: PageServer.send(h, b"x" * 2_000_000, length=False)

    with pytest.raises(OutboundFailed, match="larger than 97 kB"):
        fetch(server.url("/endless"), max_bytes=100_000)


def test_it_caps_the_decompressed_size_not_the_compressed_one(server):
    bomb = gzip.compress(b"\0" * 5_000_000)
    server.page("/bomb", bomb, headers=[("Content-Encoding", "gzip")])

    with pytest.raises(OutboundFailed, match="larger than"):
        fetch(server.url("/bomb"), max_bytes=1_000_000)


def test_it_keeps_the_start_of_a_long_page_when_asked_to_truncate(server):
    server.page("/long", b"<head>" + b"x" * 300_000)

    page = fetch(server.url("/long"), max_bytes=1000, truncate=True)

    assert page.truncated
    assert page.content == (b"<head>" + b"x" * 994)


def test_it_gives_up_on_a_server_that_does_not_answer_in_time(server):
    def slow(handler):
        time.sleep(4)
        PageServer.send(handler, b"too late")

    server.routes["/slow"] = slow
    started = time.monotonic()

    with pytest.raises(OutboundFailed, match="in time|longer than"):
        fetch(server.url("/slow"), timeout=1)
    assert time.monotonic() - started < 3  # well before the server would have finished


def test_it_cuts_off_a_body_that_trickles_past_the_deadline(server):
    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        for _ in range(40):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(0.1)

    server.routes["/trickle"] = trickle
    started = time.monotonic()

    with pytest.raises(OutboundFailed, match="longer than 1 seconds"):
        fetch(server.url("/trickle"), timeout=1)
    assert time.monotonic() - started < 3  # well before the server would have finished


def test_it_cuts_off_headers_that_trickle_past_the_deadline(server):
    def trickle(handler):
        handler.wfile.write(b"HTTP/1.0 200 OK\r\n")
        for n in range(40):
            handler.wfile.write(f"X-Slow-{n}: y\r\n".encode())
            handler.wfile.flush()
            time.sleep(0.1)

    server.routes["/trickle"] = trickle
    started = time.monotonic()

    with pytest.raises(OutboundFailed, match="longer than 1 seconds"):
        fetch(server.url("/trickle"), timeout=1)
    assert time.monotonic() - started < 3  # well before the server would have finished


def test_it_reports_an_error_status_with_the_status(server):
    with pytest.raises(OutboundFailed, match="404 Not Found") as raised:
        fetch(server.url("/missing"))

    assert raised.value.status == 404


def test_a_server_that_does_not_speak_http_is_reported_as_unreachable(server):
    server.routes["/garbage"] = lambda h: h.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")

    with pytest.raises(OutboundFailed, match="did not answer in HTTP"):
        fetch(server.url("/garbage"))


def test_a_redirect_to_a_malformed_address_is_reported(server):
    server.routes["/bad"] = lambda h: h.wfile.write(b"HTTP/1.0 302 Found\r\nLocation: http://[::1\r\n\r\n")

    with pytest.raises(OutboundFailed, match="not valid"):
        fetch(server.url("/bad"))


def test_a_head_request_reads_no_body(server):
    server.page("/", "body")

    page = fetch(server.url("/"), method="HEAD")

    assert (page.status, page.content) == (200, b"")
    assert server.seen[0][0] == "HEAD"


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "2002:5db8:d70e::1"])
def test_public_addresses_are_allowed(address):
    assert address_refusal(address) is None


def _self_signed(host: str, tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def test_https_names_the_host_for_sni_and_the_certificate_while_connecting_to_the_checked_address(
    settings, monkeypatch, tmp_path
):
    cert_path, key_path = _self_signed("secure.test", tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    names = []
    context.sni_callback = lambda sock, server_name, ctx: names.append(server_name)
    monkeypatch.setattr(outbound, "CA_BUNDLE", str(cert_path))
    monkeypatch.setattr(outbound, "_resolve", lambda host, port: [(socket.AF_INET, ("127.0.0.1", port))])

    with PageServer(ssl_context=context) as secure:
        secure.page("/", "over TLS")
        settings.OUTBOUND_ALLOWLIST = [f"secure.test:{secure.port}"]

        page = fetch(f"https://secure.test:{secure.port}/")

    assert page.content == b"over TLS"
    assert names == ["secure.test"]
    assert secure.seen[0][2]["Host"] == f"secure.test:{secure.port}"
