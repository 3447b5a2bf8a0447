"""The one address type every family uses: what it accepts, how it normalises, what it refuses and why.

Zone ids and link-local addresses are refused because no target can use them (nginx 1.22.1 and
HAProxy 2.6.12, measured: see opskit/core/spec/types.py); the structural proof that no address value
can add a directive is in test_hostile_specs.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from opskit.core.spec.types import Host, IPAddress, SourceAddress

ADDRESS: TypeAdapter[str] = TypeAdapter(IPAddress)
SOURCE: TypeAdapter[str] = TypeAdapter(SourceAddress)
HOST: TypeAdapter[str] = TypeAdapter(Host)


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("[2001:DB8::10]", "2001:db8::10"),
        ("2001:0db8:0000::0010", "2001:db8::10"),
        ("::ffff:10.0.0.1", "10.0.0.1"),
        ("[::FFFF:0A00:0001]", "10.0.0.1"),
        ("::", "::"),
        ("0.0.0.0", "0.0.0.0"),
        ("FD00::2", "fd00::2"),
    ],
)
def test_every_spelling_of_one_address_becomes_one_text(written: str, normalised: str) -> None:
    assert ADDRESS.validate_python(written) == normalised
    assert SOURCE.validate_python(written) == normalised
    assert HOST.validate_python(written) == normalised


@pytest.mark.parametrize("zoned", ["fe80::1%eth0", "[fe80::1%eth0]", "fd00::2%lo", "::1%1", "fe80::1%25eth0"])
@pytest.mark.parametrize("adapter", [ADDRESS, SOURCE, HOST], ids=["address", "source", "host"])
def test_a_zone_id_is_refused_everywhere_with_the_reason(adapter: TypeAdapter[str], zoned: str) -> None:
    with pytest.raises(ValidationError, match=r"zone ids .* not accepted: nginx 1\.22 refuses them"):
        adapter.validate_python(zoned)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(zone=st.text(min_size=0, max_size=40))
def test_no_zone_text_at_all_is_accepted(zone: str) -> None:
    for adapter in (ADDRESS, SOURCE, HOST):
        with pytest.raises(ValidationError):
            adapter.validate_python(f"fe80::1%{zone}")


@pytest.mark.parametrize("address", ["fe80::1", "FE80::abcd", "febf::1"])
def test_link_local_is_refused_where_a_socket_binds_or_connects(address: str) -> None:
    with pytest.raises(ValidationError, match="link-local"):
        ADDRESS.validate_python(address)
    with pytest.raises(ValidationError, match="link-local"):
        HOST.validate_python(address)


def test_link_local_is_accepted_where_it_is_only_matched_against_a_source() -> None:
    assert SOURCE.validate_python("FE80::1") == "fe80::1"


@pytest.mark.parametrize(
    "bad",
    ["[127.0.0.1]", "[::1", "::1]", "[[::1]]", " ::1", "::1 ", "1.2.3.4\n", "01.2.3.4", "1.2.3", "::1/128", ""],
)
def test_malformed_addresses_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        ADDRESS.validate_python(bad)


def test_a_host_with_a_port_is_told_to_split_it() -> None:
    with pytest.raises(ValidationError, match="carries a port"):
        HOST.validate_python("62.132.105.159:5080")


def test_a_huge_value_is_not_echoed_whole() -> None:
    with pytest.raises(ValidationError) as caught:
        ADDRESS.validate_python("1" * 100_000)
    assert "(100000 characters)" in str(caught.value)
    assert len(str(caught.value)) < 1_000
