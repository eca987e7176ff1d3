"""Which addresses and URLs the site check may reach: the classifier alone, no connection."""
import pytest

from flows.sitecheck.addresses import UnsafeTarget, check_url, parse_networks, refusal, special_name
from flows.sitecheck.steps import decided_offline

ALLOW_ONE = parse_networks("127.0.0.1/32")


@pytest.mark.parametrize("address, kind", [
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.10", "private"),
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("169.254.169.254", "link-local"), ("169.254.1.1", "link-local"), ("fe80::1", "link-local"),
    ("fd00:ec2::254", "link-local"), ("100.100.100.200", "link-local"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"), ("240.0.0.1", "reserved"),
    ("0.0.0.0", "unspecified"), ("100.64.0.1", "not a public"), ("fc00::1", "private"),
    ("192.0.2.1", "private"), ("::ffff:10.0.0.1", "private"),
    ("::ffff:169.254.169.254", "link-local"), ("64:ff9b::a9fe:a9fe", "link-local"),
    ("2002:a00:1::", "private"),  # 6to4 around 10.0.0.1
])
def test_non_public_addresses_are_refused(address, kind):
    reason = refusal(address)
    assert reason and kind in reason


@pytest.mark.parametrize("address", ["8.8.8.8", "142.250.69.99", "2607:f8b0:4020::2004",
                                     "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert refusal(address) is None


def test_allowed_networks_open_only_what_they_name_and_never_link_local():
    assert refusal("127.0.0.1", ALLOW_ONE) is None
    assert "loopback" in refusal("127.0.0.2", ALLOW_ONE)
    everything = parse_networks("0.0.0.0/0, ::/0")
    assert refusal("10.0.0.1", everything) is None
    assert "link-local" in refusal("169.254.169.254", everything)
    assert "link-local" in refusal("fe80::1", everything)
    with pytest.raises(ValueError, match="TMT_SITECHECK_ALLOW_NETWORKS: 'nope'"):
        parse_networks("127.0.0.1/32, nope")


@pytest.mark.parametrize("url, reason", [
    ("ftp://example.ca/", "scheme 'ftp'"), ("javascript:alert(1)", "scheme 'javascript'"),
    ("file:///etc/passwd", "scheme 'file'"), ("//no-scheme.ca/", r"scheme '\(none\)'"),
    ("https://user:pw@site.ca/", "credentials"), ("https://site.ca/a b", "spaces"),
    ("https://site.ca/\x00", "control"), ("http:///path", "no host"),
    ("https://" + "a" * 3000 + ".ca/", "longer than"), ("http://[::1/", "not a valid URL"),
])
def test_hostile_urls_are_refused(url, reason):
    with pytest.raises(UnsafeTarget, match=reason):
        check_url(url)


def test_fragment_is_dropped():
    assert check_url("  https://site.ca/page#heures ") == "https://site.ca/page"


def test_reserved_names_are_decided_without_the_network():
    assert special_name("jardins.example.org") == special_name("x.test") == "example"
    assert special_name("printer.local") == special_name("localhost") == "private"
    assert special_name("example.org.ca") is None
    assert decided_offline("https://jardins.example.org/", ())[0] == "unreachable"
    assert decided_offline("http://localhost:8080/", ())[0] == "unsafe_target"
    assert decided_offline("http://169.254.169.254/latest/", ())[0] == "unsafe_target"
    assert decided_offline("http://[fd00::1]/", ())[0] == "unsafe_target"
    assert decided_offline("http://127.0.0.1:8000/", ALLOW_ONE) is None  # needs a live check
    assert decided_offline("https://www.canada.ca/fr.html", ()) is None
