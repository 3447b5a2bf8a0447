"""Rules for the Windows CLI ↔ tailscaled errors (LocalAPI ownership, named pipe, backend)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from opskit.core.diagnose.lazyre import LazyPattern, lazy_compile
from opskit.core.diagnose.models import CliError, CliErrorKind, CliErrorReport
from opskit.core.diagnose.relayedoutput import relayed_state
from opskit.core.diagnose.rules.facts import DiagnoseContext
from opskit.core.diagnose.rules.status import health_advice
from opskit.core.diagnose.text import hide_keys
from opskit.core.diagnose.windows import (
    API_KEY_REFUSED,
    APPLE_ALERT_CANNOT_CONNECT,
    CERT_NAME_HINT,
    ENGINE_STOPPED,
    GUI_FETCH_FILES_FAILED,
    LOCALAPI_NOT_HTTP,
    NOT_A_NODE_AUTH_KEY,
    PACKAGE_MANAGER_INSTALL_FAILED,
    SYSTEMD_UNIT_NOT_RUNNING,
    WINDOWS_INSTALLER_FAILED,
    WINDOWS_INSTALLER_SERVICE_FAILED,
    WINDOWS_SERVICE_STOPPED,
    cli_backend_state,
    configure_host_step,
    dsm_version_quoted_kernel,
    embedding_program,
    missing_peer_address,
    normalise_error_text,
    requested_tags,
    unavailable_subcommand,
)
from opskit.core.findings import Finding, Severity
from opskit.core.rules import rule

STATE_FILE = r"C:\ProgramData\Tailscale\server-state.conf"
STATEDIR_NOTE = (
    "About `tailscaled.exe --statedir=C:\\ProgramData\\Tailscale` (the usual forum advice): Tailscale's "
    "sources do not confirm it as a fix for this error. A tailscaled started by hand without flags already "
    f"uses {STATE_FILE}; --statedir only changes where state, certificates and Taildrop files live, which "
    "matters when a hand-started daemon would otherwise write under another account's profile. Starting "
    "tailscaled by hand 'works' only because whoever starts it becomes the owner, and it then competes "
    "with the Tailscale service; prefer the fixes above."
)


def _errors(report: CliErrorReport, kind: CliErrorKind) -> list[CliError]:
    return [e for e in report.errors if e.kind is kind]


_Causes = tuple[tuple[re.Pattern[str] | LazyPattern, str, str], ...]


def _emit_first_cause(
    kind: CliErrorKind, causes: _Causes, default: tuple[str, str], report: CliErrorReport, ctx: DiagnoseContext
) -> Iterator[Finding]:
    """One finding for all errors of ``kind``: the cause and fix of the first of ``causes`` whose pattern one of
    their lines holds (the wording says why), else ``default``."""
    found = _errors(report, kind)
    if not found:
        return
    lines = [e.line.text.strip() for e in found]
    cause, fix = next(((c, f) for pattern, c, f in causes if any(pattern.search(line) for line in lines)), default)
    if found[0].explanation is not None:  # a catalogued refusal (cli_catalog/) says its own cause and fix
        cause, fix = found[0].explanation
    yield ctx.finding(f"{ctx.facts.label}: {cause}", fix, ctx.facts.evidence(*(e.line for e in found[:3])))


def _identity_kind(name: str) -> str:
    if re.match(r"^S-1-\d+(?:-\d+)+$", name):
        return "sid"
    if name.upper() in ("NT AUTHORITY\\SYSTEM", "SYSTEM", "LOCALSYSTEM"):
        return "system"
    return "account"


@rule(
    id="TS-WIN-NOT-OWNER",
    name="win-not-owner",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="LocalAPI refused: tailscaled belongs to another identity",
    target="windows",
)
def not_owner(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: on Windows tailscaled serves one user at a time. ``CheckIPNConnectionAllowed`` admits a
    LocalAPI caller only if it is that current user (or LocalSystem, since v1.58); Unattended Mode
    ("server mode") just pins the owner. Elevation does not change identity: ``ADMIN01\\Administrator``,
    ``DOMAIN\\user`` and ``NT AUTHORITY\\SYSTEM`` are different callers, so "run as administrator"
    does not help.

    *Bad*::

        PS C:\\> tailscale status
        failed to connect to local tailscaled (which appears to be running as tailscaled.exe, pid 3440). Got error: 401 Unauthorized: Tailscale running in server mode ("PC01\\\\alice"); connection from "PC01\\\\bob" not allowed

    *Good*::

        PS C:\\> tailscale status
        failed to connect to local tailscaled (which appears to be running as tailscaled.exe, pid 11700). Got error: 503 Service Unavailable: no backend
    """
    for error in _errors(report, CliErrorKind.NOT_OWNER):
        owner = error.owner or "another account"
        caller = error.caller or report.whoami
        caller_text = f'"{caller}"' if caller else "your account"
        kind = _identity_kind(owner)
        who = f'tailscaled belongs to "{owner}", the CLI ran as {caller_text}'
        if error.truncated:
            who += " (the message is cut off inside a name; it may be incomplete)"
        if error.caller and report.whoami and report.whoami.lower() == error.caller.lower():
            who += "; your pasted `whoami` confirms the caller"
        elif not error.caller and report.whoami:
            who += " (caller taken from your pasted `whoami`)"
        standing = [
            x
            for x in (
                "elevated" if report.elevated else "",
                "in Administrators" if report.admin_member else "",
            )
            if x
        ]
        if standing:
            who += f". You are {' and '.join(standing)}, but that is not ownership"
        authorities = {name.split("\\", 1)[0].upper() for name in (owner, caller or "") if "\\" in name}
        if len(authorities) == 2:
            who += f" (two different accounts: {' vs '.join(sorted(authorities))})"
        causes = [
            f'tailscaled is {error.mode or "in use"} for "{owner}"; on Windows the LocalAPI admits only that '
            "identity or LocalSystem. Running elevated or as another administrator is a different identity",
            "the owner account was deleted or renamed (the message then shows a SID), leaving a stale owner "
            "in the state file",
            "a tailscaled.exe was started by hand by another user, next to or instead of the Tailscale service",
        ]
        if kind == "sid":
            causes.insert(0, causes.pop(1))  # a bare SID means the name lookup failed: stale owner first
        if kind == "system":
            causes[0] = f'tailscaled reports itself in use by "{owner}" (a SYSTEM-context session, #17875)'
        elif error.mode == "already in use" and kind == "account":
            causes[0] = (
                f'"{owner}" is using Tailscale in another Windows session (typically its tray app, kept '
                "alive by fast user switching or an RDP session); the daemon serves one user at a time and "
                "the LocalAPI admits only that user or LocalSystem"
            )
        fixes = [
            f'run the CLI as "{owner}" (sign in as that account, or `runas /user:{owner} "tailscale status"`)'
            if kind == "account"
            else "run the CLI as LocalSystem (`psexec -s tailscale status`), always admitted since v1.58",
            *(
                [f'sign out "{owner}"\'s other session or quit its Tailscale tray app, then retry']
                if error.mode == "already in use" and kind == "account"
                else []
            ),
            f'as "{owner}": turn off Unattended Mode (`tailscale set --unattended=false`) or '
            f"`tailscale logout`, then log in as {caller_text}",
            "make sure only the Tailscale service runs tailscaled (`sc query Tailscale`; stop any "
            "tailscaled.exe started by hand)",
            f"only if the owner no longer exists: stop the Tailscale service, back up {STATE_FILE}, remove "
            "its `server-mode-start-key` entry, start the service again (workaround from "
            "tailscale/tailscale#13609)"
            + (
                "; for a SYSTEM owner that survives this, a reinstall was reported to clear it (#17875)"
                if kind == "system"
                else ""
            ),
        ]
        cause_lines = "\n".join(f"  {i}. {c}." for i, c in enumerate(causes, 1))
        fix_lines = "\n".join(f"  {i}. {f}." for i, f in enumerate(fixes, 1))
        yield ctx.finding(
            f"{who}.\nCauses, most likely first:\n{cause_lines}",
            f"In order of safety:\n{fix_lines}\n{STATEDIR_NOTE}",
            ctx.facts.evidence(error.line, report.whoami_line),
            title=f'tailscaled belongs to "{owner}", not to {caller_text}',
            owner=error.owner,
            caller=caller,
            caller_from="error message" if error.caller else ("whoami" if report.whoami else None),
            mode=error.mode,
            tailscaled_pid=error.pid,
            truncated=error.truncated,
        )


_SIMPLE_TEXT: dict[CliErrorKind, tuple[str, str]] = {
    CliErrorKind.PIPE_MISSING: (
        "tailscaled.exe is running but its LocalAPI named pipe "
        r"\\.\pipe\ProtectedPrefix\Administrators\Tailscale\tailscaled does not exist: the daemon's "
        "listener died (a known 1.52.0 regression, #10025). This is not a permissions problem.",
        "Restart the Tailscale service (`Restart-Service Tailscale` in an elevated PowerShell); if it "
        "recurs, "
        "upgrade Tailscale.",
    ),
    CliErrorKind.PIPE_ACCESS_DENIED: (
        "tailscaled could not create its protected named pipe (Access is denied): it was started by a "
        "non-elevated user. Only an elevated process or LocalSystem may create it (#10321).",
        "Do not start tailscaled.exe by hand; start the Tailscale service (`Start-Service Tailscale`), which "
        "runs as LocalSystem. If you must run it by hand for debugging, use an elevated console.",
    ),
    CliErrorKind.NO_BACKEND: (
        "tailscaled is running and answered, but its backend never initialised (503 no backend, #13494, "
        "#9653): the daemon is broken inside, not refusing you. Permissions are not the issue.",
        "Read the service log (C:\\ProgramData\\Tailscale\\Logs or the Event Viewer) for the start-up error; "
        "restart the service; if it persists, repair/reinstall Tailscale.",
    ),
    CliErrorKind.DEADLINE: (
        "the CLI reached tailscaled's LocalAPI but got no answer in time (context deadline exceeded, "
        "#14077): "
        "the daemon is hung or still starting.",
        "Wait a minute and retry; if it persists restart the Tailscale service and check its log for what "
        "blocks start-up (DNS, firewall drivers, a stuck network adapter).",
    ),
    CliErrorKind.DOMAIN_TRUST: (
        "tailscaled could not look up your user because the machine's trust relationship with the domain "
        "failed (DC unreachable or machine account broken, #2177). It cannot decide whether you are the "
        "owner.",
        "Restore domain connectivity (VPN/line of sight to a DC) or repair the machine account "
        "(`Test-ComputerSecureChannel -Repair`); then retry.",
    ),
    CliErrorKind.SERVICE_NOT_RUNNING: (
        "the CLI found no reachable tailscaled: the Tailscale service is not running (or tailscaled stopped "
        "when the last GUI client disconnected, because Unattended Mode is off).",
        "Start the service (`Start-Service Tailscale`) and set it to Automatic; if it stops whenever the "
        "tray "
        "app closes, enable Unattended Mode (`tailscale up --unattended`).",
    ),
    CliErrorKind.GUI_CANNOT_CONNECT: (
        "the Tailscale GUI cannot talk to the service, or the service is in use by another Windows user "
        "(single-user daemon).",
        "Check the Tailscale service is running; if another user owns it, sign in as that user or have them "
        "log out / turn off Unattended Mode.",
    ),
    CliErrorKind.VERSION_MISMATCH: (
        "the CLI and tailscaled are different versions: a leftover tailscale.exe on PATH or a half-finished "
        "upgrade. Mixed versions misreport errors.",
        "Run the tailscale.exe from the installed Tailscale folder, or finish/repeat the upgrade so both match.",
    ),
    CliErrorKind.UNIX_ACCESS_DENIED: (
        "on Linux/macOS the LocalAPI refuses non-root users that are not the configured operator.",
        "Use `sudo tailscale …`, or once `sudo tailscale set --operator=$USER` to allow your user.",
    ),
    CliErrorKind.BACKEND_ERROR: (
        "the GUI shows 'Tailscale backend error': the service is running and its backend answered, but "
        "with an error it could not get past (typically creating the Tailscale network adapter, a registry "
        "or driver problem left by another VPN, or a frontend/backend version mismatch).",
        "Read the text after 'backend error:' (the cause); update Tailscale; remove leftover TUN/TAP or "
        "other VPN adapters; then restart the Tailscale service. The service itself is not the problem.",
    ),
    CliErrorKind.UP_FLAGS_REQUIRED: (
        "`tailscale up` refused and changed nothing: with any flag, `up` takes the flags as the complete set "
        "of settings, so a setting made earlier (a previous `up`, `tailscale set`, the GUI, an add-on's "
        "options, or a default that changed with an upgrade, e.g. --stateful-filtering in 1.66.4) would be "
        "silently reset, and it refuses instead. Tailscale itself is not broken.",
        "Rerun with the command the CLI printed under the message (it restates every current non-default "
        "setting; drop the ones you want gone and add --reset), or change one setting with `tailscale set "
        "--<flag>=<value>`, which leaves the others alone. In an add-on or container, fix the option list "
        "(or enable its 'reset' option once) so the `up` it runs matches the stored settings.",
    ),
    CliErrorKind.GUI_FAILED_TO_START: (
        'the macOS CLI could not start or reach the Tailscale app ("The Tailscale GUI failed to start", '
        "Tailscale.CLIError): the CLI bundled with Tailscale.app talks to the daemon through the app and "
        "its network extension, so it fails when the app is not running in your login session, when another "
        "sandboxed app or a launchd job outside the user session runs it, or when the app's preferences "
        "cannot be loaded.",
        "Open Tailscale.app (connected) in the same user session, then run the CLI from a Terminal as that "
        "user (`/Applications/Tailscale.app/Contents/MacOS/Tailscale status`); from scripts or other apps "
        "run it in the user's session (`launchctl asuser $(id -u) …`); if it persists, reinstall the app "
        "or use the open-source tailscaled build.",
    ),
    CliErrorKind.AUTH_KEY_REJECTED: (
        'the coordination server refused the auth key passed to `tailscale up` ("invalid key"): a one-off '
        "key that was already used, an expired or revoked key, a key of another tailnet, an API or OAuth "
        "credential where an auth key belongs, or with Headscale a pre-auth key it does not know (another "
        "server, deleted user, or a key quoted/prefixed wrongly by a wrapper). The node stays logged out.",
        "Create a new auth key (reusable if several nodes or restarts use it) and pass it exactly, e.g. "
        "`tailscale up --auth-key=tskey-auth-…`; with Headscale: `headscale preauthkeys create --user <user>` "
        "and `tailscale up --login-server=<url> --auth-key=<key>`. Once the node is in, remove the key from "
        "scripts or add-on options so restarts do not replay a spent key.",
    ),
    CliErrorKind.CLI_USAGE: (
        "the tailscale CLI rejected its own command line, so the command never ran: an unknown or misspelt "
        "flag (flags are dashed: --login-server, not -login_server), a flag and its value passed as ONE "
        'argument by a wrapper (systemd/NixOS extraUpFlags ["--login-server https://…"], TS_EXTRA_ARGS '
        "quoted whole), a flag given twice (refused since 1.84), or a value it cannot parse (an empty route "
        '"/").',
        "Run `tailscale up --help` (or the subcommand's) for the exact flag names; write each flag as "
        "`--name=value`; in wrappers put one flag per list item or environment word, and do not repeat a "
        "flag the wrapper already sets (hostname, auth key).",
    ),
    CliErrorKind.EXIT_NODE_REFUSED: (
        "the exit node setting was refused: no node with that address or name is in this node's netmap "
        "(a public IP given instead of the 100.x address, a name that is not unique, a node hidden by ACLs "
        "or not shared), the node does not offer itself as an exit node (not advertised or not approved), or "
        "this platform does not allow using one (the Home Assistant add-on).",
        "List what this node may use with `tailscale exit-node list` and pass its 100.x IP or name; on the "
        "exit node run `tailscale set --advertise-exit-node` and approve it in the admin console (Headscale: "
        "approve its 0.0.0.0/0 and ::/0 routes); on Home Assistant use another device as the client.",
    ),
    CliErrorKind.EXIT_NODE_NOT_ADVERTISED: (
        "this node does not offer itself as an exit node (the admin console's route settings, or a front end "
        "quoting them: 'does not advertise itself as an exit node'), so it cannot be enabled or chosen as one; "
        "nothing failed and the node itself is fine, it was only never told to advertise the default routes.",
        "On this node run `tailscale set --advertise-exit-node` (or add --advertise-exit-node to the `tailscale up` "
        "a wrapper or plugin runs; Linux: enable IP forwarding), then approve it as an exit node in the admin "
        "console's route settings (Headscale: approve its 0.0.0.0/0 and ::/0 routes) and pick it on the clients.",
    ),
    CliErrorKind.FUNNEL_UNAVAILABLE: (
        "Funnel is not available to this node: it needs HTTPS certificates enabled for the tailnet, MagicDNS, "
        "the `funnel` node attribute granted to this node in the policy file (a tagged node must be matched "
        "by its tag, not autogroup:member), and incoming connections allowed (shields-up off).",
        'Enable HTTPS in the admin console (DNS page), add a nodeAttrs entry with attr "funnel" whose target '
        "matches this node, turn shields-up off, then retry; 1.50.0 had a bug reading these (fixed in "
        "1.50.1).",
    ),
    CliErrorKind.TLS_INTERCEPTED: (
        "HTTPS to the coordination server failed certificate verification (x509): something between this "
        "machine and the server presents its own certificate — TLS-inspecting security software, a corporate "
        "proxy or firewall, a captive portal — so login and the control connection cannot work. (With a "
        "Headscale server, its own certificate may simply not be trusted or not match the name.)",
        "Test from another network; exempt controlplane.tailscale.com, login.tailscale.com, log.tailscale.com "
        "and the DERP servers from TLS inspection (or your Headscale URL); with Headscale use a certificate "
        "for its exact host name from a CA the clients trust.",
    ),
    CliErrorKind.LOGIN_URL_UNROUTABLE: (
        "the login URL `tailscale up`/`login` printed is on 0.0.0.0 or loopback: the control server's configured URL "
        "is its listen address (Headscale's server_url), so no browser elsewhere can open it.",
        "Set Headscale's `server_url` to the URL clients use, restart it and log in again; meanwhile register the node "
        "on the server: `headscale nodes register --user <user> --key <id>`.",
    ),
    CliErrorKind.LOGIN_SERVER_MISMATCH: (
        "`tailscale up`/`login` named one control server with --login-server, but printed a login URL of another: "
        "the daemon did not switch and still uses its old control URL.",
        "Do not open that URL. Run `tailscale logout`, then `tailscale up --login-server=<server> --force-reauth`; "
        "check `tailscale debug prefs` (ControlURL) and that no system policy sets LoginURL.",
    ),
    CliErrorKind.CONTROL_UNREACHABLE: (
        "logging in failed before it started: the coordination server's front end answered HTTP 502 "
        '"backend not found or not available" (it found no control server behind it for this request: '
        "a server-side condition, usually passing, which tailscaled retries with back-off; less often a "
        "proxy, filtering DNS or VPN on this network answering in its place, or a Headscale reverse proxy "
        "without its upstream). tailscaled itself runs (the error came back through it): nothing is wrong "
        "with this install, and the Tailscale service needs no self-hosted backend.",
        "Wait a few minutes and retry (`tailscale up`); check status.tailscale.com; if it persists, check "
        "what answers from this network (`curl -sv https://controlplane.tailscale.com/key?v=71` should reach "
        "Tailscale with a valid certificate), try another network or turn off a filtering DNS/proxy/VPN; with "
        "Headscale, check the reverse proxy's upstream and that `--login-server` points at it.",
    ),
    CliErrorKind.SSH_SERVER_UNSUPPORTED: (
        "`--ssh` was refused and nothing changed: this build of Tailscale cannot run the Tailscale SSH server "
        "(the sandboxed macOS GUI builds, App Store and standalone, do not include it; Synology and QNAP "
        "packages, Windows and other platforms without it say so too, and TS_DISABLE_SSH_SERVER disables it). "
        "Connecting out with `tailscale ssh` still works; only serving SSH here does not.",
        "Leave --ssh off on this node (drop it from the `up`/`set` command). To accept SSH here, on macOS "
        "install the open-source tailscaled variant (`brew install tailscale`, `sudo tailscaled "
        "install-system-daemon`) instead of the app, or enable the OS's own sshd (Remote Login) and connect "
        "over the tailnet address.",
    ),
    CliErrorKind.DAEMON_CONNECTION_RESET: (
        "tailscaled accepted the CLI's LocalAPI request and then dropped the connection before answering "
        "(EOF / connection reset by peer): the daemon (or the macOS network extension) crashed, was killed "
        "(out of memory, a watchdog, a service manager restart) or restarted in the middle of the command. "
        "It was running when the command started.",
        "Look at tailscaled's log around that moment for a panic or the reason it exited (`journalctl -u "
        "tailscaled -b`, `logread | grep tailscale`, the macOS Console); check free memory on small routers "
        "(`dmesg | grep -i oom`); restart tailscaled and rerun the command; update if it crashes repeatedly.",
    ),
    CliErrorKind.CLI_PANIC: (
        "the tailscale CLI itself crashed (a Go panic printed under the command, or whose goroutine trace runs "
        "in the CLI's code, cmd/tailscale/cli; or the macOS/iOS app's Swift CLI trapping with "
        "`<file>.swift:<line>: Fatal error: …`, which the shell reports as `Trace/BPT trap: 5`): a "
        "bug in this CLI version, hit on the way to its answer, so the command printed nothing usable and "
        "nothing about the network or the peers can be read from it. tailscaled is not the one that crashed.",
        "Update Tailscale (CLI and daemon together) and rerun the command; if it still panics, search or open "
        "an issue at https://github.com/tailscale/tailscale/issues with the whole trace and `tailscale "
        "version`; meanwhile read the same facts another way (`tailscale status`, `tailscale debug netmap`, "
        "the daemon's log). The macOS app's CLI is the app binary itself: run it as "
        "/Applications/Tailscale.app/Contents/MacOS/Tailscale (or the `tailscale` the app's settings install), "
        "not a copy or a symlink elsewhere, which leaves it unable to tell which app bundle it belongs to.",
    ),
    CliErrorKind.CLI_INTERRUPTED: (
        "the command (usually `tailscale up`) was interrupted while it waited for tailscaled: the v0.98-v1.6 "
        "CLI closes its own socket on Ctrl-C or SIGTERM, and its pending read then ends 'use of closed network "
        "connection'. tailscaled did not drop the connection and was running; the problem is why the command "
        "hung: `up` printed no login URL and never saw the node start, which usually means tailscaled cannot "
        "reach the coordination server (a host that gets out only through an HTTP proxy, a firewall, no DNS) "
        "or a login URL it printed was not opened.",
        "Run the command again and wait; if it hangs, read tailscaled's log (`journalctl -u tailscaled`) for "
        "why it cannot reach control (give tailscaled the proxy: HTTPS_PROXY in /etc/default/tailscaled, then "
        "restart it) and update Tailscale: current versions print the login URL and their errors.",
    ),
    CliErrorKind.DERPMAP_FETCH_FAILED: (
        "`tailscale netcheck` produced no report: tailscaled had no DERP map to give it (the node is not "
        "logged in or has no netmap yet), and the CLI's own fetch of the default map from the coordination "
        "server failed, so nothing was measured. Nothing about UDP, NAT or DERP latency can be read from it; "
        "the error after 'failed:' is why this machine cannot reach controlplane.tailscale.com (a DNS lookup "
        "on [::1]:53 with nothing listening means the CLI has no resolver, as on Android shells).",
        "Log the node in first (`tailscale up`, then rerun netcheck: it uses tailscaled's DERP map); fix what "
        "the error names (DNS: give the shell a resolver or use the app's netcheck; a timeout: a firewall or "
        "proxy blocks controlplane.tailscale.com); with a custom control server, netcheck needs the node logged "
        "in to it.",
    ),
    CliErrorKind.SWITCH_FAILED: (
        "`tailscale switch` did not switch login profiles: no profile matches the name given, or tailscaled "
        "refused the switch (not root or the operator, a profile removed meanwhile), or the new profile did not "
        "settle in time.",
        "List the profiles with `tailscale switch --list` and use a name or ID from it; run as root or the "
        "operator (`sudo tailscale set --operator=$USER` once); add an account with `tailscale login`.",
    ),
    CliErrorKind.UPDATE_FAILED: (
        "updating Tailscale from the CLI failed or was refused (`tailscale update`, `tailscale set "
        "--auto-update`, `tailscale version --upstream`): this install cannot update itself, or the package "
        "manager step it ran failed.",
        "Update Tailscale the way it was installed (apt/dnf/apk/pkg, Homebrew, the NAS package center, the "
        "container image, the app store) and read the package manager's own error.",
    ),
    CliErrorKind.SERVE_NOT_ENABLED: (
        "`tailscale serve` (or `funnel`) stopped before serving anything: Serve and the HTTPS certificates it "
        "needs are not enabled for this tailnet, so this node lacks the HTTPS capability. The coordination "
        "server answered with the link that enables it; nothing is wrong with the backend or the network.",
        "Open the URL the CLI printed (https://login.tailscale.com/f/serve?node=…) as a tailnet admin and "
        "enable Serve/HTTPS, or enable HTTPS certificates in the admin console (DNS page: MagicDNS and HTTPS "
        "Certificates); then rerun the same `tailscale serve` command.",
    ),
    CliErrorKind.CONFIG_FILE_LOCKED: (
        "tailscaled was started from a declarative config file (`tailscaled --config=…`) that locks its "
        "preferences, so it refuses every change made with `tailscale set`, `up` or `serve`: the daemon is "
        "running and answered, and nothing changed.",
        'Put the setting in the config file instead (e.g. `"AdvertiseExitNode": true` or '
        '`"AdvertiseRoutes"`), or set `"Locked": false` in it to allow CLI changes, then restart '
        "tailscaled (`sudo systemctl restart tailscaled`).",
    ),
    CliErrorKind.GITHUB_ACTION_UP_FAILED: (
        "the GitHub Action's `tailscale up` failed on every attempt: the up command itself was refused (usually the "
        "login with the action's auth key, OAuth client or workload identity), and the action prints only the "
        "command's exit code, not tailscale's message. The runner never joined the tailnet.",
        "Re-run the job with debug logging (ACTIONS_STEP_DEBUG=true) to see tailscale's own error; check the auth "
        "key, or the OAuth client's auth_keys scope and its tags (owned in tagOwners), or the federated identity's "
        "subject.",
    ),
    CliErrorKind.IDP_TAGGED_NODE_REFUSED: (
        "tsidp refused the login because it came from a tagged device, which has no user identity to put in the "
        "token: the application signing in reports an authentication failure. Not a network problem.",
        "Sign in from a user-owned, untagged device, or remove the tag from the device you sign in from.",
    ),
    CliErrorKind.HEADSCALE_REGISTER_FAILED: (
        "Headscale refused to register the node (no pending registration for the key, a key/ID of another form than "
        "this Headscale version wants, or no such user); the Tailscale client is fine and waits for the approval.",
        "Make Headscale's server_url the URL clients use, run `tailscale up --login-server <url>` again and "
        "register the fresh key promptly.",
    ),
    CliErrorKind.NAS_WEB_UI_AUTH_FAILED: (
        "the Tailscale NAS package's web UI could not check your NAS login with the NAS's own login service "
        "(QTS's authLogin.cgi): tailscaled is not involved.",
        "Open the app from the NAS desktop as an administrator, over HTTP or with QTS's 'Force secure connection "
        "(HTTPS) only' off, and update the Tailscale package.",
    ),
    CliErrorKind.BLOCKED_BY_POLICY: (
        "tailscaled refused the change because the device's system policy (MDM profile, Group Policy or a policy "
        "file) manages it; this user's permissions are not the cause. Nothing changed.",
        "Ask whoever manages this device's Tailscale policy to change or lift the setting; `tailscale syspolicy "
        "list` shows the settings in force and where they come from. sudo or an elevated prompt does not help.",
    ),
    CliErrorKind.ADDRESS_FAMILY_MISSING: (
        "`tailscale ip` found no tailnet address of the family asked for: the node is on the tailnet, but the "
        "control server gave it (or the peer named) addresses of the other family only. Nothing failed.",
        "Ask for the family it has (`tailscale ip` lists every address) or use its MagicDNS name.",
    ),
    CliErrorKind.CLI_IS_DAEMON: (
        "the program the shell ran as `tailscale` is tailscaled, the daemon, not the CLI: it takes only flags, so it "
        "refused the command's words and exited. Usually a stray install earlier in PATH (a forgotten Nix, Homebrew "
        "or static-binary copy), a copy or link of tailscaled under another name, or a combined tailscale/tailscaled "
        "binary (built with ts_include_cli) not named `tailscale`. The command did not run; nothing reached the "
        "running daemon.",
        "Find which program runs: `type -a tailscale` (every `tailscale` in PATH, in order; then `readlink -f "
        "$(command -v tailscale)`); call the real CLI by its path (e.g. `/usr/bin/tailscale up …`) or remove the stray install "
        "or link from PATH (`hash -r` after). A combined binary runs as the CLI only when named `tailscale` (or with "
        "TS_BE_CLI=1).",
    ),
    CliErrorKind.TAILDROP_TARGET_OFFLINE: (
        "`tailscale file cp`'s target is offline or not replying: the send waits for it and fails if it never answers.",
        "Bring the target online (`tailscale status`, `tailscale ping <target>`), then send again.",
    ),
    CliErrorKind.RISK_NOT_ACCEPTED: (
        "the tailscale CLI stopped before a risky change (`down`/`up`/`set` over a Tailscale or Tailscale SSH "
        "session that the change would cut, a macOS app connector) and asks to confirm; answered no, or run "
        "where nobody could answer (a script, no terminal), it printed 'aborted, no changes made': nothing changed.",
        "Answer `y` at the `Continue?` prompt, or rerun the same command with `--accept-risk=<type>` (the type it "
        "names: `lose-ssh`, `mac-app-connector`, or `all`) when the risk is understood: from an SSH session, "
        "have another way in (console, a non-Tailscale address) before cutting the one you are on.",
    ),
    CliErrorKind.DNS_QUERY_FAILED: (
        "`tailscale dns query` / `tailscale dns status` got no answer from tailscaled's DNS: the node is not "
        "connected (no netmap), has no DNS manager, or the resolver failed.",
        "Bring the node up (`tailscale up`, `tailscale status`), then retry; run the query as root or the "
        "operator; check the tailnet's DNS settings in the admin console.",
    ),
    CliErrorKind.INSTALL_FAILED: (
        "installing or updating Tailscale failed before it ran: Tailscale is installed here as a systemd system "
        "extension (a sysext image merged over /usr by systemd-sysext.service, as the Steam Deck/SteamOS install "
        "scripts, Flatcar and atomic desktops do) and systemd-sysext.service failed to merge it, so this run "
        "installed or updated nothing and started no tailscaled. Its journal says why (often an extension still "
        "merged: 'Hierarchy /usr is already merged'; or an image whose extension-release does not match the OS "
        "after an OS update).",
        "Read `journalctl -xeu systemd-sysext.service`; if an extension is still merged, run `sudo systemd-sysext "
        "unmerge` (or `sudo systemd-sysext refresh`), check `systemd-sysext status`, then re-run the installer "
        "(after a SteamOS update, re-run it so the extension matches the new OS version).",
    ),
    CliErrorKind.TUNNEL_START_FAILED: (
        "the iOS/macOS Tailscale app could not start its VPN tunnel (its Network Extension): the system refused "
        "or failed the VPN connection (another VPN or a profile/MDM restriction, the Tailscale VPN configuration "
        "missing, disabled or stale), so nothing reaches the tailnet from this device. Not tailscaled or the "
        "network: the tunnel never started.",
        "Do what the message says; otherwise quit Tailscale, turn other VPNs off, in Settings > VPN (macOS: "
        "System Settings > VPN / Network > Filters & VPN) remove the Tailscale configuration, reopen the app and "
        "allow the VPN configuration again; check no MDM/Screen Time profile forbids VPN changes; reboot.",
    ),
    CliErrorKind.NETLINKRIB_PERMISSION_DENIED: (
        "an app that embeds Tailscale (tsnet, typically inside a sandboxed mobile app such as a proxy client's "
        "Tailscale outbound on Android or HarmonyOS) cannot read the device's network interfaces: Go's net.Interfaces asks "
        "a netlink route socket ('route ip+net: netlinkrib: permission denied'), which the app sandbox forbids "
        "(Android apps targeting SDK 30+, HarmonyOS). The embedded node never starts, never logs in or shows in "
        "the admin console, and every connection through it fails with this error. Not a stopped tailscaled, "
        "not a refused auth key.",
        "The app must not rely on netlink inside the sandbox: ask its developer to feed tsnet the interfaces from "
        "the platform's API (Tailscale's Android app registers them with netmon.RegisterInterfaceGetter from "
        "Android's ConnectivityManager; HarmonyOS has its own network API) or to run the node with userspace "
        "networking and no interface monitor; meanwhile use the official Tailscale app (its VPN service) on the "
        "device, or run tailscaled (--tun=userspace-networking) on another machine and point the proxy at it.",
    ),
    CliErrorKind.GUI_HOST_NOT_DETECTED: (
        "the Docker Desktop extension says the host does not run Tailscale, but that is its detection, not a "
        "stopped daemon: it looks for the `tailscale` CLI on the host and runs `tailscale status --json` there "
        "through Docker Desktop, and shows this when that call fails or the answer's BackendState is not Running "
        "(the Mac App Store app's sandboxed CLI, a CLI not on the PATH Docker Desktop uses, a Docker Desktop "
        "upgrade changing how host commands run). If the host's client is connected, Tailscale works; the "
        "warning only means the extension cannot confirm it.",
        "Check the host really runs: `tailscale status` on the host (macOS: /Applications/Tailscale.app/Contents/"
        "MacOS/Tailscale status) shows it connected and the admin console's Machines page shows it online. If so, "
        "the warning is a false alarm: make the CLI findable (macOS app: Settings > Install CLI, or the "
        "standalone/Homebrew variant instead of the App Store one), update the extension and Docker Desktop, and "
        "dismiss the warning; if the host is really down, start Tailscale there and log in with the same account "
        "as the extension.",
    ),
    CliErrorKind.CLI_NOT_FOUND: (
        "the shell cannot find the `tailscale` program at all, so no command reached tailscaled: Tailscale is "
        "not installed on this system, or its CLI is not on this shell's PATH. Container and package installs "
        "keep the CLI inside their own container or package path: Umbrel and the Home Assistant add-on run "
        "Tailscale in an app container, Docker and Kubernetes in the tailscale container/pod, Synology and QNAP "
        "in the package folder (/var/packages/Tailscale/target/bin/); the Mac App Store app keeps it inside "
        "Tailscale.app until the menu's 'Install CLI'. This says nothing about whether tailscaled runs.",
        "Run the CLI where Tailscale is: Umbrel `~/umbrel/scripts/app compose tailscale exec web tailscale "
        "status` (or `docker exec -it tailscale_web_1 tailscale status`), Docker `docker exec <container> "
        "tailscale status`, Kubernetes `kubectl exec -n <ns> <pod> -- tailscale status`, Home Assistant the "
        "add-on's own console, Synology/QNAP the package path (`/var/packages/Tailscale/target/bin/tailscale "
        "status`), macOS `/Applications/Tailscale.app/Contents/MacOS/Tailscale status` or Settings > Install CLI; "
        "on Linux install it (`curl -fsSL https://tailscale.com/install.sh | sh`) or add its folder to PATH.",
    ),
    CliErrorKind.LOCALAPI_INVALID_REQUEST: (
        "tailscaled's LocalAPI is running and reachable, but refused this request before reading it (403 "
        "'invalid localapi request'): its DNS-rebinding guard only serves requests addressed to the Host "
        "'local-tailscaled.sock' and carrying no Referer or Origin header. The caller used another host name "
        "(a hand-made `curl http://foo/localapi/...`, an old client library), went through a proxy, or is a "
        "browser. Not a permission problem and not the certificate/handler itself failing: the handler never ran.",
        "Address LocalAPI as local-tailscaled.sock: `curl --unix-socket /var/run/tailscale/tailscaled.sock "
        "http://local-tailscaled.sock/localapi/v0/status` (for a certificate: `.../localapi/v0/cert/<name>"
        "?type=pair`); send no Referer/Origin and put no browser or proxy in between; update the client library "
        "(Caddy's tscert and similar send the right Host since late 2023).",
    ),
    CliErrorKind.SYSTRAY_FAILED: (
        "the Linux tray client (`tailscale systray`) could not show its icon: the tray library could not set up "
        "its StatusNotifierItem on the D-Bus session bus. tailscaled and the network are not involved.",
        "Run `tailscale systray` as the desktop user, in the graphical session (not with sudo, not over ssh); "
        "on GNOME install and enable the AppIndicator extension (gnome-shell-extension-appindicator), then log "
        "in again.",
    ),
    CliErrorKind.CONFIGURE_FAILED: (
        "a `tailscale configure` command (kubeconfig, pve-appliance, flash-appliance, jetkvm, the macOS system "
        "extension) refused or failed on this machine: a prerequisite of the target is missing.",
        "Run it where it belongs and as it asks (on the Proxmox host, as root, with the whole disk named, with "
        "the macOS Standalone app's CLI); `tailscale configure <command> --help` lists its needs.",
    ),
    CliErrorKind.WEB_LISTEN_FAILED: (
        "the CLI's own local web page (`tailscale status --web`, `tailscale web`) could not listen on its address "
        "(another program holds the port, or the OS refused it); tailscaled is not involved.",
        "Pick another address with `--listen` (port 0 picks a free one), or stop the program holding the port.",
    ),
    CliErrorKind.WEB_CLIENT_NOT_OVER_TAILSCALE: (
        "the device's web client (port 5252, or `tailscale web` in manage mode) refused the browser: the request "
        "did not come from a tailnet peer (a LAN address, or the device's Tailscale IP reached through the router "
        "from a device that is not on the tailnet). By design, not a failure of tailscaled or the network.",
        "Open http://<device's Tailscale IP>:5252 from a device that is logged in to the same tailnet; for LAN "
        "access run the web client in login mode on a LAN address (`tailscale web --listen <lan-ip>:<port>`).",
    ),
    CliErrorKind.OTHER: (
        "the CLI could not use tailscaled's LocalAPI (the message does not say more).",
        "Run the command in an elevated console as the account that set Tailscale up; check the service is "
        "running; paste the full error for a closer diagnosis.",
    ),
    CliErrorKind.SERVE_FAILED: (
        "`tailscale serve`/`funnel` refused the change and nothing new is served: the port already serves "
        "another type (web vs TCP) or another session, the target or flags do not fit, or (Tailscale "
        "Services) this node may not host one.",
        "Read what the message names, check `tailscale serve status`, turn the conflicting handler off "
        "(`tailscale serve --https=443 off`, or `tailscale serve reset`), then rerun the command.",
    ),
    CliErrorKind.SERVE_CONFIG_INVALID: (
        "the Services config file and the node's serve config do not fit: `tailscale serve get-config` could not "
        "write out a handler the file cannot express (a unix-socket target before 1.102, a proxy without "
        "scheme://host:port), or `tailscale serve set-config` refused an endpoint of the file (nothing of it "
        "was applied).",
        "For get-config, update the tailscale CLI to 1.102 or later (meanwhile `tailscale serve status --json`); "
        "for set-config, fix the endpoint the message names in the file (compare with `tailscale serve "
        "get-config --service=svc:<name>`) and rerun it.",
    ),
    CliErrorKind.DRIVE_FAILED: (
        "`tailscale drive` (Taildrive) refused: the node lacks the `drive:share` attribute, this build has no "
        "Taildrive, or the share name is invalid or unknown.",
        'Grant `drive:share`/`drive:access` in the policy\'s "nodeAttrs", use a lower-case share name, and '
        "check the shares with `tailscale drive list`.",
    ),
}


# The Unix counterpart of a missing pipe: a socket (or, macOS, a LocalAPI port) the CLI dials in vain.
_SOCKET_MISSING = (
    "the CLI cannot reach tailscaled's LocalAPI where it looks for it (no socket file, a stale one nobody "
    "listens on, no LocalAPI port found, or a relative default path where the OS has no /var/run): "
    "tailscaled was started with another --socket, is still starting, or its socket was removed. Not a "
    "permissions problem.",
    "Find the daemon's socket (`ps -o args= -C tailscaled` shows its --socket; Android modules and NAS "
    "packages use their own directory) and call the CLI with the same `tailscale --socket=<path> …`; "
    "otherwise restart tailscaled so it recreates its socket (`systemctl restart tailscaled`).",
)

# The Linux client library's hint (client/local/local.go tailscaledConnectHint): systemctl shows tailscaled.service
# loaded but not active/running. A tailscaled process the CLI saw next to it (and no socket) is the unit failing at
# start-up in a restart loop, or a process that is not the service's.
_SYSTEMD_UNIT_DOWN = (
    "the CLI could not reach tailscaled's LocalAPI and systemd reports tailscaled.service loaded but not "
    "running (the client library asks `systemctl show tailscaled.service`). When the CLI also saw a tailscaled "
    "process (its pid) without a socket, the service is failing at start-up and being restarted (a missing TUN "
    "device in a container or LXC, a missing iptables/nftables binary, a bad flag or state file), or that "
    "process is not the service's. Not a permissions problem.",
    "Read why it stops: `systemctl status tailscaled` and `journalctl -u tailscaled -n 50` (the last lines "
    "before it exits); fix that (e.g. install iptables, give an LXC container /dev/net/tun, or run tailscaled "
    "with --tun=userspace-networking), then `sudo systemctl restart tailscaled` and run the command again.",
)

# No Tailscale service at all (the GUI's "not installed", systemd, procd, sysvinit, PowerShell).
_NOT_INSTALLED = lazy_compile(
    r"not installed|Cannot find any service|Unit tailscaled\.service (?:not found|could not be found)|unrecognized service"
    r"|does not exist as an installed service"  # Windows' ERROR_SERVICE_DOES_NOT_EXIST (the GUI's start attempt)
    r"|^Service \"?tailscale"
    r"|/etc/init\.d/tailscale:",
    re.IGNORECASE,
)
_SERVICE_MISSING = (
    "there is no Tailscale service to start tailscaled: the service manager does not know it (the Windows "
    "GUI's 'Tailscale service not installed on this machine.', systemd's 'Unit tailscaled.service not found', "
    "OpenWrt's 'Service \"tailscale\" not found' / no /etc/init.d/tailscale). The package was removed or "
    "half-installed, or (router/NAS packages) ships the binaries without an init script; on Windows 1.4 the "
    "GUI also said this at early boot before the service was registered.",
    "Reinstall Tailscale from the official package for the platform (Windows: the MSI/EXE, which registers "
    "the service; `sc query Tailscale` shows it). On OpenWrt use a package that installs /etc/init.d/tailscale "
    "(or start `tailscaled` from your own init script / procd service), then `service tailscale enable` and "
    "`start`; on systemd `systemctl enable --now tailscaled`.",
)


# systemd tried to start tailscaled's unit and the job failed (or the unit is masked): the service exists,
# tailscaled did not come up. systemd names the unit's Result= in words (bus-wait-for-jobs explanations).
_JOB_FAILED = lazy_compile(r"job for tailscaled?(?:@[\w.-]*)?\.service failed|\.service is masked", re.IGNORECASE)
_JOB_RESULTS = (
    ("attempted too often", "systemd gave up after too many failed starts in a row (start-limit-hit)"),
    ("timeout was exceeded", "tailscaled did not finish starting within the unit's timeout"),
    ("fatal signal", "tailscaled (or a command the unit runs before it) was killed by a signal while starting"),
    ("out-of-memory", "tailscaled was killed by the out-of-memory killer while starting"),
    ("exited with error code", "tailscaled, or a command the unit runs before it, exited with an error"),
    ("dependency job", "a unit tailscaled's unit requires failed first"),
    ("is masked", "the unit is masked (linked to /dev/null), so systemd refuses to start it"),
)
_SERVICE_JOB_FAILED = (
    "systemd could not start tailscaled's unit: {why}, so tailscaled is not running and every `tailscale` "
    "command fails until it is. The unit exists; the reason it stopped is in its journal, not in this message "
    "(typically: the ExecStart path no longer exists after an OS update wiped it (SteamOS, immutable "
    "distributions), /dev/net/tun missing, the state directory unwritable, UDP port 41641 taken, or a bad "
    "flag in /etc/default/tailscaled).",
    "Read why: `systemctl status tailscaled.service` and `journalctl -xeu tailscaled.service` (the last lines "
    "before 'Failed with result'). Fix that cause, then `sudo systemctl reset-failed tailscaled.service` and "
    "`sudo systemctl start tailscaled.service`{masked}.",
)


def _job_failed_text(found: Sequence[CliError]) -> tuple[str, str]:
    text = " ".join(e.line.text for e in found).lower()
    why = next((why for phrase, why in _JOB_RESULTS if phrase in text), "the start job failed")
    masked = " (masked: `sudo systemctl unmask tailscaled.service` first)" if "is masked" in text else ""
    cause, fix = _SERVICE_JOB_FAILED
    return cause.format(why=why), fix.format(masked=masked)


# The macOS/iOS app's own alert: no Windows service to start, the app's network extension is the backend.
# Also its "Invalid response from local tailscale service" (the extension answered, but not usably: stopping,
# restarting or crashed mid-request).
_APPLE_APP = lazy_compile(
    APPLE_ALERT_CANNOT_CONNECT + r"|Invalid response from (?:the )?local Tailscale service",
    re.IGNORECASE,
)
_APPLE_APP_CANNOT_CONNECT = (
    "the macOS/iOS Tailscale app cannot reach its backend, the Tailscale network extension "
    "('Could not connect to Tailscale … Tailscale.BackendMessageError', 'Invalid response from local tailscale "
    "service'): the extension is not running, was disabled or not allowed, stops or crashes by itself, or is "
    "stuck after an update.",
    "Quit Tailscale, check System Settings > General > Login Items & Extensions > Network Extensions (and "
    "VPN & Filters) allows Tailscale, then reopen the app; if it persists, reboot, or remove the Tailscale "
    "VPN configuration and reinstall the app from the same source (App Store or standalone).",
)

# The old Windows GUI's "Tailscale service is not running." over the dial error it got: the GUI reached no
# listener on the service's IPC endpoint (127.0.0.1:41112 before LocalAPI's named pipe).
_GUI_DIAL_FAILED = lazy_compile(r"dial (?:tcp|unix) \S+: .*(?:actively refused|connection refused|no such file)", re.I)
_GUI_DIAL_FAILED_TEXT = (
    "the Tailscale GUI dialled the service's IPC endpoint and nothing listened there ('{dial}'): the Tailscale "
    "service is stopped, crashed, or still starting (it listens only once its start-up is done, and on a "
    "slow machine or with much firewall setup that can take a while); a process seen in Task Manager is not "
    "proof that it listens.",
    "Check the service (`Get-Service Tailscale`, Services > Tailscale: Running, Automatic) and wait a minute "
    "after it starts, then reopen the GUI; if it keeps failing, read the service log "
    "(C:\\ProgramData\\Tailscale\\Logs) for why it stops or hangs before listening, and update Tailscale.",
)

# systemd-sysext's own reason in the unit's journal: an extension is still merged over the hierarchy.
_SYSEXT_MERGED = lazy_compile(r"Hierarchy '?(?P<hierarchy>/\w+)/?'? is already merged", re.IGNORECASE)
_SYSEXT_ALREADY_MERGED = (
    "installing or updating Tailscale failed before it ran: Tailscale is installed here as a systemd system "
    "extension, and systemd-sysext.service refused to merge because an extension is still merged over /usr "
    "('Hierarchy … is already merged': the unit's merge does not replace a merge that is in place), so the new "
    "or updated Tailscale was not put in place and no tailscaled was started by this run.",
    "Unmerge first: `sudo systemd-sysext unmerge` (or `sudo systemd-sysext refresh`, which unmerges and merges "
    "again), check `systemd-sysext status` lists the tailscale extension, then re-run the installer or "
    "`sudo systemctl restart systemd-sysext.service`, and `sudo systemctl start tailscaled`.",
)


# `tailscale up --login-server=X` where X is not the control server the node is logged in to.
_LOGIN_SERVER_CHANGE = lazy_compile(r"can.t change --login-server without --force-reauth", re.IGNORECASE)
_LOGIN_SERVER_REFUSED = (
    "`tailscale up` refused and changed nothing: the --login-server given is not the control server this "
    "node is logged in to (compared as typed: a different scheme, port, trailing path or a typo such as "
    "'https//' counts as another server), and switching servers needs a new login.",
    "If you meant the same server, give exactly the URL shown by `tailscale debug prefs` (ControlURL); to "
    "move the node to another server, add --force-reauth (it logs the node in again there).",
)


# LocalAPI's 500 quoting tailscaled's own failure to fetch the control server's public key.
# `tailscale cert` run without a name: the CLI's usage error names the one(s) allowed (cli/cert.go).
_CERT_NAME_MISSING = (
    "`tailscale cert` was run without the domain to get a certificate for, so nothing was asked of the "
    "control server; the CLI printed its usage and the name(s) this node may use. HTTPS certificates are "
    "enabled for the tailnet (it lists a domain).",
    "Run `sudo tailscale cert <the name it printed>` (the node's full MagicDNS name, e.g. `host.tailnet-1234.ts.net`).",
)
# (only behind LocalAPI's 500 / up's "backend error": the app's own "Error: fetch control key: …" and other
# wrappers are the catalog's reading, cli_catalog/relayed_elsewhere.py, which does not claim a 500 was answered)
_CONTROL_KEY = lazy_compile(
    r"(?:500 Internal Server Error|backend error): (?:TryLogin: )?fetch control key: ", re.IGNORECASE
)
_CONTROL_KEY_UNREACHABLE = (
    "the CLI reached tailscaled (it answered 500), but tailscaled cannot reach the coordination server: "
    "fetching its key (`/key`) failed (a timeout, refused, reset or TLS error), so login, logout and every "
    "setting that needs control fail. Not a local daemon problem: the network path to control is blocked "
    "(a firewall, a security product or filtering DNS, a proxy tailscaled does not use, no route).",
    "Check from this machine that `curl -sv https://controlplane.tailscale.com/key?v=71` answers (or your "
    "--login-server's /key); allow the control server (TCP 443) through the firewall / security software, or "
    "set the proxy for tailscaled (HTTPS_PROXY in its environment); try another network to confirm.",
)

# `tailscale debug ts2021`'s control dial failing (cmd/tailscale/cli/debug.go: "controlhttp.Dial = 0x0, <error>"):
# the key was fetched (or not shown) but neither port 80 nor 443 gave a Noise connection; the error says why
_TS2021_DIAL = lazy_compile(
    r"(?:\bcontrolhttp\.Dial = \S+, |\berror on attempt \d+/\d+: (?:NewNoiseClient|RoundTrip whoami request): )"
    r"(?P<reason>.+)$",
    re.IGNORECASE,
)
_TS2021_DIAL_FAILED = (
    "`tailscale debug ts2021` could not open the control connection: the dial to the control server failed "
    "({reason}). This is what tailscaled does to reach control, so the node cannot log in or get its network "
    "map. A timeout is a firewall dropping TCP 80/443 to control; a refusal or a reset is something on the way "
    "(a firewall, proxy, VPN or filter app) closing it; an HTTP status is a proxy in front of the server.",
    "Check the path to the control server from this machine (`curl -sv https://controlplane.tailscale.com/key?v=71` "
    "or your --login-server's /key): allow TCP 80/443 to it through the firewall or security software, set "
    "HTTPS_PROXY for tailscaled behind a proxy, and re-run `tailscale debug ts2021` until it prints `did noise "
    "handshake`.",
)

_REGISTER_REQUEST = lazy_compile(r"register request: ", re.IGNORECASE)
_REGISTER_UNREACHABLE = (
    "tailscaled runs and relayed it, but its login never reached the coordination server: the registration "
    "request (POST /machine/register) got no answer in time (a timeout, refused or reset connection) or "
    "control's front end failed (5xx), so the node cannot log in. Not a refused key (control did not answer) "
    "and not a local daemon problem: the network path to control is blocked or too slow.",
    "Check from this machine (or container) that `curl -sv https://controlplane.tailscale.com/key?v=71` answers "
    "(or your --login-server's /key) quickly; allow TCP 443 to the control server through the firewall, "
    "proxy (HTTPS_PROXY for tailscaled) or container network (DNS, MTU), check status.tailscale.com, then retry "
    "the login.",
)

# `tailscale up` given an OAuth client secret (tskey-client-…, the GitHub Action's oauth-secret, the operator)
# or a federated identity mints an auth key through the Tailscale API first; the API's refusal is printed as
# the API client's `Status: 401|403, Message: "…"`.
_API_REFUSED = lazy_compile(API_KEY_REFUSED, re.IGNORECASE)
_OAUTH_FORBIDDEN = (
    "the Tailscale API refused to mint the auth key `tailscale up` asked for with an OAuth client (or a "
    'federated identity): 403, the client lacks permission ("calling actor does not have enough permissions": '
    "it has no `auth_keys` write scope, or it may not use the tags passed with --advertise-tags). The node never "
    "got a key, so it never joined the tailnet (a CI runner: the step fails with exit code 1).",
    "In the admin console (Settings > OAuth clients) create a client with the `auth_keys` "
    "(Keys > Auth Keys) write scope and the tag(s) the node advertises, each owned by it in the policy's "
    "tagOwners (e.g. tag:ci); put its ID and secret in the CI secrets (GitHub Action: oauth-client-id, "
    "oauth-secret, tags: tag:ci) and rerun.",
)
_OAUTH_UNAUTHORIZED = (
    "the Tailscale API refused the OAuth client (or federated identity) `tailscale up` used to mint its auth key: "
    "401, the credential is invalid (a revoked or mistyped client secret, a secret from another tailnet, an "
    "empty CI secret). The node never got a key.",
    "Check the OAuth client still exists in the admin console (Settings > OAuth clients) and that the secret "
    "passed (tskey-client-…, GitHub Action: oauth-secret) is its current one; generate a new client if unsure.",
)
# Workload identity federation (`tailscale up --client-id=… --id-token=…`, the GitHub Action's oauth-client-id with
# audience): Tailscale's token endpoint refused to trade the CI job's OIDC token for an access token.
_TOKEN_EXCHANGE = lazy_compile(r"\btoken exchange failed with status 40[13]:(?: |$)", re.IGNORECASE)
_TOKEN_EXCHANGE_REFUSED = (
    "the Tailscale API refused the workload identity federation exchange: `tailscale up` (the GitHub Action, a "
    "CI job) sent the job's OIDC token (a JWT) for an access token and got 401/403, so no auth key was minted and "
    "the node never joined. The token does not match the federated identity (trust credential) set up in "
    "Tailscale: another issuer, a subject (repository, branch, environment) or audience its pattern does not "
    "allow, or a client ID that is not that credential's.",
    "In the admin console (Settings > Trust credentials) check the federated identity: issuer "
    "(https://token.actions.githubusercontent.com for GitHub), subject pattern matching the job's `sub` claim "
    "(e.g. repo:owner/repo:ref:refs/heads/main, or :environment:<name>), audience equal to the one the job "
    "requests; pass its client ID (oauth-client-id / --client-id), give the workflow `permissions: id-token: "
    "write`, and make sure the credential has the auth_keys scope and owns the tags advertised.",
)

# The coordination server refusing, as a node auth key, a credential of another kind: the message names the
# key's capabilities ({KeyCapabilityBits(OAUTH_CLIENT|CONTROL_API_SCOPE_AUTH_KEYS) [tag:…]}). Clients that
# resolve OAuth client secrets into auth keys (feature/oauthkey: the CLI, tsnet since 1.90) never send one.
_NOT_NODE_AUTH = lazy_compile(NOT_A_NODE_AUTH_KEY, re.IGNORECASE)
_NOT_AN_AUTH_KEY = (
    "the coordination server refused the key as a node auth key: it is another kind of credential (the "
    "message lists its capabilities, e.g. OAUTH_CLIENT: an OAuth client secret tskey-client-…, or an API "
    "access token), passed as-is by a client that does not mint an auth key from it (a tsnet program such "
    "as tsidp or golink built before 1.90, an old `tailscale up`, a wrapper's TS_AUTHKEY). The node never "
    "logged in.",
    "Pass a real auth key (admin console: Settings > Keys > Generate auth key, tskey-auth-…) as TS_AUTHKEY / "
    "--auth-key; or keep the OAuth client secret and use a client that exchanges it for a key (tailscale "
    "CLI or a tsnet program built with 1.90 or later) with the tags it owns (--advertise-tags=tag:…, "
    "tsnet AdvertiseTags).",
)


_SAME_VERSIONS = (
    "Compare `tailscale version` with `tailscale version --daemon` (the tailscaled that answers): when they differ, "
    "use the CLI that came with it (`which -a tailscale`; on Windows the one in C:\\Program Files\\Tailscale) or "
    "update both to the same release, then run the command again."
)


def _localapi_answer(statuses: str) -> re.Pattern[str]:
    """How client/local prints LocalAPI's refusal with one of ``statuses`` (windows.LOCALAPI_REFUSAL's form)."""
    return re.compile(rf"(?:^|: |`|got )(?:HTTP )?(?:{statuses}): \S", re.IGNORECASE)


# LocalAPI's refusal with a status of no kind of its own (windows.LOCALAPI_REFUSAL): tailscaled runs, took the CLI's
# request and refused it; the status says how (the text after it says which value or what).
_LOCALAPI_REFUSALS: tuple[tuple[re.Pattern[str], tuple[str, str]], ...] = (
    (
        _localapi_answer("405 Method Not Allowed"),
        (
            "tailscaled runs and answered, but refused the request's HTTP method (405 Method Not Allowed: 'use "
            "POST', 'only GET allowed', …). The CLI sends every request the way the tailscaled of its own release "
            "takes it, so this is a CLI of another release than the running tailscaled (an old binary earlier on "
            "PATH, a package upgraded while the old daemon kept running), or a script or program calling LocalAPI "
            "itself. Nothing was done.",
            _SAME_VERSIONS + " A script calling LocalAPI must use the method the message names.",
        ),
    ),
    (
        _localapi_answer("400 Bad Request"),
        (
            "tailscaled runs and answered, but refused a value of the request (400 Bad Request; the text after "
            "the status names it: a parameter missing or not valid, a body it could not decode). The CLI checks "
            "what you typed before it asks, so this is a value tailscaled itself does not accept, or a CLI of "
            "another release than the running tailscaled asking in a form it does not know. Nothing was done.",
            "Read the text after the status: correct the value named (an address, a name, a number) and run the "
            "command again; if the command and its values are right, " + _SAME_VERSIONS[0].lower() + _SAME_VERSIONS[1:],
        ),
    ),
    (
        _localapi_answer("404 Not Found"),
        (
            "tailscaled runs and answered, but does not have what the request named (404 Not Found; the text "
            "after the status says what: a peer, user, profile, share or file it does not know). Nothing was done.",
            "Check the name or ID against what tailscaled knows (`tailscale status` for peers, `tailscale switch "
            "--list` for profiles, `tailscale drive list` for shares) and run the command again with one of those.",
        ),
    ),
    (
        _localapi_answer("409 Conflict|412 Precondition Failed|Preconditions failed|204 No Content"),
        (
            "tailscaled runs and answered, but could not do it in its current state (409 Conflict: what it would "
            "create already exists; 412 Preconditions failed: its state changed since the command read it, or a "
            "part it needs is not running; 204: nothing to answer with). Nothing was done.",
            "Read the text after the status for what is in the way; run the command again (after another command "
            "or client has finished changing the same setting), and if it repeats, restart tailscaled.",
        ),
    ),
    (
        _localapi_answer("500 Internal Server Error"),
        (
            "tailscaled runs and answered, but failed the request itself (500 Internal Server Error): the text "
            "after the status is tailscaled's own reason (a step of the command that failed, its state store, the "
            "control server it had to ask). The service is not the problem; what it was asked to do did not "
            "happen.",
            "Read the text after the status for what failed and fix that; tailscaled's log (`journalctl -u "
            "tailscaled`, Windows: C:\\ProgramData\\Tailscale\\Logs) has the lines around it. Run the command "
            "again; if it repeats with a message that names no cause, restart tailscaled.",
        ),
    ),
    (
        _localapi_answer("429 Too Many Requests|502 Bad Gateway"),
        (
            "tailscaled runs and took the request, but what it asked on the CLI's behalf failed (429 Too Many "
            "Requests: a rate limit, e.g. the certificate authority's; 502 Bad Gateway: the name or address it "
            "had to reach could not be resolved or dialled). Tailscale's service itself is fine.",
            "Read the text after the status: wait for a rate limit to pass (Let's Encrypt's are per hour/week), "
            "or check the name or address the command named is up and reachable from this node; then run it again.",
        ),
    ),
)


# An old CLI (v1.12-v1.16: base64 keys) reading a newer tailscaled's status ("nodekey:<hex>" keys, 1.18+)
_BY_MESSAGE_VERSION_MISMATCH: tuple[tuple[re.Pattern[str] | LazyPattern, tuple[str, str]], ...] = (
    (
        lazy_compile(r"illegal base64 data at input byte \d+", re.IGNORECASE),
        (
            "the `tailscale` CLI is older than the tailscaled it talks to: it reached LocalAPI (tailscaled "
            "runs) but could not decode the status answer, because tailscaled 1.18 and later send node keys "
            "as 'nodekey:<hex>' while CLIs up to 1.16 expect base64 (the decode stops at the colon, 'input "
            "byte 7'). Nothing was changed: `tailscale up`/`status` stopped there. Typical of two installs "
            "side by side (an old binary earlier on PATH, a CI action or script downloading its own pinned "
            "old CLI next to a newer preinstalled daemon, e.g. tailscale/github-action@v1).",
            "Use the CLI that came with the running tailscaled (`which -a tailscale`, `tailscale version` vs "
            "the daemon's version), or update both to the same release; in GitHub Actions move to "
            "`tailscale/github-action@v2` or later (or set its `version` input to the daemon's release).",
        ),
    ),
)
# The app's or tray's own message says which failure it was; the first that matches any error of the kind wins.
_BY_MESSAGE: dict[CliErrorKind, tuple[tuple[re.Pattern[str] | LazyPattern, tuple[str, str]], ...]] = {
    # the same release on both sides, built from different commits (version.Long's "-t<commit>[-g<other commit>]"):
    # a CLI bundled with another program (a container image, a wrapper) beside the host's package of that release
    CliErrorKind.VERSION_MISMATCH: (
        *_BY_MESSAGE_VERSION_MISMATCH,
        (
            lazy_compile(
                r'client version "(?P<release>\d+\.\d+\.\d+)-[^"]*" != tailscaled server version "(?P=release)[-"]',
                re.IGNORECASE,
            ),
            (
                "the CLI and tailscaled are the same release built from different commits (a CLI bundled with "
                "another program or container beside the host's package of that release): the CLI prints this "
                "warning on every command, and the warning alone fails nothing. An error printed with it is the "
                "command's real answer.",
                "Read the error printed with the warning; to silence the warning, use the CLI that came with the "
                "running tailscaled (or the same build in the bundling program's image).",
            ),
        ),
    ),
    # cmd's and PowerShell's wording: the Windows client is installed but its folder is not on PATH, or not installed
    CliErrorKind.CLI_NOT_FOUND: (
        (
            lazy_compile(r"is not recognized as (?:an internal|the name|a name)", re.IGNORECASE),
            (
                "Windows cannot find `tailscale` (cmd: 'is not recognized as an internal or external command'; "
                "PowerShell: 'The term … is not recognized'): the Tailscale client is not installed, or its "
                "folder (C:\\Program Files\\Tailscale) is not on this terminal's PATH (a terminal opened before "
                "the install, a PATH entry removed). Nothing reached tailscaled; this says nothing about whether "
                "it runs.",
                'Run it by its full path: `& "C:\\Program Files\\Tailscale\\tailscale.exe" status`, or add '
                "C:\\Program Files\\Tailscale to PATH (System Properties > Environment Variables) and open a new "
                "terminal; if that folder is missing, install the client from https://tailscale.com/download/windows.",
            ),
        ),
    ),
    # A Unix dial of tailscaled's socket that reached nobody (no file, or a file nobody listens on): the CLI on
    # Linux/macOS, or another program using LocalAPI through the socket (a reverse proxy's certificate resolver).
    CliErrorKind.SERVICE_NOT_RUNNING: (
        # Windows' own dialogs and event texts about the Tailscale service (windows.WINDOWS_SERVICE_STOPPED)
        (
            lazy_compile(WINDOWS_SERVICE_STOPPED.removeprefix("|"), re.IGNORECASE),
            (
                "Windows reports the Tailscale service stopped or would not start (the GUI's 'Tailscale service "
                "stopped.' box, the Service Control Manager's 'started and then stopped' / 'could not start … "
                "Error N', or its event log): tailscaled.exe exited right after starting (Error 1067: the process "
                "terminated unexpectedly), did not report running in time (1053), or was refused (5: access "
                "denied; 1058: disabled; 1068: a service it depends on failed). The GUI and CLI have no backend; "
                "this is not a backend answer nor a permission problem of the GUI.",
                "Read why tailscaled.exe stopped: its own log in C:\\ProgramData\\Tailscale\\Logs (the newest "
                "tailscaled-*.txt) and the System event log (Event Viewer > Windows Logs > System, source Service "
                "Control Manager); after a Windows feature update a stale Wintun/Tailscale adapter is the usual "
                "cause: remove it in Device Manager (View > Show hidden devices), reinstall Tailscale, reboot. "
                "Check the service is Automatic and its dependencies run (`sc.exe qc Tailscale`).",
            ),
        ),
        (
            lazy_compile(r"dial unix \S+: connect: (?:no such file or directory|connection refused)", re.IGNORECASE),
            (
                "nothing answers on tailscaled's Unix socket (no socket file, or a file nobody listens on): "
                "tailscaled is not running there (stopped, crashed, still starting), or it listens on another "
                "--socket. A program that uses LocalAPI through a mounted socket (Traefik's or Caddy's "
                "certificate resolver, a sidecar) sees the same when the daemon it mounted from stopped or was "
                "restarted after the mount (the mounted file is then stale).",
                "Check and start the daemon (`sudo systemctl status tailscaled`, `sudo systemctl enable --now "
                "tailscaled`, `journalctl -u tailscaled` for why it stopped); a daemon run with "
                "--socket=<path> is reached with `tailscale --socket=<path> …`; in containers mount the socket's "
                "directory (/var/run/tailscale), not the file, so a restarted daemon's new socket is seen.",
            ),
        ),
    ),
    CliErrorKind.GUI_CANNOT_CONNECT: (
        (
            lazy_compile(r"unable to fetch status", re.IGNORECASE),
            (
                "the VS Code extension could not load this node's status: it asks its helper (tsrelay) for the "
                "peers and got no JSON back, typically the helper's own error text ('Get \"http://local-tailscaled"
                ".sock/…\": …', shown cut short as 'Get \"http:\"... is not valid JSON'): the helper cannot "
                "reach tailscaled's LocalAPI (wrong socket, no permission, tailscaled from another install or in "
                "WSL/a container) or did not start. Tailscale itself may well be connected.",
                "Check the daemon answers from the same machine/user as VS Code (`tailscale status`); on Linux make "
                "your user the operator (`sudo tailscale set --operator=$USER`); in a remote/WSL window install "
                "Tailscale there too; then reload the window (Developer: Reload Window) and read the extension's "
                "output (View > Output > Tailscale) for the helper's error.",
            ),
        ),
    ),
    CliErrorKind.UNIX_ACCESS_DENIED: (
        (
            lazy_compile(r"\bserve config denied\b"),
            (
                "tailscaled refused to change the serve config (LocalAPI 403 'serve config denied'): the caller is "
                "neither root nor the operator. `tailscale serve`/`funnel` run without sudo, or a program acting "
                "for the user (the VS Code extension's tsrelay helper, a script) get this. tailscaled runs and "
                "answered; nothing was served.",
                "Allow your user once with `sudo tailscale set --operator=$USER` (then serve, funnel and the VS Code "
                "extension work without sudo), or run `sudo tailscale serve …`; then retry.",
            ),
        ),
        (
            lazy_compile(r"\bfile access denied\b", re.IGNORECASE),
            (
                "tailscaled refused this user its Taildrop API (LocalAPI 403 'file access denied'): only root/"
                "Administrator or the operator user may send, list or receive files. `tailscale file cp/get` run "
                "without sudo, or a desktop program acting for the user (a tray app such as Trayscale asking for "
                "waiting files) get this. tailscaled runs and answered; no file was sent or received.",
                "Make your user the operator once: `sudo tailscale set --operator=$USER` (then the CLI and tray apps "
                "work without sudo), or run `sudo tailscale file …`; then retry.",
            ),
        ),
        (
            lazy_compile(r"\bcert access denied\b"),
            (
                "tailscaled refused the certificate request (LocalAPI 403 'cert access denied'): the calling user "
                "may not fetch certificates, being neither root/Administrator, the operator, nor the "
                "TS_PERMIT_CERT_UID user. A reverse proxy that gets its certificate from tailscaled (Traefik's "
                "or Caddy's Tailscale resolver, through the mounted tailscaled.sock) runs as such a user. "
                "tailscaled runs and answered; no certificate (ACME) step was tried.",
                "Run it with `sudo tailscale cert …` (Windows: an elevated console), or start tailscaled with "
                "TS_PERMIT_CERT_UID=<uid or name of the user the proxy runs as> (e.g. TS_PERMIT_CERT_UID=traefik "
                "or the container's numeric uid, in /etc/default/tailscaled or the tailscaled container's "
                "environment), restart tailscaled and retry.",
            ),
        ),
    ),
    CliErrorKind.INSTALL_FAILED: (
        (
            WINDOWS_INSTALLER_SERVICE_FAILED,
            (
                "Windows Installer stopped installing (or upgrading) Tailscale at its service: the Tailscale "
                "service it installed did not start (Error 1920), could not be installed, stopped or configured "
                "(1921-1939), or the package's check of the services tailscaled depends on (Dnscache, iphlpsvc, "
                "netprofm, WinHttpAutoProxySvc) failed. The installation was rolled back: Tailscale is not "
                "installed or running (an upgrade may leave none). Usual causes: one of those Windows services "
                "is missing or disabled (Windows Server Core/containers, debloat tools), the Wintun network "
                "adapter could not be created, or security software blocking the service. Not missing admin "
                "rights, whatever the message suggests.",
                "Check the dependencies (`sc.exe qc iphlpsvc`, likewise Dnscache, netprofm, WinHttpAutoProxySvc): "
                "each must exist and not be Disabled (`sc.exe config iphlpsvc start= auto`); read tailscaled's "
                "log (C:\\ProgramData\\Tailscale\\Logs) and the System event log for why the service stopped; "
                "remove leftover Tailscale/Wintun adapters in Device Manager, reboot and run the installer again "
                "(`msiexec /i tailscale-setup-<version>-amd64.msi /l*v install.log` for a full log).",
            ),
        ),
        (
            WINDOWS_INSTALLER_FAILED,
            (
                "Windows Installer failed on Tailscale's package (tailscale-setup-*.msi, or the .exe that runs "
                "it) and rolled back: Tailscale was not installed or upgraded. The MSI error or exit status "
                "named is the reason (1603 a fatal error during installation: often the Tailscale app or "
                "service still running and holding files, a pending reboot, or a failed custom action; 1618 "
                "another installation in progress; 1638 another version already installed).",
                "Read the verbose log around the first 'Return value 3' (`msiexec /i tailscale-setup-<version>"
                "-amd64.msi /l*v install.log`); quit the Tailscale app, finish pending Windows updates or reboot, "
                "then run the installer again as administrator.",
            ),
        ),
        (
            PACKAGE_MANAGER_INSTALL_FAILED,
            (
                "the Windows package manager (winget, Chocolatey) downloaded Tailscale's installer, but the "
                "installer itself failed, so Tailscale was not installed or upgraded (an upgrade leaves the old "
                "version in place). Its exit code is Windows Installer's: 1603 a fatal error during installation "
                "(often the Tailscale service or app still running and locking files, or a pending reboot), 1618 "
                "another installation in progress, 1620 the installation package could not be opened, 1638 "
                "another version is already installed, 1602 cancelled by the user; winget's 'ShellExecute installer "
                "failed: 3221225477' (0xC0000005) is the installer process crashing. Not a network or service "
                "problem.",
                "Read the installer log the package manager names (winget: the DiagOutputDir log; `msiexec /l*v` "
                "for a verbose one); quit the Tailscale app, finish pending Windows updates or reboot, then run the "
                "upgrade again, or download the installer from https://pkgs.tailscale.com/stable/ (or "
                "https://tailscale.com/download/windows) and run it as administrator.",
            ),
        ),
    ),
    CliErrorKind.BACKEND_ERROR: (
        *_LOCALAPI_REFUSALS,
        (
            LOCALAPI_NOT_HTTP,
            (
                "tailscaled is running and took the CLI's/GUI's connection, but did not answer with LocalAPI (HTTP): "
                "up to 1.32, a Windows service whose engine could not start (typically creating the Tailscale "
                "network adapter: a Wintun/TAP driver or registry problem, another VPN's leftover adapter) "
                "answers every connection with its backend error message instead, which the HTTP client reads "
                "as a malformed status line. The backend is broken; the service itself runs.",
                "Read tailscaled's log for the engine error (Windows: C:\\ProgramData\\Tailscale\\Logs, or "
                "the Event Viewer), update Tailscale, remove leftover TUN/TAP or other VPN adapters, then restart "
                "the Tailscale service (or reboot).",
            ),
        ),
    ),
    CliErrorKind.TUNNEL_START_FAILED: (
        (
            lazy_compile(r"preventing the Tailscale tunnel from starting", re.IGNORECASE),
            (
                "the iOS app detected a fault of this iOS version that keeps the system from starting its VPN "
                "tunnel (the message: 'An issue in this version of iOS is preventing the Tailscale tunnel from "
                "starting'): the tunnel never came up, so this device is not on the tailnet. Nothing on the "
                "tailnet or the network is at fault.",
                "Reboot the iPhone/iPad and open Tailscale again, as the message says; if it returns, update iOS "
                "and the app, or remove the Tailscale VPN configuration (Settings > General > VPN & Device "
                "Management > VPN) and let the app add it again.",
            ),
        ),
        (
            lazy_compile(r"network extension failed to start", re.IGNORECASE),
            (
                "the macOS app's network extension (the VPN tunnel provider) did not start ('The Tailscale "
                "network extension failed to start'): the extension is not allowed or not enabled, another "
                "VPN/network filter holds the system's VPN, or it is stuck after an update.",
                "Quit Tailscale; in System Settings > General > Login Items & Extensions > Network Extensions "
                "(and VPN & Filters) allow Tailscale, turn other VPNs off, reopen the app; if it persists, "
                "reboot, or remove the Tailscale VPN configuration and reinstall from the same source (App "
                "Store or standalone).",
            ),
        ),
        (
            lazy_compile(r"NEVPNErrorDomain(?: error | Code=| )[1-6]|VPN configuration", re.IGNORECASE),
            (
                "the system refused the app's VPN configuration (Apple's NEVPNErrorDomain: 1 invalid, 2 "
                "disabled, 3 connection failed, 4 stale, 5 could not be saved, 6 unknown; or the 'Allow VPN "
                "configuration' step failed): another VPN owns the system's VPN, a profile/MDM restriction "
                "forbids VPN changes, or the saved configuration is missing or out of date.",
                "Turn other VPNs off; remove the Tailscale entry in Settings > VPN (macOS: System Settings > "
                "VPN), reopen the app and allow the VPN configuration when asked; check no MDM or Screen Time "
                "restriction blocks VPN configurations; reboot if it persists.",
            ),
        ),
    ),
    CliErrorKind.SYSTRAY_FAILED: (
        (
            lazy_compile(r"systray error: failed to connect to DBus", re.IGNORECASE),
            (
                "`tailscale systray` found no D-Bus session bus ('systray error: failed to connect to DBus'): it "
                "runs outside the desktop user's graphical session (with sudo, as root, over ssh, from a system "
                "service), where DBUS_SESSION_BUS_ADDRESS is not set, so no tray icon can be shown.",
                "Run `tailscale systray` as the desktop user inside the graphical session (not with sudo; let "
                "that user manage Tailscale with `sudo tailscale set --operator=$USER`), or start it as a "
                "systemd user service (`tailscale configure systray --enable-startup=systemd`).",
            ),
        ),
        (
            lazy_compile(
                r"systray error: failed to register(?! signal)|running the systray with sudo/doas", re.IGNORECASE
            ),
            (
                "`tailscale systray` could not register its tray icon: no StatusNotifierWatcher (tray host) "
                "answers on the D-Bus session bus it reached ('The name org.kde.StatusNotifierWatcher was not "
                "provided by any .service files' / 'is not activatable'). Either it ran with sudo or as root, "
                "whose session has no tray host, or the desktop has none: GNOME shows no tray icons without "
                "the AppIndicator extension, and XEmbed-only bars (i3bar) have no watcher. tailscaled and the "
                "network are not involved.",
                "Run `tailscale systray` as the desktop user, not with sudo (let that user manage Tailscale with "
                "`sudo tailscale set --operator=$USER`); on GNOME install and enable the AppIndicator and "
                "KStatusNotifierItem Support extension (gnome-shell-extension-appindicator) and log in again; "
                "`busctl --user list | grep StatusNotifierWatcher` shows whether a tray host is there.",
            ),
        ),
    ),
}


def _emit(kind: CliErrorKind, report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """One finding for all errors of ``kind`` in the block (the same cause repeated is one problem)."""
    found = _errors(report, kind)
    if not found:
        return
    explained = found[0].explanation
    cause, fix = explained if explained is not None else _SIMPLE_TEXT[kind]
    detail = found[0].detail
    # a "not running" the paste's `systemctl status` explained (windows.with_unit_state) keeps that reading
    by_message = () if kind is CliErrorKind.SERVICE_NOT_RUNNING and explained is not None else _BY_MESSAGE.get(kind, ())
    for message, text in by_message:
        if any(message.search(e.line.text) for e in found):
            cause, fix = text
            break
    unix = kind is CliErrorKind.PIPE_MISSING and ("dial unix" in detail or "connect: " in detail)
    if unix:
        cause, fix = _SOCKET_MISSING
    if kind is CliErrorKind.SERVICE_NOT_RUNNING and any(_NOT_INSTALLED.search(e.line.text) for e in found):
        cause, fix = _SERVICE_MISSING
    elif kind is CliErrorKind.SERVICE_NOT_RUNNING and any(_JOB_FAILED.search(e.line.text) for e in found):
        cause, fix = _job_failed_text([e for e in found if _JOB_FAILED.search(e.line.text)])
    elif kind is CliErrorKind.SERVICE_NOT_RUNNING and all(SYSTEMD_UNIT_NOT_RUNNING.search(e.detail) for e in found):
        cause, fix = _SYSTEMD_UNIT_DOWN
        unix = True
    if kind is CliErrorKind.GUI_CANNOT_CONNECT and all(_APPLE_APP.search(e.line.text) for e in found):
        cause, fix = _APPLE_APP_CANNOT_CONNECT
    elif kind is CliErrorKind.INSTALL_FAILED and any(_SYSEXT_MERGED.search(e.detail) for e in found):
        cause, fix = _SYSEXT_ALREADY_MERGED
    elif kind is CliErrorKind.GUI_CANNOT_CONNECT and (dial := _GUI_DIAL_FAILED.search(found[0].detail)):
        cause, fix = _GUI_DIAL_FAILED_TEXT[0].format(dial=dial.group(0)), _GUI_DIAL_FAILED_TEXT[1]
    if kind is CliErrorKind.CLI_USAGE and all(_LOGIN_SERVER_CHANGE.search(e.line.text) for e in found):
        cause, fix = _LOGIN_SERVER_REFUSED
    if kind is CliErrorKind.CLI_USAGE and all(CERT_NAME_HINT.search(e.line.text) for e in found):
        cause, fix = _CERT_NAME_MISSING
    if kind is CliErrorKind.CONTROL_UNREACHABLE and all(_CONTROL_KEY.search(e.line.text) for e in found):
        cause, fix = _CONTROL_KEY_UNREACHABLE
    elif kind is CliErrorKind.CONTROL_UNREACHABLE and all(_REGISTER_REQUEST.search(e.line.text) for e in found):
        cause, fix = _REGISTER_UNREACHABLE
    elif (
        kind is CliErrorKind.CONTROL_UNREACHABLE
        and explained is None  # (the catalog's reading of an HTTP status on both ports keeps its proxy fix)
        and (dial := _TS2021_DIAL.search(found[0].line.text))
    ):
        cause, fix = _TS2021_DIAL_FAILED[0].format(reason=dial["reason"].strip()), _TS2021_DIAL_FAILED[1]
    if kind is CliErrorKind.AUTH_KEY_REJECTED and all(_API_REFUSED.search(e.line.text) for e in found):
        forbidden = all("403" in e.line.text for e in found)
        cause, fix = _OAUTH_FORBIDDEN if forbidden else _OAUTH_UNAUTHORIZED
        if all(_TOKEN_EXCHANGE.search(e.line.text) for e in found):
            cause, fix = _TOKEN_EXCHANGE_REFUSED
    if kind is CliErrorKind.AUTH_KEY_REJECTED and all(_NOT_NODE_AUTH.search(e.line.text) for e in found):
        cause, fix = _NOT_AN_AUTH_KEY
    daemon = "tailscaled" if unix else "tailscaled.exe"
    pid = f" ({daemon} pid {found[0].pid})" if found[0].pid else ""
    evidence = ctx.facts.evidence(*(e.line for e in found[:3]))
    cleared = [e.cleared_by for e in found if e.cleared_by is not None]
    if len(cleared) == len(found) and kind is CliErrorKind.CLI_USAGE:
        # only `tailscale cert`'s name hint is cleared (windows._cert_name_followed): the name was then used
        yield ctx.finding(
            f"{ctx.facts.label}: not a problem: `tailscale cert` run bare printed the name(s) this node may get a "
            f"certificate for (HTTPS certificates are enabled for the tailnet), and line {cleared[-1].number} then "
            f"ran `{cleared[-1].command}`. Whether the certificate came is what that command printed.",
            "Nothing to fix here; read the result of the later `tailscale cert` (its error, or 'Wrote public cert "
            "to …').",
            (*evidence, *ctx.facts.evidence(cleared[-1])),
            severity=Severity.INFO,
            title="`tailscale cert` run bare to learn its name, then run with it",
            resolved_line=cleared[-1].number,
        )
        return
    if len(cleared) == len(found) and not cleared[-1].text.endswith("Success."):
        yield ctx.finding(  # tailscaled answered another command later: it was running all along
            f"{ctx.facts.label}: not a daemon problem: a later command got tailscaled's answer (line "
            f"{cleared[-1].number}: {cleared[-1].text!r}), so it was running. The earlier error is the CLI's "
            "generic 'is Tailscale running?' wording for a LocalAPI call that failed for another reason (the "
            "macOS app's CLI and, before 1.90, `tailscale lock log` with Tailnet Lock off print it).",
            "Nothing to fix in Tailscale's service. Read what the later command says (e.g. Tailnet Lock is not "
            "enabled, so there is no lock log); update the CLI for accurate messages.",
            (*evidence, *ctx.facts.evidence(cleared[-1])),
            severity=Severity.INFO,
            title=f"{ctx.info.summary}: misleading, tailscaled answered a later command",
            resolved_line=cleared[-1].number,
        )
        return
    if len(cleared) == len(found):  # every one outlived: a start-up race, nothing left to fix
        yield ctx.finding(
            f"{ctx.facts.label}: resolved within the paste: the CLI could not reach tailscaled at first "
            f"({kind.value}), but a later command succeeded (line {cleared[-1].number}: {cleared[-1].text!r}): "
            "tailscaled was still starting when the first command ran (a script that starts it and retries "
            "at once). Nothing is left wrong.",
            "Nothing to fix. To keep the error out of scripts, wait until tailscaled answers before the first "
            "command (retry `tailscale status` until it succeeds).",
            (*evidence, *ctx.facts.evidence(cleared[-1])),
            severity=Severity.INFO,
            title=f"{ctx.info.summary} at first: resolved, a later command succeeded",
            resolved_line=cleared[-1].number,
        )
        return
    yield ctx.finding(f"{ctx.facts.label}{pid}: {cause}", fix, evidence, title=_TITLE_BY_KIND.get(kind, ""))


# A kind reported under another kind's rule, whose summary would claim too much for it: an app that cannot reach
# tailscaled does not show that the service is down.
_TITLE_BY_KIND = {CliErrorKind.GUI_CANNOT_CONNECT: "A Tailscale app or front end cannot reach tailscaled"}


@rule(
    id="TS-WIN-PIPE-MISSING",
    name="win-pipe-missing",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="tailscaled's named pipe (Unix: its socket) is missing",
    target="windows",
)
def pipe_missing(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``open \\\\.\\pipe\\ProtectedPrefix\\Administrators\\Tailscale\\tailscaled: The system cannot
    find the file specified.`` while tailscaled.exe runs: the LocalAPI listener is gone. On Linux/macOS the
    same: a tailscaled process runs (``appears to be running as tailscaled, pid N``) but the CLI's dial fails
    (``dial unix …: no such file or directory`` / ``connection refused``, macOS ``dial tcp 127.0.0.1:0``),
    or the CLI dials a relative ``tailscaled.sock`` (no /var/run: Android, some NAS): the socket is not where
    the CLI looks, and ``--socket`` must match.

    *Bad*::

        failed to connect to local tailscaled (which appears to be running as tailscaled.exe, pid 6584). Got error: Get "http://local-tailscaled.sock/localapi/v0/status": open \\\\.\\pipe\\ProtectedPrefix\\Administrators\\Tailscale\\tailscaled: The system cannot find the file specified.

    *Good*::

        safesocket.Listen: namedpipe.Listen: open \\\\\\\\.\\\\pipe\\\\ProtectedPrefix\\\\Administrators\\\\Tailscale\\\\tailscaled: Access is denied.
    """
    yield from _emit(CliErrorKind.PIPE_MISSING, report, ctx)


@rule(
    id="TS-WIN-PIPE-ACCESS-DENIED",
    name="win-pipe-access-denied",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="tailscaled may not create its named pipe",
    target="windows",
)
def pipe_access_denied(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``safesocket.Listen: namedpipe.Listen: … Access is denied.``: the protected pipe prefix needs
    an elevated creator; a tailscaled started by a normal user cannot listen.

    *Bad*::

        safesocket.Listen: namedpipe.Listen: open \\\\\\\\.\\\\pipe\\\\ProtectedPrefix\\\\Administrators\\\\Tailscale\\\\tailscaled: Access is denied.

    *Good*::

        Got error: Get "http://local-tailscaled.sock/localapi/v0/status": open \\\\.\\pipe\\ProtectedPrefix\\Administrators\\Tailscale\\tailscaled: The system cannot find the file specified.
    """
    yield from _emit(CliErrorKind.PIPE_ACCESS_DENIED, report, ctx)


@rule(
    id="TS-WIN-NO-BACKEND",
    name="win-no-backend",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="tailscaled has no backend (503)",
    target="windows",
)
def no_backend(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``503 Service Unavailable: no backend``: the daemon answers, its backend failed to start.

    *Bad*::

        failed to connect to local tailscaled (which appears to be running as tailscaled.exe, pid 11700). Got error: 503 Service Unavailable: no backend

    *Good*::

        Get "http://local-tailscaled.sock/localapi/v0/status": context deadline exceeded
    """
    yield from _emit(CliErrorKind.NO_BACKEND, report, ctx)


@rule(
    id="TS-WIN-DEADLINE",
    name="win-deadline",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="tailscaled did not answer in time",
    target="windows",
)
def deadline(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``context deadline exceeded`` on a LocalAPI request: the daemon is hung or starting.

    *Bad*::

        failed to connect to local tailscaled (which appears to be running as tailscaled.exe, pid 812). Got error: Get "http://local-tailscaled.sock/localapi/v0/status": context deadline exceeded

    *Good*::

        Got error: 503 Service Unavailable: no backend
    """
    yield from _emit(CliErrorKind.DEADLINE, report, ctx)


@rule(
    id="TS-WIN-DOMAIN-TRUST",
    name="win-domain-trust",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="Domain trust failure prevents the user lookup",
    target="windows",
)
def domain_trust(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``The trust relationship between this workstation and the primary domain failed.``: the
    SID→user lookup tailscaled does for every LocalAPI caller fails on a domain-joined PC without a DC.

    *Bad*::

        Tailscale backend error: failed to look up user from userid: The trust relationship between this workstation and the primary domain failed.

    *Good*::

        401 Unauthorized: Tailscale already in use ("PC\\\\a"); connection from "PC\\\\b" not allowed
    """
    yield from _emit(CliErrorKind.DOMAIN_TRUST, report, ctx)


@rule(
    id="TS-WIN-SERVICE-NOT-RUNNING",
    name="win-service-not-running",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="The Tailscale service is not running",
    target="windows",
)
def service_not_running(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``is the Tailscale service running?`` / ``Failed to connect to local Tailscale daemon``:
    no tailscaled to talk to. Without Unattended Mode tailscaled also idles when the last GUI/CLI
    client disconnects (the "works only while the GUI runs" symptom, #5880).

    *Bad*::

        Failed to connect to Tailscale service.

    *Good*::

        Got error: 503 Service Unavailable: no backend
    """
    yield from _emit(CliErrorKind.SERVICE_NOT_RUNNING, report, ctx)
    yield from _emit(CliErrorKind.GUI_CANNOT_CONNECT, report, ctx)


@rule(
    id="TS-WIN-VERSION-MISMATCH",
    name="win-version-mismatch",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="CLI and tailscaled versions differ",
    target="windows",
)
def version_mismatch(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``Warning: client version "x" != tailscaled server version "y"``: mixed versions. The same words in
    another program's service log (``caddy[25961]: Warning: client version "date.20210823" != …``) are v1.14-v1.18's
    client library inside that program, printing them on every LocalAPI call: routine, nothing to upgrade.

    *Bad*::

        Warning: client version "1.80.0-t1" != tailscaled server version "1.78.1-t2"

    *Good*::

        Aug 28 18:32:40 dot caddy[25961]: Warning: client version "date.20210823" != tailscaled server version "1.14.0"
    """
    cli_only = tuple(error for error in report.errors if embedding_program(error) is None)
    yield from _emit(CliErrorKind.VERSION_MISMATCH, replace(report, errors=cli_only), ctx)


@rule(
    id="TS-LOCALAPI-ACCESS-DENIED",
    name="localapi-access-denied",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="LocalAPI access denied (Linux/macOS)",
    target="windows",
)
def unix_access_denied(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``Access denied: …`` + ``Use 'sudo tailscale …'``: non-root, non-operator user on Unix.

    *Bad*::

        Access denied: checkprefs access denied

        Use 'sudo tailscale up'.
        To not require root, use 'sudo tailscale set --operator=$USER' once.

    *Good*::

        401 Unauthorized: Tailscale already in use ("PC\\\\a"); connection from "PC\\\\b" not allowed
    """
    yield from _emit(CliErrorKind.UNIX_ACCESS_DENIED, report, ctx)


@rule(
    id="TS-LOCALAPI-ERROR",
    name="localapi-error",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="The CLI could not use tailscaled's LocalAPI",
    target="windows",
)
def other_error(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a LocalAPI failure without a recognised body (e.g. a bare ``401 Unauthorized``).

    *Bad*::

        failed to connect to local tailscaled (which appears to be running as tailscaled.exe, pid 77). Got error: 401 Unauthorized

    *Good*::

        Got error: 503 Service Unavailable: no backend
    """
    yield from _emit(CliErrorKind.OTHER, report, ctx)


@rule(
    id="TS-WIN-BACKEND-ERROR",
    name="win-backend-error",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="tailscaled's backend reported an error",
    target="windows",
)
def backend_error(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``Tailscale backend error: …`` is the GUI relaying the backend's own failure; the backend
    answered, so "the service is not running" would send the user the wrong way.

    *Bad*::

        Tailscale backend error: wgengine.NewUserspaceEngine: Error creating interface: Timeout waiting for registry value

    *Good*::

        Failed to connect to Tailscale service.
    """
    yield from _emit(CliErrorKind.BACKEND_ERROR, report, ctx)


@rule(
    id="TS-UP-FLAGS-REQUIRED",
    name="up-flags-required",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="`tailscale up` refused: it must restate every non-default setting",
    target="windows",
)
def up_flags_required(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale up`` with flags treats them as the whole desired configuration; when a setting
    made earlier (or a default changed by an upgrade) is missing from the command line, it refuses rather
    than reset it silently. Nothing changed: the fix is the command it prints, ``--reset``, or
    ``tailscale set`` for a single setting.

    *Bad*::

        Error: changing settings via 'tailscale up' requires mentioning all
        non-default flags. To proceed, either re-run your command with --reset or
        use the command below to explicitly mention the current value of
        all non-default settings:

            tailscale up --advertise-routes=10.0.0.0/24 --ssh

    *Good*::

        Access denied: checkprefs access denied

        Use 'sudo tailscale up'.
        To not require root, use 'sudo tailscale set --operator=$USER' once.
    """
    found = _errors(report, CliErrorKind.UP_FLAGS_REQUIRED)
    if not found:
        return
    cause, fix = _SIMPLE_TEXT[CliErrorKind.UP_FLAGS_REQUIRED]
    suggested = next((e.detail for e in found if e.detail), "")
    if suggested:
        fix = f"The CLI's own suggestion here: `{hide_keys(suggested)}`. {fix}"
    yield ctx.finding(
        f"{ctx.facts.label}: {cause}",
        fix,
        ctx.facts.evidence(*(e.line for e in found[:3])),
        suggested=hide_keys(suggested) or None,
    )


@rule(
    id="TS-MACOS-GUI-FAILED",
    name="macos-gui-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="The Tailscale app could not start (or the macOS CLI could not reach it)",
    target="windows",
)
def macos_gui_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the CLI inside Tailscale.app works through the running app; ``The Tailscale GUI failed to
    start … (Tailscale.CLIError error 3.)`` means it could not reach it (app not running in this login
    session, or the CLI run from a sandboxed app or launchd job), which no daemon restart fixes.

    *Bad*::

        The Tailscale GUI failed to start: The operation couldn't be completed. (Tailscale.CLIError error 3.)

    The Windows GUI and the macOS app also exit at start-up on an SSLKEYLOGFILE they cannot open or a TS_*
    environment knob they cannot parse (guistart.py), printed in the terminal that started them.

    *Good*::

        failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?)
    """
    yield from _emit(CliErrorKind.GUI_FAILED_TO_START, report, ctx)


@rule(
    id="TS-UP-AUTH-KEY-REJECTED",
    name="up-auth-key-rejected",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="The coordination server refused the auth key",
    target="windows",
)
def auth_key_rejected(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``backend error: invalid key: …`` after ``tailscale up --authkey`` is the control server's
    answer, not a local fault: the key was spent, expired, revoked or belongs elsewhere (with Headscale,
    ``unable to validate API key``). Restarting tailscaled or reinstalling does not help; a new key does.
    Given an OAuth client secret (the GitHub Action, the operator) or a federated identity, ``up`` first
    mints a key through the Tailscale API; the API's 403 (``Status: 403, Message: "calling actor does not
    have enough permissions …"``: no ``auth_keys`` scope, or tags the client may not use) or 401 (a bad
    secret) is the same refusal, fixed on the OAuth client.

    *Bad*::

        $ sudo tailscale up --authkey tskey-auth-k123
        backend error: invalid key: API key tskey-auth-k123 not valid

    *Good*::

        Error: changing settings via 'tailscale up' requires mentioning all
        non-default flags. To proceed, either re-run your command with --reset or
        use the command below to explicitly mention the current value of
        all non-default settings:
    """
    yield from _emit(CliErrorKind.AUTH_KEY_REJECTED, report, ctx)


@rule(
    id="TS-CLI-USAGE",
    name="cli-usage",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="The tailscale CLI rejected its command line: nothing ran",
    target="windows",
)
def cli_usage(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``flag provided but not defined: -login_server`` or ``invalid value … for flag`` come from the
    CLI's own argument parser: the command never reached tailscaled, so nothing about the network or the
    daemon can be read from it. Wrappers (systemd units, NixOS ``extraUpFlags``, container
    ``TS_EXTRA_ARGS``, add-ons) are the usual source.

    *Bad*::

        Apr 17 21:52:41 nixos tailscaled-autoconnect-start[2821]: flag provided but not defined: -login-server https://example.com

    *Good*::

        failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?)
    """
    yield from _emit(CliErrorKind.CLI_USAGE, report, ctx)


@rule(
    id="TS-EXIT-NODE-REFUSED",
    name="exit-node-refused",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="The exit node setting was refused",
    target="windows",
)
def exit_node_refused(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``no node found in netmap with IP …``, ``node "x" is not advertising an exit node`` or a
    platform refusal mean the exit node was never set: traffic still leaves locally. The usual cause is
    the exit node's public IP given instead of its Tailscale address, or an exit node not yet approved.

    *Bad*::

        $ sudo tailscale set --exit-node=203.0.113.7
        no node found in netmap with IP 203.0.113.7

    *Good*::

        $ tailscale ping 100.64.0.9
        pong from gw (100.64.0.9) via 203.0.113.7:41641 in 12ms
    """
    yield from _emit(CliErrorKind.EXIT_NODE_REFUSED, report, ctx)


@rule(
    id="TS-EXIT-NODE-NOT-ADVERTISED",
    name="exit-node-not-advertised",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="This node does not advertise itself as an exit node, so it cannot be chosen as one",
    target="windows",
)
def exit_node_not_advertised(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the admin console's route settings of a machine say ``This device does not advertise itself as an
    exit node. Re-run tailscale up with the --advertise-exit-node flag to enable this option.`` when its
    tailscaled never advertised the default routes: no other device can use it as an exit node until it does
    and the route is approved. Nothing failed (unlike ``exit-node-refused``, a client refused one it asked for).

    *Bad*::

        This device does not advertise itself as an exit node. Re-run tailscale up with the --advertise-exit-node flag to enable this option.

    *Good*::

        $ tailscale status
        100.64.0.2   unraid   alice@   linux   offers exit node
        100.64.0.3   laptop   alice@   macOS   -
    """
    yield from _emit(CliErrorKind.EXIT_NODE_NOT_ADVERTISED, report, ctx)


@rule(
    id="TS-FUNNEL-UNAVAILABLE",
    name="funnel-unavailable",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="Funnel is not available to this node",
    target="windows",
)
def funnel_unavailable(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``Funnel not available; HTTPS must be enabled`` / ``"funnel" node attribute not set`` /
    ``Unable to turn on Funnel while shields-up is enabled``: a tailnet setting or policy is missing, not
    a connectivity problem; no restart fixes it.

    *Bad*::

        Funnel not available; "funnel" node attribute not set. See https://tailscale.com/s/no-funnel.

    *Good*::

        Access denied: serve config denied
    """
    yield from _emit(CliErrorKind.FUNNEL_UNAVAILABLE, report, ctx)


@rule(
    id="TS-TLS-INTERCEPTED",
    name="tls-intercepted",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="HTTPS to the coordination server fails certificate verification",
    target="windows",
)
def tls_intercepted(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``x509: certificate signed by unknown authority`` (``tls: failed to verify certificate``) on
    the control server's URL means another certificate was presented: TLS inspection, a proxy or a captive
    portal. ``has expired or is not yet valid`` means the system clock is wrong. Neither is fixed by
    reinstalling Tailscale.

    *Bad*::

        Get "https://controlplane.tailscale.com/key?v=95": tls: failed to verify certificate: x509: certificate signed by unknown authority

    *Good*::

        failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?)
    """
    found = _errors(report, CliErrorKind.TLS_INTERCEPTED)
    if not found:
        return
    cause, fix = _SIMPLE_TEXT[CliErrorKind.TLS_INTERCEPTED]
    if any("expired or is not yet valid" in e.line.text for e in found):
        cause = (
            "the control server's certificate looks expired or not yet valid: this machine's clock is wrong "
            "(or, less often, something intercepts TLS with a stale certificate)."
        )
        fix = "Set the date and time (enable NTP: `timedatectl set-ntp true`, Windows time sync), then retry."
    elif all(re.search(r"acme|letsencrypt", e.line.text, re.IGNORECASE) for e in found):
        cause = (
            "HTTPS from tailscaled to Let's Encrypt's ACME server failed certificate verification (x509): this "
            "machine has no CA bundle tailscaled can use (a minimal system or container without "
            "ca-certificates), or something intercepts TLS on the way out."
        )
        fix = (
            "Install the CA certificates (`apt install ca-certificates`, `apk add ca-certificates`, the "
            "distribution's package), or exempt acme-v02.api.letsencrypt.org from TLS inspection; restart "
            "tailscaled and retry."
        )
    yield ctx.finding(f"{ctx.facts.label}: {cause}", fix, ctx.facts.evidence(*(e.line for e in found[:3])))


@rule(
    id="TS-CLI-SSH-FAILED",
    name="cli-ssh-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="tailscale ssh failed: refused by the SSH policy, or nothing answers on port 22",
    target="windows",
)
def ssh_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: Tailscale SSH checks every connection against the tailnet policy's ``ssh`` rules (source,
    destination, user); a connection no rule accepts ends with ``tailnet policy does not permit you to SSH
    to this node`` (older: ``failed to evaluate SSH policy``, ``Permission denied (tailscale)``). When the
    ssh client instead times out or is refused on port 22 of a node's MagicDNS name or tailnet address,
    nothing listens there: Tailscale SSH is not enabled on the node (``tailscale set --ssh``; the macOS GUI
    apps did not include the SSH server) and no sshd runs, or a host firewall drops it. A working
    ``tailscale ping`` to the same node shows the tailnet path itself is fine.

    *Bad*::

        $ tailscale ssh root@server
        tailscale: tailnet policy does not permit you to SSH to this node
        Connection closed by UNKNOWN port 65535

    *Good*::

        $ tailscale ping server
        pong from server (100.101.102.103) via 192.168.1.20:41641 in 3ms
    """
    found = _errors(report, CliErrorKind.SSH_FAILED)
    if not found:
        return
    if found[0].explanation is not None:  # a catalogued refusal (cli_catalog/) says its own cause and fix
        yield from _emit(CliErrorKind.SSH_FAILED, report, ctx)
        return
    text = " ".join(e.line.text for e in found)
    explained = found[0].explanation  # the catalog's own reading (`tailscale nc`'s dial refused)
    if explained is not None:
        cause, fix = explained
    elif "ssh: connect to host" in text and re.search(r": (?:No route to host|Host is down)$", text):
        # EHOSTUNREACH / EHOSTDOWN: an ICMP unreachable came back (or the kernel had no way out), not silence
        cause = (
            "the node did not take the SSH connection over the tailnet: 'No route to host' is an ICMP "
            "unreachable, from the target's firewall rejecting the port (firewalld's default REJECT answers "
            "host-prohibited) or from the path itself (the peer offline or not in this node's netmap, or the "
            "tailnet policy not letting this node reach it)."
        )
        fix = (
            "Run `tailscale ping <node>`: pongs mean the tailnet path works, so open TCP 22 on the target "
            "(`firewall-cmd --zone=trusted --add-interface=tailscale0`, or an allow rule for tailscale0) and "
            "check an sshd or Tailscale SSH (`sudo tailscale set --ssh`) listens; no pong means the peer is "
            "down or unreachable: check `tailscale status` on both sides and the tailnet policy's access rules."
        )
    elif "ssh: connect to host" in text and not re.search(r"policy|Permission denied|access controls", text):
        cause = (
            "nothing answers SSH on the node over the tailnet (port 22 timed out or was refused on its "
            "MagicDNS name / tailnet address): Tailscale SSH is not enabled there and no sshd listens, or a "
            "host firewall drops port 22. Not a connectivity problem of the tailnet path."
        )
        fix = (
            "On the target run `sudo tailscale set --ssh` (open-source tailscaled on Linux/macOS; the macOS App "
            "Store/standalone apps need a recent version for Tailscale SSH), or start an sshd (macOS: System "
            "Settings > General > Sharing > Remote Login); allow TCP 22 on tailscale0 in its firewall; check "
            "with `tailscale ping <node>` that the path is up."
        )
    else:
        cause = (
            "Tailscale SSH on the node refused the connection by policy: no rule in the tailnet policy's "
            '"ssh" section accepts this source, destination and user (rules written under "acls", a tagged '
            'node matched with autogroup:self, a user not in "users", a shared node\'s recipient).'
        )
        fix = (
            'Add or fix an "ssh" rule: {"action": "accept" (or "check"), "src": [you or your group], "dst": '
            '[the node\'s tag, or "autogroup:self" for your own untagged devices], "users": ["autogroup:nonroot", '
            '"root" or the login name]}; also allow port 22 in "acls"/"grants". Tailscale SSH does not serve '
            "shared-node recipients: use OpenSSH for them."
        )
    yield ctx.finding(f"{ctx.facts.label}: {cause}", fix, ctx.facts.evidence(*(e.line for e in found[:3])))


# What `tailscale cert` failed on, from LocalAPI's 500 body: (pattern, cause, fix), the first that matches.
_CERT_CAUSES: tuple[tuple[LazyPattern, str, str], ...] = (
    (
        lazy_compile(
            r"does not support getting TLS certs|cert(?:ificate)? support is not enabled/configured", re.IGNORECASE
        ),
        "the tailnet does not issue HTTPS certificates: the control server gives this node no certificate "
        "domains ('HTTPS Certificates', and MagicDNS which it needs, are not enabled; a self-hosted control "
        "server such as Headscale offers none), so `tailscale cert`, serve/Funnel HTTPS and the Kubernetes "
        "operator's proxy get none. tailscaled runs and answered; nothing is wrong on this machine.",
        "Tailscale: in the admin console's DNS page (https://login.tailscale.com/admin/dns) enable MagicDNS and "
        "then HTTPS Certificates; retry `tailscale cert <name>.<tailnet>.ts.net` (the full MagicDNS name). "
        "Headscale or another self-hosted control server: it cannot issue these; get a certificate for a name "
        "you own with another ACME client (certbot, Caddy, acme.sh) instead.",
    ),
    (
        lazy_compile(r"invalid domain \"[^\"]*\"; must be one of", re.IGNORECASE),
        "the name asked for is not one this node may get a certificate for: only its own MagicDNS name(s), "
        "listed after 'must be one of', are allowed (not a short host name, another node's name or an alias).",
        "Run `tailscale cert` with exactly one of the names listed (e.g. `tailscale cert "
        "<host>.<tailnet>.ts.net`; `tailscale cert` without a name prints the allowed one).",
    ),
    (
        lazy_compile(r"wildcard certificates are not enabled", re.IGNORECASE),
        "a wildcard certificate (`*.<node>.<tailnet>.ts.net`) was asked for, but the tailnet does not grant "
        "this node subdomain resolution, so only the node's own name can have a certificate.",
        "Ask for the node's own name instead, or grant the node the subdomain capability in the tailnet policy "
        "(nodeAttrs) and retry.",
    ),
    (
        lazy_compile(r"cert support not compiled in this build", re.IGNORECASE),
        "this tailscaled was built without certificate (ACME) support (a minimal or custom build), so it "
        "cannot get certificates at all.",
        "Install an official Tailscale build (or rebuild without omitting the ACME feature), then retry.",
    ),
    (
        lazy_compile(r"cert store is configured in read-only mode", re.IGNORECASE),
        "the certificate store is read-only (a Kubernetes proxy replica that only reads what another writes) "
        "and holds no usable certificate yet, so none is issued here.",
        "Wait for the replica that may write the certificate to issue it (check its logs), or give this "
        "proxy write access to the cert store; then retry.",
    ),
    (
        lazy_compile(r"x509:|certificate signed by unknown authority", re.IGNORECASE),
        "reaching Let's Encrypt's ACME server failed certificate verification: this machine has no CA "
        "certificates (a minimal system or container) or something intercepts TLS.",
        "Install the CA bundle (`apt install ca-certificates`, `apk add ca-certificates`), or exempt "
        "acme-v02.api.letsencrypt.org from TLS inspection; then retry `tailscale cert`.",
    ),
    (
        lazy_compile(r"failed to get cert dir", re.IGNORECASE),
        "tailscaled answered but could not find or create the directory it keeps certificates in (its log "
        "says `certDir: …`, e.g. `mkdir .local: permission denied`): a daemon running as an unprivileged "
        "package user without a writable state directory (NAS packages), or the macOS app builds of late "
        "2021 that had no cert directory.",
        "Give tailscaled a writable state directory (`--statedir=<dir>` or --state under a directory the "
        "daemon's user owns; Synology: update the package, which sets it), or update the macOS app; then retry "
        "`tailscale cert`.",
    ),
    (
        lazy_compile(r'localapi/v0/cert/[^"\s]*"?: (?:unexpected )?EOF|localapi/v0/cert/.*connection reset'),
        "tailscaled accepted the certificate request and dropped the connection before answering: the daemon "
        "(on macOS the app's network extension) crashed or restarted while getting the certificate.",
        "Check tailscaled's log (macOS: Console, the IPNExtension process) for the crash around that moment, "
        "update Tailscale, reconnect, and retry `tailscale cert` once it runs again.",
    ),
    (
        lazy_compile(r"SetDNS", re.IGNORECASE),
        'the coordination server could not write the ACME DNS-01 challenge record (`SetDNS "_acme-challenge…"` '
        "answered 500 'failed to create DNS record'): the failure is on the control plane's side, not this "
        "machine, and no certificate can be issued until it writes the record.",
        "Retry later and check https://status.tailscale.com; if it persists, contact Tailscale support with "
        "the node name and the error (a self-hosted control server must implement SetDNS for `tailscale cert`).",
    ),
    (
        lazy_compile(r"acme[.:]|timeout waiting for order", re.IGNORECASE),
        "Let's Encrypt did not issue the certificate: the ACME order became invalid (or never became ready) "
        "because the DNS-01 challenge could not be verified (DNS provider delay or outage, a rate limit).",
        "Retry in a few minutes (check https://status.tailscale.com); do not loop on it (Let's Encrypt rate "
        "limits failed orders); if stale state is suspected, remove the node's certs directory "
        "(/var/lib/tailscale/certs) and retry once.",
    ),
)


@rule(
    id="TS-CLI-CERT-FAILED",
    name="cli-cert-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="tailscale cert (or serve's HTTPS) could not get a TLS certificate",
    target="windows",
)
def cert_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale cert`` asks tailscaled (LocalAPI) for a Let's Encrypt certificate of the node's
    MagicDNS name; serve/Funnel HTTPS and the Kubernetes operator's proxy ask the same on demand. A 500 from
    it names the step that failed: the tailnet has no HTTPS certificates enabled, the coordination server
    could not write the ``_acme-challenge`` DNS record (SetDNS), Let's Encrypt refused the order, or this
    machine cannot verify Let's Encrypt's own certificate. Each needs a different fix; none is fixed on the
    peer that connects.

    *Bad*::

        $ sudo tailscale cert nas.tail1234.ts.net
        500 Internal Server Error: SetDNS "_acme-challenge.nas.tail1234.ts.net" => "token": set-dns response: 500 Internal Server Error, failed to create DNS record

    *Good*::

        $ sudo tailscale up
        500 Internal Server Error: cannot start backend when state store is unhealthy
    """
    yield from _emit_first_cause(
        CliErrorKind.CERT_FAILED,
        _CERT_CAUSES,
        (
            "getting the node's TLS certificate failed (LocalAPI answered 500): no certificate was issued.",
            "Read the error after '500 Internal Server Error:'; check HTTPS Certificates is enabled for the "
            "tailnet and the name is the node's full MagicDNS name, then retry.",
        ),
        report,
        ctx,
    )


@rule(
    id="TS-CLI-NETFILTER-OFF",
    name="cli-netfilter-off",
    family="tailscale-windows",
    severity=Severity.INFO,
    summary="tailscale up warned that netfilter mode is off/nodivert: tailscaled installs no firewall rules of its own",
    target="windows",
)
def netfilter_off_warning(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale up --netfilter-mode=off`` tells tailscaled to install no iptables/nftables rules: no
    ts-input/ts-forward chains, no masquerading of subnet-router or exit-node traffic, no drop of spoofed
    100.64.0.0/10 packets from other interfaces. ``nodivert`` creates the ts-* chains but does not jump to
    them from INPUT/FORWARD/POSTROUTING. The CLI warns and applies the prefs: usually deliberate (OpenWrt,
    where the fw4 zone of the tailscale0 interface does the job, or a firewall managed by hand), not a fault.

    *Bad*::

        # tailscale up --netfilter-mode=off --advertise-exit-node
        Warning: netfilter=off; configure iptables yourself.

    *Good*::

        # tailscale up --advertise-exit-node
        Warning: IP forwarding is disabled, subnet routing/exit nodes will not work.
    """
    found = _errors(report, CliErrorKind.NETFILTER_OFF_WARNING)
    if not found:
        return
    nodivert = all("nodivert" in e.line.text for e in found)
    if nodivert:
        cause = (
            "netfilter mode is nodivert (`--netfilter-mode=nodivert`): tailscaled creates its ts-input, "
            "ts-forward and ts-postrouting chains but does not hook them into INPUT, FORWARD and POSTROUTING, so "
            "until you do, its rules (accepting tailnet traffic, masquerading subnet-router and exit-node "
            "traffic) do not apply. The prefs were applied; this is an advisory."
        )
        fix = (
            "If this is what you want, add the jumps yourself (`iptables -A INPUT -j ts-input`, `iptables -A "
            "FORWARD -j ts-forward`, `iptables -t nat -A POSTROUTING -j ts-postrouting`, the same for ip6tables) "
            "in your firewall configuration; otherwise run `tailscale up --netfilter-mode=on` (with your other "
            "flags)."
        )
    else:
        cause = (
            "netfilter mode is off (`--netfilter-mode=off`): tailscaled installs no firewall rules at all: "
            "nothing accepts tailnet traffic on tailscale0 for it, nothing masquerades subnet-router or "
            "exit-node traffic, nothing drops spoofed 100.64.0.0/10 packets arriving on other interfaces. The "
            "prefs were applied; usual and deliberate on OpenWrt (its fw4 zones do this), an advisory, not a "
            "failure."
        )
        fix = (
            "Nothing to fix if your firewall handles it. OpenWrt: put the tailscale0 interface in a zone (e.g. "
            "'tailscale', input/output/forward ACCEPT, masquerading on for exit-node or subnet traffic) with "
            "forwarding to and from lan/wan as needed. Elsewhere: add the accept/forward/masquerade rules "
            "yourself, or run `tailscale up --netfilter-mode=on` (with your other flags) to let tailscaled do it."
        )
    yield ctx.finding(f"{ctx.facts.label}: {cause}", fix, ctx.facts.evidence(*(e.line for e in found[:2])))


_FORWARDING_OFF = (
    "IP forwarding is off in the kernel, so the subnet routes or exit node this node advertises cannot "
    "carry any traffic: peers that use them lose connectivity through it."
)
# Which forwarding check failed, from the CLI's warning (net/netutil/ip_forward.go): (pattern, cause).
_FORWARDING_CAUSES: tuple[tuple[LazyPattern, str], ...] = (
    (
        lazy_compile(r"manual configuration on", re.IGNORECASE),
        "this OS forwards for subnet routes and exit nodes only after manual configuration Tailscale does not "
        "do (and does not officially support).",
    ),
    (
        lazy_compile(r"won.t be forwarded", re.IGNORECASE),
        "IPv4 forwarding is off on some interfaces (per-interface sysctl): traffic arriving there for the "
        "advertised subnet routes or exit node is dropped.",
    ),
    (lazy_compile(r"^(?:Warning: )?IP forwarding is (?:disabled|set to off)", re.IGNORECASE), _FORWARDING_OFF),
    (
        lazy_compile(r"IPv6 forwarding is disabled", re.IGNORECASE),
        "IPv6 forwarding is off in the kernel: the IPv4 part of the advertised routes / exit node works, "
        "IPv6 traffic through it is dropped.",
    ),
    (
        lazy_compile(r"IPv4 forwarding is disabled", re.IGNORECASE),
        "IPv4 forwarding is off in the kernel: the advertised subnet routes or exit node carry no IPv4 traffic.",
    ),
)


@rule(
    id="TS-CLI-IP-FORWARDING-DISABLED",
    name="cli-ip-forwarding-disabled",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="tailscale up/set warned that IP forwarding is off: advertised subnet routes / exit node will not forward",
    target="windows",
)
def ip_forwarding_disabled(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale up`` and ``login`` (cmd/tailscale/cli/up.go ``warnOnAdvertiseRoutes``), and ``set``,
    ask tailscaled to check the kernel's forwarding settings only when the new prefs advertise routes
    (``--advertise-routes``, ``--advertise-exit-node``) or an app connector, and the check itself
    (net/netutil ``protocolsRequiredForForwarding``) has nothing to say without routes: the warning itself
    says this node offers routes it cannot forward. The prefs were applied (it is a warning, not a refusal): the
    node shows up as a subnet router or exit node in the admin console, and peers that use it lose
    traffic through it. The IPv6-only form ("IPv6 forwarding is disabled." / "Subnet routes and exit nodes
    may not work correctly.") means IPv4 is forwarded and IPv6 is not.

    *Bad*::

        # tailscale up --advertise-exit-node
        Warning: IP forwarding is disabled, subnet routing/exit nodes will not work.
        See https://tailscale.com/s/ip-forwarding

    *Good*::

        # tailscale up --advertise-exit-node
        Warning: UDP GRO forwarding is suboptimally configured on eth0, UDP forwarding throughput capability will increase with a configuration change.
    """
    found = _errors(report, CliErrorKind.IP_FORWARDING_DISABLED)
    if not found:
        return
    lines = [part for e in found for part in (e.detail or e.line.text).split("\n")]
    text = "\n".join(lines)
    causes = [cause for pattern, cause in _FORWARDING_CAUSES if any(pattern.search(line) for line in lines)]
    cause = " Also: ".join(causes) if causes else _FORWARDING_OFF
    bsd = "manual configuration on" in text
    fix = (
        "Follow https://tailscale.com/kb/1019/subnets for this OS (e.g. FreeBSD: `sysctl net.inet.ip.forwarding=1 "
        "net.inet6.ip6.forwarding=1` and the same in /etc/sysctl.conf), then run the same `tailscale up`/`set` again."
        if bsd
        else "Enable forwarding persistently: `echo 'net.ipv4.ip_forward = 1' | sudo tee -a "
        "/etc/sysctl.d/99-tailscale.conf; echo 'net.ipv6.conf.all.forwarding = 1' | sudo tee -a "
        "/etc/sysctl.d/99-tailscale.conf; sudo sysctl -p /etc/sysctl.d/99-tailscale.conf` (with firewalld also "
        "`sudo firewall-cmd --permanent --add-masquerade && sudo firewall-cmd --reload`); then rerun the same "
        "`tailscale up`/`set` command: no warning means it is fixed. Approve the routes/exit node in the admin "
        "console if not done yet."
    )
    yield ctx.finding(f"{ctx.facts.label}: {cause}", fix, ctx.facts.evidence(*(e.line for e in found[:3])))


# What tailscaled could not read, from the check's error (net/netutil/ip_forward.go; v1.0-v1.20 ipnlocal): the
# sysctl binary missing from its PATH (v1.0-v1.20 ran `sysctl -n`), procfs absent, or no link state yet.
_CHECK_FAILED_REASON = lazy_compile(
    r"(?:couldn.t (?:check|parse) (?P<key>net\.ipv[46]\.\S+) \((?P<old>.*)\)\.?\s*$"
    r"|may not work: (?P<new>.+?)(?:\s*See https?://\S+)?$|(?P<nolink>no link state))",
    re.IGNORECASE,
)


@rule(
    id="TS-CLI-IP-FORWARDING-CHECK-FAILED",
    name="cli-ip-forwarding-check-failed",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="tailscale up/set warned that tailscaled could not read IP forwarding: advertised routes may not forward",
    target="windows",
)
def ip_forwarding_check_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: when the new prefs advertise routes or an exit node, tailscaled reads the kernel's forwarding
    sysctls (net/netutil/ip_forward.go; v1.0-v1.20 ran ``sysctl -n net.ipv4.ip_forward``). When that read
    fails it cannot tell whether forwarding is on: the warning says the check failed, not that forwarding is
    off. Typical causes: no ``sysctl`` on tailscaled's PATH (a systemd unit with a minimal PATH, e.g. NixOS
    before its unit added it), no /proc/sys (a sandbox, a container without procfs), or no link state yet.
    The prefs were applied; the routes work only if forwarding happens to be on.

    *Bad*::

        # tailscale up --advertise-exit-node
        Warning: couldn't check net.ipv4.ip_forward (exec: "sysctl": executable file not found in $PATH).
        Subnet routes won't work without IP forwarding.

    *Good*::

        # tailscale up --advertise-exit-node
        Warning: IP forwarding is disabled, subnet routing/exit nodes will not work.

    (forwarding was read: it is off, which TS-CLI-IP-FORWARDING-DISABLED explains)
    """
    found = _errors(report, CliErrorKind.IP_FORWARDING_CHECK_FAILED)
    if not found:
        return
    lines = [part for e in found for part in (e.detail or e.line.text).split("\n")]
    reason = next((m for line in lines if (m := _CHECK_FAILED_REASON.search(line))), None)
    why = ""
    if reason is not None:
        error = reason.group("old") or reason.group("new") or ""
        key = reason.group("key")
        if reason.group("nolink"):
            why = " (tailscaled had no link state yet: no interface information to check)"
        elif error:
            why = f" ({key + ': ' if key else ''}{error.strip()})"
    lowered = " ".join(lines).lower()
    if "sysctl" in lowered and ("not found" in lowered or ("no such file" in lowered and "exec" in lowered)):
        where = "the `sysctl` program is not on tailscaled's PATH (its service unit runs with a minimal PATH)"
    elif "/proc/sys" in lowered or "procfs" in lowered:
        where = "/proc/sys is not reachable from tailscaled (a sandbox or a container without procfs)"
    else:
        where = "sysctl/procfs was not reachable from tailscaled (no sysctl on its PATH, a sandbox, or a container)"
    cause = (
        f"tailscaled could not read the kernel's IP forwarding settings{why}: {where}. The forwarding state is "
        "UNKNOWN (it may be on); the prefs were applied, but the subnet routes or exit node this node "
        "advertises forward nothing if it is off."
    )
    fix = (
        "Check by hand: `sysctl net.ipv4.ip_forward net.ipv6.conf.all.forwarding` (or `cat "
        "/proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv6/conf/all/forwarding`); if 0, enable it persistently "
        "(`echo 'net.ipv4.ip_forward = 1' | sudo tee -a /etc/sysctl.d/99-tailscale.conf; echo "
        "'net.ipv6.conf.all.forwarding = 1' | sudo tee -a /etc/sysctl.d/99-tailscale.conf; sudo sysctl -p "
        "/etc/sysctl.d/99-tailscale.conf`). Give tailscaled's service a PATH that holds sysctl (systemd: "
        "`Environment=PATH=/usr/sbin:/usr/bin:/sbin:/bin` in a drop-in, NixOS: a current tailscale module) or "
        "make /proc/sys visible to it, then rerun the same `tailscale up`/`set`: no warning means it is read."
    )
    yield ctx.finding(f"{ctx.facts.label}: {cause}", fix, ctx.facts.evidence(*(e.line for e in found[:2])))


@rule(
    id="TS-CLI-UDP-GRO-SUBOPTIMAL",
    name="cli-udp-gro-suboptimal",
    family="tailscale-windows",
    severity=Severity.INFO,
    summary="tailscale up/set advised enabling UDP GRO forwarding on the default-route NIC (throughput, not a fault)",
    target="windows",
)
def udp_gro_suboptimal(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: on Linux, a node that advertises routes or an exit node checks whether the NIC of its default
    route has ``rx-udp-gro-forwarding`` on (and ``rx-gro-list`` off); without it forwarded UDP (WireGuard
    from peers) is not coalesced and throughput is lower. Forwarding works either way: an advisory, not a
    fault (Tailscale 1.54+ with Linux 6.2+ can use it).

    *Bad*::

        Warning: UDP GRO forwarding is suboptimally configured on eno1, UDP forwarding throughput capability will increase with a configuration change.
        See https://tailscale.com/s/ethtool-config-udp-gro

    *Good*::

        Warning: IP forwarding is disabled, subnet routing/exit nodes will not work.
    """
    found = _errors(report, CliErrorKind.UDP_GRO_SUBOPTIMAL)
    if not found:
        return
    if found[0].explanation is not None:
        # tailscaled refused to enable it when asked (cli_catalog/relayed.py says why): what was asked for did not
        # happen, a warning rather than the advisory
        cause, fix = found[0].explanation
        yield ctx.finding(
            f"{ctx.facts.label}: {cause}",
            fix,
            ctx.facts.evidence(*(e.line for e in found[:2])),
            severity=Severity.WARNING,
        )
        return
    nic = re.search(r"configured on (\S+?),", found[0].line.text)
    device = nic.group(1) if nic else "$NETDEV"
    yield ctx.finding(
        f"{ctx.facts.label}: the NIC of the default route ({device}) does not coalesce forwarded UDP "
        "(rx-udp-gro-forwarding off or rx-gro-list on): forwarding through this node works, with less "
        "throughput than it could have.",
        f"Optional, for throughput: `sudo ethtool -K {device} rx-udp-gro-forwarding on rx-gro-list off` (find the "
        "NIC with `ip -o route get 8.8.8.8 | cut -f 5 -d ' '`); make it persistent with a networkd-dispatcher "
        "script in /etc/networkd-dispatcher/routable.d/ or a systemd oneshot "
        "(https://tailscale.com/s/ethtool-config-udp-gro).",
        ctx.facts.evidence(*(e.line for e in found[:2])),
    )


# a Linux interface name (IFNAMSIZ 16 with its NUL): only such a name is put into the sysctl command shown
_STRICT_RP_FILTER_NIC = lazy_compile(r'interface "(?P<nic>[\w.@:-]{1,15})" has strict reverse-path filtering enabled')


@rule(
    id="TS-CLI-EXIT-NODE-RP-FILTER-RISK",
    name="cli-exit-node-rp-filter-risk",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="tailscale up/set --exit-node warned that strict rp_filter on Linux will drop the exit node's replies",
    target="windows",
)
def exit_node_rp_filter_risk(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: with an exit node, this Linux machine's internet traffic leaves through ``tailscale0`` but the
    replies' source addresses are internet addresses whose route (by the main table) points at the physical
    NIC; strict reverse-path filtering (``rp_filter=1``, on the interface or ``all``: the kernel uses the
    higher) drops every such reply. The CLI checks it before using an exit node and asks to continue;
    ``--accept-risk=linux-strict-rp-filter`` only skips the question, the replies are still dropped.

    *Bad*::

        $ tailscale up --exit-node=lizard
        The following issues on your machine will likely make usage of exit nodes impossible:
        - interface "ens4" has strict reverse-path filtering enabled
        Please set rp_filter=2 instead of rp_filter=1; see https://github.com/tailscale/tailscale/issues/3310
        To skip this warning, use --accept-risk=linux-strict-rp-filter

    *Good*::

        $ tailscale up --exit-node=lizard
        Warning: UDP GRO forwarding is suboptimally configured on ens4, UDP forwarding throughput capability will increase with a configuration change.
    """
    found = _errors(report, CliErrorKind.EXIT_NODE_RP_FILTER_RISK)
    if not found:
        return
    nics = list(dict.fromkeys(m.group("nic") for e in found for m in _STRICT_RP_FILTER_NIC.finditer(e.detail)))
    named = ", ".join(nics) if nics else "an interface"
    sysctls = " ".join(f"net.ipv4.conf.{nic}.rp_filter=2" for nic in ["all", *nics])
    aborted = any("aborted, no changes made" in e.detail for e in found)
    answer = (
        " The CLI asked to continue and was not told yes: it aborted, nothing changed (the exit node was not set)."
        if aborted
        else ""
    )
    yield ctx.finding(
        f"{ctx.facts.label}: strict reverse-path filtering (rp_filter=1) on {named}: replies to traffic sent "
        "through the exit node arrive on tailscale0 and are dropped by the kernel, so using an exit node will "
        f"likely cut this machine off the internet.{answer}",
        f"Set loose mode: `sudo sysctl -w {sysctls}`, and persist it in /etc/sysctl.d/99-tailscale.conf (one "
        "`net.ipv4.conf.<if>.rp_filter = 2` line each, then `sudo sysctl --system`); then rerun the same command: "
        "no warning means it is fixed. `--accept-risk=linux-strict-rp-filter` only skips this warning.",
        ctx.facts.evidence(*(e.line for e in found[:2])),
    )


@rule(
    id="TS-UP-CONTROL-UNREACHABLE",
    name="up-control-unreachable",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="Login cannot reach the coordination server (an HTTP error answered instead)",
    target="windows",
)
def control_unreachable(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``502: backend not found or not available`` after ``tailscale up`` (or in the mobile apps) is
    an HTTP answer from whatever sits at the coordination server's address, not from tailscaled: the
    daemon runs and relayed it. Restarting or reinstalling Tailscale does not help; the network path to
    the control server (proxy, filtering DNS, VPN, a Headscale reverse proxy without its upstream) does.

    *Bad*::

        $ sudo tailscale up
        502: backend not found or not available

    *Good*::

        failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?)
    """
    yield from _emit(CliErrorKind.CONTROL_UNREACHABLE, report, ctx)


@rule(
    id="TS-CLI-LOGIN-SERVER-MISMATCH",
    name="cli-login-server-mismatch",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="up/login --login-server=<A> printed a login URL of another control server: the switch did not take",
    target="windows",
)
def login_server_mismatch(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the URL under ``To authenticate, visit:`` comes from the control server the daemon talks to. When
    ``tailscale up --login-server=<A>`` prints a URL of another server (a Headscale ``/register/nodekey:…`` or
    ``/oidc/register/…`` path after naming Tailscale's controlplane, Tailscale's ``login.tailscale.com/a/…``
    after naming a self-hosted server, or simply another host), the daemon kept its old control URL: a reset
    that did not take, a policy/MDM ``LoginURL`` or the GUI's setting overriding the flag, or a second
    tailscaled answering. Logging in there joins the old network.

    *Bad*::

        $ tailscale up --login-server https://controlplane.tailscale.com --force-reauth --reset
        To authenticate, visit:

                https://hs.corp.net/oidc/register/nodekey:4a5b6c

    *Good*::

        $ tailscale up --login-server https://hs.corp.net
        To authenticate, visit:

                https://hs.corp.net/register/nodekey:4a5b6c
    """
    yield from _emit(CliErrorKind.LOGIN_SERVER_MISMATCH, report, ctx)


@rule(
    id="TS-CLI-SSH-SERVER-UNSUPPORTED",
    name="cli-ssh-server-unsupported",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="--ssh refused: this build or platform cannot run the Tailscale SSH server",
    target="windows",
)
def ssh_server_unsupported(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale up --ssh`` / ``set --ssh`` first checks that this build may host the Tailscale SSH
    server (envknob/featureknob ``CanRunTailscaleSSH``): not the sandboxed macOS GUI builds, not the
    Synology/QNAP packages, not Windows, and not with ``TS_DISABLE_SSH_SERVER``. The refusal changes nothing;
    reinstalling the same app does not help.

    *Bad*::

        $ tailscale up --ssh --reset
        2024/11/15 15:34:33 The Tailscale SSH server does not run in sandboxed Tailscale GUI builds.

    *Good*::

        $ sudo tailscale up --ssh
        failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?)
    """
    yield from _emit(CliErrorKind.SSH_SERVER_UNSUPPORTED, report, ctx)


@rule(
    id="TS-CLI-DAEMON-CONNECTION-RESET",
    name="cli-daemon-connection-reset",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="tailscaled dropped the CLI's LocalAPI request mid-way (EOF / connection reset): it died or restarted",
    target="windows",
)
def daemon_connection_reset(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the CLI talks to tailscaled over LocalAPI (HTTP on its socket or named pipe). ``… localapi/v0/…":
    EOF`` or ``read: connection reset by peer`` means the request was accepted and the connection then
    closed without an answer: the daemon went away during the command (a crash, the OOM killer, a
    restart). A following ``doesn't appear to be running`` confirms it did not come back.

    *Bad*::

        # tailscale ping peer
        error Post "http://local-tailscaled.sock/localapi/v0/ping?ip=100.64.0.3&size=0&type=disco": read unix @->/var/run/tailscale/tailscaled.sock: read: connection reset by peer:

    *Good*::

        # tailscale ping peer
        pong from peer (100.64.0.3) via DERP(fra) in 23ms
    """
    yield from _emit(CliErrorKind.DAEMON_CONNECTION_RESET, report, ctx)


@rule(
    id="TS-CLI-INTERRUPTED",
    name="cli-interrupted",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="the CLI was interrupted while it waited for tailscaled (the command hung)",
    target="windows",
)
def cli_interrupted(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: v0.98-v1.6 `tailscale up` (and `ping`) waited for tailscaled's notifications on its socket; Ctrl-C
    or SIGTERM made the CLI close that socket itself, and the read still pending printed ``ReadMsg: read unix
    @->…: use of closed network connection``. The daemon answered until then: the command was stopped because
    it hung, usually on a control server tailscaled cannot reach (a proxy it does not use) or an unopened login.

    *Bad*::

        $ sudo tailscale up
        2020/11/13 16:20:08 ReadMsg: read unix @->/run/tailscale/tailscaled.sock: use of closed network connection

    *Good*::

        $ sudo tailscale up
        Success.
    """
    yield from _emit(CliErrorKind.CLI_INTERRUPTED, report, ctx)


@rule(
    id="TS-NETCHECK-DERPMAP-FETCH-FAILED",
    name="netcheck-derpmap-fetch-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="tailscale netcheck could not fetch a DERP map: no report was made",
    target="windows",
)
def derpmap_fetch_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: netcheck measures against the DERP map; tailscaled gives it one once logged in, otherwise the
    CLI fetches ``/derpmap/default`` from the control server itself (``No DERP map from tailscaled; using
    default.``). When that fetch fails (``fetch prodDERPMap failed: …``) netcheck stops: no UDP, NAT or
    latency was measured, so the paste says nothing about the network's UDP.

    *Bad*::

        2024/01/28 05:08:40 No DERP map from tailscaled; using default.
        fetch prodDERPMap failed: Get "https://controlplane.tailscale.com/derpmap/default": dial tcp: lookup controlplane.tailscale.com on [::1]:53: read udp [::1]:50349->[::1]:53: read: connection refused

    *Good*::

        Report:
                * UDP: true
    """
    yield from _emit(CliErrorKind.DERPMAP_FETCH_FAILED, report, ctx)


@rule(
    id="TS-CLI-PANIC",
    name="cli-panic",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="The tailscale CLI panicked: the command gave no answer",
    target="windows",
)
def cli_panic(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a ``panic: …`` and goroutine trace printed right under ``tailscale <command>`` come from the
    CLI process, not from tailscaled (whose panics are in its log, under the service manager). The CLI
    died before printing its result, so the paste holds a bug report, not a measurement.

    *Bad*::

        C:\\Users\\me>tailscale netcheck
        panic: runtime error: invalid memory address or nil pointer dereference

    *Good*::

        C:\\Users\\me>tailscale netcheck
        Report:
    """
    yield from _emit(CliErrorKind.CLI_PANIC, report, ctx)


# What each backend state the CLI names means for a node without tailnet addresses, and what brings it up.
_STATE_CAUSE_FIX: dict[str, tuple[str, str]] = {
    "NeedsLogin": (
        "the node has never logged in, or its login ended: a `tailscale up --authkey=…` before it that printed "
        "nothing did not bring it up (the key was refused, expired or already used, or its tags are not ones "
        "the key may apply), or the node key expired",
        "Log in: `sudo tailscale up` and open the URL it prints, or `sudo tailscale up --auth-key=<a new key>` "
        "(reusable for images and scripts that replay it; with `--advertise-tags`, a key created with those "
        "tags, or tags the key's owner may apply in the ACL's tagOwners); with Headscale also "
        "`--login-server=<its URL>`. Check `tailscale status` and `journalctl -u tailscaled` for why the key "
        "was refused.",
    ),
    "NeedsMachineAuth": (
        "the node logged in but waits for an admin to approve it (device approval is on)",
        "Approve the machine in the admin console (Machines → Approve), or create the auth key pre-approved.",
    ),
    "Stopped": (
        "Tailscale was turned off on this node (`tailscale down`, or the app's switch)",
        "Run `sudo tailscale up` (with the same flags as before).",
    ),
}
_STATE_STARTING = (
    "tailscaled is still starting (no control answer yet): the command ran too early, or the daemon cannot "
    "reach the coordination server",
    "Retry after a few seconds (in a script, wait for `tailscale status` to succeed); if it stays so, check "
    "`journalctl -u tailscaled` for control-server errors.",
)


@rule(
    id="TS-CLI-NOT-RUNNING-STATE",
    name="cli-not-running-state",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="the backend is not Running: tailscale ip names its state (NeedsLogin, Stopped, …), the engine answers "
    '"local tailscaled stopped"',
    target="windows",
)
def not_running_state(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale ip`` answers ``no current Tailscale IPs; state: <State>`` when the node has no
    tailnet address, naming the backend state: NeedsLogin (not logged in: an auth key that was refused or
    expired, a login never finished), NeedsMachineAuth (awaiting approval), Stopped (``tailscale down``),
    Starting/NoState (still coming up). tailscaled runs (it answered); the node is not on the tailnet.
    ``tailscale ping`` on such a node gets the engine's own ``local tailscaled stopped`` (no node key).

    *Bad*::

        + tailscale up --ssh --advertise-tags=tag:server --authkey=tskey-auth-...
        + tailscale ip -4
        no current Tailscale IPs; state: NeedsLogin

    *Good*::

        $ tailscale status
        100.101.102.103  node  jane@  linux  -
    """
    found = _errors(report, CliErrorKind.NOT_RUNNING_STATE)
    if not found:
        return
    if all(ENGINE_STOPPED.search(normalise_error_text(e.line.text)) for e in found):
        yield ctx.finding(
            f'{ctx.facts.label}: tailscaled answered "local tailscaled stopped": its WireGuard engine holds no '
            "node key, so the backend is not Running (not logged in, logged out, or turned off with `tailscale "
            "down` or the app's switch). Nothing was sent to the peer; this says nothing about the connection.",
            "Check `tailscale status` (it names the state: Logged out, Stopped, NeedsLogin); run `tailscale up` "
            "(or turn Tailscale on in the app) and log in, then retry. On Windows, if the app still shows it off, "
            "restart the Tailscale service (`net stop Tailscale` then `net start Tailscale`, as administrator).",
            ctx.facts.evidence(*(e.line for e in found[:3])),
            title="Tailscale is not running on this node (its engine is stopped)",
        )
        return
    if (explained := found[-1].explanation) is not None:
        # a catalogued wording (cli_catalog/wrappers.py: the GitHub Action's state check, `tailscale up --timeout`)
        # says its own cause and fix
        yield ctx.finding(
            f"{ctx.facts.label}: {explained[0]}",
            explained[1],
            ctx.facts.evidence(*(e.line for e in found[:3])),
            title="Tailscale is not running on this node (it did not reach Running)",
        )
        return
    state = cli_backend_state(found[-1]) or "unknown"
    cause, fix = _STATE_CAUSE_FIX.get(state, _STATE_STARTING)
    if (relayed := found[-1].detail) and relayed_state(relayed) is not None:
        # the CLI's own state line, relayed by the program that ran it (relayedoutput.py)
        yield ctx.finding(
            f'{ctx.facts.label}: the tailscale command another program ran answered "{relayed}" (relayed in that '
            f'program\'s log): the tailscaled it talks to is in state "{state}", {cause}. The command did nothing.',
            f"{fix} When the program uses a host's tailscaled through its socket, check it is the logged-in one "
            "(`tailscale status` on the host, and the socket path the program is given).",
            ctx.facts.evidence(*(e.line for e in found[:3])),
            title=f"Tailscale is not running on this node (state {state})",
        )
        return
    yield ctx.finding(
        f'{ctx.facts.label}: `tailscale ip`/`whoami` found no tailnet address, backend state "{state}": {cause}. The node '
        "is not on the tailnet; nothing can reach it.",
        fix,
        ctx.facts.evidence(*(e.line for e in found[:3])),
        title=f"Tailscale is not running on this node (state {state})",
    )


# What a Taildrop send failed on (cli/file.go, feature/taildrop, the pre-1.20 CLI's own PUT to the peer's
# PeerAPI): (pattern, cause, fix), the first that matches the error lines.
_UNROUTABLE = r"connect: (?:no route to host|network is unreachable)|A socket operation was attempted to an unreachable"
_TAILDROP_CAUSES: tuple[tuple[re.Pattern[str] | LazyPattern, str, str], ...] = (
    (
        lazy_compile(r"\bPut \"?https?://[^\s\"/]+/v0/put/\S*: .*(?:" + _UNROUTABLE + ")", re.IGNORECASE),
        "the CLI (before 1.20 it sent files itself) dialled the receiving peer's PeerAPI from this machine's own "
        "network stack, and the OS has no route to the peer's tailnet address: tailscaled runs in "
        "userspace-networking mode (no tailscale0 interface, no route to 100.64.0.0/10: Synology, containers, "
        "`--tun=userspace-networking`), so the file was not sent. The daemon itself runs.",
        "Update Tailscale to 1.20 or later, where `tailscale file cp` hands the file to tailscaled, which reaches "
        "the peer in userspace mode too; or run tailscaled with a TUN device (drop --tun=userspace-networking).",
    ),
    (
        lazy_compile(r"\bPut \"?https?://[^\s\"/]+/v0/put/", re.IGNORECASE),
        "the CLI (before 1.20 it sent files itself) could not reach the receiving peer's PeerAPI: the peer is "
        "offline or not reachable from here (a firewall on its side, no direct or DERP path), so the file was "
        "not sent.",
        "Check the peer is online (`tailscale status`, `tailscale ping <peer>`), then retry; update Tailscale to "
        "1.20 or later, where tailscaled itself carries the file to the peer.",
    ),
    (
        lazy_compile(r"^(?:\d{4}/\d\d/\d\d \d\d:\d\d:\d\d )?502 Bad Gateway:$", re.IGNORECASE),
        "tailscaled accepted the file (the CLI reached it: the service runs) and relaying it to the receiving "
        "peer's PeerAPI failed: the peer did not answer (offline, asleep, unreachable, or with no PeerAPI "
        "listening), so its reverse proxy answered a bare 502 and the file was not sent.",
        "Check the target: `tailscale status` (online? same user?) and `tailscale ping <peer>`; wake or start "
        "Tailscale on it and retry. With Headscale, use a version that supports Taildrop and keep both nodes "
        "under the same user (`tailscale file cp --targets` lists who can receive).",
    ),
    (
        lazy_compile(r"Taildrop disabled; no storage directory|Taildrop folder not configured or accessible", re.I),
        "the receiving peer refused the file: its tailscaled has no Taildrop directory (a daemon started "
        "without --statedir/state directory, or a NAS package whose Taildrop share is not set up).",
        "On the receiving node, give tailscaled a state directory (`--statedir=…`) or configure its Taildrop "
        "folder (Synology/QNAP: the package's Taildrop share), restart it, and retry.",
    ),
    (
        lazy_compile(r"409 Conflict: file already exists", re.IGNORECASE),
        "the receiving peer refused the file: a file of that name already waits in its Taildrop inbox (or was "
        "already received), and it does not overwrite.",
        "On the receiving node, collect or delete the waiting file (`tailscale file get <dir>` or the app's "
        "Taildrop inbox), or send under another name (`tailscale file cp --name=<new> …`).",
    ),
    (
        lazy_compile(r"400 Bad Request: invalid filename", re.IGNORECASE),
        "the receiving peer refused the file name (Taildrop accepts no path separators, control characters, "
        "leading dots/dashes or reserved names).",
        "Rename the file (or pass `--name=<plain name>`) and send it again.",
    ),
    (
        lazy_compile(
            r"file sharing not enabled by (?:Tailscale )?admin|missing required Taildrop capability", re.IGNORECASE
        ),
        "the tailnet does not grant this node file sharing (Taildrop): the admin has it off, or the control "
        "server (e.g. an older Headscale) does not give the capability.",
        "Enable 'Send Files' in the admin console (Settings → Features), or with Headscale upgrade to a version "
        "that grants Taildrop; then retry.",
    ),
    (
        lazy_compile(r"owned by (?:a )?different user", re.IGNORECASE),
        "the target belongs to another user: Taildrop only sends between devices of the same user (shared and "
        "other users' devices cannot receive).",
        "Send to one of your own devices (`tailscale file cp --targets` lists them); move files between users "
        "another way.",
    ),
    (
        lazy_compile(
            r"target's OS does not support Taildrop|not advertising a file sharing API|old Tailscale vers", re.I
        ),
        "the target cannot receive files: its OS or Tailscale version has no Taildrop receiver (PeerAPI "
        "not advertised).",
        "Update Tailscale on the target (and use a platform that supports Taildrop), then retry.",
    ),
    (
        lazy_compile(r"peer is offline|reportedly offline", re.IGNORECASE),
        "the target is offline: tailscaled could not deliver the file.",
        "Bring the target online (open Tailscale on it), check with `tailscale status`, and retry.",
    ),
    (
        lazy_compile(r"unknown target|invalid or unrecognized peer|not in your Tailnet|not a Tailscale IP", re.I),
        "the target is not a device of this tailnet that this node knows (a typo, a removed node, an address "
        "outside 100.64.0.0/10).",
        "Use a name or 100.x address from `tailscale file cp --targets` (or `tailscale status`), ending in ':'.",
    ),
    (
        lazy_compile(r"not connected to the tailnet|no netmap available", re.IGNORECASE),
        "this node is not connected to the tailnet (logged out, stopped or still starting), so it cannot send.",
        "Bring it up (`tailscale up`; check `tailscale status`), then retry the send.",
    ),
    (
        lazy_compile(
            GUI_FETCH_FILES_FAILED.pattern + r".*(?:cannot find the (?:file|path) specified|no such file)", re.I
        ),
        "a Taildrop receive is stuck: the Windows app keeps asking tailscaled for the files it received (its log's "
        "`fetchFiles`, every few seconds) and tailscaled answers with an error because a file its inbox lists is "
        "gone from disk (a partial or removed file in tailscaled's Taildrop directory: antivirus, a cleanup, an "
        "interrupted transfer). tailscaled runs and answers; the file never reaches Downloads.",
        "Look in tailscaled's Taildrop directory (C:\\ProgramData\\Tailscale\\files\\…), delete the stuck "
        "entries (and any *.partial), restart the Tailscale service, update Tailscale, then have the sender send "
        "the file again.",
    ),
    (
        GUI_FETCH_FILES_FAILED,
        "a Taildrop receive fails: the Windows app asks tailscaled for the files it received (its log's "
        "`fetchFiles`) and tailscaled answers with an error (the status after `fetchFiles:`), so the file never "
        "reaches Downloads. tailscaled runs and answers.",
        "Read the error after the status (403: the app's user may not use Taildrop; 500: tailscaled's Taildrop "
        "directory, C:\\ProgramData\\Tailscale\\files\\…, unreadable or a file in it gone); fix it, restart the "
        "Tailscale service, and have the sender send the file again.",
    ),
)


@rule(
    id="TS-CLI-TAILDROP-FAILED",
    name="cli-taildrop-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="Taildrop (tailscale file cp / file get) failed",
    target="windows",
)
def taildrop_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale file cp <file> <peer>:`` first checks the target (``can't send to X: …``), then hands
    the file to tailscaled, which relays it to the receiving peer's PeerAPI (before 1.20 the CLI PUT it to the
    peer itself: ``Put "http://100.x.y.z:port/v0/put/<name>": …``). An error says where it stopped: the
    target (not ours, offline, no receiver), the tailnet (file sharing not granted), the peer (no Taildrop
    directory, no answer: ``502 Bad Gateway:``) or this machine's network stack (no route to the peer in
    userspace-networking mode). tailscaled answered in each case: it is not "not running".

    *Bad*::

        $ tailscale file cp hello phone:
        Put "http://100.118.149.75:43959/v0/put/hello": dial tcp 100.118.149.75:43959: connect: no route to host

    *Good*::

        $ tailscale file cp hello phone:
        can't send to phone: failed to get local status: Get "http://local-tailscaled.sock/localapi/v0/status": dial unix /var/run/tailscale/tailscaled.sock: connect: no such file or directory
    """
    yield from _emit_first_cause(
        CliErrorKind.TAILDROP_FAILED,
        _TAILDROP_CAUSES,
        (
            "the Taildrop send failed; tailscaled answered (the service runs), the file was not delivered.",
            "Read the error after the target; check the target with `tailscale file cp --targets` and "
            "`tailscale ping <peer>`, then retry.",
        ),
        report,
        ctx,
    )


# Why tailscaled (or the CLI) refused a `tailscale lock` command: (pattern, cause, fix), the first that matches.
_LOCK_CAUSES: tuple[tuple[LazyPattern, str, str], ...] = (
    (
        lazy_compile(r"cannot add key .*: already exists", re.IGNORECASE),
        "the key given to `tailscale lock add` is already a trusted signing key of the tailnet lock: nothing "
        "was changed (often a node's own key, or one added before).",
        "Check the trusted keys with `tailscale lock status`; to trust another node, run `tailscale lock status` "
        "on that node and pass its own `tlpub:…` key to `tailscale lock add`.",
    ),
    (
        lazy_compile(r"maximum number of keys reached", re.IGNORECASE),
        "the tailnet lock already trusts the maximum number of signing keys: no key can be added.",
        "Remove a key no longer needed (`tailscale lock remove tlpub:…`), then add the new one.",
    ),
    (
        lazy_compile(r"access denied", re.IGNORECASE),
        "tailscaled refused the tailnet-lock request (403): this user may not change (or read) the tailnet "
        "lock through LocalAPI.",
        "Run the command with `sudo` (Windows: an elevated console).",
    ),
    (
        lazy_compile(r"not supported on your pricing plan", re.IGNORECASE),
        "the tailnet's plan does not include Tailnet Lock: the coordination server refused to initialise it.",
        "Use a plan that includes Tailnet Lock (see https://tailscale.com/pricing), then run `tailscale lock "
        "init` again.",
    ),
    (
        lazy_compile(r"lock is not (?:active|enabled)", re.IGNORECASE),
        "Tailnet Lock is not enabled on this tailnet (or this node has not synced it), so there is nothing to "
        "add to, sign or change.",
        "Initialise it first (`tailscale lock init <trusted keys>` on a node whose key will be trusted), or run "
        "the command on a tailnet where `tailscale lock status` says it is enabled.",
    ),
    (
        lazy_compile(r"lock is already enabled", re.IGNORECASE),
        "`tailscale lock init` was refused: Tailnet Lock is already enabled on this tailnet.",
        "Nothing to initialise: manage it with `tailscale lock add/remove/sign` from a trusted node.",
    ),
    (
        lazy_compile(r"does not have a trusted .*lock key|lock key of the current node must be one of", re.I),
        "this node's tailnet-lock key is not a trusted signing key, so it may not sign or change the lock (on "
        "`init`, its own key must be among the keys given).",
        "Run the command on a trusted node (`tailscale lock status` there lists it as trusted), or include this "
        "node's `tlpub:…` key (from `tailscale lock status` here) in `tailscale lock init`.",
    ),
    (
        lazy_compile(r"cannot remove (?:the last|local) trusted signing key", re.IGNORECASE),
        "`tailscale lock remove` was refused: the key is the last trusted one (the lock would lock everyone "
        "out) or this node's own key while re-signing.",
        "Add another trusted key first, or use `tailscale lock disable <disablement secret>`; or run the "
        "removal from another trusted node (or with --re-sign=false).",
    ),
    (
        lazy_compile(r"incorrect disablement secret", re.IGNORECASE),
        "`tailscale lock disable` was refused: the disablement secret does not match any of the tailnet's.",
        "Use one of the disablement secrets printed by `tailscale lock init` (kept offline); without one, "
        "contact Tailscale support.",
    ),
    (
        lazy_compile(r"central tka head differs", re.IGNORECASE),
        "the change raced another tailnet-lock update: the coordination server's lock state moved on first.",
        "Retry the same command after a few seconds.",
    ),
)


@rule(
    id="TS-CLI-TAILNET-LOCK-FAILED",
    name="cli-tailnet-lock-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="A tailscale lock command was refused: the tailnet lock was not changed",
    target="windows",
)
def tailnet_lock_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale lock add/remove/sign/init/disable`` ask tailscaled (LocalAPI) to change the tailnet
    lock (Tailnet Lock, "network-lock" in older messages). A refusal (``500 Internal Server Error:
    network-lock modify failed: …``, ``tailnet lock is not enabled``) comes from the daemon or the CLI after
    it read the lock state: tailscaled runs, and the reason is in the message (a key already trusted, this
    node not trusted, no lock, no permission). Nothing was changed.

    *Bad*::

        $ tailscale lock add tlpub:0123
        error: 500 Internal Server Error: network-lock modify failed: modify network-lock keys: cannot add key {25519 1 [1 2 3] map[]}: already exists

    *Good*::

        $ tailscale lock status
        Tailnet lock is NOT enabled.
        $ tailscale status
        100.64.0.1  nas  me@  linux  -
    """
    yield from _emit_first_cause(
        CliErrorKind.TAILNET_LOCK_FAILED,
        _LOCK_CAUSES,
        (
            "tailscaled refused the tailnet-lock change (the daemon runs and answered): the lock was not changed.",
            "Read the reason after 'failed:'; check `tailscale lock status` (enabled? this node trusted?) and "
            "retry from a trusted node.",
        ),
        report,
        ctx,
    )


@rule(
    id="TS-CLI-TAGS-NOT-PERMITTED",
    name="cli-tags-not-permitted",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="A node or new auth key asked for tags the tailnet policy does not let it own (or none, or invalid ones)",
    target="windows",
)
def tags_not_permitted(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a tag belongs to whoever the policy's ``tagOwners`` names. The coordination server (Headscale
    too) refuses a node's ``--advertise-tags`` and the API refuses a new auth key with ``requested tags
    [...] are invalid or not permitted`` when a tag is not declared there, or the asking user / OAuth
    client / key may not apply it; an OAuth client or workload identity can only mint tagged keys, so an
    empty list (``[]``) or ``tailnet-owned auth key must have tags set`` means no tag reached the request.
    The CLI also refuses misspelt tags before asking anyone. The node did not join (or keep) the tags.

    *Bad*::

        $ sudo tailscale up --advertise-tags=tag:ci --auth-key=tskey-client-...
        backend error: requested tags [tag:ci] are invalid or not permitted

    *Good*::

        $ sudo tailscale up --advertise-tags=tag:ci --auth-key=tskey-auth-...
        backend error: invalid key: API key tskey-auth-... not valid
    """
    found = _errors(report, CliErrorKind.TAGS_NOT_PERMITTED)
    if not found:
        return
    tags = next((t for t in (requested_tags(e) for e in found) if t is not None), None)
    text = " ".join(e.line.text for e in found)
    if "authkeys require --advertise-tags" in text or "must have tags set" in text or tags == ():
        what = "no tag reached the request (an empty list)" if tags == () else "the request carried no tags"
        cause = (
            f"creating an auth key was refused: {what}. An OAuth client, a workload identity (federated) "
            "credential or an API-only tailnet can only create tagged keys, which belong to the tailnet "
            "rather than to a user; an empty `--advertise-tags`/`tags` input (an unset CI variable, a stray "
            "comma) asks for none."
        )
        fix = (
            "Pass the tags explicitly, e.g. `tailscale up --auth-key=tskey-client-…?ephemeral=true "
            "--advertise-tags=tag:ci` (GitHub Action: `tags: tag:ci`; operator: its `tags` setting), using a "
            "tag declared in the policy's tagOwners that the OAuth client was created with (its `auth_keys` "
            "scope lists the tags it may use)."
        )
    elif tags or "requested tags" in text:
        named = ", ".join(tags) if tags else "the requested tags"
        cause = (
            f"the coordination server refused {named}: a tag must be declared in the tailnet policy's "
            "`tagOwners`, and the one asking (the logged-in user, the auth key's owner, or the OAuth "
            "client/federated identity through its allowed tags) must be one of its owners. A typo in the "
            "tag or a policy change not saved yet gives the same refusal."
        )
        fix = (
            f'Declare the tag in the policy (Access controls → `"tagOwners": {{"{tags[0] if tags else "tag:x"}": '
            '["autogroup:admin"]}`, or the OAuth client\'s tag as owner), give the OAuth client / key that '
            "tag when creating it, or advertise only tags you own; check the spelling (`tag:` + letters, "
            "digits, dashes). With Headscale, the same tagOwners in its policy file."
        )
    else:
        cause = (
            "the CLI (or the Kubernetes operator) refused a tag before asking the coordination server: a tag "
            "is `tag:` followed by a letter, then letters, digits or dashes."
        )
        fix = "Correct the tag's spelling (e.g. `--advertise-tags=tag:web-server`; several are comma-separated)."
    yield ctx.finding(
        f"{ctx.facts.label}: {cause}", fix, ctx.facts.evidence(*(e.line for e in found[:3])), tags=list(tags or ())
    )


_CONFIGURE_HOST_STEP_TEXT: dict[str, tuple[str, str, str]] = {
    "setcap": (
        "setcap",
        "giving the package's tailscaled the cap_net_admin and cap_net_raw file capabilities (`/bin/setcap "
        "cap_net_admin,cap_net_raw+eip …/tailscaled`) failed{why}",
        "Run it as root from a root shell (`sudo -i`, then `/var/packages/Tailscale/target/bin/tailscale "
        "configure-host`), or as a DSM Task Scheduler boot-up task run by root; check that "
        "/var/packages/Tailscale/target/bin/tailscaled is the package's regular file (not a symlink, not on a "
        "volume without extended attributes); then `sudo synosystemctl restart pkgctl-Tailscale.service`.",
    ),
    "root": (
        "root check",
        "it refuses to run as a normal user: it creates /dev/net/tun and sets file capabilities",
        "Run it as root: `sudo /var/packages/Tailscale/target/bin/tailscale configure-host` (or a DSM Task "
        "Scheduler boot-up task with user root), then restart the package.",
    ),
    "dsm-version": (
        "DSM version check",
        "it only knows DSM 6 and 7 and did not recognise this system's version",
        "Use the Tailscale package built for this DSM version; on other systems set up /dev/net/tun by hand "
        "or keep userspace networking.",
    ),
    "tun-device": (
        "/dev/net/tun",
        "creating or opening up /dev/net/tun (mkdir, mknod, chmod) failed",
        "Run it as root; if it still fails, the kernel lacks the tun module (`sudo insmod "
        "/lib/modules/tun.ko`), so tailscaled can only run in userspace mode.",
    ),
    "package-missing": (
        "package check",
        "the Tailscale package's tailscaled is not at /var/packages/Tailscale/target/bin/tailscaled",
        "Install the Tailscale package from the Package Center (or the .spk from pkgs.tailscale.com), then "
        "run the command again.",
    ),
}
_SETCAP_WHY = (
    (
        "invalid argument",
        ": setcap answered 'Invalid argument' (the file cannot carry capabilities there: not a "
        "regular file, a file system without security attributes, or a capability the kernel refuses)",
    ),
    ("operation not permitted", ": setcap answered 'Operation not permitted' (not run as root)"),
    ("no such file", ": /bin/setcap or the tailscaled binary is missing"),
)


@rule(
    id="TS-CLI-CONFIGURE-HOST-FAILED",
    name="cli-configure-host-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="Synology `tailscale configure-host` / `configure synology` failed at a named step: no TUN access",
    target="windows",
)
def configure_host_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: DSM 7 runs the Tailscale package as a normal user in userspace mode, so other programs on the
    NAS cannot reach the tailnet (no outbound connections). ``tailscale configure-host`` (``configure
    synology`` since 1.36), run as root at each boot, creates /dev/net/tun and gives tailscaled the
    network capabilities with setcap. Each step fails in its own words; until it succeeds the package
    stays in userspace mode. tailscaled itself is not what failed.

    *Bad*::

        # /var/packages/Tailscale/target/bin/tailscale configure-host
        setcap: exit status 1, Failed to set capabilities on file `/var/packages/Tailscale/target/bin/tailscaled' (Invalid argument)

    *Good*::

        # /var/packages/Tailscale/target/bin/tailscale configure-host
        Done. To restart Tailscale to use the new permissions, run:
        # tailscale status
        100.101.102.103  nas  jane@  linux  -
    """
    found = _errors(report, CliErrorKind.CONFIGURE_HOST_FAILED)
    if not found:
        return
    step = configure_host_step(found[0]) or "setcap"
    name, cause, fix = _CONFIGURE_HOST_STEP_TEXT[step]
    lowered = found[0].line.text.lower()
    why = next((text for word, text in _SETCAP_WHY if word in lowered), "")
    kernel = dsm_version_quoted_kernel(found[0]) if step == "dsm-version" else None
    if kernel is not None:
        cause, fix = (
            f'it quoted "{kernel}", which is the kernel release (`uname -r`), not DSM\'s version: this build of '
            "the CLI (the 1.31 unstable builds of September 2022) compared the kernel release with DSM 6/7 instead "
            "of DSM's own version (/etc.defaults/VERSION), so it refuses every NAS, a supported DSM included. A bug of "
            "that build, fixed in 1.32.0",
            "Upgrade the Tailscale package to 1.32 or later (Package Center, or the .spk for this DSM from "
            "pkgs.tailscale.com), then run `sudo tailscale configure-host` again and restart the package.",
        )
    yield ctx.finding(
        f"{ctx.facts.label}: Synology's `tailscale configure-host` stopped at the {name} step: "
        f"{cause.format(why=why)}. The package keeps running in userspace mode: the NAS's own programs "
        "cannot open connections to the tailnet. tailscaled itself is not at fault.",
        fix,
        ctx.facts.evidence(*(e.line for e in found[:3])),
        title=f"configure-host failed at {name}",
        step=step,
        kernel_release_read_as_dsm=kernel,
    )


@rule(
    id="TS-CLI-SUBCOMMAND-UNAVAILABLE",
    name="cli-subcommand-unavailable",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="A tailscaled/tailscale subcommand or feature this OS or build does not have (install-system-daemon, "
    "routecheck, …)",
    target="windows",
)
def subcommand_unavailable(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: tailscaled registers some subcommands per operating system: ``install-system-daemon`` /
    ``uninstall-system-daemon`` exist only where tailscaled installs itself as a service (macOS launchd,
    Windows); elsewhere (Linux, the BSDs), or in a build that left the installer out, it
    answers ``<sub> not available on <os>`` and does nothing. The CLI has platform-only commands too
    (``tailscale ssh`` is not in the App Store macOS app, ``update`` only where it can update). A tailscaled
    built without a feature (``ts_omit_*``) answers LocalAPI requests for it with ``feature not included in
    this build`` (501), and without its routecheck extension ``routecheck is not enabled`` (503: the daemon
    runs, this is no "no backend"). Nothing was installed or changed; no network problem is involved.

    *Bad*::

        ➜  ~ sudo $HOME/go/bin/tailscaled install-system-daemon
        install-system-daemon not available on darwin

    *Good*::

        ➜  ~ sudo $HOME/go/bin/tailscaled install-system-daemon
        ➜  ~ tailscale status
        100.101.102.103  mac  jane@  macOS  -
    """
    found = _errors(report, CliErrorKind.DAEMON_SUBCOMMAND_UNAVAILABLE)
    if not found:
        return
    if found[0].explanation is not None:  # a feature this build or node lacks (cli_catalog/features.py)
        cause, fix = found[0].explanation
        yield ctx.finding(
            f"{ctx.facts.label}: {cause}",
            fix,
            ctx.facts.evidence(*(e.line for e in found[:3])),
            title="a feature this build or node does not have",
            subcommand=None,
            platform=None,
        )
        return
    sub, where = unavailable_subcommand(found[0])
    sub, where = sub or "the subcommand", where or "this platform"
    if sub.endswith("system-daemon") and where.lower() in ("darwin", "windows"):
        cause = (
            f"tailscaled answered that it has no `{sub}` on {where}, where release builds have one: this "
            "build left the service installer out (a custom build tag, or a regressed commit of the main "
            "branch). Nothing was installed."
        )
        fix = (
            "Use a release build (macOS: `go install tailscale.com/cmd/tailscaled@latest` or a tagged "
            "version, Homebrew's `brew services start tailscale`, or the standalone app; Windows: the MSI), "
            f"then run `sudo tailscaled {sub}` again."
        )
    elif sub.endswith("system-daemon"):
        cause = (
            f"tailscaled has no `{sub}` on {where}: it can install itself as a service only on macOS "
            "(launchd) and Windows (cmd/tailscaled/install_darwin.go, install_windows.go). Nothing was "
            "installed."
        )
        fix = (
            "Install the OS's package instead (Linux: pkgs.tailscale.com ships the systemd unit; the BSDs: "
            "the port/package with its rc script), or run `tailscaled --state=… --socket=…` from the OS's "
            "own init system."
        )
    elif sub == "configure":
        cause = f"this `tailscale configure` subcommand is {where}: it has nothing to do on this system"
        fix = "Run it on the device it is for; nothing needs configuring here."
    else:
        cause = f"`{sub}` is not available on {where}; the command did nothing."
        fix = (
            "Use the variant of Tailscale that has it (macOS: the standalone app or open-source tailscaled "
            "for `tailscale ssh`; updates through the OS's package manager or app store where `update` is "
            "not supported), or the tool the message suggests."
        )
    yield ctx.finding(
        f"{ctx.facts.label}: {cause}",
        fix,
        ctx.facts.evidence(*(e.line for e in found[:3])),
        title=f"{sub} is not available on {where}",
        subcommand=sub,
        platform=where,
    )


# The name the CLI looked up ("error looking up IP of \"x\"", "no IPs found for \"x\"", "no peer found for \"x\"").
_LOOKED_UP_NAME = lazy_compile(r'(?:looking up IP of|found for) "([^"]*)"')


@rule(
    id="TS-CLI-PEER-NOT-FOUND",
    name="cli-peer-not-found",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="tailscale ip/whois found no peer with that name or address in the netmap",
    target="windows",
)
def peer_not_found(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale ip <name>`` (and ``whois``, ``configure kubeconfig``) resolve the name against the
    netmap's peers (a MagicDNS short or full name, an address); no match is this error. Before 1.16
    ``tailscale ip`` looked among the peers only, so the node's own name or address failed too
    (tailscale/tailscale#2803). A peer this node cannot see (another tailnet, removed, hidden by ACLs,
    a typo) gives the same answer. Not a daemon or network failure.

    *Bad*::

        $ tailscale ip
        100.74.70.3
        $ tailscale ip tsdev
        no peer found with IP 100.74.70.3

    *Good*::

        $ tailscale ip monitoring
        100.88.178.64
        $ tailscale status
        100.74.70.3    tsdev       jane@  linux  -
        100.88.178.64  monitoring  jane@  linux  idle
    """
    found = _errors(report, CliErrorKind.PEER_NOT_FOUND)
    if not found:
        return
    address = next((a for a in (missing_peer_address(e) for e in found) if a), None)
    if any(e.names_self for e in found):
        cause = (
            f"the name resolved to {address}, this node's own address (a bare `tailscale ip` above printed "
            "it), and this `tailscale ip` looks the name up among peers only, not the node itself (a CLI "
            "limitation before 1.16, tailscale/tailscale#2803): not a network or daemon problem"
        )
        fix = (
            "For this node's addresses run `tailscale ip` without a name (or update: 1.16+ answers for its own "
            "name too); `tailscale status` lists the peers' names."
        )
    else:
        named = next((m.group(1) for e in found if (m := _LOOKED_UP_NAME.search(e.line.text))), None)
        about = f" ({address})" if address else f' ("{named}")' if named else ""
        cause = (
            f"no peer in this node's netmap has that name or address{about}: a typo, a node of another "
            "tailnet or user, one removed or expired, one an ACL hides from this node, or (before 1.16) this "
            "node's own name, which `tailscale ip` matched only among peers. Not a network failure"
        )
        fix = (
            "See the names and addresses this node knows with `tailscale status` (the second column; full "
            "MagicDNS names in `tailscale status --json`); for this node itself run `tailscale ip` without a "
            "name; check the ACLs if the peer should be visible."
        )
    if found[0].explanation is not None:  # a catalogued refusal (cli_catalog/) says its own cause and fix
        cause, fix = found[0].explanation
        cause = cause.removesuffix(".")
    yield ctx.finding(
        f"{ctx.facts.label}: {cause}.",
        fix,
        ctx.facts.evidence(*(e.line for e in found[:3])),
        address=address,
        self_address=any(e.names_self for e in found),
    )


_PEER_KEY_EXPIRED_TEXT = (
    "the peer's node key has expired, so tailscaled sends it nothing and nothing can reach it until it logs in again.",
    "Re-authenticate that device (`tailscale up` on it) and consider disabling key expiry for servers in the admin "
    "console.",
)


@rule(
    id="TS-CLI-PEER-KEY-EXPIRED",
    name="cli-peer-key-expired",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="tailscale ping: the peer's node key has expired, so nothing can reach it",
    target="windows",
)
def peer_key_expired(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale ping`` refuses a peer whose node key is past its expiry with ``peer's node key has
    expired`` (ipn/ipnlocal/local.go pingPeerAPI; wgengine/magicsock/endpoint.go errExpired for disco and TSMP
    pings): the peer stays in the netmap, but no WireGuard packet is sent to it. This node is fine; the peer
    must log in again. Not a peer missing from the netmap (peer-not-found) nor this node logged out.

    *Bad*::

        $ tailscale ping raspberrypi
        peer's node key has expired

    *Good*::

        $ tailscale ping raspberrypi
        pong from raspberrypi (100.101.102.103) via 192.168.1.20:41641 in 4ms
    """
    found = _errors(report, CliErrorKind.PEER_KEY_EXPIRED)
    if not found:
        return
    cause, fix = next((e.explanation for e in found if e.explanation is not None), _PEER_KEY_EXPIRED_TEXT)
    yield ctx.finding(
        f"{ctx.facts.label}: {cause}",
        fix,
        ctx.facts.evidence(*(e.line for e in found[:3])),
    )


@rule(
    id="TS-CLI-SERVE-FAILED",
    name="cli-serve-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="tailscale serve/funnel refused the change: nothing new is served",
    target="windows",
)
def serve_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: serve and funnel keep one handler per port and type; the CLI and tailscaled refuse a change
    that collides with what is served (``cannot serve TCP; already serving web on 443``, ``foreground
    listener already exists for port 443``), a Service on an untagged node (``service hosts must be tagged
    nodes``), a path on the sandboxed macOS app, or tailscaled's own socket as a target. Each message says
    which: the finding carries its own fix (from the CLI refusals catalog).

    *Bad*::

        $ sudo tailscale serve --bg --tcp=443 tcp://127.0.0.1:8443
        cannot serve TCP; already serving web on 443 for nas.tail1234.ts.net

    *Good*::

        $ tailscale serve --bg 3000
        Access denied: serve config denied
    """
    yield from _emit(CliErrorKind.SERVE_FAILED, report, ctx)


@rule(
    id="TS-CLI-SERVE-CONFIG-INVALID",
    name="cli-serve-config-invalid",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="The Services config file and the serve config do not fit: get-config cannot export, set-config refused",
    target="windows",
)
def serve_config_invalid(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the declarative Services config file and the node's serve config are translated into each other
    Service by Service. ``tailscale serve get-config`` stops at a handler it cannot express in the file (before
    1.102 a unix-socket proxy target, which has no ``scheme://``, is an ``invalid proxy handler``): what is
    served is in effect, only the export failed. ``tailscale serve set-config`` stops at the first endpoint of
    the file it refuses (``service "svc:…": failed apply web serve: …``, ``… source ports must be TCP``): nothing
    of the file was applied. Either way the fix is in the file or the CLI, not in what is served; the same
    refusal without the Service prefix is an interactive ``tailscale serve`` command's (TS-CLI-SERVE-FAILED).

    *Bad*::

        $ sudo tailscale serve get-config --all
        error: service "svc:web": invalid proxy handler "unix:/run/web.sock"

    *Good*::

        $ sudo tailscale serve --service=svc:web --https=443 http://127.0.0.1:8080
        failed apply web serve: invalid mount point "api"
    """
    yield from _emit(CliErrorKind.SERVE_CONFIG_INVALID, report, ctx)


@rule(
    id="TS-CLI-DRIVE-FAILED",
    name="cli-drive-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="tailscale drive (Taildrive) refused: not enabled for this node, or a bad share name",
    target="windows",
)
def drive_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: Taildrive is opt-in per node: sharing needs the ``drive:share`` node attribute (``taildrive
    sharing not enabled, please add the attribute "drive:share" …``), a build and platform with Taildrive
    (``Taildrive not enabled``), and share names of a-z, ``_``, ``()`` and spaces. The message says which;
    the finding carries its own fix (from the CLI refusals catalog).

    *Bad*::

        $ tailscale drive share docs /home/me/docs
        Access denied: taildrive sharing not enabled, please add the attribute "drive:share" to this node in your ACLs' "nodeAttrs" section

    *Good*::

        $ tailscale drive list
        failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?)
    """
    yield from _emit(CliErrorKind.DRIVE_FAILED, report, ctx)


@rule(
    id="TS-CLI-SWITCH-FAILED",
    name="cli-switch-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="`tailscale switch` did not switch login profiles",
    target="windows",
)
def switch_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale switch NAME`` matches NAME against the node's login profiles (name, tailnet, account,
    ID: cmd/tailscale/cli/switch.go) and asks tailscaled to switch: no match, a refusal (403 not root or the
    operator, 404 a profile removed) or a switch that never settles are each printed and exit 1. Nothing about
    the network is wrong.

    *Bad*::

        $ tailscale switch work
        No profile named "work"

    *Good*::

        $ tailscale switch work
        Switching to account "work"
        Success.
        $ tailscale status
        100.101.102.103  laptop  alice@  linux  -
    """
    yield from _emit(CliErrorKind.SWITCH_FAILED, report, ctx)


@rule(
    id="TS-CLI-UPDATE-FAILED",
    name="cli-update-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="updating Tailscale from the CLI failed or was refused",
    target="windows",
)
def update_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale update`` (clientupdate) drives the platform's package manager (apt, apk, pkg,
    synopkg …) and ``set --auto-update`` needs an install tailscaled can update itself (ipn/ipnlocal
    checkAutoUpdatePrefsLocked): a distribution or container install is refused, a package manager step fails
    with its own output.

    *Bad*::

        $ sudo tailscale set --auto-update
        Auto-updates are not supported on this platform.

    *Good*::

        $ sudo tailscale set --auto-update
        $ tailscale status
        100.101.102.103  laptop  alice@  linux  -
    """
    yield from _emit(CliErrorKind.UPDATE_FAILED, report, ctx)


@rule(
    id="TS-CLI-FEATURE-ENABLED",
    name="cli-feature-enabled",
    family="tailscale-windows",
    severity=Severity.INFO,
    summary="`tailscale serve`/`funnel` waited at the feature's enable link and the feature was enabled in this run",
    target="windows",
)
def feature_enabled(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: without the node's HTTPS (and Funnel) capability the CLI prints control's text and enable link, then
    waits on the IPN bus until the node holds the capabilities and prints "Success." before it goes on with the
    command (cmd/tailscale/cli/serve_legacy.go enableFeatureInteractive): the feature was enabled while it waited.
    Nothing is left to enable; what the command printed after "Success." (a listing, or its own error) is its result.

    *Bad*::

        $ tailscale serve --bg 3000
        Serve is not enabled on your tailnet.
        To enable, visit:
                 https://login.tailscale.com/f/serve?node=n1234
        Success.

    *Good*::

        $ tailscale serve --bg 3000
        Serve is not enabled on your tailnet.
        To enable, visit:
                 https://login.tailscale.com/f/serve?node=n1234
    """
    found = _errors(report, CliErrorKind.FEATURE_ENABLED)
    if not found:
        return
    feature = "Funnel" if any("funnel" in e.line.text.lower() for e in found) else "Serve (HTTPS)"
    success = found[-1].cleared_by or found[-1].line
    yield ctx.finding(
        f"{ctx.facts.label}: {feature} was enabled in this run: the CLI said it was not enabled on the tailnet, "
        f"printed its enable link and waited until it was enabled, then printed 'Success.' (line {success.number}) "
        "and went on with the command. Nothing is left to enable.",
        "Nothing to enable any more. If the command failed afterwards (an error after 'Success.'), fix that; "
        "`tailscale serve status` / `tailscale funnel status` show what is served now.",
        (*ctx.facts.evidence(*(e.line for e in found[:3])), *ctx.facts.evidence(success)),
        severity=Severity.INFO,
        resolved_line=success.number,
    )


@rule(
    id="TS-CLI-SERVE-NOT-ENABLED",
    name="cli-serve-not-enabled",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="`tailscale serve` refused: Serve/HTTPS is not enabled for the tailnet",
    target="windows",
)
def serve_not_enabled(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: before serving, the CLI checks the node has the HTTPS capability; without it, it asks the
    coordination server how to enable the feature and prints its text and link
    (cmd/tailscale/cli/serve_legacy.go enableFeatureInteractive), then exits: nothing is served.

    *Bad*::

        $ tailscale serve http://192.168.1.101:8080
        Serve is not enabled on your tailnet.
        To enable, visit:
                 https://login.tailscale.com/f/serve?node=n1234

    *Good*::

        No serve config
    """
    yield from _emit(CliErrorKind.SERVE_NOT_ENABLED, report, ctx)


@rule(
    id="TS-CLI-CONFIG-FILE-LOCKED",
    name="cli-config-file-locked",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="tailscaled runs from a locked config file: CLI preference changes are refused",
    target="windows",
)
def config_file_locked(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a tailscaled started with ``--config=FILE`` takes its preferences from that file and, unless
    it says ``"Locked": false``, refuses edits from the CLI (ipn/ipnlocal/local.go isConfigLocked_Locked).

    *Bad*::

        $ tailscale set --advertise-exit-node
        can't reconfigure tailscaled when using a config file; config file is locked

    *Good*::

        $ tailscale status
        100.101.102.103  laptop  alice@  linux  -
    """
    yield from _emit(CliErrorKind.CONFIG_FILE_LOCKED, report, ctx)


@rule(
    id="TS-CLI-DNS-QUERY-FAILED",
    name="cli-dns-query-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="`tailscale dns query`/`dns status` got no answer from tailscaled's DNS",
    target="windows",
)
def dns_query_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale dns query`` asks tailscaled's own resolver through LocalAPI and ``dns status`` asks
    for its DNS configuration (cmd/tailscale/cli/dns-query.go, dns-status.go): a node without a netmap or a DNS
    manager, or a failing resolver, answers with an error instead.

    *Bad*::

        $ tailscale dns query example.com
        failed to query DNS: 500 Internal Server Error: DNS manager not available

    *Good*::

        $ tailscale dns query example.com
        DNS query for "example.com" (A) using internal resolver:
        $ tailscale status
        100.101.102.103  laptop  alice@  linux  -
    """
    yield from _emit(CliErrorKind.DNS_QUERY_FAILED, report, ctx)


@rule(
    id="TS-CLI-CONFIGURE-FAILED",
    name="cli-configure-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="a `tailscale configure` command refused or failed",
    target="windows",
)
def configure_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the ``tailscale configure`` commands prepare something outside Tailscale (a kubeconfig, a Proxmox
    VM, an appliance disk, a JetKVM, the macOS system extension: cmd/tailscale/cli/configure*.go) and check its
    prerequisites first; each refusal names the one missing (Synology's configure-host is its own kind).

    *Bad*::

        $ tailscale configure pve-appliance
        /etc/pve is not a directory: run this on a Proxmox VE host

    *Good*::

        $ tailscale configure kubeconfig tailscale-operator
        kubeconfig configured for "tailscale-operator"
        $ tailscale status
        100.101.102.103  laptop  alice@  linux  -
    """
    yield from _emit(CliErrorKind.CONFIGURE_FAILED, report, ctx)


@rule(
    id="TS-CLI-WEB-LISTEN-FAILED",
    name="cli-web-listen-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="`tailscale status --web` / `tailscale web` could not listen: its local page did not start",
    target="windows",
)
def web_listen_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale status --web`` serves the status as a local web page on ``--listen`` (default
    127.0.0.1:8384, the port Syncthing's GUI also uses) and ``tailscale web`` the web client on ``--listen``
    (default localhost:8088); when the CLI cannot listen there it prints Go's listen error and exits. Another
    program holds the port, or the OS refuses it. tailscaled is not involved: not "service not running".

    *Bad*::

        $ tailscale status --web
        listen tcp 127.0.0.1:8384: bind: address already in use

    *Good*::

        $ tailscale status --web --listen=127.0.0.1:8385
        Serving Tailscale status at http://127.0.0.1:8385/ ...
        $ tailscale status
        100.101.102.103  laptop  alice@  linux  -
    """
    yield from _emit(CliErrorKind.WEB_LISTEN_FAILED, report, ctx)


@rule(
    id="TS-WEB-CLIENT-NOT-OVER-TAILSCALE",
    name="web-client-not-over-tailscale",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="The device web client refused a browser that did not come over the tailnet",
    target="windows",
)
def web_client_not_over_tailscale(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the web client in manage mode (port 5252 on the device's Tailscale IP) serves only requests whose
    source is a tailnet peer; any other (a LAN browser, the router's Tailscale IP reached through the router
    itself) gets 401 ``must access over tailscale`` from each API call, then ``not authorized``: the page keeps
    loading. Not a listen failure and not the daemon down.

    *Bad*::

        $ curl http://100.64.0.2:5252/api/data
        must access over tailscale
        not authorized

    *Good*::

        $ tailscale web --listen 192.168.1.1:8088
        web server running on: http://192.168.1.1:8088
    """
    yield from _emit(CliErrorKind.WEB_CLIENT_NOT_OVER_TAILSCALE, report, ctx)


@rule(
    id="TS-CLI-TUNNEL-START-FAILED",
    name="cli-tunnel-start-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="The iOS/macOS app could not start its VPN tunnel (network extension, VPN configuration)",
    target="windows",
)
def tunnel_start_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: on iOS and macOS the Tailscale app is only the front end; the tunnel is a Network Extension the
    system starts from the app's VPN configuration. When the system will not start it (another VPN holds the
    system's VPN, an MDM/Screen Time restriction, the configuration missing, disabled or stale, an iOS fault
    the app detects) the app says so in its own words or Apple's NEVPNErrorDomain code, and the device is off
    the tailnet. tailscaled, the network and the tailnet are not at fault, and "start the service" means
    nothing there: the fix is on the device, as the message says.

    *Bad*::

        An issue in this version of iOS is preventing the Tailscale tunnel from starting. Reboot your iPhone and open Tailscale again to fix this

    *Good*::

        $ tailscale status
        100.101.102.103  iphone  alice@  iOS  -
    """
    yield from _emit(CliErrorKind.TUNNEL_START_FAILED, report, ctx)


@rule(
    id="TS-CLI-NETLINKRIB-DENIED",
    name="cli-netlinkrib-permission-denied",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="An app embedding Tailscale cannot read network interfaces: the app sandbox denies netlink",
    target="windows",
)
def netlinkrib_permission_denied(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: Go reads network interfaces and addresses over a netlink route socket (``syscall.NetlinkRIB``);
    Android apps targeting SDK 30 and later, and HarmonyOS apps, may not bind one. A node embedded in such an app
    (tsnet, a proxy's Tailscale outbound) then fails with ``route ip+net: netlinkrib: permission denied`` and
    never starts; the official Android app avoids it by handing tailscaled the interfaces from the platform's
    API. Not a stopped tailscaled, not an auth key problem.

    *Bad*::

        error: tsnet: route ip+net: netlinkrib: permission denied

    *Good*::

        $ tailscale status
        100.101.102.103  phone  alice@  android  -
    """
    yield from _emit(CliErrorKind.NETLINKRIB_PERMISSION_DENIED, report, ctx)


@rule(
    id="TS-GUI-HOST-NOT-DETECTED",
    name="gui-host-not-detected",
    family="tailscale-windows",
    severity=Severity.INFO,
    summary="The Docker Desktop extension says the host does not run Tailscale (its detection, often a false alarm)",
    target="windows",
)
def gui_host_not_detected(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the Tailscale extension for Docker Desktop checks the host by running the host's ``tailscale status
    --json`` through Docker Desktop and warns "Your host device is not running Tailscale" when the CLI is not
    found, the call fails, or the backend is not Running. The sandboxed Mac App Store client, a CLI off Docker
    Desktop's PATH or a Docker Desktop upgrade make the check fail while the host's Tailscale is connected: the
    warning says what the extension could see, not that the host is down (information, to be checked).

    *Bad*::

        the Tailscale Docker-Extension claims `Your host device is not running Tailscale`

    *Good*::

        $ tailscale status
        100.101.102.103  mac  alice@  macOS  -
    """
    yield from _emit(CliErrorKind.GUI_HOST_NOT_DETECTED, report, ctx)


@rule(
    id="TS-CLI-NOT-FOUND",
    name="cli-not-found",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="The shell cannot find the `tailscale` program (not installed here, or not on PATH)",
    target="windows",
)
def cli_not_found(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``command not found`` (bash, zsh, sh, fish), ``is not recognized`` (cmd, PowerShell) and an exec's
    ``executable file not found in $PATH`` come from the shell, before any Tailscale code runs: the program is
    not installed on this system or not on this shell's PATH. Container and NAS installs (Umbrel, the Home
    Assistant add-on, Docker, Kubernetes, Synology, QNAP) and the Mac App Store app keep the CLI inside their
    container, package or app bundle, so the host's shell never finds it. Nothing is known about tailscaled.

    *Bad*::

        umbrel@umbrel:~ $ tailscale status
        -bash: tailscale: command not found

    *Good*::

        $ tailscale status
        100.101.102.103  umbrel  alice@  linux  -
    """
    yield from _emit(CliErrorKind.CLI_NOT_FOUND, report, ctx)


@rule(
    id="TS-CLI-RISK-NOT-ACCEPTED",
    name="cli-risk-not-accepted",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="the CLI asked to confirm a risky change (`--accept-risk=…`) and changed nothing until told yes",
    target="windows",
)
def risk_not_accepted(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: before a change that cuts the SSH session it is typed over (``down``, ``up``/``set --ssh`` over
    Tailscale) or a macOS app connector, the CLI prints the risk and ``To skip this warning, use
    --accept-risk=<type>`` and waits for ``Continue? [y/N]`` (cmd/tailscale/cli/risks.go, v1.66+); anything
    but yes, or no terminal to answer, ends in ``aborted, no changes made``. Not a failure of tailscaled.

    *Bad*::

        $ sudo tailscale down
        You are connected over Tailscale; this action will disable Tailscale and result in your session disconnecting.
        To skip this warning, use --accept-risk=lose-ssh
        aborted, no changes made

    *Good*::

        $ sudo tailscale down --accept-risk=lose-ssh
        $ tailscale status
        Tailscale is stopped.
    """
    yield from _emit(CliErrorKind.RISK_NOT_ACCEPTED, report, ctx)


@rule(
    id="TS-LOCALAPI-INVALID-REQUEST",
    name="localapi-invalid-request",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="LocalAPI refused the request: wrong Host (not local-tailscaled.sock) or a Referer/Origin header",
    target="windows",
)
def localapi_invalid_request(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: tailscaled's LocalAPI (ipn/localapi/localapi.go ServeHTTP) answers ``403 Forbidden`` with the body
    ``invalid localapi request`` to any request whose Host is not ``local-tailscaled.sock`` or that carries a
    Referer or Origin header: a guard against DNS rebinding from browsers. A hand-made curl with another host
    name, an old client library, a proxy or a browser is refused before any handler or permission check runs.

    *Bad*::

        $ curl --unix-socket /var/run/tailscale/tailscaled.sock http://foo/localapi/v0/status
        invalid localapi request

    *Good*::

        $ tailscale status
        100.101.102.103  server  alice@  linux  -
    """
    yield from _emit(CliErrorKind.LOCALAPI_INVALID_REQUEST, report, ctx)


@rule(
    id="TS-CLI-SYSTRAY-FAILED",
    name="cli-systray-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="The Linux tailscale systray could not show its tray icon (no StatusNotifierWatcher, sudo, no D-Bus)",
    target="windows",
)
def systray_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: `tailscale systray` (Linux) shows its icon as a StatusNotifierItem on the desktop user's D-Bus
    session bus and asks the session's StatusNotifierWatcher to display it. Run with sudo (root's session has no
    tray host, and the tray warns about sudo/doas), outside the graphical session (no session bus at all), or on
    a desktop without a watcher (GNOME without the AppIndicator extension, XEmbed-only bars), the tray library
    logs ``systray error: failed to register: The name org.kde.StatusNotifierWatcher was not provided by any
    .service files`` and no icon appears. tailscaled is not involved: this is not "service not running".

    *Bad*::

        2025/10/10 19:51:39 starting
        2025/10/10 19:51:39 systray error: failed to register: The name org.kde.StatusNotifierWatcher was not provided by any .service files

    *Good*::

        $ tailscale status
        100.101.102.103  laptop  alice@  linux  -
    """
    yield from _emit(CliErrorKind.SYSTRAY_FAILED, report, ctx)


@rule(
    id="TS-CLI-INSTALL-FAILED",
    name="cli-install-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="Installing or updating Tailscale failed (install script, system extension, a Windows package manager), "
    "outside tailscale update",
    target="windows",
)
def install_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: on an immutable /usr (SteamOS on the Steam Deck, Flatcar, Fedora atomic desktops) Tailscale is
    installed as a systemd system extension: the installer puts a sysext image in /var/lib/extensions and
    restarts systemd-sysext.service, which merges every extension over /usr. When that unit fails, systemctl
    prints ``Job for systemd-sysext.service failed …`` and Tailscale is neither installed nor updated; the
    unit's journal names the reason (``Hierarchy /usr is already merged``: unmerge or refresh first). This is
    not tailscaled's unit failing: tailscaled never got that far. Tailscale's Linux install script
    (install.sh) stopping before it installed anything (an OS it does not know, no curl/wget, no way to root,
    pkgs.tailscale.com unreachable, SteamOS sent to the Deck installer) is the same kind (CLI refusals catalog),
    and so is a Windows package manager whose run of Tailscale's installer failed (winget's ``Installer failed
    with exit code: 1603``, Chocolatey's ``The install of tailscale was NOT successful.``), and Windows Installer
    failing on Tailscale's package (``Product: Tailscale -- Error 1920. Service 'Tailscale' (Tailscale) failed to
    start.``, a failing custom action such as its check of the services tailscaled depends on).

    *Bad*::

        Installing Tailscale: Getting version...got 1.50.1. Downloading...done. Installing...Job for systemd-sysext.service failed because the control process exited with error code.
        See "systemctl status systemd-sysext.service" and "journalctl -xeu systemd-sysext.service" for details.

    *Good*::

        $ sudo systemctl restart systemd-sysext
        $ tailscale status
        100.101.102.103  steamdeck  deck@  linux  -
    """
    yield from _emit(CliErrorKind.INSTALL_FAILED, report, ctx)


@rule(
    id="TS-TSNET-UP-TIMEOUT",
    name="tsnet-up-timeout",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="An app embedding tsnet gave up before its node reached Running (not logged in, or control unreachable)",
    target="windows",
)
def tsnet_up_timeout(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a program that embeds Tailscale as a library (tsnet: tsnsrv, golink, tsidp, caddy-tailscale,
    setec, …) starts its own node and calls ``tsnet.Server.Up``, which waits until that node's backend is
    Running. When the program's deadline passes first, Up returns ``tsnet.Up: context deadline exceeded``.
    The node was not logged in (no auth key given, so it waits for an interactive login whose URL is only in
    the app's verbose log; a spent, expired or foreign key; a node awaiting approval) or could not reach the
    control server. No tailscaled or CLI is involved: not a hung daemon.

    *Bad*::

        could not connect to tailnet: tsnet.Up: context deadline exceeded

    *Good*::

        $ tailscale status
        100.101.102.103  grafana  tagged-devices  linux  -
    """
    found = _errors(report, CliErrorKind.TSNET_UP_TIMEOUT)
    if not found:
        return
    cause = (
        "a program embedding Tailscale (tsnet) gave up waiting for its own node to come up: tsnet.Up's context "
        "expired before the node reached Running. The node is most likely not logged in (no auth key, so it "
        "waits for an interactive login whose URL only the app's log shows; a spent, expired or revoked key; "
        "awaiting approval), or it cannot reach the control server. Not tailscaled or the CLI: this node lives "
        "inside the app."
    )
    fix = (
        "Give the app an auth key: TS_AUTHKEY (or TS_AUTH_KEY) in its environment, or its own auth-key flag or "
        "file, reusable or "
        "tagged if it restarts; check its state directory (tsnet's Dir) is writable and kept across restarts, so "
        "it need not log in again; read the app's log lines before the error (with verbose tsnet logging) for "
        "'To start this tsnet server, restart with TS_AUTHKEY set, or go to: <URL>' or a control server error, "
        "and allow HTTPS to the control server; raise "
        "the app's start-up timeout if the login is interactive."
    )
    yield ctx.finding(f"{ctx.facts.label}: {cause}", fix, ctx.facts.evidence(*(e.line for e in found[:3])))


@rule(
    id="TS-CLI-SSH-CHECK-REQUIRED",
    name="cli-ssh-check-required",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="Tailscale SSH's check mode holds the session until the user signs in again in a browser",
    target="windows",
)
def ssh_check_required(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: an ssh rule with ``"action": "check"`` lets a user in only if they signed in recently (within its
    ``checkPeriod``, 12 hours by default). Past that, the target's SSH server holds the session and shows control's
    banner ``# Tailscale SSH requires an additional check.`` with ``# To authenticate, visit: <URL>``; once the
    user signs in there the session goes on. Both nodes are logged in and reach each other: the "To authenticate"
    line is not ``tailscale up``'s login prompt. Unattended clients (CI, scripts, agents) never finish the check.

    *Bad*::

        $ tailscale ssh root@box
        # Tailscale SSH requires an additional check.
        # To authenticate, visit: https://login.tailscale.com/a/abc123def

    *Good*::

        $ sudo tailscale up

        To authenticate, visit:

                https://login.tailscale.com/a/0f0f0f0f
    """
    yield from _emit(CliErrorKind.SSH_CHECK_REQUIRED, report, ctx)


@rule(
    id="TS-CLI-SSH-POLICY-NO-ACCESS",
    name="cli-ssh-policy-no-access",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="Tailscale SSH is on, but the tailnet policy lets no one SSH to this node",
    target="windows",
)
def ssh_policy_no_access(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: with ``--ssh`` on, tailscaled checks the SSH policy its netmap carries; when that policy has no
    rule at all it raises the health message ``Tailscale SSH enabled, but access controls don't allow anyone
    to access this device`` (ipn/ipnlocal sshOnButUnusableHealthCheckMessageLocked), which ``up``/``set``
    print and ``status`` lists. The login and the prefs worked; no session was refused yet, but every one
    will be until the tailnet policy gains an ``ssh`` rule for this node.

    *Bad*::

        $ sudo tailscale up --ssh
        Tailscale SSH enabled, but access controls don't allow anyone to access this device. Update your
        tailnet's ACLs at https://tailscale.com/s/ssh-policy

    *Good*::

        $ tailscale ssh root@server
        tailscale: tailnet policy does not permit you to SSH to this node
    """
    found = _errors(report, CliErrorKind.SSH_POLICY_NO_ACCESS)
    if not found:
        return
    text = " ".join(e.line.text for e in found)
    if re.search(r"ask your admin", text, re.IGNORECASE):
        who = "Ask a tailnet admin (you are not one) to add"
    elif re.search(r"tailscale\.com/s/ssh-policy", text, re.IGNORECASE):
        who = "In the admin console's access controls (https://tailscale.com/s/ssh-policy), add"
    else:  # a custom control server (Headscale): its policy file
        who = "In the control server's policy (Headscale: the policy file, then reload it), add"
    yield ctx.finding(
        f"{ctx.facts.label}: Tailscale SSH is enabled on this node, but the tailnet policy it received has no "
        "SSH rule at all, so nobody may SSH to it: every Tailscale SSH connection will be refused (`tailnet "
        "policy does not permit you to SSH to this node`). The login and the settings worked; only SSH access "
        'is missing. Rules written under "acls" or "grants" do not count: Tailscale SSH reads the "ssh" '
        "section only.",
        f'{who} an "ssh" rule, e.g. {{"action": "accept", "src": ["autogroup:member"], "dst": '
        '["autogroup:self"], "users": ["autogroup:nonroot", "root"]} (for a tagged node: its tag in "dst" and '
        'the users or groups allowed in "src"); the warning clears once the new policy reaches the node. If '
        "SSH here is not wanted, turn it off with `tailscale set --ssh=false`.",
        ctx.facts.evidence(*(e.line for e in found[:3])),
    )


@rule(
    id="TS-CLI-ACCEPT-ROUTES-OFF",
    name="cli-accept-routes-off",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="tailscale up/set warned: peers advertise subnet routes this node does not accept",
    target="windows",
)
def accept_routes_off(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: after ``tailscale up`` (or ``set``, ``login``) succeeds the CLI prints the health warnings worth
    knowing (cli/up.go checkUpWarnings); ``Some peers are advertising routes but --accept-routes is false``
    (health/healthmsg.WarnAcceptRoutesOff) means subnet routers in the tailnet advertise LAN prefixes and this
    node ignores them (``--accept-routes`` defaults to false on Linux), so those LANs are unreachable from
    here. The prefs were applied; the node is up. Deliberate on a subnet router on the same LAN as the routes.

    *Bad*::

        $ sudo tailscale up
        Success.
        Some peers are advertising routes but --accept-routes is false

    *Good*::

        $ sudo tailscale up --accept-routes
        Success.
        $ tailscale status
        100.64.0.1   laptop   me@   linux   -
    """
    found = _errors(report, CliErrorKind.ACCEPT_ROUTES_OFF)
    if not found:
        return
    yield ctx.finding(
        f"{ctx.facts.label}: other nodes advertise subnet routes, but this node runs with --accept-routes=false "
        "(the Linux default), so it installs none of them: the LANs behind those subnet routers are unreachable "
        "from here, while tailnet addresses (100.x) still work. The node is up; this is a warning about routing.",
        "If this node should reach those subnets: `sudo tailscale set --accept-routes` (or add --accept-routes to "
        "your `tailscale up` flags). Leave it off on purpose only on a node that sits on the advertised LAN itself "
        "(accepting its own LAN's route there can break local traffic).",
        ctx.facts.evidence(*(e.line for e in found[:3])),
    )


@rule(
    id="TS-CLI-EXIT-NODE-OFFLINE",
    name="cli-exit-node-offline",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="The exit node this node selected is offline: its internet traffic has nowhere to go",
    target="windows",
)
def exit_node_offline(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale exit-node list`` marks the exit node in use ``selected`` and, when this node has no
    active connection to it, ``selected but offline`` (cli/exitnode.go peerStatus). With an exit node selected
    all internet traffic goes to it; an exit node that does not answer blackholes it (Allow LAN access aside),
    and DNS through it fails too.

    *Bad*::

        $ tailscale exit-node list
         IP                HOSTNAME                   COUNTRY     CITY      STATUS
         100.91.12.34      exit.tail1234.ts.net       -           -         selected but offline

    *Good*::

        $ tailscale exit-node list
         IP                HOSTNAME                   COUNTRY     CITY      STATUS
         100.91.12.34      exit.tail1234.ts.net       -           -         selected
    """
    found = _errors(report, CliErrorKind.EXIT_NODE_OFFLINE)
    if not found:
        return
    host = next((m.group(1) for e in found if (m := re.match(r"\S+\s+(\S+)", e.line.text))), "the exit node")
    yield ctx.finding(
        f"{ctx.facts.label}: the exit node this node selected ({host}) is listed 'selected but offline': this node "
        "has no working connection to it (the exit node is down, logged out, expired, or unreachable), yet all of "
        "this node's internet traffic is sent to it, so internet access (and DNS through it) fails here while "
        "tailnet addresses still work.",
        f"Bring {host} back (check `tailscale status` on it: running, logged in, still advertising the exit node "
        "and approved in the admin console), or stop using it: `tailscale set --exit-node=` (empty) or pick an "
        "online one from `tailscale exit-node list` (`tailscale set --exit-node=<name>`).",
        ctx.facts.evidence(*(e.line for e in found[:3])),
        exit_node=host,
    )


@rule(
    id="TS-CLI-SERVE-NOT-CONFIGURED",
    name="cli-serve-not-configured",
    family="tailscale-windows",
    severity=Severity.INFO,
    summary="tailscale serve status: no serve config, nothing is served or funnelled",
    target="windows",
)
def serve_not_configured(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale serve status`` prints ``No serve config`` (``--json``: ``{}``) when tailscaled's serve
    config is empty (cli/serve_legacy.go runServeStatus): no HTTPS/TCP proxy and no Funnel on this node. An
    answer, not an error; a problem only when something was meant to be served (a TS_SERVE_CONFIG file the
    container did not apply, a `serve` run in the foreground that ended). ``Warning: funnel=on for <host:port>,
    but no serve config`` (cli/funnel.go printFunnelWarning) is the same concept for one port that Funnel opens
    to the internet with no handler behind it: a warning.

    *Bad*::

        $ tailscale serve status
        No serve config

    *Good*::

        $ tailscale status
        100.64.0.1   nas   me@   linux   -
    """
    found = _errors(report, CliErrorKind.SERVE_NOT_CONFIGURED)
    if not found:
        return
    explained = next((e for e in found if e.explanation is not None), None)
    if explained is not None and explained.explanation is not None:
        # `Warning: funnel=on for <host:port>, but no serve config`: that port is open to the internet with
        # nothing behind it (visitors get no answer), a fault, not a mere listing
        cause, fix = explained.explanation
        yield ctx.finding(
            f"{ctx.facts.label}: {cause}",
            fix,
            ctx.facts.evidence(*(e.line for e in found[:3])),
            severity=Severity.WARNING,
        )
        return
    yield ctx.finding(
        f"{ctx.facts.label}: tailscaled has no serve configuration: nothing on this node is served to the tailnet "
        "or funnelled to the internet (no HTTPS/TCP proxy, no Funnel).",
        "If something should be served: `tailscale serve --bg <port>` (or `tailscale funnel --bg <port>`); a "
        "serve/funnel started without --bg stops when its command ends. In the container image, TS_SERVE_CONFIG "
        "must name a JSON file visible inside the container (mount its directory) and is applied once the node is "
        "logged in; check the container's log for serve config errors.",
        ctx.facts.evidence(*(e.line for e in found[:3])),
    )


# warnables that are notices, not faults (health/warnings.go: SeverityLow, or the app's normal start-up)
_NOTICE_WARNABLES = frozenset({"update-available", "is-using-unstable-version", "warming-up", "wantrunning-false"})


@rule(
    id="TS-CLI-GUI-HEALTH-WARNING",
    name="cli-gui-health-warning",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="The desktop app shows a tailscaled health warning (title, text, Code: <warnable>)",
    target="windows",
)
def gui_health_warning(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the macOS/Windows app lists tailscaled's active health warnables: the warnable's title, its
    text and ``Code: <warnable>`` (health/state.go UnhealthyState). It is the same state ``tailscale status``
    prints under ``# Health check:``: ``dns-forward-failing`` means the DNS forwarder gets no answer from the
    configured resolvers, ``no-derp-home`` no relay server, ``not-in-map-poll`` no control connection. A
    notice (``update-available``) is not a fault.

    *Bad*::

        > **DNS unavailable**
        > Tailscale can't reach the configured DNS servers. Internet connectivity may be affected.
        > Code: dns-forward-failing

    *Good*::

        $ tailscale status
        100.64.0.1  mac  me@  macOS  -
    """
    for error in _errors(report, CliErrorKind.GUI_HEALTH_WARNING):
        title, text, code = (error.detail.split("\n") + ["", "", ""])[:3]
        named = f"'{title}' " if title else ""
        if code in _NOTICE_WARNABLES:
            yield ctx.finding(
                f"{ctx.facts.label}: the app's warning {named}({code}) is a notice, not a fault: {text}",
                "Nothing to fix (for an update: `tailscale update`, or the app store on macOS).",
                ctx.facts.evidence(error.line),
                severity=Severity.INFO,
                title=f"the app shows the notice {code} (not a fault)",
            )
            continue
        yield ctx.finding(
            f"{ctx.facts.label}: the Tailscale app shows the health warning {named}(warnable {code}): {text} "
            "tailscaled holds this warning until the condition clears.",
            "Fix what the warning names first: " + health_advice(f"{text} {code}") + ". Then check the warning "
            "is gone from the app (or from `tailscale status`'s '# Health check:').",
            ctx.facts.evidence(error.line),
            title=f"the app warns: {title or code}",
        )


@rule(
    id="TS-CLI-GITHUB-ACTION-UP-FAILED",
    name="cli-github-action-up-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="The GitHub Action's `tailscale up` failed on every attempt; the action hides tailscale's own message",
    target="windows",
)
def github_action_up_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: tailscale/github-action v4 runs ``sudo -E tailscale up …`` (tailscale.exe on Windows) up to
    ``retry`` times with its output hidden unless the step runs in debug mode, and says only ``Tailscale up
    attempt N failed: sudo failed with exit code 1`` (or ``Error: Timeout``). tailscaled is running (the action
    waited for it); the up command itself failed: nearly always the login with the action's credential (an
    expired or used auth key, an OAuth client without the auth_keys scope or not owning its tags, a workload
    identity whose subject does not match the workflow). Not "service not running".

    *Bad*::

        Attempt 1 to bring up Tailscale...
        Warning: Tailscale up attempt 1 failed: sudo failed with exit code 1
        Error: sudo failed with exit code 1

    *Good*::

        $ tailscale status
        100.101.102.103  github-runner  tagged-devices  linux  -
    """
    yield from _emit(CliErrorKind.GITHUB_ACTION_UP_FAILED, report, ctx)


@rule(
    id="TS-CLI-IDP-TAGGED-NODE-REFUSED",
    name="cli-idp-tagged-node-refused",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="tsidp refused a token or userinfo because the login came from a tagged node (no user identity)",
    target="windows",
)
def idp_tagged_node_refused(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: tsidp, Tailscale's OpenID Connect provider, identifies the user by the Tailscale node the browser's
    request comes from. A tagged node belongs to its tags, not to a user, so tsidp refuses to issue the token
    (``tsidp: tagged nodes not supported``, or the OAuth error ``{"error":"invalid_request",
    "error_description":"tagged nodes not supported"}``) and the application signing in (Proxmox, Grafana, …)
    shows an authentication failure. The fix is on the device, not the network: sign in from an untagged one.

    *Bad*::

        {"error":"invalid_request","error_description":"tagged nodes not supported"}

    *Good*::

        $ tailscale status
        100.101.102.103  laptop  alice@  linux  -
    """
    yield from _emit(CliErrorKind.IDP_TAGGED_NODE_REFUSED, report, ctx)


@rule(
    id="TS-CLI-HEADSCALE-REGISTER-FAILED",
    name="cli-headscale-register-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="Headscale refused to register a node: no pending registration, a key/ID of the wrong form, or no such user",
    target="windows",
)
def headscale_register_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: a client logging in to Headscale shows a /register page with a key; the admin approves it with
    ``headscale nodes register --key <key>``. Headscale keeps the pending login in an in-memory registration cache,
    and when the key is not there it refuses (``Cannot register machine: machine not found in registration cache``,
    v0.23+ ``node …``): the client's login reached another URL than Headscale's server_url, Headscale restarted, or
    the entry expired. The same call refuses a key of the wrong form before any look-up (each Headscale generation
    wants its own: ``nodekey:`` up to v0.22, ``mkey:`` in v0.23-v0.24, the 24-character registration ID in
    v0.25-v0.28, ``hskey-authreq-…`` from v0.29, all shown in the client's /register/<id> URL) and a user that does
    not exist, whether through the CLI, the REST API or a web UI. The client only waits; the fix is on the server.

    *Bad*::

        headscale -n default nodes register --key ea29d5c8
        Cannot register machine: machine not found in registration cache

    *Good*::

        $ tailscale status
        100.64.0.1  laptop  alice  windows  -
    """
    yield from _emit(CliErrorKind.HEADSCALE_REGISTER_FAILED, report, ctx)


@rule(
    id="TS-CLI-NAS-WEB-UI-AUTH-FAILED",
    name="cli-nas-web-ui-auth-failed",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="The Tailscale NAS package's web UI could not check the NAS login (QTS authLogin.cgi), not tailscaled",
    target="windows",
)
def nas_web_ui_auth_failed(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the Tailscale app on a QNAP NAS serves its web UI and asks QTS's own ``/cgi-bin/authLogin.cgi``
    (with the browser's NAS_SID or qtoken) whether you are logged in as an administrator. With QTS's 'Force
    secure connection (HTTPS) only' on, that check goes to HTTPS on 127.0.0.1, whose self-signed certificate
    names no IP: packages before 1.36 rejected it (``x509: cannot validate certificate for 127.0.0.1 because it
    doesn't contain any IP SANs``) and show the error instead of the UI. tailscaled is not involved and nothing
    intercepts TLS.

    *Bad*::

        Get "https://127.0.0.1:443/cgi-bin/authLogin.cgi?sid=k0gygokg": x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs

    *Good*::

        $ tailscale status
        100.101.102.103  nas  alice@  linux  -
    """
    yield from _emit(CliErrorKind.NAS_WEB_UI_AUTH_FAILED, report, ctx)


@rule(
    id="TS-CLI-BLOCKED-BY-POLICY",
    name="cli-blocked-by-policy",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="tailscaled refused the command because the device's system policy (MDM/Group Policy) forbids it",
    target="windows",
)
def blocked_by_policy(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: Tailscale reads system policies (util/syspolicy: an MDM profile on macOS/iOS, Group Policy or the
    registry on Windows, /etc/tailscale/policy.json on Linux) and tailscaled enforces some of them against the
    CLI and the app: an exit node fixed by ExitNodeID/ExitNodeIP (``exit node cannot be changed: managed by
    policy``), always-on mode (``disconnect not allowed: always-on mode is enabled``, ``… reason required``), a
    shutdown or restart without AllowTailscaledRestart (LocalAPI's 403 ``shutdown access denied by policy``). The
    user may have every permission: the administrator set the policy, so ``sudo`` (which fixes LocalAPI's plain
    ``access denied``) does not help.

    *Bad*::

        $ tailscale set --exit-node=nas
        exit node cannot be changed: managed by policy

    *Good*::

        $ tailscale set --exit-node=nas
        $ tailscale status
        100.101.102.103  laptop  alice@  linux  -
    """
    yield from _emit(CliErrorKind.BLOCKED_BY_POLICY, report, ctx)


@rule(
    id="TS-CLI-ADDRESS-FAMILY-MISSING",
    name="cli-address-family-missing",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="`tailscale ip -4`/`-6`: the node (or the peer named) has no tailnet address of that family",
    target="windows",
)
def address_family_missing(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale ip -4`` prints the node's (or a named peer's) tailnet IPv4 address and ``-6`` its IPv6
    one; when it has none of that family the CLI says ``no Tailscale IPv4 address`` (``IPv6``) and exits 1. The
    node is up and on the tailnet: the control server gave it the other family only (a tailnet whose policy sets
    ``disableIPv4`` or an IPv6-only ephemeral node: IPv6 only; Headscale configured with only a v4 or v6 prefix).
    What breaks is what relies on that family: a script taking ``$(tailscale ip -4)``, a service bound to an
    IPv4 tailnet address, a peer or program that speaks only IPv4.

    *Bad*::

        $ tailscale ip -4
        no Tailscale IPv4 address

    *Good*::

        $ tailscale ip -4
        100.101.102.103
        $ tailscale status
        100.101.102.103  nas  admin@  linux  -
    """
    yield from _emit(CliErrorKind.ADDRESS_FAMILY_MISSING, report, ctx)


@rule(
    id="TS-CLI-IS-DAEMON",
    name="cli-is-daemon",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="the program run as `tailscale` is tailscaled: the daemon refused the CLI's words, nothing ran",
    target="windows",
)
def cli_is_daemon(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: cmd/tailscaled takes only flags; given any other word it exits with ``tailscaled does not take
    non-flag arguments: ["up" …]`` (Go's log stamp before it). Under a typed ``tailscale …`` command that means the
    program the shell found as ``tailscale`` is the daemon: a second install earlier in PATH, a copy or link of
    tailscaled under the CLI's name, or a combined binary (``ts_include_cli``) that runs as the CLI only when named
    ``tailscale``. Typed as ``tailscaled up`` it is the daemon run by hand with a CLI subcommand. Either way the
    command did not run and the running daemon was not asked: not a crash of the service, not tailscaled down.

    *Bad*::

        (deck@steamdeck ~)$ sudo tailscale up --ssh
        2025/03/25 19:02:04 tailscaled does not take non-flag arguments: ["up" "--ssh"]

    *Good*::

        (deck@steamdeck ~)$ type -a tailscale
        tailscale is /usr/bin/tailscale
        (deck@steamdeck ~)$ tailscale status
        100.101.102.103  steamdeck  deck@  linux  -
    """
    yield from _emit(CliErrorKind.CLI_IS_DAEMON, report, ctx)


@rule(
    id="TS-CLI-TAILDROP-TARGET-OFFLINE",
    name="cli-taildrop-target-offline",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="`tailscale file cp`: the target device is offline or not replying; the send waits for it",
    target="windows",
)
def taildrop_target_offline(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: Taildrop has no server in between: ``tailscale file cp`` pushes the file to the target's PeerAPI over
    the tailnet. When the netmap says the target is offline the CLI warns (``# warning: phone is offline``, v1.8
    and later; since v1.98 after three seconds without a byte, ``… is reportedly offline; trying anyway`` or
    ``… is not replying; trying anyway``) and keeps trying: the file arrives only when the device is online and
    answers, else the command hangs and fails. The cause is the target, not this node or tailscaled.

    *Bad*::

        $ tailscale file cp photo.jpg phone:
        # warning: phone is reportedly offline; trying anyway

    *Good*::

        $ tailscale file cp photo.jpg phone:
        $ tailscale status
        100.64.0.2   phone   me@   iOS   -
    """
    yield from _emit(CliErrorKind.TAILDROP_TARGET_OFFLINE, report, ctx)


@rule(
    id="TS-CLI-UPDATE-NOT-OFFERED",
    name="cli-update-not-offered",
    family="tailscale-windows",
    severity=Severity.WARNING,
    summary="`tailscale update` says no update is needed while the package manager offers a newer Tailscale",
    target="windows",
)
def update_not_offered(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: ``tailscale update`` compares the installed version with the latest one it finds (clientupdate.go
    confirm) and answers ``already running <track> version X; no update needed`` (or ``installed … is newer than
    the latest available version Y``) when that is not newer. When the same paste shows the package manager
    listing a newer tailscale (``apk info``, ``apt-cache policy``'s Candidate, ``apt list --upgradable``, a dnf/yum
    row, ``brew outdated``), the updater read the wrong "latest" (v1.54's Alpine updater took the first
    ``tailscale-X-rN`` line of ``apk info``, the installed package): nothing was updated. Alone the answer is
    routine.

    *Bad*::

        alpine:~# tailscale update
        already running stable version 1.54.1; no update needed
        alpine:~# apk info tailscale
        tailscale-1.54.1-r0 description:
        tailscale-1.58.2-r0 description:

    *Good*::

        alpine:~# tailscale update
        already running stable version 1.58.2; no update needed
    """
    yield from _emit(CliErrorKind.UPDATE_NOT_OFFERED, report, ctx)


@rule(
    id="TS-CLI-LOGIN-URL-UNROUTABLE",
    name="cli-login-url-unroutable",
    family="tailscale-windows",
    severity=Severity.ERROR,
    summary="up/login printed a login URL on 0.0.0.0 or loopback: the control server's own URL is misconfigured",
    target="windows",
)
def login_url_unroutable(report: CliErrorReport, ctx: DiagnoseContext) -> Iterator[Finding]:
    """*Why*: the URL under ``To authenticate, visit:`` is built by the control server from its own configured
    address (Headscale's ``server_url``). When that is the address it listens on (``0.0.0.0:8080``, ``[::]``) or
    loopback while clients reach it by name, the URL opens nowhere but on the server itself: the daemon reached
    the server, and the node waits for a login no browser can complete. Loopback counts only when the command named
    a server that is not loopback (a server on the same machine may rightly answer ``127.0.0.1``).

    *Bad*::

        $ tailscale up --login-server http://headscale.example.net:8080
        To authenticate, visit:

                http://0.0.0.0:8080/register/VuW7vroFGIPClakw5tqNfHA8

    *Good*::

        $ tailscale up --login-server http://headscale.example.net:8080
        To authenticate, visit:

                http://headscale.example.net:8080/register/VuW7vroFGIPClakw5tqNfHA8
    """
    yield from _emit(CliErrorKind.LOGIN_URL_UNROUTABLE, report, ctx)
