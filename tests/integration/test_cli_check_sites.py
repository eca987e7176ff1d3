"""`tmt check-sites` as a user runs it: help, and bad settings as one line before any flow."""
from __future__ import annotations

from tests.integration.test_cli import tmt


def test_help_explains_live_and_offline():
    result = tmt("check-sites", "--help")
    assert result.returncode == 0 and "usage: tmt check-sites" in result.stdout
    assert "--live" in result.stdout and "--offline" in result.stdout


def test_bad_guide_file_is_one_line_and_non_zero(tmt_home, tmp_path):
    guide = tmp_path / "guide.yaml"
    guide.write_text("sections:\n  - id: Droits\n    sources: {fr: [https://x.ca/]}\n")
    result = tmt("check-sites", env={"TMT_GUIDE_SOURCES": str(guide)}, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"tmt: error: {guide}: section 1: `id` must be lowercase "
                                     "letters, digits and hyphens")


def test_bad_allowed_network_is_one_line_and_non_zero(tmt_home):
    result = tmt("check-sites", "--live", env={"TMT_SITECHECK_ALLOW_NETWORKS": "127.0.0.300"},
                 timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().startswith(
        "tmt: error: TMT_SITECHECK_ALLOW_NETWORKS: '127.0.0.300' is not an IP network")
    assert len(result.stderr.strip().splitlines()) == 1
