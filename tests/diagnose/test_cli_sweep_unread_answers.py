"""Three answers the CLI sweep (cli_sweep.py) left unread, as users paste them, read from the source at de9ec7ee2.

- cmd/tailscale/cli/debug.go runLocalAPI (``debug localapi``): a non-2xx answer prints ``# Response status <Status>``
  on stderr, then the body: the LocalAPI refused the request (401 its owner check, 403 this user's access, 503 no
  backend, any other 4xx/5xx the backend's error).
- cmd/tailscale/cli/routecheck.go runRoutecheck: ``routecheck: %w`` wraps client/local RouteCheck's error
  (``error <LocalAPI error>: <body>``): read as that LocalAPI error. The probes' own timeouts land in the report
  (feature/routecheck: unreachable routers), so a deadline in the error is the call to tailscaled.
- cmd/tailscale/cli/tailnet-lock.go runNetworkLockRemove (``--re-sign=false`` on a terminal): a warning, a yes/no
  prompt and, answered no, ``aborting removal of signing key(s)`` with exit 0: the user declined, nothing changed
  (not risk-not-accepted: that is cli/risks.go's ``--accept-risk`` prompt).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opskit.core.diagnose.blocks import split_input
from opskit.errors import InputError
from tests.diagnose.conftest import run_json
from tests.diagnose.test_cli_view_catalog import WRAPPINGS, View, wrapped

STATUSES = (
    ("401 Unauthorized", "not-owner"),
    ("403 Forbidden", "unix-access-denied"),
    ("503 Service Unavailable", "no-backend"),
    ("500 Internal Server Error", "backend-error"),
    ("404 Not Found", "backend-error"),
    ("405 Method Not Allowed", "backend-error"),
    ("400 Bad Request", "backend-error"),
)
_PATHS = ("/localapi/v0/prefs", "/localapi/v0/status", "/localapi/v0/debug-derp-region", "/localapi/v0/logout")


def _kinds(text: str) -> list[str]:
    return [error["kind"] for error in run_json(text)["windows"] or []]


@settings(max_examples=40, deadline=None)
@given(status=st.sampled_from(STATUSES), path=st.sampled_from(_PATHS), how=st.sampled_from(WRAPPINGS))
def test_debug_localapi_refused_is_read_as_the_local_apis_refusal(status: tuple[str, str], path: str, how: str) -> None:
    line, kind = status
    output = f"# doing request GET {path}\n# Response status {line}"
    text = wrapped(View("localapi", f"tailscale debug localapi GET {path}", output, kind), how)
    assert kind in _kinds(text), text


ROUTECHECK = (
    ("routecheck: context deadline exceeded", "deadline-exceeded"),
    ("routecheck: error context deadline exceeded: ", "deadline-exceeded"),
    ("routecheck: error 503 Service Unavailable: no backend: ", "no-backend"),
    (
        "routecheck: error Failed to connect to local Tailscale daemon for /localapi/v0/routecheck; not running? "
        "Error: dial unix /var/run/tailscale/tailscaled.sock: connect: no such file or directory: ",
        "service-not-running",
    ),
)


@pytest.mark.parametrize(("line", "kind"), ROUTECHECK)
@pytest.mark.parametrize("how", WRAPPINGS)
def test_routecheck_reads_the_wrapped_local_api_error(line: str, kind: str, how: str) -> None:
    text = wrapped(View("routecheck", "tailscale routecheck --probe", line.rstrip(), kind), how)
    assert _kinds(text) == [kind], text


_LOCK_REMOVE = (
    "Warning\nRemoval of a signing key(s) without resigning nodes (--re-sign=false)\n"
    "will cause any nodes signed by the given key(s) to be locked out\n"
    "of the Tailscale network. Proceed with caution.\n"
    "Are you sure you want to remove the signing key(s)? [Y/n] n\n"
    "aborting removal of signing key(s)"
)


@pytest.mark.parametrize("how", [how for how in WRAPPINGS if how != "bare"])  # the warning needs its command
def test_a_declined_lock_remove_is_a_routine_answer(how: str) -> None:
    text = wrapped(
        View("lock-remove", "tailscale lock remove --re-sign=false tlpub:2f3a9c1e0b7d", _LOCK_REMOVE, ""), how
    )
    split = split_input(text)
    # routine answers are the cli-answer view since blind batch 35 (lead decision, corpus 1820): one block, no
    # problem, where this paste was "nothing to diagnose" before
    assert [block.kind.value for block in split.blocks] == ["cli-answer"] and not split.skipped, text
    document = run_json(text)
    assert document["summary"]["exit_code"] == 0 and not document["findings"], text
    assert [view["commands"] for view in document["views"]] == [["lock remove"]], text


NOT_REFUSALS = (
    "# Response status 200 OK",  # never printed for a 2xx, and no refusal if it were
    "routecheck: report unavailable",  # no report yet (204): read elsewhere or not at all, never a deadline
)


@pytest.mark.parametrize("line", NOT_REFUSALS)
def test_what_is_no_local_api_refusal_is_not_read_as_one(line: str) -> None:
    try:
        kinds = _kinds(f"$ tailscale debug localapi GET /localapi/v0/prefs\n{line}\n")
    except InputError:
        kinds = []
    assert not {"not-owner", "unix-access-denied", "backend-error", "deadline-exceeded"} & set(kinds)
