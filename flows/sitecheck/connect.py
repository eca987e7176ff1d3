"""A requests session that can only reach addresses allowed by `addresses.refusal`.

The check happens where the socket is made: the name is resolved once (by a resolver
tests can replace), each address is checked, the socket connects to an allowed address
itself, and the peer address of the connected socket is checked again. A name that
resolves to a public address for the check and a private one for the connection (DNS
rebinding) cannot slip through, and every redirect hop opens its connections here too.
TLS still verifies the certificate against the host name. Proxies and .netrc are ignored
(`trust_env = False`): a proxy would be the address connected to, not the site.
"""
from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

from .addresses import Network, UnsafeTarget, refusal, special_name

Resolver = Callable[[str, int], list[str]]
_current = threading.local()  # the check running on this thread (deadline.Watch), if any


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def offline_resolver(host: str, port: int) -> list[str]:
    raise socket.gaierror(socket.EAI_NONAME, "live checks are off: no name is looked up")


def watch_connections(watch) -> None:
    """Connections used on this thread from now on are reported to `watch` (or nobody)."""
    _current.watch = watch


class Guard:
    def __init__(self, allowed: tuple[Network, ...] = (), resolver: Resolver = system_resolver):
        self.allowed = allowed
        self.resolver = resolver

    def addresses(self, host: str, port: int) -> list[str]:
        kind = special_name(host)
        if kind == "private":
            raise UnsafeTarget(f"{host} is a private-use name")
        if kind == "example":
            raise socket.gaierror(socket.EAI_NONAME, f"{host} is a reserved example name "
                                                     "(RFC 2606), never looked up")
        try:
            return [str(ipaddress.ip_address(host.strip("[]")))]
        except ValueError:
            return self.resolver(host, port)

    def connect(self, connection: HTTPConnection) -> socket.socket:
        host, port = connection.host, connection.port
        try:
            found = self.addresses(host, port)
        except socket.gaierror as exc:
            raise NameResolutionError(host, connection, exc) from exc
        allowed = [address for address in found if refusal(address, self.allowed) is None]
        if not allowed:
            reasons = [refusal(address, self.allowed) for address in found]
            raise UnsafeTarget(f"{host}: {reasons[0] if reasons else 'no address'}")
        error: OSError | None = None
        for address in allowed:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                for option in connection.socket_options or ():
                    sock.setsockopt(*option)
                timeout = connection.timeout
                sock.settimeout(timeout if isinstance(timeout, int | float) else None)
                sock.connect((address, port))
            except TimeoutError as exc:
                sock.close()
                raise ConnectTimeoutError(connection, f"{host}: connect timed out") from exc
            except OSError as exc:
                sock.close()
                error = exc
                continue
            peer = sock.getpeername()[0]
            reason = refusal(peer, self.allowed)
            if reason:
                sock.close()
                raise UnsafeTarget(f"{host}: connected to {reason}")
            return sock
        raise NewConnectionError(connection, f"{host}: cannot connect ({error})")


class _Guarded:
    """Mixed into urllib3's connections: sockets come from the guard, and every request
    made on the connection (new or kept alive) is reported to the check's deadline."""

    guard: Guard

    def _new_conn(self):
        return self.guard.connect(self)

    def request(self, *args, **kwargs):
        watch = getattr(_current, "watch", None)
        if watch is not None:
            watch.add(self)
        sent = super().request(*args, **kwargs)
        if watch is not None:
            watch.add(self)  # the socket opened (and TLS-wrapped) by this request
        return sent


def _pool_classes(guard: Guard):
    plain = type("GuardedHTTPConnection", (_Guarded, HTTPConnection), {"guard": guard})
    tls = type("GuardedHTTPSConnection", (_Guarded, HTTPSConnection), {"guard": guard})
    return (type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": plain}),
            type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": tls}))


class GuardedAdapter(HTTPAdapter):
    def __init__(self, guard: Guard, pools: int):
        self._pool_classes = _pool_classes(guard)
        super().__init__(pool_connections=pools, pool_maxsize=8, max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        plain, tls = self._pool_classes
        self.poolmanager.pool_classes_by_scheme = {"http": plain, "https": tls}


def session(guard: Guard, user_agent: str, pools: int = 64) -> requests.Session:
    checked = requests.Session()
    checked.trust_env = False
    checked.headers["User-Agent"] = user_agent
    adapter = GuardedAdapter(guard, pools)
    checked.mount("http://", adapter)
    checked.mount("https://", adapter)
    return checked
