"""The constrained types the k8s section relies on reject a trailing newline.

Python's `$` also matches just before a final "\\n": with `re.match(r"^…$")`, "cluster.local\\n" was
accepted as a host name, and the newline then ended a comment line in the rendered config, turning
the rest of that line into live directives (found by test_injection).
"""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from opskit.core.spec.types import AbsPath, DnsLabel, Duration, Hostname, Name, UriPrefix

CASES = [
    (Hostname, "cluster.local"),
    (DnsLabel, "demowms"),
    (Name, "sys"),
    (UriPrefix, "/api/sys/"),
    (AbsPath, "/usr/share/nginx/html"),
]


@pytest.mark.parametrize(("kind", "good"), CASES)
@pytest.mark.parametrize("suffix", ["\n", "\r\n", "\n;", " "])
def test_trailing_line_breaks_and_spaces_are_rejected(kind: object, good: str, suffix: str) -> None:
    adapter: TypeAdapter[str] = TypeAdapter(kind)
    assert adapter.validate_python(good) == good
    with pytest.raises(ValidationError):
        adapter.validate_python(good + suffix)


def test_duration_rejects_an_embedded_line_break() -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        Duration.parse("5s\n5s")
