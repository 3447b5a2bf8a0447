"""Generated tests for the Windows app's Taildrop fetch failing (blind batch 19: corpus 455).

The Windows app (GUI, the frontend) polls tailscaled's LocalAPI for the files Taildrop received and logs its own
"fetchFiles: <LocalAPI's answer>" when that fails ("fetchFiles: HTTP 500 Internal Server Error: open <file>: The
system cannot find the file specified." in the 1.x GUI log, Go time.Time stamps). tailscaled answered: the
Taildrop receive is what fails (taildrop-failed), not the service, the pipe or the backend.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.diagnose.conftest import cli_kinds, rule_ids, run_text

STAMPS = [
    "2021-07-08 09:59:19.9120281 -0700 PDT: ",
    "2021-07-08 16:59:22.075605 +0000 UTC: ",
    "2022/01/03 10:00:01 ",
    "",
]
STATUSES = ["HTTP 500 Internal Server Error", "500 Internal Server Error"]
MISSING = [
    "open redacted: The system cannot find the file specified.",
    "open C:\\ProgramData\\Tailscale\\files\\photo.jpg: The system cannot find the file specified.",
    "open /var/lib/tailscale/files/a.zip: no such file or directory",
    "open redacted: The system cannot find the path specified.",
]
WRAPS = ["{m}", "```\n{m}\n```", "And now your frontend just says:\n\n```\n{m}\n```"]
NOT_THE_SERVICE = {"service-not-running", "pipe-missing", "no-backend", "backend-error"}


@given(
    st.sampled_from(STAMPS),
    st.sampled_from(STATUSES),
    st.sampled_from(MISSING),
    st.integers(min_value=1, max_value=8),
    st.sampled_from(WRAPS),
)
@settings(max_examples=60, deadline=None)
def test_the_gui_fetching_a_vanished_taildrop_file_is_taildrop_failed(
    stamp: str, status: str, missing: str, repeats: int, wrap: str
) -> None:
    lines = "\n".join(f"{stamp}fetchFiles: {status}: {missing}" for _ in range(repeats))
    text = wrap.format(m=lines) + "\n"
    kinds = cli_kinds(text)
    assert set(kinds) == {"taildrop-failed"}, (kinds, text)
    diagnosis = run_text(text)
    finding = next(f for f in diagnosis.findings if f.rule_id == "TS-CLI-TAILDROP-FAILED")
    assert "inbox" in finding.cause and "Taildrop directory" in finding.fix, finding
    assert not {"TS-WIN-SERVICE-NOT-RUNNING", "TS-WIN-PIPE-MISSING"} & rule_ids(diagnosis)


@given(
    st.sampled_from(STAMPS),
    st.sampled_from(["403 Forbidden: Taildrop disabled; no storage directory", "HTTP 500 Internal Server Error: x"]),
)
@settings(max_examples=8, deadline=None)
def test_any_error_answer_to_the_gui_fetch_is_taildrop_failed(stamp: str, answer: str) -> None:
    kinds = cli_kinds(f"{stamp}fetchFiles: {answer}\n")
    assert kinds and not NOT_THE_SERVICE & set(kinds) and "taildrop-failed" in kinds, kinds
