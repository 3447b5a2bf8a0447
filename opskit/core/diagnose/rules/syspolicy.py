"""Rules that read ``tailscale syspolicy list`` (see opskit/core/diagnose/syspolicy.py): the device's effective
system/MDM policy settings. A note, and a warning for each setting the client could not read."""

from __future__ import annotations

from collections.abc import Iterator

from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.syspolicy import SyspolicyListReport
from opskit.core.diagnose.viewkinds import ViewReport
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule

_SHOWN = 8  # settings named in the note; the rest are counted


@rule(
    id="TS-SYSPOLICY-LIST",
    name="syspolicy-list",
    family="tailscale-policy",
    severity=Severity.INFO,
    summary="tailscale syspolicy list: the system/MDM policy settings in force on this device and their origin "
    "(a note)",
    target="cli-view",
)
def syspolicy_list_note(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: an administrator's policy (MDM profile, Group Policy, registry, environment) overrides what the
    user chooses in the client: a setting that "will not change" (exit node, always-on, auto-update, hostname) is
    often set here. ``syspolicy list`` shows each setting, its value and where it comes from.

    *Bad*::

        $ tailscale syspolicy list
        Name                         Origin             Value   Error
        ----                         ------             -----   -----
        AlwaysOn.Enabled             Platform (Device)  true
        ExitNode.AllowOverride       Platform (Device)  false

    *Good*::

        $ tailscale syspolicy list
        No policy settings
        $ tailscale status
        100.64.0.1   laptop   me@   linux   -
    """
    if not isinstance(report, SyspolicyListReport) or not report.settings:
        return
    shown = ", ".join(f"{s.name}={s.value if s.error is None else '(error)'}" for s in report.settings[:_SHOWN]) + (
        f" and {len(report.settings) - _SHOWN} more" if len(report.settings) > _SHOWN else ""
    )
    origins = sorted({s.origin for s in report.settings if s.origin})
    yield ctx.finding(
        f"{ctx.facts.label}: {len(report.settings)} policy setting(s) in force"
        + (f" (from {', '.join(origins)})" if origins else "")
        + f": {shown}. The client cannot override them.",
        "Nothing to fix here. A setting is changed where it comes from: the MDM profile (macOS/iOS), Group Policy "
        "or HKLM\\SOFTWARE\\Policies\\Tailscale (Windows; %ProgramData%\\Tailscale\\syspolicy.json), "
        "/etc/tailscale/syspolicy.json (Linux and other tailscaled, 2026+) or TS_DEBUGSYSPOLICY_* variables; then "
        "`tailscale syspolicy reload`.",
        ctx.facts.evidence(report.settings[0].line),
        title="tailscale syspolicy list",
    )


@rule(
    id="TS-SYSPOLICY-ERROR",
    name="syspolicy-setting-error",
    family="tailscale-policy",
    severity=Severity.WARNING,
    summary="tailscale syspolicy list: a policy setting the client could not read is not applied (its default is used)",
    target="cli-view",
)
def syspolicy_setting_error(report: ViewReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``syspolicy list`` prints ``{error}`` in the Error column when a configured setting could not be
    read, most often a value of the wrong type (a string where a boolean is expected, a number as text):
    ``type mismatch``. tailscaled then uses the setting's default (util/syspolicy getCurrentPolicySettingValue),
    so the policy is not applied as the administrator configured it.

    *Bad*::

        $ tailscale syspolicy list
        Name                         Origin             Value   Error
        ----                         ------             -----   -----
        AdvertiseExitNode            Platform (Device)          {value type mismatch}
        AlwaysOn.Enabled             Platform (Device)  false

    *Good*::

        $ tailscale syspolicy list
        Name                         Origin             Value   Error
        ----                         ------             -----   -----
        AlwaysOn.Enabled             Platform (Device)  false
    """
    if not isinstance(report, SyspolicyListReport):
        return
    for setting in report.failed:
        origin = f" from {setting.origin}" if setting.origin else ""
        yield ctx.finding(
            f"{ctx.facts.label}: the policy setting {setting.name}{origin} could not be read ({setting.error}): "
            "tailscaled ignores it and uses the default, so it is not applied as configured.",
            f"Check the value of {setting.name} where it is set (MDM profile, Group Policy/registry, syspolicy.json): "
            "it must have the type Tailscale's policy documentation gives for it (for example a string such as "
            '"always"/"never"/"user-decides" rather than a boolean, or the reverse); then run `tailscale '
            "syspolicy reload` and list again. If the value is right, the client misreads it: report it with "
            "`tailscale version`.",
            ctx.facts.evidence(setting.line),
            title="policy setting not applied",
        )
