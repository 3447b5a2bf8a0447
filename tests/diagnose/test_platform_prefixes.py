"""Generated test: every log catalog's messages under each platform's log viewer or log file prefix.

The source catalogs (services, network/control, servers, start-up) read their messages under the common prefixes
(log_catalog.LOG_PREFIXES). People also paste them from Windows' Event Viewer and PowerShell, the Windows service's
log file, macOS `log show` / Console (with subsystem and category), an iOS sysdiagnose, `brew services`' log,
OpenWrt logread, BusyBox syslogd, Synology's /var/log/messages, FreeBSD/pfSense syslog, `docker logs -t`, `kubectl
logs --prefix` and podman (log_catalog.PLATFORM_PREFIXES): each entry must read the same under them. Each entry runs
under one platform prefix in turn (every prefix gets a share of every catalog); `python -m
tests.diagnose.test_platform_prefixes` runs every entry under every prefix and prints the count per prefix.
"""

from __future__ import annotations

import pytest

from opskit.core.diagnose.daemonlog.grammar import message_of
from opskit.core.diagnose.text import split_lines
from tests.diagnose import (
    test_source_catalog_network_control as network_control,
)
from tests.diagnose import (
    test_source_catalog_servers as servers,
)
from tests.diagnose import (
    test_source_catalog_services as services,
)
from tests.diagnose import (
    test_source_catalog_startup as startup,
)
from tests.diagnose.log_catalog import PLATFORM_PREFIXES, Entry, catalog_test, misreadings, read

# (catalog, the issues that never make a problem there)
CATALOGS: list[tuple[str, list[Entry], frozenset[str]]] = [
    ("services", services.CATALOG, services.NOT_PROBLEMS),
    ("network-control", network_control.CATALOG, network_control.NOT_PROBLEMS),
    ("startup", startup.CATALOG, startup.NOT_PROBLEMS),
    *(
        (name, list(servers.CATALOGS[name][0]), servers.NOT_PROBLEMS)
        for name in ("send-errors", "tun-writes", "ssh-recording", "nas-taildrop")
    ),
]
_NAMES = list(PLATFORM_PREFIXES)

CASES = [
    pytest.param(
        PLATFORM_PREFIXES[_NAMES[index % len(_NAMES)]], item, not_problems, id=f"{_NAMES[index % len(_NAMES)]}-{index}"
    )
    for index, (item, not_problems) in enumerate(
        (item, not_problems) for _, catalog, not_problems in CATALOGS for item in catalog
    )
]

test_catalog_message_reads_the_same_under_a_platform_prefix = catalog_test(CASES)


def _cleaned(line: str) -> str:
    return split_lines(line)[0].text


@pytest.mark.parametrize("name", list(PLATFORM_PREFIXES))
def test_the_prefix_peels_off_to_the_very_message(name: str) -> None:
    """Every catalog message's first line, under the prefix, is read as that message alone (what the recognisers
    see), whatever it starts with."""
    wrong = [
        first
        for _, catalog, _ in CATALOGS
        for messages, _, _ in catalog
        for first in (message.split("\n")[0] for message in messages)
        if message_of(_cleaned(PLATFORM_PREFIXES[name].format(msg=first))).text != message_of(_cleaned(first)).text
    ]
    assert not wrong, wrong[:5]


def _safe_read(prefix: str, messages: tuple[str, ...]) -> tuple[set[str], int]:
    try:
        return read(prefix, messages)
    except Exception:  # "nothing to diagnose": a prefix not read at all
        return {"<nothing read>"}, 2


def per_prefix() -> dict[str, tuple[int, int]]:
    """(entries read right, entries) per platform prefix, every entry of every catalog (a developer's run)."""
    total = sum(len(catalog) for _, catalog, _ in CATALOGS)
    return {
        name: (
            total
            - sum(
                len(misreadings(catalog, (prefix,), not_problems, _safe_read)) for _, catalog, not_problems in CATALOGS
            ),
            total,
        )
        for name, prefix in PLATFORM_PREFIXES.items()
    }


if __name__ == "__main__":
    for name, (right, total) in per_prefix().items():
        print(f"{name}: {right}/{total}")
