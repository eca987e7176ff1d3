"""Which URLs and addresses a check may reach. Every URL is hostile input: it comes from a
spreadsheet anyone can edit, and a page can redirect anywhere.

Refused: schemes other than http and https, credentials in the URL, and any address that is
private, loopback, link-local (cloud metadata services included), multicast, reserved or
otherwise not global. `TMT_SITECHECK_ALLOW_NETWORKS` (empty by default) lets tests reach
part of 127.0.0.0/8; link-local and metadata addresses stay refused whatever it says.
Names reserved for examples and tests (RFC 2606, RFC 6761) are never looked up.
"""
from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Refused even when an allowed network contains them.
ALWAYS_REFUSED = [ipaddress.ip_network(net) for net in (
    "169.254.0.0/16", "fe80::/10",  # link-local, where 169.254.169.254 answers on most clouds
    "fd00:ec2::254/128",  # AWS metadata over IPv6
    "100.100.100.200/32",  # Alibaba Cloud metadata
    "168.63.129.16/32",  # Azure wire server (a public address that only exists in Azure)
)]
# Names that cannot be a real organization's site: no DNS query is ever sent for them.
EXAMPLE_NAMES = ("example", "example.com", "example.net", "example.org", "test", "invalid",
                 "onion")
PRIVATE_NAMES = ("localhost", "local", "internal", "home.arpa", "lan", "intranet")
MAX_URL_LENGTH = 2048
_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")


class UnsafeTarget(Exception):
    """The check must not go there. Not an OSError, so no HTTP layer retries or wraps it."""


def parse_networks(text: str | None, setting: str = "TMT_SITECHECK_ALLOW_NETWORKS"
                   ) -> tuple[Network, ...]:
    """`127.0.0.1/32, 127.0.0.3` → networks; a bad entry raises ValueError naming it."""
    networks = []
    for item in (text or "").replace(";", ",").split(","):
        if item.strip():
            try:
                networks.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError as exc:
                raise ValueError(f"{setting}: {item.strip()!r} is not an "
                                 f"IP network ({exc})") from exc
    return tuple(networks)


def refusal(address: str | IPAddress, allowed: tuple[Network, ...] = ()) -> str | None:
    """Why this address may not be connected to, or None when it may."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo or (None, None))[1]
        if embedded is not None:  # ::ffff:10.0.0.1 reaches 10.0.0.1
            return refusal(embedded, allowed)
        if ip in ipaddress.ip_network("64:ff9b::/96"):  # NAT64: the IPv4 is in the low bits
            return refusal(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), allowed)
    if ip.is_link_local or any(ip in net for net in ALWAYS_REFUSED):
        return f"{ip} is link-local (or a cloud metadata address)"
    if any(ip.version == net.version and ip in net for net in allowed):
        return None
    for kind in ("loopback", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return f"{ip} is a {kind} address"
    if not ip.is_global:
        return f"{ip} is not a public address"
    return None


def special_name(host: str) -> str | None:
    """'example' or 'private' for reserved names (never looked up), else None."""
    name = host.lower().rstrip(".")
    for kind, suffixes in (("example", EXAMPLE_NAMES), ("private", PRIVATE_NAMES)):
        if any(name == suffix or name.endswith("." + suffix) for suffix in suffixes):
            return kind
    return None


def check_url(url: str) -> str:
    """The URL cleaned for fetching (fragment dropped), or UnsafeTarget saying why not."""
    text = url.strip()
    if len(text) > MAX_URL_LENGTH:
        raise UnsafeTarget(f"URL longer than {MAX_URL_LENGTH} characters")
    if _SPACE_OR_CONTROL.search(text):
        raise UnsafeTarget("URL contains spaces or control characters")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise UnsafeTarget(f"not a valid URL ({exc})") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsafeTarget(f"scheme {parts.scheme or '(none)'!r} is not http or https")
    if not parts.hostname:
        raise UnsafeTarget("no host name")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget("credentials in the URL")
    if port == 0:
        raise UnsafeTarget("port 0")
    return text.split("#", 1)[0]
