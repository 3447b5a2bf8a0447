"""Catalogued refusals of `tailscale serve set-config` (cmd/tailscale/cli/serve_v2.go runServeSetConfig): the CLI
read the Services config file and refused one of its endpoints, so nothing of the file was applied.

set-config turns each endpoint of each Service into serve handlers and stops at the first one the CLI refuses,
prefixing the error with the Service: ``service "svc:<name>": <error>``. The errors are serve's own (setServe):
``failed apply web serve: …``, ``failed to apply TCP serve: …``, ``cannot mount a path for TCP serve``,
``invalid type "…"``, and set-config's ``source ports must be TCP``. Like `serve get-config` failing to export
(families_b), they are the Services config file not fitting what serve can hold: ``serve-config-invalid``, each
with its own cause; the same messages without the Service prefix are an interactive `tailscale serve` command's
(families_b: ``serve-failed``).

Until August 2026 (Tailscale's "stop Serve port ranges at 65535") the CLI walked an endpoint's port range with a
16-bit counter: a range ending at 65535 (a lone "tcp:65535" too) wrapped to port 0 and failed as
``invalid port "0"`` although the file is valid.
"""

from __future__ import annotations

from opskit.core.diagnose.cli_catalog import Refusal, catalog_entry
from opskit.core.diagnose.models import CliErrorKind

_SERVE_V2 = "cmd/tailscale/cli/serve_v2.go"
# Typographic quotes and backticks survive pastes in place of Go's ASCII ones.
_Q = "[\"'`\u2018\u2019\u201c\u201d]"
_NOT_Q = "[^\"'`\u2018\u2019\u201c\u201d]"
_SERVICE = rf"service {_Q}(?P<service>svc:{_NOT_Q}+){_Q}: "
_STEP = r"(?P<step>failed (?:to )?apply (?:web|TCP) serve)"
_NOTHING_APPLIED = "set-config stops at the first endpoint it refuses: nothing of the file was applied"


def _entry(pattern: str, cause: str, fix: str, example: str) -> Refusal:
    return catalog_entry(CliErrorKind.SERVE_CONFIG_INVALID, 'service "svc:', pattern, cause, fix, _SERVE_V2, example)


REFUSALS: tuple[Refusal, ...] = (
    _entry(
        _SERVICE + _STEP + rf": (?P<why>invalid port {_Q}0{_Q})",
        "`tailscale serve set-config` refused an endpoint of {service} in the Services config file ({step}: "
        "{why}): the file names no port 0, but this CLI walks an endpoint's port range with a 16-bit counter "
        "that wraps past 65535 to 0, so an endpoint on port 65535 (or a range ending there) always fails. "
        + _NOTHING_APPLIED
        + ".",
        "Serve that port with the command instead (`tailscale serve --service={service} --tcp=65535 …`), or move "
        "the endpoint below 65535 in the file; a Tailscale CLI newer than August 2026 stops the range at 65535.",
        'service "svc:foo": failed apply web serve: invalid port "0"',
    ),
    _entry(
        _SERVICE + r"(?P<problem>failed (?:to )?apply (?:web|TCP) serve: .+|cannot mount a path for TCP serve"
        rf"|invalid type {_Q}{_NOT_Q}*{_Q}|source ports must be TCP)",
        "`tailscale serve set-config` refused the config of {service} in the Services config file: {problem}. "
        + _NOTHING_APPLIED
        + ".",
        'Fix {service} in the file: each "endpoints" entry maps "tcp:<port>" (or a range) to a target '
        "(http://, https+insecure://, tcp://host:port, unix:/path, a file path for file endpoints), one type per "
        "port; compare with `tailscale serve get-config --service={service}`, then rerun set-config.",
        'service "svc:web": failed to apply TCP serve: cannot serve TCP; already serving web on 443 for svc:web',
    ),
)
