"""How ``aban serve`` listens: where, over what, to whom, and for how long.

* **Loopback by default.** Off loopback the app is refused unless it speaks HTTPS
  itself (a certificate and key) or the user says an HTTPS proxy is in front of it;
  session cookies are then ``Secure``. Listening on every interface also needs
  the host names the app answers to (no ``*``: a DNS-rebinding page could reach a
  server that answers to any name).
* **Forwarded headers.** uvicorn believes ``X-Forwarded-For`` from 127.0.0.1 by
  default, and the login rate limit keys on the client's address: anyone on the
  computer could make up an address per guess. They are believed only from a proxy
  named in the setting ``serve_trusted_proxy``.
* **Slow clients.** uvicorn (h11) waits for a request's headers for ever, so slow
  or silent connections could use up the process's file descriptors. Each request
  must arrive whole within ``serve_request_timeout`` seconds; idle keep-alive
  connections close after :data:`KEEP_ALIVE` seconds; beyond
  ``serve_max_connections`` new connections are closed at once. Headers are capped
  at h11's 16 KiB and bodies at the app's own limit.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from aban.config import Settings
from aban.errors import ConfigError

LOOPBACK_NAMES = ("127.0.0.1", "::1", "[::1]", "localhost")
WILDCARDS = ("0.0.0.0", "::", "")
#: Seconds an idle keep-alive connection stays open (uvicorn's default).
KEEP_ALIVE = 5
#: Seconds a stopping server waits for requests in flight.
GRACEFUL_SHUTDOWN = 10
#: Connections waiting to be accepted (uvicorn's default).
BACKLOG = 2048


def is_loopback(host: str) -> bool:
    """Whether ``host`` can be reached from this computer only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServePlan:
    """Everything ``aban serve`` needs to listen, checked (see the module)."""

    host: str
    port: int
    allowed_hosts: tuple[str, ...]
    secure_cookies: bool
    tls_cert: Path | None
    tls_key: Path | None
    trusted_proxy: tuple[str, ...]
    request_timeout: int
    max_connections: int

    @property
    def scheme(self) -> str:
        return "https" if self.tls_cert is not None else "http"

    @property
    def url(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{shown}:{self.port}/"

    def uvicorn_options(self) -> dict[str, Any]:
        """Keyword arguments of ``uvicorn.run`` (besides the app)."""
        options: dict[str, Any] = {
            "host": self.host,
            "port": self.port,
            "http": guarded_protocol(self.request_timeout, self.max_connections),
            "timeout_keep_alive": KEEP_ALIVE,
            "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN,
            "proxy_headers": bool(self.trusted_proxy),
            # No access log: URLs carry searched names.
            "log_level": "warning",
            "access_log": False,
            "server_header": False,
        }
        if self.trusted_proxy:
            options["forwarded_allow_ips"] = list(self.trusted_proxy)
        if self.tls_cert is not None and self.tls_key is not None:
            options["ssl_certfile"] = str(self.tls_cert)
            options["ssl_keyfile"] = str(self.tls_key)
        return options


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _trusted_proxy(value: str) -> tuple[str, ...]:
    found = _split(value)
    for item in found:
        if item == "*":
            raise ConfigError(
                "setting serve_trusted_proxy: '*' would believe X-Forwarded-For from "
                "anyone; name the proxy's address"
            )
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError as err:
            raise ConfigError(
                f"setting serve_trusted_proxy: {item!r} is not an IP address or "
                "network; give the proxy's address, such as 10.0.0.5"
            ) from err
    return found


def _hosts(value: str) -> tuple[str, ...]:
    found = _split(value)
    if "*" in found:
        raise ConfigError(
            "setting serve_hosts: '*' would answer to any host name (DNS rebinding); "
            "name the hosts"
        )
    return found


def _pem(workspace: Path, name: str, value: str) -> Path:
    path = workspace / value  # an absolute value stays as it is
    if not path.is_file():
        raise ConfigError(
            f"setting {name}: {path}: no such file; give the path of a PEM file"
        )
    return path


def _tls(workspace: Path, settings: Settings) -> tuple[Path, Path] | None:
    cert, key = settings.serve_tls_cert, settings.serve_tls_key
    if not cert and not key:
        return None
    if not cert or not key:
        raise ConfigError(
            "settings serve_tls_cert and serve_tls_key go together; give both or "
            "neither"
        )
    cert_path = _pem(workspace, "serve_tls_cert", cert)
    key_path = _pem(workspace, "serve_tls_key", key)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        # A key that asks for a password gets none, so it fails here instead of
        # prompting when the server starts.
        context.load_cert_chain(cert_path, key_path, password=lambda: b"")
    except (ssl.SSLError, OSError) as err:
        raise ConfigError(
            f"serve: {cert_path} and {key_path} are not a PEM certificate and its "
            f"unencrypted key ({getattr(err, 'reason', None) or err.strerror or err}); "
            "give the pair the "
            "certificate was made with"
        ) from err
    return cert_path, key_path


def plan_serving(
    settings: Settings,
    workspace: Path,
    host: str,
    port: int,
    *,
    behind_tls_proxy: bool = False,
) -> ServePlan:
    """Check where and how ``aban serve`` may listen, from the settings and flags.

    Args:
        settings: the workspace's settings (``serve_*``), flags applied.
        workspace: the folder relative TLS file names are read from.
        host: the address to listen on.
        port: the port.
        behind_tls_proxy: the user says an HTTPS proxy is in front of the app.

    Raises:
        ConfigError: off loopback without TLS or a proxy in front, on every
            interface without host names, a ``*`` host or proxy, or TLS files
            that are missing or do not load.
    """
    proxy = _trusted_proxy(settings.serve_trusted_proxy)
    names = _hosts(settings.serve_hosts)
    tls = _tls(workspace, settings)
    if not is_loopback(host):
        if tls is None and not behind_tls_proxy:
            raise ConfigError(
                f"serve --host {host}: other computers could reach the app, and it "
                "would speak plain HTTP to them; give --tls-cert and --tls-key, or "
                "put it behind an HTTPS proxy and say so with --behind-tls-proxy, "
                "or listen on 127.0.0.1"
            )
        if host in WILDCARDS and not names:
            raise ConfigError(
                f"serve --host {host}: name the host names the app answers to with "
                "--allow-host NAME (the setting serve_hosts); it no longer answers "
                "to any"
            )
    own = () if host in WILDCARDS else (host,)
    return ServePlan(
        host=host,
        port=port,
        allowed_hosts=tuple(sorted({*LOOPBACK_NAMES, *own, *names})),
        secure_cookies=tls is not None or behind_tls_proxy,
        tls_cert=tls[0] if tls else None,
        tls_key=tls[1] if tls else None,
        trusted_proxy=proxy,
        request_timeout=settings.serve_request_timeout,
        max_connections=settings.serve_max_connections,
    )


def _bind_error(plan: ServePlan, err: OSError) -> ConfigError:
    where = plan.url.split("://", 1)[1].rstrip("/")
    if err.errno == errno.EADDRINUSE:
        return ConfigError(
            f"serve: {where} is in use by another program; stop it, or choose "
            "another port with --port"
        )
    if err.errno == errno.EACCES:
        return ConfigError(
            f"serve: not allowed to listen on {where} (ports below 1024 need "
            "privileges); choose another port with --port"
        )
    if err.errno == errno.EADDRNOTAVAIL:
        return ConfigError(
            f"serve --host {plan.host}: this computer has no such address; give "
            "one of its own, or 127.0.0.1"
        )
    reason = (err.strerror or str(err)).lower()
    return ConfigError(
        f"serve: cannot listen on {where} ({reason}); choose another --host or --port"
    )


def bind_socket(plan: ServePlan) -> socket.socket:
    """The listening socket of ``plan``, bound and listening, for uvicorn.

    Raises:
        ConfigError: the address is in use, not this computer's, or not allowed.
    """
    host = plan.host.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        # As uvicorn does: a port left in TIME_WAIT can be reused, one that a
        # program listens on cannot.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, plan.port))
        sock.listen(BACKLOG)
    except OSError as err:
        sock.close()
        raise _bind_error(plan, err) from err
    sock.set_inheritable(True)
    return sock


def guarded_protocol(
    request_timeout: float, max_connections: int
) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with a deadline per request and a connection cap.

    Each request must be received whole (request line, headers and body) within
    ``request_timeout`` seconds of the connection opening or the previous
    response ending; else the connection is closed. A connection beyond
    ``max_connections`` is closed as soon as it is accepted.
    """
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class GuardedH11Protocol(H11Protocol):
        deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(cast(asyncio.Transport, transport))
            if len(self.connections) > max_connections:
                transport.close()
                return
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()

        def _arm(self) -> None:
            self._disarm()
            self.deadline = self.loop.call_later(request_timeout, self._too_slow)

        def _disarm(self) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
                self.deadline = None

        def _too_slow(self) -> None:
            self.deadline = None
            # IDLE: the headers have not all come; SEND_BODY: the body has not.
            waiting = self.conn.their_state in (h11.IDLE, h11.SEND_BODY)
            if waiting and not self.transport.is_closing():
                self.transport.close()

    return GuardedH11Protocol
