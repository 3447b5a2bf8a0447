"""Recognise the CLI/GUI errors users paste, and (Windows) who owns the daemon.

Named for where it started, the Windows CLI ↔ tailscaled (LocalAPI) errors; it now reads every OS's CLI
and GUI refusals too (`tailscale up` flags, the macOS app CLI, auth keys, usage, exit nodes, Funnel, TLS
towards the control server). Each kind is one ``CliErrorKind`` and one rule in rules/windows.py.

The 401 body changed over versions (tailscale-facts.md §4.2):
- v1.2: ``Tailscale running in server mode as X. Access denied.`` / ``Tailscale running as X. Access denied.``
- v1.4-v1.32: ``Tailscale already in use by X[, pid N]``
- v1.34-v1.80: ``Tailscale running in server mode ("OWNER"); connection from "CALLER" not allowed``
- v1.82+: ``Tailscale (running in server mode|already in use) ("OWNER"); connection from "CALLER" …``
Names are printed with Go's %q, so ``DOMAIN\\user`` arrives with doubled backslashes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache

from opskit.core.diagnose.cli_catalog import COMMAND_ANSWERS, answers_under, find_command_answer, find_refusal
from opskit.core.diagnose.cli_catalog import PHRASES as CATALOG_PHRASES
from opskit.core.diagnose.cli_catalog.installer import CHECKSUM_MISMATCH, read_checksum_warning
from opskit.core.diagnose.cli_catalog.missing_subcommands import CLI_SUBCOMMANDS
from opskit.core.diagnose.cli_catalog.serve_legacy_syntax import with_translation_checked
from opskit.core.diagnose.cli_catalog.ssh_server import SESSION_FAILED_FIX, is_session_failure, session_failed_cause
from opskit.core.diagnose.guistart import gui_setup_failure, gui_start_fatal
from opskit.core.diagnose.guiwarning import QUOTED_WARNING_PHRASES, parse_gui_health_warning, quoted_health_warning
from opskit.core.diagnose.headscale_log import is_headscale_server_line
from opskit.core.diagnose.lazyre import LazyPattern, lazy_compile
from opskit.core.diagnose.localapicurl import restore_clipped_status
from opskit.core.diagnose.loginserver import is_unspecified_host, login_server_mismatch, unroutable_login_host
from opskit.core.diagnose.models import CliError, CliErrorKind, CliErrorReport
from opskit.core.diagnose.phrases import any_word_pattern
from opskit.core.diagnose.relayedoutput import relayed_state
from opskit.core.diagnose.text import (
    GO_STAMP,
    TAILNET_V4_PREFIX,
    TAILNET_V6_PREFIX,
    TRAILING_NOTE,
    SourceLine,
    prompt_command,
    typed_tailscale_command,
    undo_go_quoting,
)

_QUOTED = r'"(?P<{name}>(?:[^"\\]|\\.)*)(?P<{name}_end>"?)'
_OWNER_CALLER = re.compile(
    r"Tailscale (?P<mode>running in server mode|already in use) \("
    + _QUOTED.format(name="owner")
    + r"\)?(?:; connection from "
    + _QUOTED.format(name="caller")
    + r"(?P<tail> not allowed)?)?"
)
_IN_USE_BY = re.compile(
    r"Tailscale (?:is )?already in use(?: by (?P<owner>.+?))?(?:, pid (?P<pid>\d+))?\s*[.\"'`]?$", re.IGNORECASE
)
_OWNER_NOTE = re.compile(TRAILING_NOTE + "$")
_RUNNING_AS = re.compile(r"Tailscale running (?P<mode>in server mode )?as (?P<owner>.+?)\. Access denied\.?")
# The process the CLI found: tailscaled (tailscaled.exe), or the macOS app's IPNExtension.
_DAEMON_PID = re.compile(r"running as (?:tailscaled(?:\.exe)?|IPNExtension), pid (?P<pid>\d+)")

# Windows prints Win32 errors in the display language: the pipe errors arrive translated.
# ERROR_FILE_NOT_FOUND (2) and ERROR_ACCESS_DENIED (5) as FormatMessage words them, per locale.
_FILE_NOT_FOUND = (
    "cannot find the file specified",  # en
    "Das System kann die angegebene Datei nicht finden",  # de
    "Le fichier spécifié est introuvable",  # fr
    "El sistema no puede encontrar el archivo especificado",  # es
    "Impossibile trovare il file specificato",  # it
    "O sistema não pode encontrar o arquivo especificado",  # pt-BR
    "Het systeem kan het opgegeven bestand niet vinden",  # nl
    "Nie można odnaleźć określonego pliku",  # pl
    "Sistem belirtilen dosyayı bulamıyor",  # tr
    "Не удается найти указанный файл",  # ru
    "系统找不到指定的文件",  # zh-CN
    "系統找不到指定的檔案",  # zh-TW
    "指定されたファイルが見つかりません",  # ja
    "지정된 파일을 찾을 수 없습니다",  # ko
)
_ACCESS_DENIED = (
    "Access is denied",
    "Zugriff verweigert",
    "Accès refusé",
    "Acceso denegado",
    "Accesso negato",
    "Acesso negado",
    "Toegang geweigerd",
    "Odmowa dostępu",
    "Erişim engellendi",
    "Отказано в доступе",
    "拒绝访问",
    "存取被拒",
    "アクセスが拒否されました",
    "액세스가 거부되었습니다",
)


# The macOS/iOS app's alert that it cannot reach its network extension: "Could not connect to Tailscale" then its
# reason after a colon (the NSError's text), a period, nothing, or a comma and a short error ("could not connect to
# Tailscale, internal error", also inside Markdown emphasis or backticks: "**…, internal error**"); "Tailscale" followed
# by other words ("… Tailscale coordination server") is prose.
APPLE_ALERT_CANNOT_CONNECT = (
    r"Could not connect to Tailscale(?:[:.]|$|, (?:an? )?(?:[\w-]+ )?error(?=$|[.:;(*_`]| occurred| \())"
    r"|Tailscale\.BackendMessageError"
)


# A LocalAPI dial that reached nobody: no socket file, nobody listening (Unix, and Windows when LocalAPI was
# TCP 127.0.0.1:41112), or (macOS) no LocalAPI port found at all, so the CLI dialled port 0.
_DIAL_FAILED = (
    r"(?:connect: (?:no such file or directory|connection refused|can't assign requested address)"
    r"|connectex: No connection could be made because the target machine actively refused it)"
)


# The service manager has no Tailscale service at all (see SERVICE_NOT_RUNNING below).
SERVICE_MISSING = (
    r"|Tailscale service (?:is )?not installed"
    r"|Cannot find any service with service name '?Tailscale"
    r"|Unit tailscaled\.service (?:not found|could not be found)"
    r"|\btailscaled?: unrecognized service"
    r"|^Service \"?tailscaled?\"? not found"
    r"|/etc/init\.d/tailscale: (?:No such file or directory|not found)"  # OpenWrt's script (no "d")
)
# Windows' own words for a Tailscale service that stopped or would not start: the Windows GUI's error box ("Tailscale
# Error" / "Tailscale service stopped." / Version / LogID), the Service Control Manager's dialogs ("The Tailscale
# service on Local Computer started and then stopped.", "Windows could not start the Tailscale service on Local
# Computer" then "Error 1067: …") and its System event log texts (7000, 7023, 7024, 7031, 7034). tailscaled.exe
# exited (or never ran): not a backend answer. Only with the service's name (Tailscale): SCM says the same of any.
WINDOWS_SERVICE_STOPPED = (
    r"|^Tailscale service (?:is )?stopped\.?$"
    r"|\bThe Tailscale service on (?:Local Computer|\S+) started and then stopped\b"
    r"|\bWindows could not start the Tailscale service on (?:Local Computer|\S+)"
    r"|\bThe Tailscale service (?:terminated unexpectedly|terminated with (?:the following|service-specific) error"
    r"|failed to start due to the following error)"
    # The Windows GUI's own log when its start-up finds the service stopped and asks the Service Control Manager to
    # start it ("ui: Failed to explicitly start tailscaled: openServiceForReadExecute: The specified service does not
    # exist as an installed service."): the service-control call's name, then Windows' error text (any language,
    # any SCM error: 1060 not installed, 5 access denied, 1058 disabled, 1072 marked for deletion, 1053 timeout,
    # 1068 dependency). Only "already running" (1056) is no failure.
    r"|\bFailed to explicitly start tailscaled: \w+: (?!An instance of the service is already running)\S"
)
# systemd could not start the unit: `systemctl start/restart/enable --now` waits for the job and reports its
# result (systemd's bus-wait-for-jobs: "Job for X failed because <the Result= explained>. See …", "Job for X
# failed. See …" without one, "A dependency job for X failed. See …"), or the unit is masked. The unit is
# tailscaled's own (tailscaled.service, a template instance, or a hand-made tailscale.service); a
# tailscaled-autoconnect-style oneshot that runs `tailscale up` is not the daemon.
SERVICE_JOB_FAILED = (
    r"|(?:A dependency job|Job) for tailscaled?(?:@[\w.-]*)?\.service failed\b"
    r"|Unit tailscaled?(?:@[\w.-]*)?\.service is masked"
)


def _any_of(phrases: tuple[str, ...]) -> str:
    return "(?:" + "|".join(re.escape(p) for p in phrases) + ")"


# `tailscale ip` asks LocalAPI for the node's addresses and, when it has none, says why with the backend state
# (cmd/tailscale/cli/ip.go: `fmt.Errorf("no current Tailscale IPs; state: %v", st.BackendState)`): the node
# is not Running — NeedsLogin (never logged in, auth key refused or expired), NeedsMachineAuth (awaiting
# approval), Stopped (`tailscale down`), Starting/NoState (still coming up). The state is the fact.
# ip.go "no current Tailscale IPs; state: X", whoami.go (2026-05+) "no current Tailscale IP address; state: X"
_NO_IPS_STATE = re.compile(r"no current Tailscale IP(?:s| address); state: (?P<state>[A-Za-z]+)", re.IGNORECASE)
# tailscaled answered, but its WireGuard engine holds no node key (magicsock.Conn with a zero private key: not
# logged in, logged out, or `tailscale down`): `tailscale ping` gets the engine's "local tailscaled stopped"
# (wgengine/magicsock/magicsock.go Conn.Ping, printed by cli/ping.go, bare or under log.Fatal's stamp), and
# `tailscale debug peer-endpoint-changes` LocalAPI's 500 "getting endpoint changes: tailscaled stopped".
ENGINE_STOPPED = re.compile(
    r"(?:^|: |^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d+)? )local tailscaled stopped\.?$"
    r"|getting endpoint changes: tailscaled stopped\b",
    re.IGNORECASE,
)


def cli_backend_state(error: CliError) -> str | None:
    """The backend state a ``not-running-state`` error names (``NeedsLogin``, ``Stopped``, …), or None."""
    if error.kind is not CliErrorKind.NOT_RUNNING_STATE:
        return None
    match = _NO_IPS_STATE.search(error.line.text)
    if match is None:
        return relayed_state(error.detail) if error.detail else None  # "Logged out." a program relayed
    return match.group("state")


# Tags a node or auth key asked for that it may not have. The coordination server (and Headscale, which copies
# the wording) refuses a node's --advertise-tags, and the API refuses a new auth key (OAuth client / workload
# identity federation in `tailscale up`, the GitHub Action, the k8s operator, Terraform) with "requested tags
# [tag:a tag:b] are invalid or not permitted" (an empty list [] when no tag was asked for), or "tailnet-owned
# auth key must have tags set"; the CLI itself refuses to mint an OAuth/federated key without tags
# (feature/oauthkey, feature/identityfederation) and checks each tag's spelling (tailcfg.CheckTag, quoted by
# cli/up.go as `tag: "x": <why>`); the operator rejects an Ingress's tags the same way.
_TAGS_REQUESTED = re.compile(r"requested tags \[(?P<tags>[^\]]*)\]", re.IGNORECASE)
TAGS_NOT_PERMITTED = (
    r"requested tags (?:\[[^\]]*\] )?(?:are|is) invalid or not (?:permitted|allowed)"
    r"|tailnet-owned auth key must have tags set"
    r"|(?:oauth|federated identity) authkeys require --advertise-tags"
    r"|tag: \"[^\"]*\": (?:tags must start with .tag:|tag names (?:must|can only))"
    r"|contains invalid tags: invalid tag \""
)


def requested_tags(error: CliError) -> tuple[str, ...] | None:
    """The tags a ``tags-not-permitted`` refusal lists (``()`` for ``[]``), or None when it lists none."""
    match = _TAGS_REQUESTED.search(error.line.text)
    if match is None:
        return None
    return tuple(tag.strip("\"',") for tag in match.group("tags").replace(",", " ").split())


# The shell cannot find the `tailscale` (or tailscaled) program. A path's last part is not read
# ("/etc/init.d/tailscale: not found" is an init script missing, not the CLI).
_PROGRAM = r"['\"]?(?:[\w:.~\\/-]*[\\/])?tailscaled?(?:\.exe)?['\"]?"
CLI_NOT_FOUND = (
    r"(?<![\w./\\-])tailscaled?(?:\.exe)?: (?:command not found|not found|inaccessible or not found)\b"
    r"|\bcommand not found: tailscaled?(?:\.exe)?(?![\w.-])"
    r"|\bUnknown command:? " + _PROGRAM + r"(?!\S)"
    r"|'(?:[^']*\\)?tailscaled?(?:\.exe)?' is not recognized as an internal or external command"
    r"|\bThe term " + _PROGRAM + r" is not recognized as (?:the|a) name of a cmdlet"
    r"|\bexec failed: .*\bexec: \"tailscaled?\": executable file not found in \$PATH"
)
_WINDOWS_SHELL_NOT_FOUND = re.compile(r"is not recognized as (?:an internal|the name|a name)", re.IGNORECASE)


def cli_not_found_on_windows(error: CliError) -> bool:
    """Whether a ``cli-not-found`` line is Windows' (cmd or PowerShell) rather than a Unix shell's."""
    return _WINDOWS_SHELL_NOT_FOUND.search(error.line.text) is not None


# Synology's `tailscale configure-host` (`configure synology` since 1.36) prepares DSM at boot so tailscaled can
# use a TUN device: root check, DSM version, /dev/net/tun (mknod, chmod), then setcap on the package's tailscaled
# (cmd/tailscale/cli/configure-synology.go). Each step fails with its own words; the step is the fact.
CONFIGURE_HOST_STEPS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (step, re.compile(pattern, re.IGNORECASE))
    for step, pattern in (
        ("setcap", r"\bsetcap: (?:exit status \d+|fork/exec |signal: )"),
        ("root", r"must be run as root, not \"[^\"]*\" \(\d+\)"),
        ("dsm-version", r"unsupported DSM version \""),
        ("tun-device", r"creating /dev/net(?:/tun)?: |chmod /dev/net(?:/tun)?: "),
        ("package-missing", r"tailscaled binary not found at \S+\. Is the Tailscale \*\.spk package installed"),
    )
)


def configure_host_step(error: CliError) -> str | None:
    """Which step of Synology's configure-host a ``configure-host-failed`` error names (``setcap``, ``root``…)."""
    return next((step for step, pattern in CONFIGURE_HOST_STEPS if pattern.search(error.line.text)), None)


# The DSM version check quotes what it compared. From 1.32 that is DSM's own version (/etc.defaults/VERSION's
# productversion: "7.1", "6.2.4"; "Synology 7.1; kernel=…" before 1.31), refused only when it is not 6.x or 7.x. The
# 1.31 unstable builds of 2022-09-11..17 compared the kernel release instead (hostinfo's OSVersion had just become
# uname -r; fixed by ff13c66f5 before 1.32.0), so they quote "4.4.180+" and refuse every NAS. A kernel release has
# three numbers (Synology's end in "+"); DSM's own versions that fail the check (5.2, 4.3) have two.
_DSM_VERSION_QUOTED = re.compile(r'unsupported DSM version "(?P<version>[^"]*)"', re.IGNORECASE)
_KERNEL_RELEASE = re.compile(r"\d+\.\d+\.\d+(?:\+|[-_][\w.+-]*)?")


def dsm_version_quoted_kernel(error: CliError) -> str | None:
    """The kernel release a configure-host DSM version refusal quoted in place of DSM's version (a 1.31 CLI bug)."""
    quoted = _DSM_VERSION_QUOTED.search(error.line.text)
    if quoted is None or _KERNEL_RELEASE.fullmatch(quoted.group("version")) is None:
        return None
    return quoted.group("version")


# A subcommand this OS or build does not have: tailscaled's own subcommands registered per OS
# (cmd/tailscaled/tailscaled.go: "%s not available on %v", runtime.GOOS: install-system-daemon is registered only
# by install_darwin.go and install_windows.go), and the CLI's platform-only commands (`tailscale
# ssh` in the App Store macOS app, `update`, the appliance and device `configure` commands).
_SUBCOMMAND_UNAVAILABLE = re.compile(
    r"(?P<sub>(?:un)?install-system-daemon|be-child) not available on (?P<os>[\w-]+)"
    r"|The .tailscale (?P<sub2>ssh). subcommand is not available on (?P<os2>macOS builds distributed through the "
    r"App Store(?: or TestFlight)?)"
    r"|The .(?P<sub3>update). command is not supported on (?P<os3>this platform)"
    r"|the (?P<sub4>pve-appliance) subcommand is only available on (?P<os4>Linux)"
    r"|(?P<sub5>flash-appliance) is (?:only supported on linux and darwin \(got (?P<os5>\w+)\)"
    r"|not supported on (?P<os6>Windows))"
    r"|only implemented on (?P<os7>Synology|JetKVM)\b",
    re.IGNORECASE,
)


def unavailable_subcommand(error: CliError) -> tuple[str | None, str | None]:
    """The subcommand and the platform a ``daemon-subcommand-unavailable`` error names (either may be None)."""
    match = _SUBCOMMAND_UNAVAILABLE.search(error.line.text)
    if match is None:
        return None, None
    groups = match.groupdict()
    sub = next((groups[k] for k in ("sub", "sub2", "sub3", "sub4", "sub5") if groups[k]), None)
    where = next((groups[k] for k in ("os", "os2", "os3", "os4", "os5", "os6") if groups[k]), None)
    if groups["os7"]:
        sub, where = "configure", f"only {groups['os7']}"
    return sub, where


# `tailscale ip <peer>` (and `whois`, `configure kubeconfig`) found no node of the netmap with that name or
# address. Before 1.16 `tailscale ip` looked among peers only, so the node's own name failed too
# (cmd/tailscale/cli/ip.go "no peer found with IP %v", fixed by 7bfd4f521 for #2803); since 2026 it also
# looks at VIP services ("no peer or service found with IP"). `whois` says "peer not found" (1.68+; before,
# LocalAPI's 404 "no match for IP:port").
# The CLI's shared name lookup (cli/ping.go tailscaleIPFromArg: netmap peers, then DNS) fails the same way for
# `ip`, `whois`, `file cp` and `ping`; blocks.py reads these lines as a ping unless a prompt shows another
# command ran.
PEER_LOOKUP_FAILED = r'^(?:error looking up IP of "[^"]*": |no IPs found for "|node found but lacks an IP)'
_PEER_NOT_FOUND = re.compile(
    r"no peer (?:or service )?found with (?:Tailscale )?IP (?P<ip>[0-9A-Fa-f.:]+)"
    r"|no peer found for \"|^(?:tailscale whois: )?peer not found$|\bno match for IP:port\b|" + PEER_LOOKUP_FAILED,
    re.IGNORECASE,
)


def missing_peer_address(error: CliError) -> str | None:
    """The address a ``peer-not-found`` error says no peer has, or None."""
    match = _PEER_NOT_FOUND.search(error.line.text)
    return match.group("ip") if match and match.group("ip") else None


# v1.14-v1.18's LocalAPI client library (client/tailscale) printed the version warning itself, on every call, in any
# program embedding it (a Caddy plugin calling WhoIs, an exporter); since v1.20 only the CLI's handler prints it. Under
# the service log prefix of another program ("caddy[25961]: Warning: client version …", compose's "caddy-1 | …") it
# is that program's library noise: the CLI was never run, nothing is half upgraded.
_EMBEDDING_PROGRAM = re.compile(
    r"(?:^|\s)(?P<program>[A-Za-z/][\w.@/-]*)(?:\[\d+\]:|\s+\|)\s+(?:" + GO_STAMP + r"\s+)?Warning: client version \""
)


_CLI_PROGRAMS = ("tailscale", "tailscale.exe")


def embedding_program(error: CliError) -> str | None:
    """The program whose log line holds a ``version-mismatch`` warning when it is not the tailscale CLI (its client
    library's noise), else None."""
    if error.kind is not CliErrorKind.VERSION_MISMATCH:
        return None
    # (the raw line: the splitter takes compose's prefix off when several lines carry it)
    found = _EMBEDDING_PROGRAM.search(error.line.text) or _EMBEDDING_PROGRAM.search(error.line.raw)
    if found is None:
        return None
    program = found.group("program").rsplit("/", 1)[-1]
    # a compose service is named "<service>-<n>": the tailscale image's CLI is the CLI
    return None if re.sub(r"[-_]\d+$", "", program).lower() in _CLI_PROGRAMS else program


# A row of `tailscale exit-node list` (cli/exitnode.go runExitNodeList: tabwriter columns IP, HOSTNAME, COUNTRY,
# CITY, STATUS; "-" for an unknown country or city, names of several words): its cells before STATUS. The IP may
# be redacted ("100.91.x.xxx"), the hostname is the peer's MagicDNS name.
_EXIT_NODE_LIST_ROW = r"^(?:[0-9A-Fa-f]{1,4}[.:][\w.:*]*|\S*(?:x{2,}|X{2,}|\*{2,})\S*)\s+\S+\s+(?:\S+\s+)+"
EXIT_NODE_LIST_STATUS = re.compile(
    _EXIT_NODE_LIST_ROW + r"(?P<status>-|selected|selected but offline|offline)(?:, last seen \S+ ago)?\s*$"
)
EXIT_NODE_LIST_HEADER = re.compile(r"^IP\s+HOSTNAME\s+COUNTRY\s+CITY\s+STATUS$")


# A Windows package manager whose run of Tailscale's installer failed: winget's "Installer failed with exit code:
# N", its log's "ShellExecute installer failed: N" (the installer process's exit code, 3221225477 = 0xC0000005 an
# access violation) and winget-pkgs validation's "Installation failed with exit code N" (winget's own HRESULT,
# -1978335226 = APPINSTALLER_CLI_ERROR_SHELLEXEC_INSTALL_FAILED), Chocolatey's "The install of tailscale was NOT
# successful."
PACKAGE_MANAGER_INSTALL_FAILED = re.compile(
    r"\bInstaller failed with exit code: (?P<code>-?\d+|0x[0-9A-Fa-f]+)"
    r"|\bShellExecute installer failed: (?P<shell_code>-?\d+|0x[0-9A-Fa-f]+)"
    r"|^(?:\S+ ){0,3}Installation failed with exit code:? (?P<winget_code>-?\d+|0x[0-9A-Fa-f]+)"
    r"|\bThe (?:install|upgrade) of tailscale\S* was NOT successful",
    re.IGNORECASE,
)
# Windows Installer (msiexec: tailscale-setup-*.msi, or the .exe bundle running it) failing on Tailscale's own
# package, as its dialog, the Application event log (MsiInstaller) or a verbose log (`msiexec /l*v`, "MSI (s)
# (90:B8) [14:58:00:115]: …") words it: "Product: Tailscale -- Error 1920. …" / "-- Installation (operation)
# failed.", the service errors 1920-1939 on the Tailscale service ("Error 1920. Service 'Tailscale' (Tailscale)
# failed to start. Verify that you have sufficient privileges …", also without the "Error N." when retyped), the
# end-of-install event "Product Name: Tailscale. … Installation success or error status: 1603.", a custom action
# of the package failing ("Custom Action CheckServiceDependencies (PID 0x3DB4 (15796)) [23:45:43.734]: Error:
# …": the installer checks the services tailscaled depends on, cmd/tailscaled/install_windows.go
# serviceDependencies, "kept in sync with the TailscaledDependencies … in the installer"), and MSI's own
# "CustomAction X returned actual error code N". The routine "Note: 1: 2205 …" table look-ups are not failures.
WINDOWS_INSTALLER_SERVICE_FAILED = re.compile(
    r"(?:\bError (?P<msi_error>19[23]\d)\.? )?\bService '?Tailscale\w*'? \(Tailscale\w*\) "
    r"(?P<service_step>failed to start|could not be (?:installed|stopped|deleted|configured))"
    r"|\bCustom Action (?P<action>\w+) \(PID 0x[0-9A-Fa-f]+ \(\d+\)\) \[[\d:.]+\]: Error: "
    r"(?:Obtaining Config for \"(?P<dependency>[\w.-]+)\")?",
    re.IGNORECASE,
)
WINDOWS_INSTALLER_FAILED = re.compile(
    r"\bProduct: Tailscale\b[^\n]{0,40}? -- (?:Error (?P<product_error>\d{4})\b|(?:Installation|Removal|Configuration)"
    r"(?: operation)? failed)"
    r"|\bProduct Name: Tailscale\b.*\bInstallation success or error status: (?P<status>[1-9]\d*)"
    r"|\bCustomAction (?P<custom_action>\w+) returned actual error code (?P<action_code>[1-9]\d*)"
    r"|" + WINDOWS_INSTALLER_SERVICE_FAILED.pattern,
    re.IGNORECASE,
)
GUI_FETCH_FILES_FAILED = re.compile(r"\bfetchFiles: (?:HTTP )?[45]\d\d [A-Z]", re.IGNORECASE)
# LocalAPI refusing the CLI's request with a status that has no kind of its own (401 not-owner, 403
# unix-access-denied, 500 backend-error, 503 no-backend; 501 is cli_catalog/features.py's): the ones ipn/localapi,
# ipnlocal and the feature handlers answer with (de9ec7ee2), as Go's net/http names them. client/local prints
# "<status>: <body>" (412: "Preconditions failed: <body>", v1.60+; "412 Precondition Failed: …" before), 1.4-1.18
# "HTTP <status>: <body>".
LOCALAPI_REFUSAL_STATUSES = (
    "204 No Content",
    "400 Bad Request",
    "404 Not Found",
    "405 Method Not Allowed",
    "409 Conflict",
    "412 Precondition Failed",
    "429 Too Many Requests",
    "502 Bad Gateway",
)
LOCALAPI_REFUSAL = re.compile(
    r"(?:^|: |`|^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d |got )(?:(?:HTTP )?(?-i:"
    + "|".join(LOCALAPI_REFUSAL_STATUSES)
    + r")|Preconditions failed): \S",
    re.IGNORECASE,
)
LOCALAPI_NOT_HTTP = re.compile(
    r"local-tailscaled\.sock/localapi/\S*: (?:net/http: )?HTTP/1\.x transport connection broken: "
    r"malformed HTTP (?:status code|response|version)\b",
    re.IGNORECASE,
)

# The Tailscale API refusing the credential `tailscale up` mints its auth key with: the API client's ErrResponse
# (client/tailscale: `Status: %d, Message: %q`), and workload identity federation's own wording of the token
# endpoint's answer when it trades the CI job's OIDC token (a JWT) for an access token (feature/identityfederation
# exchangeJWTForToken: "token exchange failed with status %d: %s", the body as sent, '{"message":"Unauthorized"}').
# The Go runtime's header for a fatal signal it got outside Go code (runtime/signal_unix.go sighandler/badsignal:
# "SIGBUS: bus error", "SIGSEGV: segmentation violation", "SIGILL: illegal instruction"), then "PC=0x… m=…".
_GO_SIGNALS = ("BUS", "SEGV", "ILL", "ABRT", "FPE", "TRAP", "SYS", "QUIT", "EMT", "STKFLT")
GO_SIGNAL_CRASH = r"SIG(?:" + "|".join(_GO_SIGNALS) + r"): "
GO_CRASH_START = re.compile(r"^(?:panic: |fatal error: |" + GO_SIGNAL_CRASH + r")")

API_KEY_REFUSED = r"(?:^|[\s`'\"])Status: 40[13], Message: \"|\btoken exchange failed with status 40[13]:(?: |$)"
NOT_A_NODE_AUTH_KEY = r"\bkey cannot be used for node auth\b"


_SIMPLE_PATTERNS: tuple[tuple[CliErrorKind, str], ...] = (
    # The shell's own answer when it cannot find the program (not Tailscale's words): bash/sudo/sh/ash/dash
    # ("-bash: tailscale: command not found", "/bin/sh: 1: tailscale: not found", Android's "/system/bin/sh:
    # tailscale: inaccessible or not found"), zsh ("command not found: tailscale"), fish ("Unknown command:
    # tailscale"), cmd ("'tailscale' is not recognized as an internal or external command"), PowerShell ("The
    # term 'tailscale' is not recognized as the name of a cmdlet"; 7.x: "as a name of a cmdlet"), and an exec in a
    # container without the binary (docker/kubectl exec: 'OCI runtime exec failed: exec failed: … exec: "tailscale":
    # executable file not found in $PATH'; not tailscaled's own "failed to find cmd/tailscale binary: exec: …").
    # First: these lines say nothing about tailscaled, whatever else they hold.
    (CliErrorKind.CLI_NOT_FOUND, CLI_NOT_FOUND),
    # LocalAPI's DNS-rebinding guard (ipn/localapi/localapi.go ServeHTTP): a Host other than local-tailscaled.sock
    # (or a Referer/Origin header) is answered 403 with this body before any handler or permission check runs.
    (CliErrorKind.LOCALAPI_INVALID_REQUEST, r"\binvalid localapi request\b"),
    (CliErrorKind.NOT_RUNNING_STATE, _NO_IPS_STATE.pattern + "|" + ENGINE_STOPPED.pattern),
    # Before the auth-key, usage and backend errors: "backend error: requested tags … not permitted".
    (CliErrorKind.TAGS_NOT_PERMITTED, TAGS_NOT_PERMITTED),
    (CliErrorKind.CONFIGURE_HOST_FAILED, "|".join(p.pattern for _, p in CONFIGURE_HOST_STEPS)),
    (CliErrorKind.DAEMON_SUBCOMMAND_UNAVAILABLE, _SUBCOMMAND_UNAVAILABLE.pattern),
    (CliErrorKind.PEER_NOT_FOUND, _PEER_NOT_FOUND.pattern),
    # `tailscale up` with flags must restate every non-default setting (the quotes around `tailscale up`
    # may be typographic or lost in a paste, hence the single-character wildcards).
    (CliErrorKind.UP_FLAGS_REQUIRED, r"changing settings via .?tailscale up\b"),
    # The macOS app's CLI reaches the daemon through the GUI app/network extension; when it cannot start or
    # reach the app it says so ("Tailscale.CLIError error 3", "CLI failed to start: Failed to load …").
    # The iOS/macOS app could not start its VPN tunnel (the packet-tunnel Network Extension): the iOS app's
    # "An issue in this version of iOS is preventing the Tailscale tunnel from starting. Reboot …", the macOS
    # app's "Oops! The Tailscale network extension failed to start.", Apple's NEVPNErrorDomain codes 1-6
    # (configuration invalid, disabled, connection failed, stale, read/write failed, unknown), as the app's
    # alert words them or as NSError prints them (`Error Domain=NEVPNErrorDomain Code=1 "…"`), and the VPN
    # configuration the app could not get allowed or added. Before GUI_FAILED_TO_START ("failed to start").
    (
        CliErrorKind.TUNNEL_START_FAILED,
        r"preventing the Tailscale tunnel from starting|\bThe Tailscale network extension failed to start"
        r"|\bNEVPNErrorDomain(?: error | Code=| )[1-6]\b"
        r"|\bfail(?:ed|s)? to (?:allow|add|install|save) (?:the |a )?VPN configuration"
        r"|\bcan.?t add (?:the |a )?VPN configuration",
    ),
    (
        CliErrorKind.GUI_FAILED_TO_START,
        r"The Tailscale (?:GUI|CLI) failed to start|Tailscale\.\s?CLIError error \d",
    ),
    # The Linux `tailscale systray` (client/systray on fyne.io/systray): the tray library logs every failure to
    # set up its StatusNotifierItem on the session bus as "systray error: …" ("failed to register: The name
    # org.kde.StatusNotifierWatcher was not provided by any .service files", "… The name is not activatable",
    # before 2024 "failed to register our icon with the notifier watcher (maybe no tray is running?)", "failed
    # to connect to DBus: …"); client/systray/systray.go warns when it runs under sudo/doas.
    (
        CliErrorKind.SYSTRAY_FAILED,
        r"(?<![\w-])systray error: \S|running the systray with sudo/doas",
    ),
    # The control server refused the auth key (`tailscale up --authkey …`, also via k3s, Ansible, add-ons):
    # "backend error: invalid key: API key tskey-… not valid", Headscale's "unable to validate API key".
    # A node embedding tsnet (tsnsrv, golink, tsidp, caddy-tailscale, …) whose tsnet.Server.Up returned when its
    # context expired before the backend reached Running (tsnet/tsnet.go: every error of Up is "tsnet.Up: %w";
    # the IPN bus watch or LocalAPI call it waited on ends with the context's error). Before DEADLINE, which
    # would read a wrapped `local-tailscaled.sock … context deadline exceeded` as a hung tailscaled.
    # The embedding app's own words for the same deadline (tsbridge: "starting tsnet server for service \"x\"
    # (check network connectivity to Tailscale) timed out after 30s").
    (
        CliErrorKind.TSNET_UP_TIMEOUT,
        r"\btsnet\.Up: (?:.*: )?context deadline exceeded|\btsnet (?:server|node)\b.*\btimed out after \d",
    ),
    # Go's net.Interfaces/InterfaceAddrs read the routing table over a netlink route socket (syscall.NetlinkRIB,
    # wrapped "route ip+net: netlinkrib: …"); an Android (targetSdk >= 30) or HarmonyOS app sandbox forbids
    # binding it, so a node embedded in the app (tsnet, a proxy's Tailscale outbound) fails to start and every
    # dial through it repeats the error. Before the generic "permission denied" readings.
    (CliErrorKind.NETLINKRIB_PERMISSION_DENIED, r"\bnetlinkrib: (?:permission denied|operation not permitted)"),
    # The Docker Desktop extension's warning about the host (tailscale-dev/docker-extension HostWarning: the title
    # "Your host device is not running Tailscale" over "Tailscale is installed on your host device, but is not
    # running." or "Tailscale is not installed on your host device."): it ran the host's `tailscale status --json`
    # and got no Running backend or no answer. Users paste it when the host's client runs fine.
    (
        CliErrorKind.GUI_HOST_NOT_DETECTED,
        r"\bYour host device is not running Tailscale|\bTailscale is installed on your host device, but is not running"
        r"|\bTailscale is not installed on your host device",
    ),
    # Where Tailscale is installed as a systemd system extension (the Steam Deck/SteamOS install scripts,
    # Flatcar, Fedora atomic desktops: a tailscale sysext image merged over /usr by systemd-sysext.service), the
    # installer's `systemctl restart systemd-sysext` failing is the install failing: systemctl's "Job for
    # systemd-sysext.service failed …" (matched on the unit's name, whatever a retyped copy did to ".service"),
    # the unit's result and start failure in its journal, and systemd-sysext's own "Hierarchy /usr is already
    # merged" (an extension is still merged: it must be unmerged or refreshed first). Not tailscaled's unit.
    (
        CliErrorKind.INSTALL_FAILED,
        r"(?:A dependency job|Job) for systemd-sysext\b\S*(?: \S+)? failed\b"
        r"|\bsystemd-sysext\.service: Failed with result"
        r"|Failed to start (?:systemd-sysext\.service - )?Merge System Extension Images into /usr"
        r"|\bHierarchy '?/(?:usr|opt)/?'? is already merged"
        + "|"
        + PACKAGE_MANAGER_INSTALL_FAILED.pattern
        + "|"
        + WINDOWS_INSTALLER_FAILED.pattern,
        # Windows package managers running Tailscale's own installer (tailscale-setup-*.exe/.msi): winget's
        # "Installer failed with exit code: 1603", Chocolatey's "The install of tailscale was NOT successful.";
        # and Windows Installer's own errors on Tailscale's package (MSI dialog, event log, verbose log).
    ),
    (
        CliErrorKind.AUTH_KEY_REJECTED,
        r"backend error: invalid key: |invalid key: (?:API key|unable to validate)"
        # `tailscale up` (the GitHub Action, the operator, tsnet) minting an auth key with an OAuth client or a
        # federated identity: the Tailscale API refused the credential (401) or its scopes (403). The error is
        # the API client's ErrResponse (client/tailscale: `Status: %d, Message: %q`), bare (feature/oauthkey)
        # or after "unexpected error while creating authkey: " (feature/identityfederation). A 400's
        # "requested tags" is matched above as tags-not-permitted.
        + "|"
        + API_KEY_REFUSED
        # The coordination server refusing a credential that is not a node auth key (an OAuth client secret,
        # an API token) passed as one: the backend's ErrMessage, after "backend error: " (cli/up.go) or
        # "tsnet.Up: backend: " (tsnet/tsnet.go), names the key's capabilities ({KeyCapabilityBits(…) [tags]}).
        + "|"
        + NOT_A_NODE_AUTH_KEY,
    ),
    # `--exit-node=…` refused: no such node in the netmap, a node that offers no exit, or a platform that
    # forbids exit nodes (Home Assistant); before the generic usage errors ("invalid value … for --exit-node").
    # `up`/`set` warn once the prefs are applied when peers advertise subnet routes this node does not accept
    # (health/healthmsg WarnAcceptRoutesOff, printed bare by cli/up.go checkUpWarnings when it is the only
    # warning; `status` and `up` with several warnings list it as a "#     - " health item: a status line).
    (CliErrorKind.ACCEPT_ROUTES_OFF, r"Some peers are advertising routes but --accept-routes is false"),
    (
        CliErrorKind.EXIT_NODE_REFUSED,
        r"no node found in netmap with IP|is not advertising an exit node|exit nodes cannot be used on"
        r"|for --exit-node; must be",
    ),
    # The admin console's route settings of a machine that offers no exit node ("This device does not advertise
    # itself as an exit node. Re-run tailscale up with the --advertise-exit-node flag to enable this option."),
    # quoted by front ends (the Unraid plugin's page); not in tailscale/tailscale's CLI or web client. The node
    # itself is fine and nothing was refused to it: it is not offered, so no other device can pick it. Only the
    # console's own sentences (prose says "the device does not advertise itself as an exit node" of itself).
    (
        CliErrorKind.EXIT_NODE_NOT_ADVERTISED,
        r"\b(?-i:This) (?:device|machine|node) does not advertise itself as an exit node"
        r"|Re-run tailscale up with the --advertise-exit-node flag to enable this option",
    ),
    # `tailscale exit-node list`'s status column for the exit node this node selected when it has no active
    # connection to it (cli/exitnode.go peerStatus: "selected but offline", ", last seen 3d ago" since 1.86):
    # before the exit-node refusals ("exit node" phrases) so the row is not read as a refused --exit-node.
    (CliErrorKind.EXIT_NODE_OFFLINE, _EXIT_NODE_LIST_ROW + r"selected but offline(?:, last seen \S+ ago)?\s*$"),
    # `tailscale serve status` (and `funnel status`) with an empty serve config (cli/serve_legacy.go
    # runServeStatus: isServeConfigEmpty): nothing is served or funnelled.
    (CliErrorKind.SERVE_NOT_CONFIGURED, r"^No serve config\.?$"),
    # `tailscale serve`/`funnel` on a node without the HTTPS capability: the CLI prints the control server's
    # QueryFeature text ("Serve is not enabled on your tailnet.", "To enable, visit:") and the enable URL
    # (cli/serve_legacy.go enableFeatureInteractive). Funnel's own wording stays funnel-unavailable.
    (
        CliErrorKind.FUNNEL_UNAVAILABLE,
        r"\bFunnel (?:is )?not (?:yet )?enabled (?:on|for) (?:your|this|the) tailnet",
    ),
    (
        CliErrorKind.SERVE_NOT_ENABLED,
        r"\b(?:Serve|HTTPS(?: certificates)?) (?:is|are) not (?:yet )?enabled (?:on|for) "
        r"(?:your|this|the) tailnet",
    ),
    # tailscaled started with a locked declarative config file (`tailscaled --config=…`) refuses every prefs
    # change (ipn/ipnlocal/local.go isConfigLocked_Locked, serve.go): the daemon answered, nothing changed.
    (
        CliErrorKind.CONFIG_FILE_LOCKED,
        r"can'?t reconfigure tailscaled when using a config file|config file is locked",
    ),
    (
        CliErrorKind.FUNNEL_UNAVAILABLE,
        r"Funnel not available|Unable to turn on Funnel|Funnel support is disabled",
    ),
    # Any command the CLI was given (`tailscale ssh`'s ProxyCommand `<this binary> nc <host> <port>` too), answered
    # by tailscaled (blocks.py puts the line in a CLI block only under a typed `tailscale …`, a typed `tailscaled
    # <CLI subcommand>`, or alone naming a CLI subcommand: a daemon log's own line is the daemon refusing its
    # start-up arguments, a crash): the program that ran is the daemon.
    (CliErrorKind.CLI_IS_DAEMON, r"tailscaled does not take non-flag arguments: \["),
    # A Go panic of the CLI (blocks.py keeps only panics printed under a `tailscale <cmd>` prompt, with their
    # goroutine trace, in a CLI block: tailscaled's own panics are read by the daemon log model).
    (CliErrorKind.CLI_PANIC, r"^(?:panic|fatal error): |^" + GO_SIGNAL_CRASH),
    # The macOS/iOS app's CLI is the app's own (Swift) binary: a Swift runtime trap (fatalError, a failed
    # precondition or assertion, a nil unwrapped) aborts it before it asks tailscaled anything. Swift prints
    # "<file>.swift:<line>: Fatal error: <message>" (Swift 5.3+), before that "Fatal error: <message>: file
    # <file>.swift, line <line>"; the shell then reports the SIGTRAP ("Trace/BPT trap: 5", "trace trap").
    (
        CliErrorKind.CLI_PANIC,
        r"(?:^|\s)[\w./+-]+\.swift:\d+: (?:Fatal error|Precondition failed|Assertion failed)\b"
        r"|^(?:Fatal error|Precondition failed|Assertion failed): .*: file [\w./+-]+\.swift, line \d+$",
    ),
    # The CLI's flag parser (Go's flag package) and argument checks: the command never ran.
    (
        CliErrorKind.CLI_USAGE,
        r"flag provided but not defined: -|invalid value \"[^\"]*\" for (?:flag )?-|too many non-flag arguments"
        # a bool flag given a value it cannot parse ("--accept-routes=yes": Go's flag.go parseOne)
        r"|invalid boolean value \"[^\"]*\" for -"
        # a flag that takes a value given bare ("tailscale set --exit-node"), and `up` refusing a control
        # server URL that differs from the one the node is logged in to
        r"|flag needs an argument: -|can.t change --login-server without --force-reauth"
        r"|unexpected non-flag arguments to .tailscale|is not a valid IP address or CIDR prefix"
        # `tailscale cert` without its one argument: after "Usage: tailscale cert [flags] <domain>" the CLI
        # names the domain(s) this node may ask for (cli/cert.go)
        r"|^For domain, use \"[^\"]+\"\.?$|^Valid domain options: \[",
    ),
    # `tailscale up/set --ssh` refused by the CLI before anything changed: this build or platform cannot host
    # the Tailscale SSH server (envknob/featureknob CanRunTailscaleSSH: the sandboxed macOS GUI builds,
    # Synology, QNAP, an OS without it, or TS_DISABLE_SSH_SERVER set).
    (
        CliErrorKind.SSH_SERVER_UNSUPPORTED,
        r"The Tailscale SSH server (?:does not run (?:in sandboxed Tailscale GUI builds|on \w+)"
        r"|is not supported on \w+|has been administratively disabled)",
    ),
    # tailscaled's health message when Tailscale SSH is on but the netmap's SSH policy has no rule at all
    # (ipn/ipnlocal/local.go sshOnButUnusableHealthCheckMessageLocked: "Tailscale SSH enabled, but access controls
    # don't allow anyone to access this device." then "Ask your admin to update …" for a non-admin, "Update
    # your tailnet's ACLs to allow access." with a custom control server, "… at https://tailscale.com/s/ssh-policy"
    # otherwise), printed by `up`/`set` (cli/up.go upWorthyWarning) and listed by `status`. No session was
    # refused: nobody can be admitted until the policy gains an "ssh" rule.
    (
        CliErrorKind.SSH_POLICY_NO_ACCESS,
        r"Tailscale SSH enabled, but access controls don.t allow anyone(?: to access this device)?",
    ),
    # `tailscale ssh` (or plain ssh to a node): Tailscale SSH's own refusals, and the ssh client finding nothing
    # on port 22 of a tailnet name or address (MagicDNS name, 100.64.0.0/10, fd7a:115c:a1e0::/48).
    (
        CliErrorKind.SSH_FAILED,
        # tailssh's banners (errBanner: "tailscale: " + message; errDenied's default for a Reject action):
        # "… does not permit you to SSH to this node" / "… as user %q", "failed to evaluate tailnet policy",
        # before 1.86 "failed to evaluate SSH policy"; people retell the first shorter ("… does not permit
        # access") and retype the second with the verb misspelt ("failed to eveluate SSH policy"): under the
        # banner's "tailscale: " any verb, bare any spelling of evaluate.
        r"tailnet policy does not permit\b|failed to ev\w{2,6}ate (?:SSH|tailnet) policy"
        r"|tailscale: failed to \w+ (?:SSH|tailnet) policy|tailssh: rejecting connection"
        r"|(?:^|\berror: )tailscale: access denied\.?$"  # the banner alone, or told as "… this error: <banner>"
        r"|Permission denied \(tailscale\)"
        r"|ssh: connect to host (?:\S+\.(?:ts\.net|tailscale\.net)\.?|" + TAILNET_V4_PREFIX + r"\d+\.\d+"
        r"|" + TAILNET_V6_PREFIX + r"[\w:]*) port \d+: (?:Operation timed out|Connection timed out|Connection refused"
        r"|No route to host|Host is down)",
    ),
    # `tailscale cert` (and serve's or the operator's on-demand certificate) answered by LocalAPI with 500:
    # the tailnet has no HTTPS certificates, the ACME DNS-01 record was not written (SetDNS), Let's Encrypt
    # refused the order. Before the TLS check: "acme.GetReg: … x509: …" is this machine's CA bundle.
    (
        CliErrorKind.CERT_FAILED,
        r"500 Internal Server Error: (?:acme[.:]|getCertPEM|SetDNS \"?_acme-challenge|timeout waiting for order"
        r"|cert\(\"|failed to get cert dir)|does not support getting TLS certs"
        # the CLI's own hint when the tailnet offers no certificate domains (cli/cert.go; the Synology
        # configure command's "TLS certificate support …"), and tailscaled's other refusals (feature/acme,
        # ipn/localapi/cert.go): a name that is not the node's, wildcards off, a build without ACME, a caller
        # without cert access, a read-only cert store (Kubernetes) with nothing cached
        r"|(?:HTTPS|TLS) cert(?:ificate)? support is not enabled/configured for your tailnet"
        r"|invalid domain \"[^\"]*\"; (?:must be one of|wildcard certificates are not enabled)"
        r"|wildcard certificates are not enabled for this node|cert support not compiled in this build"
        r"|cert store is configured in read-only mode"
        # the request itself failing (the daemon closed the connection, or the call timed out); a request that
        # never reached tailscaled (its dial failed: no socket, nobody listening, no permission) is not a
        # certificate failure but the daemon not running / not reachable, read below (Traefik's and Caddy's
        # certificate resolvers quote it: 'Unable to fetch certificate … error="Get \"http://local-tailscaled
        # .sock/localapi/v0/cert/…\": dial unix …: connect: connection refused"'; on Windows the dial is an
        # open of the named pipe, 'open \\.\pipe\…\tailscaled: …', its backslashes doubled in a JSON log)
        r"|local-tailscaled\.sock/localapi/v0/cert/(?!.*: (?:dial (?:unix|tcp) |open \\+\.\\+pipe\\))",
    ),
    # `tailscale netcheck` fetches the DERP map itself when tailscaled has none (not logged in): when that
    # fetch fails (no DNS, control unreachable) netcheck stops before measuring anything (cmd/tailscale/cli
    # netcheck.go prodDERPMap: "fetch prodDERPMap failed: …", "fetch prodDERPMap: <status>: …").
    (
        CliErrorKind.DERPMAP_FETCH_FAILED,
        r"(?:fetch|create) prodDERPMap\b|Failed to fetch a DERP map",
    ),
    # LocalAPI's connection closed or reset while the CLI waited for the answer: tailscaled accepted the
    # request and then went away (crashed, killed, restarted). Not "not running": it was, until then.
    (
        CliErrorKind.DAEMON_CONNECTION_RESET,
        r"local-tailscaled\.sock/localapi/[^\s\"]*\"?: (?:(?:unexpected )?EOF\b|.*(?:connection reset by peer"
        r"|forcibly closed by the remote host|broken pipe))",
    ),
    # The v0.98-v1.6 CLI (`up`, `ping`, …) waiting for tailscaled's notifications on its socket: its Ctrl-C/SIGTERM
    # handler closes the socket, so the read ends "use of closed network connection" (cli.go pump: "ReadMsg: …").
    # Only the CLI's end of the socket: its unnamed "@" (unix) or a port towards 41112 (Windows' TCP), never
    # tailscaled's own "ReadMsg:" log line (the socket's path or 41112 on the left).
    (
        CliErrorKind.CLI_INTERRUPTED,
        r"(?:^|\s)ReadMsg: read (?:unix @?->\S+|tcp \S+->\S+:41112): use of closed network connection\b",
    ),
    # The warnings `tailscale up` / `set` / `login` print (prefixed "Warning: ") for prefs that advertise
    # routes, an exit node or an app connector (cli/up.go warnOnAdvertiseRoutes; net/netutil/ip_forward.go
    # CheckIPForwarding: nothing is checked without advertised routes): forwarding off altogether, off for
    # one family ("IPv6 forwarding is disabled." then "Subnet routes and exit nodes may not work
    # correctly."), off per interface ("Traffic
    # received on eth0 won't be forwarded (net.ipv4.conf.eth0.forwarding disabled)"), the check failing,
    # illumos' "IP forwarding is set to off", the BSDs needing manual configuration. Anchored at the start
    # of the line: prose such as "Ensure IP forwarding is disabled" (hardening guides) is not the CLI.
    (
        CliErrorKind.IP_FORWARDING_DISABLED,
        # also under a CI runner's or Go's log stamp (a workflow step running `tailscale up`)
        r"^(?:\d{4}[-/]\d\d[-/]\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?\s+)?"
        r"(?:Warning: )?(?:IP(?:v[46])? forwarding is (?:disabled|set to off)\b"
        r"|Traffic received on \S+ won.t be forwarded \(|Subnet routes and exit nodes may not work correctly"
        r"|Subnet routing and exit nodes only work with additional manual configuration"
        # v1.0-v1.20 (cli/up.go; from v1.8 ipnlocal CheckIPForwarding): "%s is disabled. Subnet routes won't work."
        # (the sysctl's name where today's says IPvN)
        r"|net\.ipv[46]\.\S+ is disabled\. Subnet routes won.t work)",
    ),
    # The same check when tailscaled could not READ the settings: the forwarding state is unknown, not off.
    # Today's "Couldn't check system's IP forwarding configuration, subnet routing/exit nodes may not work: <err>"
    # (or "…; no link state"), v1.0-v1.20's "couldn't check|parse net.ipv4.ip_forward (<err>)." and its second
    # line "Subnet routes won't work without IP forwarding." (printed only after those two).
    (
        CliErrorKind.IP_FORWARDING_CHECK_FAILED,
        r"^(?:\d{4}[-/]\d\d[-/]\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?\s+)?"
        r"(?:Warning: )?(?:Couldn.t check system.s IP forwarding configuration"
        r"|couldn.t (?:check|parse) net\.ipv[46]\.\S+ \(|Subnet routes won.t work without IP forwarding)",
    ),
    # `tailscale up --netfilter-mode=off` (or `nodivert`) warns that tailscaled will install no firewall rules
    # (or will not hook its ts-* chains into the system's): cli/up.go netfilterModeFromFlag, printed "Warning: …".
    # Chosen on purpose (OpenWrt's fw4 zones, a host firewall of one's own): the prefs were applied.
    (
        CliErrorKind.NETFILTER_OFF_WARNING,
        # Not anchored: the words are the CLI's own, whatever a log stamp, add-on or container prefix is in front.
        r"netfilter=(?:off; configure iptables yourself|nodivert; add iptables calls to ts-\* chains manually)",
    ),
    # The throughput advisory the same commands print on Linux (net/netutil, CheckUDPGROForwarding): the
    # default route's NIC lacks rx-udp-gro-forwarding (or has rx-gro-list on). Forwarding works.
    (CliErrorKind.UDP_GRO_SUBOPTIMAL, r"UDP GRO forwarding is suboptimally configured on "),
    # The risk message `up`/`set --exit-node=…` printed on Linux (cli/risks.go presentRiskToUser over LocalAPI's
    # check-reverse-path-filtering, v1.68-v1.96): the healthmsg.WarnExitNodeUsage head ending in ":", one
    # '- interface "X" has strict reverse-path filtering enabled' per interface, healthmsg.DisableRPFilter, and
    # "To skip this warning, use --accept-risk=linux-strict-rp-filter". The same words folded on one line
    # ("…impossible: [interface …], please set …") are the health warnable a status or log shows, read there.
    (
        CliErrorKind.EXIT_NODE_RP_FILTER_RISK,
        r"The following issues on your machine will likely make usage of exit nodes impossible:$"
        r"|(?:^|-\s*)interface \"[^\"]*\" has strict reverse-path filtering enabled$"
        # its own line ("…], please|Please set" folded after the list is the warnable)
        r"|(?:^|(?<![,\]])\s)(?-i:Please) set rp_filter=2 instead of rp_filter=1\b"
        r"|use --accept-risk=linux-strict-rp-filter\b",
    ),
    # HTTPS to the control server (`tailscale debug ts2021`, `up`, a login error) failing verification:
    # something intercepts TLS, or (expired / not yet valid) the clock is wrong.
    (
        CliErrorKind.TLS_INTERCEPTED,
        r"x509: certificate (?:signed by unknown authority|is not trusted|is valid for|has expired or is not yet valid)"
        r"|tls: failed to verify certificate",
    ),
    # Login answered by the coordination server's front end with "502: backend not found or not available"
    # (the CLI and the mobile apps relay it): control is unreachable from here, tailscaled itself runs.
    # A LocalAPI 500 (`logout`, `up`, `login`) whose body is tailscaled's own failure to fetch the control
    # server's key (controlclient: "fetch control key: …"): the daemon answered, control is unreachable.
    (
        CliErrorKind.CONTROL_UNREACHABLE,
        r"backend not found or not available|(?:500 Internal Server Error|backend error): fetch control key: "
        # the registration request itself relayed the same way: its POST never got an answer ('register request:
        # Post "https://…/machine/register": … context deadline exceeded', controlclient/direct.go "register
        # request: %w") or control's front end failed (5xx); a 4xx is control answering (a refused key: not this)
        r"|(?:500 Internal Server Error|backend error): (?:TryLogin: )?register request: "
        r"(?:Post \"?https?://|http 5\d\d\b)"
        # the CLI's own fetch of the control key failing, as its last stderr line (`tailscale debug ts2021`:
        # cmd/tailscale/cli/debug.go runTS2021 returns http.Do's error, main prints it): 'Get "https://…/key?v=41":
        # net/http: TLS handshake timeout', a dial timeout, a refusal, EOF (a certificate error is TLS interception)
        r'|^Get "https?://[^"\s]+/key\?v=\d+": (?!.*(?:x509: |tls: failed to verify))\S'
        # the same command's control dial failing (debug.go runTS2021 logs "controlhttp.Dial = %p, %v", a nil
        # connection and controlhttp's error: all connection attempts failed, aborted by context, a timeout, a
        # refusal; a certificate error is TLS interception, read above; a line only that command prints)
        # (an HTTP status answering the upgrade on both ports is the catalog's proxy reading, cli_catalog)
        # (v1.80 on: "error on attempt 1/2: NewNoiseClient: …" / "RoundTrip whoami request: …", the same errors)
        r"|(?:\bcontrolhttp\.Dial = (?:0x0|<nil>), |\berror on attempt \d+/\d+: (?:NewNoiseClient|RoundTrip "
        r"whoami request): )(?!<nil>)"
        r"(?!.*(?:x509: |tls: failed to verify|all connection attempts failed \([^)]*unexpected HTTP response: \d))\S",
    ),
    (CliErrorKind.PIPE_MISSING, r"pipe.*tailscaled.*" + _any_of(_FILE_NOT_FOUND)),
    # The Unix CLI sees a tailscaled process but not the socket it dials: started with another --socket,
    # still starting, or its socket file removed (the same as a missing pipe on Windows).
    # The CLI only says "appears to be running as …, pid N" when it found a tailscaled process
    # (cmd/tailscale/cli: fixTailscaledConnectError), so a failed dial after it is a socket/port mismatch:
    # no socket file, a stale one nobody listens on, or (macOS) no LocalAPI port found (127.0.0.1:0).
    (
        CliErrorKind.PIPE_MISSING,
        r"appears to be running(?: as (?:tailscaled(?:\.exe)?|IPNExtension), pid \d+)?\).*dial (?:unix|tcp) \S+: "
        + _DIAL_FAILED,
    ),
    # A relative socket path ("dial unix tailscaled.sock") is the CLI's fallback default where the OS has
    # no /var/run (Android, some NAS and router firmwares): it dials the current directory, never where
    # the platform's tailscaled listens (its --socket), whether or not a daemon runs.
    # A program calling LocalAPI itself (a proxy's certificate manager, whose log quotes the request 'Get
    # "http://local-tailscaled.sock/localapi/v0/…": dial unix tailscaled.sock: …') got the same relative default
    # because its own filesystem (a container) has no /var/run: no tailscaled socket is there for it, which
    # SERVICE_NOT_RUNNING below reads like any dial to no socket.
    (
        CliErrorKind.PIPE_MISSING,
        r"^(?!.*localapi/v0/[^\s\\\"]*(?:\\?\")?: dial unix )"
        r".*dial unix (?![/@])[^\s:]*tailscale\S*: connect: no such file or directory",
    ),
    (
        CliErrorKind.PIPE_ACCESS_DENIED,
        r"^(?=.*tailscale).*(?:safesocket\.Listen|namedpipe\.Listen|pipe).*" + _any_of(_ACCESS_DENIED),
    ),
    # `debug localapi`'s note of a non-2xx answer (debug.go runLocalAPI, stderr): the LocalAPI refused the request:
    # 401 its owner check (Windows), 403 this user's access, 503 no backend, any other 4xx/5xx the backend's error
    (CliErrorKind.NOT_OWNER, r"^# Response status 401\b"),
    (CliErrorKind.UNIX_ACCESS_DENIED, r"^# Response status 403\b"),
    (CliErrorKind.BACKEND_ERROR, r"^# Response status (?:4(?!01|03)\d\d|5(?!03)\d\d)\b"),
    (CliErrorKind.NO_BACKEND, r"503 Service Unavailable(?:: no backend)?"),
    # Only the CLI's own call to tailscaled: tailscaled's log also says "context deadline exceeded"
    # when the control server or log server is unreachable, which is a network problem, not a hung daemon.
    (
        CliErrorKind.DEADLINE,
        r"(?:local-tailscaled\.sock|localapi|local tailscaled).*context deadline exceeded"
        # routecheck.go: the LocalAPI call wrapped ("routecheck: [error ]…"); its probes' own timeouts are in the
        # report (unreachable routers), so a deadline here is the call to tailscaled
        r"|^routecheck: (?:error )?context deadline exceeded",
    ),
    (CliErrorKind.DOMAIN_TRUST, r"trust relationship between this workstation and the primary domain"),
    # The socket exists but this user may not open it: an access problem, even though the client library
    # words it "Failed to connect to local Tailscale daemon … not running?".
    (CliErrorKind.UNIX_ACCESS_DENIED, r"dial unix \S*tailscale\S*: connect: permission denied"),
    (
        CliErrorKind.SERVICE_NOT_RUNNING,
        r"is the Tailscale service running\?"
        r"|failed to connect to local tailscaled process \(is it running\?\)"
        r"|Failed to connect to local Tailscale daemon"
        # Linux/macOS CLI: "failed to connect to local tailscaled; it doesn't appear to be running (sudo …)"
        r"|failed to connect to local tailscaled; it does(?:n't| not) appear to be running"
        # diag.go's other wordings of the same fact: no tailscaled process found (v1.20+), or none found and the
        # process list unreadable (the CLI could not even look)
        r"|failed to connect to local tailscaled process; it does(?:n't| not) appear to be running"
        r"|failed to connect to local tailscaled process and failed to enumerate processes"
        # macOS app CLI (v1.8-1.20): "failed to connect to local Tailscale service; is Tailscale running?",
        # "safesocket: failed to connect to Tailscale IPNExtension: …"
        r"|failed to connect to local Tailscale service|failed to connect to Tailscale IPNExtension"
        # The dial error itself, wherever it is quoted: no socket file, or nobody listening on it (the
        # socket may live elsewhere with --socket; the LocalAPI URL in front then says whose it is).
        r"|dial unix \S*tailscale\S*: connect: (?:no such file or directory|connection refused)"
        # Before the friendly wording (<= 1.14) the raw LocalAPI error; macOS talked to it over loopback TCP.
        r"|local-tailscaled\.sock/localapi\S*: dial (?:unix|tcp) \S+: "
        + _DIAL_FAILED
        # Before LocalAPI (<= 1.2) every client dialled the IPC socket through safesocket: the CLI's "Failed
        # to connect to connect to tailscaled. (safesocket.Connect: …)", on Windows TCP 127.0.0.1:41112.
        # (Under the old GUI's own sentence on the same line it is the GUI's message: gui-cannot-connect.)
        + r"|(?<!is not running\. )(?<!is not running )safesocket\.Connect: dial (?:unix|tcp) \S+: "
        + _DIAL_FAILED
        # Nothing installed to start tailscaled: the Windows GUI's "Tailscale service not installed on this
        # machine.", PowerShell's Get-/Start-Service, systemd (the unit is tailscaled.service: a missing
        # "tailscale.service" is a typo, not evidence), sysvinit, OpenWrt's procd `service` and init script.
        + SERVICE_MISSING
        + SERVICE_JOB_FAILED
        + WINDOWS_SERVICE_STOPPED,
    ),
    (
        CliErrorKind.VERSION_MISMATCH,
        r'Warning: client version "[^"]*" != tailscaled server version|Version mismatch! frontend='
        # A CLI of v1.12-v1.16 decodes `status` keys as base64 (types/key.Public.UnmarshalText); tailscaled 1.18+
        # sends them as "nodekey:<hex>" (key.NodePublic, ipn/ipnstate c1d009b9e), so the decode stops at the
        # colon ("illegal base64 data at input byte 7"), wrapped by cli/diag.go's "(which appears to be
        # running). Got error: …" (v1.12-v1.18) or up.go's older "can't fetch status from tailscaled: …".
        + r"|(?:failed to connect to local tailscaled\b.*\bGot error|can't fetch status from tailscaled): "
        r"(?:json: )?illegal base64 data at input byte \d+",
    ),
    # The macOS/iOS app's alert "Could not connect to Tailscale: The operation couldn't be completed.
    # (Tailscale.BackendMessageError error N.)": the app cannot reach its network extension (the backend).
    (
        CliErrorKind.GUI_CANNOT_CONNECT,
        r"Failed to connect to Tailscale service|Tailscale: in use by other user"
        # The old Windows GUI's (<= 1.2) message box, over the dial error it got: "Tailscale service is not
        # running." / "safesocket.Connect: dial tcp 127.0.0.1:41112: connectex: … actively refused it."
        r"|(?:^|: )Tailscale service is not running\b|"
        + APPLE_ALERT_CANNOT_CONNECT
        # The macOS app's alert when its local service (the network/system extension) answered with something
        # it could not use, typically while the extension was stopping or restarting.
        + r"|Invalid response from (?:the )?local Tailscale service"
        # The VS Code extension's notification "unable to fetch status <error>" (src/node-explorer-provider.ts):
        # it asks its tsrelay helper for the peers and parses the answer as JSON; the helper answered with its own
        # error text (a failed LocalAPI request, 'Get "http://local-tailscaled.sock/…": …') or did not answer, so
        # JavaScript's JSON parser or fetch failed. The extension cannot reach tailscaled through its helper.
        + r"|(?:^|[\s\"'`(:])unable to fetch status:? (?:(?:SyntaxError: )?Unexpected (?:token|end of JSON)"
        r"|.*is not valid JSON|.*in JSON at position|(?:TypeError: )?fetch failed|request to \S+ failed)",
    ),
    # LocalAPI's Taildrop endpoints refuse a caller without PermitWrite (feature/taildrop/localapi.go: file-put,
    # files and the waiting-files list all answer 403 "file access denied"): a permission refusal of the calling
    # user (neither root nor the operator: the CLI without sudo, a tray app such as Trayscale polling "get waiting
    # files"), whichever Taildrop endpoint it asked; tailscaled runs and no transfer was tried. Before the Taildrop
    # patterns, which would read the endpoint ("fetchFiles: …", "getting WaitingFiles: …") as a failed transfer.
    (CliErrorKind.UNIX_ACCESS_DENIED, r"(?i:\bfile access denied\b)"),
    # `tailscale file cp` (Taildrop) refused or failed: the CLI's target checks ("can't send to X: …",
    # cli/file.go), LocalAPI's and the receiving peer's refusals (feature/taildrop: no storage directory, file
    # sharing not granted), before 1.20 the CLI's own PUT to the peer's PeerAPI
    # ('Put "http://100.x.y.z:port/v0/put/name": dial tcp …'), and since then LocalAPI's reverse proxy to the
    # peer failing: httputil's bare 502 with an empty body, printed by the CLI as "502 Bad Gateway:".
    # After the not-running dials above: "can't send to X: failed to get local status: dial unix …" is a
    # daemon that is not running.
    (
        CliErrorKind.TAILDROP_FAILED,
        r"can.t send to \S+: |cannot send files: |owned by different user; can only send files to your own devices"
        r"|target seems to be running an old Tailscale version|Taildrop disabled; no storage directory"
        r"|Taildrop folder not configured or accessible|file sharing not enabled by (?:Tailscale )?admin"
        r"|\bPut \"?https?://[^\s\"/]+/v0/put/[^\s\"]*\"?: |localapi/v0/file-put/\S*: "
        r"|^(?:\d{4}/\d\d/\d\d \d\d:\d\d:\d\d )?502 Bad Gateway:$"
        # the receiving PeerAPI's own refusals relayed (feature/taildrop/peerapi.go: ErrFileExists is 409,
        # ErrInvalidFileName 400)
        r"|409 Conflict: file already exists|400 Bad Request: invalid filename"
        # The Windows app (GUI) polls tailscaled for received files and logs its own "fetchFiles: <LocalAPI's
        # answer>" (the 1.x GUI log: "fetchFiles: HTTP 500 Internal Server Error: open <file>: The system cannot
        # find the file specified."): the daemon answered, the Taildrop receive is what fails.
        r"|" + GUI_FETCH_FILES_FAILED.pattern,
    ),
    # A `tailscale lock` command refused: LocalAPI's answers (ipn/localapi, "network-lock …" before 1.90's
    # rename to "tailnet-lock …"), tailscaled's reasons inside them (tka/builder.go, ipnlocal) and the CLI's own
    # checks (cli/tailnet-lock.go). "Tailnet Lock is NOT enabled." is `lock status` answering, not a refusal.
    (
        CliErrorKind.TAILNET_LOCK_FAILED,
        r"(?:network|tailnet)-lock (?:modify|disable|local disable) (?:failed|access denied)"
        r"|\block (?:init|sign|status) access denied|Tailnet Lock is not supported on your pricing plan"
        r"|(?:network|tailnet)[- ]lock is not active|does not have a trusted (?:network|tailnet)[- ]lock key"
        r"|cannot add key .*: (?:already exists|maximum number of keys reached)"
        r"|cannot remove (?:the last|local) trusted signing key|incorrect disablement secret"
        r"|(?:network|tailnet)[- ]lock is already enabled|lock key of the current node must be one of the trusted"
        r"|central tka head differs from submitted AUM|\badd key failed: "
        # LocalAPI's lock sign / lock init answers (ipn/localapi/tailnetlock.go: no other handler words them so)
        r"|500 Internal Server Error: (?:signing|initialization) failed: "
        # (not lock log's "Tailnet Lock is not enabled": a state, lockstatus.py)
        r"|^(?:Error: )?(?!(?-i:Tailnet Lock) )(?:network|tailnet)[- ]lock is (?-i:not) enabled$",
    ),
    # The GUI's "Tailscale backend error: <text>": the backend *answered*, with an error (engine/TUN
    # creation failed, …); the service is running, so this is not "service not running".
    # The CLI's own "backend error: <text>" (`tailscale up` on any OS) is the same report.
    # v0.98-v1.20's CLI said it with log.Fatalf, under Go's log stamp ("2020/06/10 12:00:01 backend error: …").
    (
        CliErrorKind.BACKEND_ERROR,
        r"Tailscale backend error|(?:^|: |up failed: |^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d+)? )backend error: ",
    ),
    # LocalAPI answered the CLI with an error status ("500 Internal Server Error: cannot start/log in
    # backend when state store is unhealthy"): tailscaled runs, its backend refused. Printed by the CLI as
    # "<status>: <body>"; the specific bodies (exit nodes, 503 no backend) are matched above.
    (
        CliErrorKind.BACKEND_ERROR,
        # 1.4-1.18's LocalAPI client put "HTTP " in front ("getting WaitingFiles: HTTP 500 Internal Server
        # Error: <body> (expected 200)", "expected 204 No Content; got HTTP 500 …").
        r"(?:^|: |`|^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d |got )(?:HTTP )?500 Internal Server Error: \S",
    ),
    # LocalAPI's answer was no HTTP at all: net/http's "malformed HTTP status code/response/version" on a request
    # to local-tailscaled.sock. Up to 1.32, a Windows tailscaled whose engine would not start (getEngine failing:
    # the TUN adapter) answered every client connection with its old IPN error message instead of LocalAPI
    # (ipn/ipnserver/server.go Run: bs.SendErrorMessage(errMsg)), which the HTTP client cannot parse.
    (CliErrorKind.BACKEND_ERROR, LOCALAPI_NOT_HTTP.pattern),
    # LocalAPI refused the request with another status (a parameter or method it does not take, something named
    # it does not find, a state that changed): tailscaled runs and answered; rules/windows.py says what each
    # status means. A catalogued body (cli_catalog/) is read as its own kind first.
    (CliErrorKind.BACKEND_ERROR, LOCALAPI_REFUSAL.pattern),
    (
        CliErrorKind.UNIX_ACCESS_DENIED,
        r"^Access denied: |Use 'sudo tailscale "
        # LocalAPI's 403 for a certificate (ipn/localapi/cert.go: neither PermitWrite, root or the operator, nor
        # PermitCert, TS_PERMIT_CERT_UID), printed "Access denied: cert access denied" (client/local's
        # AccessDeniedError; "403 Forbidden: …" before it) and quoted mid-line by the certificate resolvers of
        # Traefik and Caddy (error="Access denied: cert access denied"): a permission refusal, no ACME was tried.
        r"|\bcert access denied\b"
        # The same client error (client/local AccessDeniedError: "Access denied: <LocalAPI's 403 body>") quoted
        # mid-line by a program that called LocalAPI as a user (the VS Code extension's tsrelay helper: "error
        # setting serve config: sending serve config: Access denied: serve config denied"): the body is one of
        # ipn/localapi's refusals, each ending "denied" ("serve config denied", "<what> access denied", "denied;
        # no debug access").
        r"|(?:: |[\s\"'`(\[])Access denied: (?:[\w /-]+ )?(?:access )?denied(?:; no debug access)?\b",
    ),
    (
        CliErrorKind.OTHER,
        r"401 Unauthorized|empty user uid in connection identity|failed to look up user from"
        r"|failed to connect to local tailscaled",
    ),
)
# Order matters: the specific causes first, the generic LocalAPI failure last.
_SIMPLE = tuple(  # compiled on first use (lazyre): a line reaches a kind's pattern only when it holds its phrase
    (kind, lazy_compile(pattern, 0 if kind is CliErrorKind.UNIX_ACCESS_DENIED else re.IGNORECASE))
    for kind, pattern in _SIMPLE_PATTERNS
)
# The catalog (cli_catalog/) is tried after the specific patterns and before the generic ones, which read any
# LocalAPI status or "backend error:" whatever its body: a catalogued message relayed as "backend error: …",
# "500 Internal Server Error: …" or "503 Service Unavailable: no netmap" is that message's kind.
_GENERIC_KINDS = (CliErrorKind.NO_BACKEND, CliErrorKind.BACKEND_ERROR, CliErrorKind.OTHER)
_SPECIFIC = tuple((kind, pattern) for kind, pattern in _SIMPLE if kind not in _GENERIC_KINDS)
_GENERIC = tuple((kind, pattern) for kind, pattern in _SIMPLE if kind in _GENERIC_KINDS)


# Each pattern above contains one of its phrases here (case aside). Most lines of a big paste contain none,
# and looking for them with `in` is ~20x cheaper than trying the patterns (a case-insensitive alternation
# regex is no faster than the patterns themselves). Phrases, not the bare word "tailscale", and per
# pattern: prose that mentions Tailscale (or a pipe) on every line must not pay for every pattern, nor
# for the soft-wrap joins blocks.py tries after an unrecognised line.
_PHRASES: dict[CliErrorKind, tuple[str, ...]] = {
    CliErrorKind.NOT_RUNNING_STATE: ("no current tailscale ip", "tailscaled stopped"),
    CliErrorKind.TAGS_NOT_PERMITTED: (
        "requested tags",
        "must have tags set",
        "authkeys require --advertise-tags",
        "tags must start with",
        "tag names ",
        "contains invalid tags",
    ),
    CliErrorKind.CONFIGURE_HOST_FAILED: (
        "setcap: ",
        "must be run as root, not",
        "unsupported dsm version",
        "/dev/net",
        "spk package",
    ),
    CliErrorKind.DAEMON_SUBCOMMAND_UNAVAILABLE: (
        "not available on",
        "not supported on",
        "only available on",
        "only supported on",
        "only implemented on",
    ),
    CliErrorKind.CLI_IS_DAEMON: ("non-flag arguments",),
    CliErrorKind.PEER_NOT_FOUND: (
        "no peer",
        "peer not found",
        "no match for ip:port",
        "error looking up ip of",
        "no ips found for",
        "node found but lacks an ip",
    ),
    CliErrorKind.UP_FLAGS_REQUIRED: ("changing settings via",),
    CliErrorKind.TUNNEL_START_FAILED: (
        "tunnel from starting",
        "network extension failed to start",
        "nevpnerrordomain",
        "vpn configuration",
    ),
    CliErrorKind.GUI_FAILED_TO_START: ("failed to start", "clierror"),
    CliErrorKind.SYSTRAY_FAILED: ("systray error: ", "systray with sudo"),
    CliErrorKind.TSNET_UP_TIMEOUT: ("tsnet.up", "tsnet server", "tsnet node"),
    CliErrorKind.NETLINKRIB_PERMISSION_DENIED: ("netlinkrib",),
    CliErrorKind.GUI_HOST_NOT_DETECTED: ("host device",),
    CliErrorKind.CLI_NOT_FOUND: ("not found", "not recognized", "unknown command"),
    CliErrorKind.LOCALAPI_INVALID_REQUEST: ("invalid localapi request",),
    CliErrorKind.INSTALL_FAILED: (
        "systemd-sysext",
        "merge system extension",
        "is already merged",
        "installer failed with exit code",
        "installation failed with exit code",
        "shellexecute installer failed",
        "was not successful",
        "product: tailscale",
        "product name: tailscale",
        "service 'tailscale",
        "service tailscale",
        "custom action ",
        "returned actual error code",
    ),
    CliErrorKind.AUTH_KEY_REJECTED: (
        "invalid key",
        "status: 401, message",
        "status: 403, message",
        "token exchange failed with status 40",
        "cannot be used for node auth",
    ),
    CliErrorKind.EXIT_NODE_REFUSED: ("no node found in netmap", "exit node", "--exit-node"),
    CliErrorKind.EXIT_NODE_NOT_ADVERTISED: ("advertise itself as an exit node", "advertise-exit-node flag"),
    CliErrorKind.ACCEPT_ROUTES_OFF: ("advertising routes but",),
    CliErrorKind.EXIT_NODE_OFFLINE: ("selected but offline",),
    CliErrorKind.SERVE_NOT_CONFIGURED: ("no serve config",),
    CliErrorKind.SERVE_NOT_ENABLED: ("not enabled on", "not enabled for", "not yet enabled"),
    CliErrorKind.CONFIG_FILE_LOCKED: ("when using a config file", "config file is locked"),
    CliErrorKind.FUNNEL_UNAVAILABLE: ("funnel",),
    CliErrorKind.SSH_POLICY_NO_ACCESS: ("tailscale ssh enabled, but",),
    CliErrorKind.SSH_FAILED: (
        "ssh policy",
        "tailnet policy",
        "tailscale: access denied",
        "tailssh",
        "permission denied (tailscale)",
        "ssh: connect to host",
        "non-flag arguments",
    ),
    CliErrorKind.CERT_FAILED: (
        "acme",
        "getcertpem",
        "setdns",
        "waiting for order",
        "getting tls certs",
        'cert("',
        "cert dir",
        "localapi/v0/cert/",
        "not enabled/configured",
        "; must be one of",
        "wildcard certificates",
        "cert support not compiled",
        "read-only mode",
    ),
    CliErrorKind.NETFILTER_OFF_WARNING: ("netfilter=",),
    CliErrorKind.TAILDROP_FAILED: (
        "t send to ",
        "cannot send files",
        "send files to your own",
        "old tailscale version",
        "taildrop",
        "file sharing not enabled",
        "/v0/put/",
        "file-put/",
        "502 bad gateway:",
        "409 conflict",
        "invalid filename",
        "fetchfiles: ",
    ),
    CliErrorKind.TAILNET_LOCK_FAILED: (
        "-lock ",
        "lock is ",
        "lock key",
        "lock init access",
        "lock sign access",
        "lock status access",
        "pricing plan",
        "cannot add key",
        "trusted signing key",
        "disablement secret",
        "tka head",
        "add key failed",
        "signing failed",
        "initialization failed",
    ),
    CliErrorKind.SSH_SERVER_UNSUPPORTED: ("tailscale ssh server",),
    CliErrorKind.CLI_PANIC: ("panic: ", "fatal error: ", ".swift", *(f"sig{name.lower()}: " for name in _GO_SIGNALS)),
    CliErrorKind.DERPMAP_FETCH_FAILED: ("prodderpmap", "fetch a derp map"),
    CliErrorKind.DAEMON_CONNECTION_RESET: ("local-tailscaled",),
    CliErrorKind.CLI_INTERRUPTED: ("readmsg: read ",),
    CliErrorKind.IP_FORWARDING_DISABLED: (
        "forwarding is disabled",
        "forwarding is set to off",
        "be forwarded (",
        "may not work correctly",
        "additional manual configuration",
        "subnet routes won't work",
    ),
    CliErrorKind.IP_FORWARDING_CHECK_FAILED: (
        "ip forwarding configuration",
        "couldn't check net.ipv",
        "couldn't parse net.ipv",
        "without ip forwarding",
    ),
    CliErrorKind.UDP_GRO_SUBOPTIMAL: ("suboptimally configured",),
    CliErrorKind.EXIT_NODE_RP_FILTER_RISK: (
        "usage of exit nodes impossible",
        "strict reverse-path filtering enabled",
        "rp_filter=2 instead of",
        "linux-strict-rp-filter",
    ),
    CliErrorKind.TLS_INTERCEPTED: ("x509: certificate", "failed to verify certificate"),
    CliErrorKind.CLI_USAGE: (
        "flag provided but not defined",
        "flag needs an argument",
        "login-server without",
        "invalid value",
        "invalid boolean value",
        "non-flag arguments",
        "not a valid ip address",
        "for domain, use",
        "valid domain options",
    ),
    CliErrorKind.PIPE_MISSING: ("pipe", "appears to be running", "dial unix"),
    CliErrorKind.PIPE_ACCESS_DENIED: ("pipe", "safesocket.listen"),
    CliErrorKind.NO_BACKEND: ("503 service unavailable",),
    CliErrorKind.DEADLINE: ("deadline exceeded",),
    CliErrorKind.DOMAIN_TRUST: ("trust relationship",),
    CliErrorKind.CONTROL_UNREACHABLE: (
        "backend not found",
        "fetch control key",
        "register request: ",
        "/key?v=",
        "controlhttp.dial = ",
        "error on attempt ",
    ),
    CliErrorKind.SERVICE_NOT_RUNNING: (
        "service running",
        "failed to connect",
        "safesocket.connect",
        "dial unix",
        "local-tailscaled",
        "not installed",
        "cannot find any service",
        "not found",
        "could not be found",
        "unrecognized service",
        "no such file",
        "job for tailscale",
        "is masked",
        "tailscale service",
        "failed to explicitly start",
    ),
    CliErrorKind.VERSION_MISMATCH: ("client version", "version mismatch", "illegal base64 data"),
    CliErrorKind.GUI_CANNOT_CONNECT: (
        "failed to connect",
        "service is not running",
        "in use by other user",
        "could not connect to tailscale",
        "backendmessageerror",
        "invalid response from",
        "unable to fetch status",
    ),
    CliErrorKind.BACKEND_ERROR: (
        "backend error",
        "500 internal server error",
        "malformed http",
        "# response status",
        "preconditions failed: ",
        *(status.lower() + ": " for status in LOCALAPI_REFUSAL_STATUSES),
    ),
    CliErrorKind.UNIX_ACCESS_DENIED: ("access denied", "sudo tailscale", "dial unix", "# response status 403"),
    CliErrorKind.NOT_OWNER: ("# response status 401",),
    CliErrorKind.OTHER: ("401 unauthorized", "empty user uid", "look up user", "failed to connect"),
}
_OWNER_PHRASES = ("running in server mode", "already in use", "access denied")
_GATED = tuple((_PHRASES[kind], pattern) for kind, pattern in _SIMPLE)
_ERROR_WORDS = frozenset(_OWNER_PHRASES).union(*_PHRASES.values(), CATALOG_PHRASES, QUOTED_WARNING_PHRASES)
_ANY_ERROR_WORD = any_word_pattern(_ERROR_WORDS)


_SPACES = re.compile(r"\s{2,}")


def normalise_error_text(text: str) -> str:
    """Whitespace runs to one space and wrapping quotes/backticks removed, before matching.

    Chat clients and consoles double spaces (``context  deadline exceeded``) and people wrap errors
    in backticks or quotes; the patterns match Go's own single-spaced text. Case is handled by the
    patterns (case-insensitive), typographic quotes by text.py. Japanese and Korean Windows consoles show
    the backslash as ``¥`` / ``₩`` (``PC¥¥alice``, ``¥¥.¥pipe¥…``): it is the same character.
    """
    if text[:1] == "{" and '"logtail"' in text:
        text = logtail_record_text(text)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    if "¥" in text or "₩" in text:
        text = text.replace("¥", "\\").replace("₩", "\\")
    text = _unwrap_quotes(text.strip("` "))
    if text.count("`") == 1:  # the other half of inline code around the message's tail (``error: `…` ``)
        text = text.replace("`", "")
    return text


# One record of Tailscale's log upload as logtail writes it to disk or the wire (the Windows GUI's and CLI's
# cmd.log*.txt hold them): {"logtail": {"client_time": …}, "text": "<the message>\n"}, the message JSON-escaped.
_LOGTAIL_TEXT = re.compile(r'"text":\s*"(?P<text>(?:[^"\\]|\\.)*)"')
_JSON_ESCAPE = re.compile(r'\\(["\\/nrt])')
_JSON_UNESCAPED = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "r": "", "t": " "}


def logtail_record_text(text: str) -> str:
    """The message a raw logtail JSON record holds (its first line; a trailing ``logid: …`` line is the
    uploader's), or ``text`` unchanged when it is no such record."""
    match = _LOGTAIL_TEXT.search(text)
    if match is None:
        return text
    message = _JSON_ESCAPE.sub(lambda m: _JSON_UNESCAPED[m.group(1)], match.group("text"))
    first = next((line.strip() for line in message.split("\n") if line.strip()), "")
    return first or text


def _unwrap_quotes(text: str) -> str:
    """``text`` without the quotes wrapped around it, keeping a quote that closes the message's own value.

    ``"context deadline exceeded"`` loses both quotes and a stray one left by a cut selection goes (an odd
    count of that quote), but ``service "svc:web": invalid proxy handler "unix:/run/web.sock"`` keeps all
    four: they belong to the values the finding quotes back.
    """
    while text:
        first, last = text[0], text[-1]
        if len(text) > 1 and first == last and first in "'\"" and _wrapped_in(text, first):
            text = text[1:-1].strip("` ")
        elif last in "'\"" and text.count(last) % 2:
            text = text[:-1].rstrip("` ")
        elif first in "'\"" and text.count(first) % 2:
            text = text[1:].lstrip("` ")
        else:
            return text
    return text


def _wrapped_in(text: str, quote: str) -> bool:
    """Whether ``text``'s first and last character (both ``quote``) wrap it, rather than each closing or
    opening a value of its own: inside, the next such quote must open a value (after a space, a bracket,
    ``=``, ``:`` or ``,``), as in ``"invalid mount point "api""``, not close one (``"svc:web": … "x.sock"``).
    """
    inner = text.find(quote, 1, len(text) - 1)
    return inner < 0 or text[inner - 1] in " ([{=:,"


# A Headscale server's own log line (headscale_log.py: zerolog's console form, with or without its caller path, or
# its JSON): its errors (an x509 failure fetching its OIDC issuer, a database it cannot open) are the control
# server's, not a Tailscale node's CLI: such a line is never read as a CLI error, whatever Tailscale-like words it
# quotes.


def _error_words_form(text: str) -> str:
    """The form of a line the error words are looked for in: lower case, and single-spaced when the line holds a
    double space (chat clients double spaces: the phrases are single-spaced, as normalise_error_text makes them)."""
    lowered = text.lower()
    return _SPACES.sub(" ", lowered) if "  " in lowered else lowered


# The soft-wrap join (blocks.py) asks whether two or three lines joined are one error: for most lines of a big
# paste the answer is no because the joined text holds no error word. That is known without scanning the joined
# text again: a word in it lies in one of the lines, or across a seam between two, and then the word's first
# _WORD_HEAD characters start within _WORD_HEAD - 1 characters of the seam. So each line is scanned once for the
# heads of the words (error_word_head_in, cached: a line is joined to the two before it), and each seam only
# within that reach (error_word_head_across); a match of either lets is_windows_error_line decide.
_WORD_HEAD = 14  # long enough that common English ("because ", "network ") is no head: 30 of 50,000 lines of prose
_ERROR_WORD_HEADS = frozenset(word[:_WORD_HEAD] for word in _ERROR_WORDS)
# A head with a doubled or non-space blank could be split or made by the single-spacing of a joined text.
assert not any("  " in head or any(c.isspace() and c != " " for c in head) for head in _ERROR_WORD_HEADS)
_ANY_ERROR_WORD_HEAD = any_word_pattern(_ERROR_WORD_HEADS)


@lru_cache(maxsize=4096)
def error_word_head_in(text: str) -> bool:
    """Whether ``text`` may hold an error word: the head of one is in it, single-spaced (a joined text is single-spaced
    when any of its lines has a double space)."""
    return _ANY_ERROR_WORD_HEAD.search(_SPACES.sub(" ", text.lower())) is not None


# A head across a seam holds the characters on both sides of it: with no gap the pair there; with a " " gap the three
# around the blank, or a head starts or ends at it. Set lookups of those first spare the search (~26,000 instructions,
# the trie tried at each of ~27 positions) at almost every seam. (Off only in tests/diagnose/test_fast_paths.py.)
_HEAD_PAIRS = frozenset(head[i : i + 2] for head in _ERROR_WORD_HEADS for i in range(len(head) - 1))
_HEAD_TRIPLES_ROUND_BLANK = frozenset(
    head[i - 1 : i + 2] for head in _ERROR_WORD_HEADS for i in range(1, len(head) - 1) if head[i] == " "
)
_HEAD_STARTS_AT_BLANK = frozenset(head[:2] for head in _ERROR_WORD_HEADS if head[0] == " ")
_HEAD_ENDS_AT_BLANK = frozenset(head[-2:] for head in _ERROR_WORD_HEADS if head[-1] == " ")
# the lookups compare lower-cased text: no head holds a character whose lower case depends on its neighbours (Greek
# capital sigma), so each line's own form (error_word_head_in) holds what the joined form holds away from the seam
assert not any(char in head for head in _ERROR_WORD_HEADS for char in "\u03a3\u03c3\u03c2")
_SEAM_GATE = True


def error_word_head_across(left: str, gap: str, right: str) -> bool:
    """Whether the head of an error word lies across the seam of ``left + gap + right`` (``gap``: "" or " "), in the
    text is_windows_error_line reads; True when unsure (a blank beside the seam). A head wholly inside ``left`` or
    ``right`` may or may not count: the caller asks error_word_head_in of each line too."""
    if not left or not right or left[-1].isspace() or right[0].isspace():
        return True  # a run of blanks across the seam: its single-spacing would move it (lines are stripped: never)
    whole = f"{left}{gap}{right}"
    joined = _error_words_form(whole)
    left_part = left.lower()
    if "  " in whole:  # (not `in joined`: that form is single-spaced already) left's part of it is single-spaced too
        left_part = _SPACES.sub(" ", left_part)
    seam = len(left_part)
    if _SEAM_GATE and not (
        joined[seam - 1 : seam + 1] in _HEAD_PAIRS
        if not gap
        else (
            joined[seam - 1 : seam + 2] in _HEAD_TRIPLES_ROUND_BLANK
            or joined[seam : seam + 2] in _HEAD_STARTS_AT_BLANK
            or joined[seam - 1 : seam + 1] in _HEAD_ENDS_AT_BLANK
        )
    ):
        return False
    reach = _WORD_HEAD - 1
    return _ANY_ERROR_WORD_HEAD.search(joined, max(0, seam - reach), seam + len(gap) + reach) is not None


@lru_cache(maxsize=512)
def is_windows_error_line(text: str) -> bool:
    """Whether a line is a CLI/GUI error opskit knows: only the patterns whose phrases it contains run.

    Cached: blocks.py asks again about the line after an unrecognised one when it tries to join a
    soft-wrapped error, and that line is then classified in its own turn.
    """
    lowered = _error_words_form(text)
    if _ANY_ERROR_WORD.search(lowered) is None:
        return False  # the catalog's phrases are among the words: no catalogued message either
    if is_headscale_server_line(text):
        return False
    text = normalise_error_text(text)
    if any(word in lowered for word in _OWNER_PHRASES) and (
        _OWNER_CALLER.search(text) or _IN_USE_BY.search(text) or _RUNNING_AS.search(text)
    ):
        return True
    if any(pattern.search(text) for phrases, pattern in _GATED if any(p in lowered for p in phrases)):
        return True
    if find_refusal(text) is not None:  # the CLI's other refusals, catalogued from its source
        return True
    # the app's health banner quoted in a sentence (a bare one is a `tailscale status` health line, status.py)
    return any(p in lowered for p in QUOTED_WARNING_PHRASES) and quoted_health_warning(text) is not None


def matches_error_pattern(text: str) -> bool:
    """Whether any error pattern matches (every pattern, without the phrase pre-checks)."""
    text = normalise_error_text(text)
    if _OWNER_CALLER.search(text) or _IN_USE_BY.search(text) or _RUNNING_AS.search(text):
        return True
    return any(pattern.search(text) for _, pattern in _SIMPLE)


def _identity(raw: str | None) -> str | None:
    return undo_go_quoting(raw).strip() if raw else None


_EMPTY_SERVE_JSON = frozenset({"{}", "null"})
_ANY_ANSWER_PHRASE = any_word_pattern(frozenset(refusal.phrase for _, refusal in COMMAND_ANSWERS))
_SERVE_STATUS_JSON = typed_tailscale_command(r"(?:serve|funnel)\s+status\b.*\s--?json")


def command_has_answers(command: str) -> bool:
    """Whether any line can be a CLI error as the whole answer of ``command`` (is_command_answer): asked once per
    typed command by the splitter, so that its lines skip the test when none can."""
    return _SERVE_STATUS_JSON.search(command) is not None or bool(answers_under(command))


def is_command_answer(text: str, command: str | None) -> bool:
    """Whether ``text`` is a CLI error only as the whole answer of ``command``, the command typed above it:
    ``{}`` / ``null`` under `serve status --json` (nothing served), serve's bare ``handler does not exist``."""
    if command is None:
        return False
    if text in _EMPTY_SERVE_JSON:
        return _SERVE_STATUS_JSON.search(command) is not None
    if _clipped_status_line(text) is not None:  # "04 Not Found: …": LocalAPI's status with its first digit lost
        return True
    lowered = text.lower()
    if (
        _PHRASES_PER_COMMAND
        and _answer_phrases_under(command).search(lowered) is None
        and not _normalising_may_add_a_phrase(text)
    ):
        # none of the phrases of the answers read under this command (every command's, among them ": " and "port",
        # let most log lines through the test below), and normalising joins none up: the look-up would find none
        return False
    if _ANY_ANSWER_PHRASE.search(lowered) is None:  # the cheap test before the look-up
        return False
    return find_command_answer(normalise_error_text(text), command) is not None


_PHRASES_PER_COMMAND = True  # (off only in tests/diagnose/test_fast_paths.py, to compare with every phrase)


@lru_cache(maxsize=256)
def _answer_phrases_under(command: str) -> LazyPattern:
    """A pattern finding any phrase of the answers read under ``command`` (find_command_answer looks only at them)."""
    return any_word_pattern(frozenset(refusal.phrase for refusal in answers_under(command)))


def _normalising_may_add_a_phrase(text: str) -> bool:
    """Whether normalise_error_text and restore_clipped_status may make of ``text`` one holding a phrase it does not
    hold (lowered): they join words (a run of spaces, a lone backtick, a logtail record's escapes), turn "¥"/"₩" into a
    backslash or put a status code's lost digits back; else they only strip its ends (quotes, backticks, blanks)."""
    first = text[:1]
    return (
        "  " in text
        or "`" in text
        or "\u00a5" in text
        or "\u20a9" in text
        or first in "{'\" "
        or (first.isdigit() and (text[1:2] == " " or text[2:3] == " "))
    )


def _login_server_mismatch(line: SourceLine, command: str | None) -> CliError | None:
    """The login URL `up`/`login --login-server=<A>` printed, when it belongs to another control server."""
    hosts = login_server_mismatch(line.text, command)
    if hosts is None:
        return None
    named, answered = hosts
    cause = (
        f"`tailscale up`/`login` named --login-server {named}, but the login URL it printed is on {answered} "
        "(another control server: a Headscale `/register/` path after Tailscale's, or Tailscale's login after a "
        "self-hosted server's): the daemon did not switch and still uses its old control URL (a --reset or "
        "--force-reauth that did not take, a policy/MDM `LoginURL` or the GUI's own setting overriding the flag, "
        "or a second tailscaled answering the CLI). Logging in there would join the old server's network."
    )
    fix = (
        f"Do not open that URL. Run `tailscale logout`, then `tailscale up --login-server={named} --force-reauth` "
        "(and your other flags); check `tailscale debug prefs` shows ControlURL as the server you want, and that no "
        "system policy sets LoginURL (Windows: HKLM\\SOFTWARE\\Policies\\Tailscale, macOS: the configuration "
        "profile); on Windows/macOS also change the server in the app's settings."
    )
    return CliError(CliErrorKind.LOGIN_SERVER_MISMATCH, line, detail=line.text, explanation=(cause, fix))


def _login_url_unroutable(line: SourceLine, command: str | None) -> CliError | None:
    """The login URL `up`/`login` printed, when no browser on another machine can open its host."""
    host = unroutable_login_host(line.text, command)
    if host is None:
        return None
    where = (
        "the unspecified address (a listen address: it means every interface to a server, nothing to a browser)"
        if is_unspecified_host(host)
        else "loopback (only a browser on the control server's own machine reaches it)"
    )
    cause = (
        f"The login URL `tailscale up`/`login` printed is on {host}, {where}. The control server builds that URL from "
        "its own configured address, so its configuration holds its listen address instead of the URL clients reach "
        "it on (Headscale: `server_url` left at `http://0.0.0.0:8080` or `http://127.0.0.1:8080`). The daemon did "
        "reach the server; the node waits for a login (NeedsLogin) that no browser can complete from here."
    )
    fix = (
        "Set the server's public URL: Headscale's config.yaml `server_url: https://<the name clients use>` (the same "
        "URL as --login-server; `listen_addr` stays the bind address), restart headscale, then run `tailscale up "
        "--login-server=<that URL> --force-reauth` again. Until then, register this node on the server with the id "
        "after /register/ in the URL: `headscale nodes register --user <user> --key <id>`."
    )
    return CliError(CliErrorKind.LOGIN_URL_UNROUTABLE, line, detail=line.text, explanation=(cause, fix))


def _checksum_warning(line: SourceLine) -> CliError | None:
    """sha256sum's bare "WARNING: N computed checksum(s) did NOT match", which the splitter took for a CLI line only
    next to a Tailscale download (installer.checksum_warning_on_tailscale): that install failing."""
    if (match := read_checksum_warning(normalise_error_text(line.text))) is None:
        return None
    return CliError(CHECKSUM_MISMATCH.kind, line, detail=line.text, explanation=CHECKSUM_MISMATCH.explain(match))


def _command_answer(line: SourceLine, command: str | None) -> CliError | None:
    """The catalogued refusal a line is as the answer of the command typed above it (is_command_answer)."""
    found = find_command_answer(normalise_error_text(line.text), command)
    if found is None:
        return None
    refusal, match = found
    return CliError(refusal.kind, line, detail=undo_go_quoting(line.text), explanation=refusal.explain(match))


def _clipped_status_line(text: str) -> str | None:
    """A typed command's answer whose LocalAPI status lost its leading digits in a copy (``00 Internal Server
    Error: …``, ``04 Not Found: …``), made whole (restore_clipped_status) when it is then a known error; or None."""
    if not text[:1].isdigit():  # the cheap test: most lines under a command do not start with a digit
        return None
    text = normalise_error_text(text)
    restored = restore_clipped_status(text)
    return restored if restored != text and is_windows_error_line(restored) else None


# cmd/tailscaled's refusal of any word on its command line ("tailscaled does not take non-flag arguments: %q", v1.20+),
# as the line itself (alone, with Go's log stamp, or in backticks), not under a service's log prefix; its first word.
_DAEMON_GIVEN_WORDS = lazy_compile(
    r"^[`'\"]?(?:" + GO_STAMP + r' )?tailscaled does not take non-flag arguments: \["(?P<first>[^"]*)"'
)
_TYPED_CLI = lazy_compile(r"(?:^|[\s/\\&'\"])tailscale(?:\.exe)?['\"]?(?:\s|$)", re.IGNORECASE)
_TYPED_DAEMON = lazy_compile(r"(?:^|[\s/\\&'\"])tailscaled(?:\.exe)?['\"]?\s", re.IGNORECASE)
_DAEMON_TYPED_BY_HAND = (
    "`tailscaled` was typed with a `tailscale` subcommand: tailscaled is the daemon and takes only flags, so it "
    "refused the words and exited. Nothing was changed and the running daemon (if any) was not asked.",
    "Use the CLI for commands: `tailscale {first} …` (the `tailscale` binary, not `tailscaled`); start the daemon "
    "through its service (`sudo systemctl start tailscaled`) rather than by hand.",
)


# cmd/tailscale/cli/ssh.go: `tailscale ssh` runs OpenSSH with ProxyCommand "<os.Executable()> nc %h %p"; a combined
# tailscale/tailscaled binary (ts_include_cli) reached through a link named `tailscale` resolves to its real name,
# tailscaled, and runs as the daemon, which refuses `nc <host> <port>`.
_PROXY_COMMAND_RAN_DAEMON = (
    "`tailscale ssh` never reached the node: it starts OpenSSH with a ProxyCommand that re-runs its own binary "
    "(`<os.Executable()> nc <host> <port>`), and that binary answered as tailscaled, which refuses the words, so "
    "ssh's proxy closed at once. The `tailscale` here is tailscaled: a link to a combined tailscale/tailscaled "
    "build (NixOS ts_include_cli) whose real path is the daemon, or a stray tailscaled earlier in PATH. Not the "
    "network, the peer or the SSH policy.",
    "Call a real CLI binary: check `type -a tailscale` and `readlink -f $(command -v tailscale)`; with a combined "
    "build install the separate `tailscale` CLI (or a wrapper that execs it as `tailscale`), or connect without "
    "the proxy: `ssh user@<host>` over the tailnet, or `ssh -o ProxyCommand='<real tailscale CLI> nc %h %p' "
    "user@<host>`.",
)


def is_daemon_answering_cli(text: str, command: str | None, in_daemon_log: bool) -> bool:
    """Whether ``text`` is tailscaled refusing words that were meant for the CLI (cli-is-daemon): under a typed
    `tailscale …` (the program that ran is the daemon), a typed `tailscaled <CLI subcommand>`, or with no command
    typed and no daemon log around it, naming a CLI subcommand. A daemon log's own line of it, or the daemon started
    with other stray words (`tailscaled -port 41641` → ["41641"]), is tailscaled failing to start (a crash)."""
    if "non-flag arguments: [" not in text:  # the cheap test: this runs on lines of every paste
        return False
    match = _DAEMON_GIVEN_WORDS.match(text)
    if match is None:
        return False
    names_cli_subcommand = match.group("first").lower() in CLI_SUBCOMMANDS
    if command is not None:
        return _TYPED_CLI.search(command) is not None or (
            _TYPED_DAEMON.search(command) is not None and names_cli_subcommand
        )
    return not in_daemon_log and names_cli_subcommand


def _daemon_typed_by_hand(found: CliError, command: str | None) -> CliError:
    """cli-is-daemon under a typed `tailscaled <subcommand>`: the user ran the daemon, no stray install involved;
    refusing `nc <host> <port>`: `tailscale ssh`'s ProxyCommand ran the binary that answers as tailscaled."""
    match = _DAEMON_GIVEN_WORDS.match(found.line.text)
    if match is not None and match.group("first") == "nc":
        return replace(found, explanation=_PROXY_COMMAND_RAN_DAEMON)
    if command is None or _TYPED_CLI.search(command) or not _TYPED_DAEMON.search(command):
        return found
    match = _DAEMON_GIVEN_WORDS.match(found.line.text)
    first = match.group("first") if match else "<subcommand>"
    cause, fix = _DAEMON_TYPED_BY_HAND
    return replace(found, explanation=(cause, fix.format(first=first)))


def _answer_of_command(found: CliError | None, line: SourceLine, command: str | None) -> CliError | None:
    """``found`` (parse_windows_error's reading), unless the line is the catalogued answer of the command typed above
    it and ``found`` only read LocalAPI's generic failure (a 500 under `tailscale lock` is the lock failing)."""
    if found is None and command is not None and (restored := _clipped_status_line(line.text)) is not None:
        found = parse_windows_error(line._replace(text=restored))
    if found is not None and found.kind is CliErrorKind.CLI_IS_DAEMON:
        return _daemon_typed_by_hand(found, command)
    if found is not None and (found.kind is not CliErrorKind.BACKEND_ERROR or found.explanation is not None):
        return found
    return _command_answer(line, command) or found


# Kinds whose patterns read only how the CLI wraps a daemon's answer ("backend error: …", "500 Internal Server
# Error: …", "401 Unauthorized: …", "Access denied: …"), not what failed: when the text after the wrapper is a
# catalogued refusal (cli_catalog/), that refusal's kind is the finding.
_WRAPPER_KINDS = frozenset({CliErrorKind.BACKEND_ERROR, CliErrorKind.UNIX_ACCESS_DENIED, CliErrorKind.OTHER})
# Catalogued kinds whose message names where an error happened, outside Tailscale's own client (a NAS package's
# web UI asking the NAS's login CGI): the x509 or dial error inside it is that program's, not this machine's TLS
# being intercepted or tailscaled unreachable.
_CONTEXT_KINDS = frozenset({CliErrorKind.NAS_WEB_UI_AUTH_FAILED})


def parse_windows_error(line: SourceLine) -> CliError | None:
    """Classify one error line and pull out owner, caller and tailscaled's pid."""
    if is_headscale_server_line(line.text):
        return None
    text = normalise_error_text(line.text)
    pid_match = _DAEMON_PID.search(text)
    daemon_pid = int(pid_match.group("pid")) if pid_match else None
    match = _OWNER_CALLER.search(text)
    if match:
        # Names are "cut off" only when their closing quote is missing; a lost " not allowed" is harmless.
        truncated = not match.group("owner_end") or (
            match.group("caller") is not None and not match.group("caller_end")
        )
        return CliError(
            CliErrorKind.NOT_OWNER,
            line,
            owner=_identity(match.group("owner")),
            caller=_identity(match.group("caller")),
            mode=match.group("mode"),
            pid=daemon_pid,
            truncated=truncated,
        )
    running_as = _RUNNING_AS.search(text)
    if running_as:
        mode = "running in server mode" if running_as.group("mode") else "running"
        return CliError(
            CliErrorKind.NOT_OWNER,
            line,
            owner=_identity(running_as.group("owner")),
            mode=mode,
            pid=daemon_pid,
        )
    in_use = _IN_USE_BY.search(text)
    if in_use:
        owner = in_use.group("owner")
        return CliError(
            CliErrorKind.NOT_OWNER,
            line,
            # the owner runs to the line's end: a note the poster typed after it (`# my NAS`) is not the name
            owner=_identity(_OWNER_NOTE.sub("", owner) if owner else owner),
            mode="already in use",
            pid=daemon_pid,
            detail=f"client pid {in_use.group('pid')}" if in_use.group("pid") else "",
        )
    for kind, pattern in _SPECIFIC:
        if pattern.search(text):
            catalogued = find_refusal(text)
            if catalogued is not None and (kind in _WRAPPER_KINDS or catalogued[0].kind in _CONTEXT_KINDS):
                break  # only the wrapper matched: the catalogued message inside it says what failed
            # The same kind catalogued more precisely ("tailnet-lock modify failed: no node-key: …"): the
            # kind stays the hand-written pattern's, the catalogued message's own cause and fix are said.
            same = catalogued is not None and catalogued[0].kind is kind
            explanation = catalogued[0].explain(catalogued[1]) if catalogued is not None and same else None
            return CliError(kind, line, pid=daemon_pid, detail=undo_go_quoting(text), explanation=explanation)
    if text in _EMPTY_SERVE_JSON:
        # Not a pattern of is_windows_error_line: "{}" alone means nothing; blocks.py puts it in a CLI block only
        # under a `serve status --json` prompt (the empty ipn.ServeConfig marshalled, or nil as null).
        return CliError(CliErrorKind.SERVE_NOT_CONFIGURED, line, pid=daemon_pid, detail=text)
    catalogued = find_refusal(text)
    if catalogued is not None:
        refusal, found = catalogued
        return CliError(
            refusal.kind, line, pid=daemon_pid, detail=undo_go_quoting(text), explanation=refusal.explain(found)
        )
    if (warning := quoted_health_warning(text)) is not None:
        # the app's health banner (title and text) quoted in a sentence of the user's, without its "Code:" line
        return CliError(CliErrorKind.GUI_HEALTH_WARNING, line, detail="\n".join(warning))
    for kind, pattern in _GENERIC:
        if pattern.search(text):
            return CliError(kind, line, pid=daemon_pid, detail=undo_go_quoting(text))
    return None


# Causes that stand on their own when the first match of a line named what failed: `tailscale cert`'s 500
# "acme.GetReg: … x509: certificate signed by unknown authority" is both a failed certificate and this
# machine's TLS problem; a cert request whose connection the daemon dropped is also a daemon going away.
_COMPANION_KINDS = (CliErrorKind.TLS_INTERCEPTED, CliErrorKind.DAEMON_CONNECTION_RESET)
# The Linux client library's hint when LocalAPI does not answer (client/local/local.go tailscaledConnectHint):
# "systemd tailscaled.service not running." when systemctl shows the unit loaded but not active/running. Under
# the CLI's "which appears to be running as tailscaled, pid N" (a process seen, its socket missing: pipe-missing)
# systemd's word that the service is down holds too: the unit is failing at start-up (a restart loop leaves a
# short-lived process), or the process is not the service's.
SYSTEMD_UNIT_NOT_RUNNING = re.compile(r"\bsystemd tailscaled\.service not running\b", re.IGNORECASE)
_COMPANIONS: tuple[tuple[CliErrorKind, LazyPattern | re.Pattern[str]], ...] = (
    *((kind, pattern) for kind, pattern in _SIMPLE if kind in _COMPANION_KINDS),
    (CliErrorKind.SERVICE_NOT_RUNNING, SYSTEMD_UNIT_NOT_RUNNING),
)


def with_companions(error: CliError) -> list[CliError]:
    """The error, then every cause of its line that is its own kind and also holds (see _COMPANIONS)."""
    if error.kind is CliErrorKind.NOT_OWNER or error.kind in _CONTEXT_KINDS:
        return [error]
    text = normalise_error_text(error.line.text)
    return [error] + [
        replace(error, kind=kind) for kind, pattern in _COMPANIONS if kind is not error.kind and pattern.search(text)
    ]


# Errors that only say tailscaled could not be reached (yet): a later "Success." proves it then was.
OUTLIVED_BY_SUCCESS = frozenset(
    {
        CliErrorKind.SERVICE_NOT_RUNNING,
        CliErrorKind.PIPE_MISSING,
        CliErrorKind.DEADLINE,
        CliErrorKind.NO_BACKEND,
        CliErrorKind.OTHER,
    }
)
# serve/funnel's feature prompt (cli/serve_legacy.go enableFeatureInteractive): "Funnel is not enabled on your
# tailnet." / "Serve is not enabled …", the enable URL, and then the CLI waits for the admin to enable it and
# goes on: a "Success." after it means the feature was enabled meanwhile (the prompt is resolved).
_ENABLE_PROMPT = re.compile(r"\b(?:Funnel|Serve|HTTPS) (?:is )?not (?:yet )?enabled (?:on|for) ", re.IGNORECASE)


def is_enable_prompt(error: CliError) -> bool:
    """Whether ``error`` is serve/funnel's interactive enable prompt (resolved by a later "Success.")."""
    return error.kind in (CliErrorKind.FUNNEL_UNAVAILABLE, CliErrorKind.SERVE_NOT_ENABLED) and bool(
        _ENABLE_PROMPT.search(error.line.text)
    )


# A dial error on its own line (no CLI sentence in front): under a GUI's message it is that message's detail.
_BARE_DIAL = re.compile(r"^(?:safesocket\.Connect: )?dial (?:unix|tcp) \S+: ")
_SAME_MESSAGE_LINES = 3  # a wrapped error's halves are this close; a repeated error is further apart
CONSOLE_WIDTH = 80  # cmd.exe and conhost wrap at 80 columns by default
_PASTE_DECORATION = re.compile(r"^(?:\s*>)*\s*")  # Markdown quote markers and indentation added by pasting


def console_wrapped(line: SourceLine) -> bool:
    """Was this line cut by an 80-column console? Measured on what the console printed: the quote markers
    and indentation the paste added in front, and padding an editor added behind, do not count."""
    if len(line.raw) < CONSOLE_WIDTH:
        return False  # what the console printed is part of the raw line (most lines: no pattern to run)
    printed = _PASTE_DECORATION.sub("", line.raw.rstrip("\r\n"), count=1)
    return len(printed) == CONSOLE_WIDTH or len(printed.rstrip()) == CONSOLE_WIDTH


def _unwrap(lines: Sequence[SourceLine]) -> list[SourceLine]:
    """Join console-wrapped lines: a line exactly 80 characters long continues on the next one.

    ``…running as tailscaled`` + ``.exe, pid 34624). Got error: 503 …`` becomes one error (with its
    pid) instead of a generic failure plus a pid-less 503.
    """
    joined: list[SourceLine] = []
    pending: SourceLine | None = None
    for line in lines:
        if pending is not None and line.number == pending.number + 1:
            line = pending._replace(text=pending.text + line.text)
            pending = None
        elif pending is not None:
            joined.append(pending)
            pending = None
        if console_wrapped(line) and len(line.text) >= CONSOLE_WIDTH - 2:
            pending = line
            continue
        joined.append(line)
    if pending is not None:
        joined.append(pending)
    return joined


# A terminal paste whose line breaks were flattened to spaces (a chat log, a prompt log, a Markdown cell) holds the
# CLI's messages mid-line, after the output before them: the CLI's usage errors (cli.go's "<command>: unknown
# subcommand: X", Go's flag package's "flag provided but not defined: -x", "invalid value", "flag needs an
# argument", the commands' "too many non-flag arguments") and its answers that say the node is not up (ip.go's "no
# current Tailscale IPs; state: X", status.go's "Logged out.", "Tailscale is stopped.", "Machine is not yet approved
# by tailnet admin."). A line only a first match reads loses every message after it: each head starts a piece of its
# own, as do the shell prompts ("user@host:~/dir$ ") between the commands. Quoted heads ("…", `…`) are prose naming
# a message, not output.
_FLAT_HEAD = (
    r"(?:tailscale(?: [a-z][\w-]*)?: unknown subcommand: \S"
    r"|flag provided but not defined: -\w|flag needs an argument: -\w|invalid (?:boolean )?value \"[^\"]*\" for -\w"
    r"|too many non-flag arguments: |no current Tailscale IP(?:s| address); state: [A-Za-z]"
    r"|Logged out\.(?=\s|$)|Tailscale is stopped\.(?=\s|$)"
    r"|Machine is not yet (?:approved|authorized) by tailnet admin\.)"
)
_FLAT_PROMPT = r"[\w.-]+@[\w.-]+:\S*[$#](?=\s)"
_FLAT_SEAM = lazy_compile(rf"(?:(?<=\s)|^)(?:{_FLAT_HEAD}|{_FLAT_PROMPT})")
_FLAT_PROMPT_AT = lazy_compile(_FLAT_PROMPT)
_FLAT_WORDS = any_word_pattern(
    (
        "unknown subcommand: ",
        "not defined: -",
        "needs an argument: -",
        'value "',
        "non-flag arguments: ",
        "no current tailscale ip",
        "logged out.",
        "tailscale is stopped.",
        "by tailnet admin.",
    )
)
_FLAT_MIN = 160  # a flattened paste runs on; a message with its wrapper is shorter


def flattened_pieces(line: SourceLine) -> list[SourceLine] | None:
    """The pieces of a line holding a flattened terminal paste, each starting at a CLI message or a shell prompt
    (the text before the first one is the first piece), or None: the line is not one (too short, no CLI message
    unquoted in it, or one message alone with no prompt or other message beside it)."""
    text = line.text
    if len(text) < _FLAT_MIN or _FLAT_WORDS.search(text.lower()) is None:
        return None
    starts = [match.start() for match in _FLAT_SEAM.finditer(text)]
    heads = sum(1 for start in starts if _FLAT_PROMPT_AT.match(text, start) is None)
    if heads == 0 or len(starts) < 2:
        return None
    bounds = [0, *starts, len(text)] if starts[0] else [*starts, len(text)]
    pieces = [text[start:end].strip() for start, end in zip(bounds, bounds[1:], strict=False)]
    return [line._replace(text=piece) for piece in pieces if piece]


_FLAT_STATE = lazy_compile(
    r"^(?:Logged out\.|Tailscale is stopped\.|Machine is not yet (?:approved|authorized) by tailnet admin\.)(?=\s|$)"
)


def _flat_piece_error(piece: SourceLine) -> CliError | None:
    """What a piece of a flattened paste says: a CLI error, or the backend state `tailscale status` printed."""
    if (state := _FLAT_STATE.match(piece.text)) is not None:
        return _relayed_state_answer(piece._replace(text=state.group(0)))
    return parse_windows_error(piece)


def _read_flattened(line: SourceLine) -> list[CliError] | None:
    """Each CLI message of a flattened paste's line, one reading per kind (the first), or None: not such a line."""
    pieces = flattened_pieces(line)
    if pieces is None:
        return None
    found: dict[CliErrorKind, CliError] = {}
    for piece in pieces:
        if (error := _flat_piece_error(piece)) is not None:
            found.setdefault(error.kind, error)
    return list(found.values()) or None


# The state answers in a paste's text at all: most inputs hold none, and the line loop below is then skipped.
_STATE_ANSWERS = ("Logged out.", "Tailscale is stopped.", "by tailnet admin.")


def unflatten_state_answers(text: str, lines: list[SourceLine]) -> list[SourceLine]:
    """The lines with each flattened "<prompt> tailscale <command> Logged out." cut where the unflattened paste had
    its line break: the typed command (a prompt line), then the state answer `tailscale status` (or the command
    isRunningOrStarting refused) printed, then what followed, all under the line's number. A line whose only CLI
    message is such an answer has no error for _with_flattened to start from; cut, it reads as the paste did."""
    if not any(map(text.__contains__, _STATE_ANSWERS)):
        return lines  # (at C speed: a comprehension's frame for every paste, most holding none)
    answers = [answer for answer in _STATE_ANSWERS if answer in text]
    shortest = min(len(answer) for answer in answers)
    cut: list[SourceLine] = []
    for line in lines:
        # an answer alone on its line (the paste as printed) is not flattened: only a longer line may hold one
        flat = len(line.text) > shortest and any(answer in line.text for answer in answers)
        pieces = _state_answer_pieces(line) if flat else None
        cut.extend(pieces if pieces is not None else (line,))
    return cut


def _state_answer_pieces(line: SourceLine) -> list[SourceLine] | None:
    """A flattened line's pieces when a state answer, its only CLI message, follows a typed `tailscale` command in it,
    else None."""
    text = line.text
    starts = [match.start() for match in _FLAT_SEAM.finditer(text) if match.start() > 0]
    states = sum(1 for start in starts if _FLAT_STATE.match(text[start:]))
    prompts = sum(1 for start in starts if _FLAT_PROMPT_AT.match(text, start))
    if not states or states + prompts < len(starts):
        return None  # another CLI message beside it: _with_flattened reads the line message by message
    bounds = [0, *starts, len(text)]
    texts: list[str] = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        piece = text[start:end].strip()
        state = _FLAT_STATE.match(piece)
        if state is not None and state.end() < len(piece):  # "Logged out. Log in at: …": two lines of output
            texts.extend((state.group(0), piece[state.end() :].strip()))
        elif piece:
            texts.append(piece)
    pieces = [line._replace(text=piece, command=prompt_command(piece)) for piece in texts]
    answered = any(
        _FLAT_STATE.match(piece.text) and index and _typed_tailscale(pieces[index - 1].command)
        for index, piece in enumerate(pieces)
    )
    return pieces if answered else None


_TYPED_TAILSCALE = typed_tailscale_command(r"[a-z][\w-]*")


def _typed_tailscale(command: str | None) -> bool:
    return command is not None and _TYPED_TAILSCALE.search(command) is not None


# The rest of the `tailscale up` refusal (Go prints it over several lines) and the command it suggests.
_UP_CONTINUATION = re.compile(
    r"non-default flags\. To proceed|use the command below to explicitly mention|all non-default settings:"
    r"|(?<![A-Za-z])tailscale up .*--"  # a log stamp may be glued to it: ...-07:00tailscale up --ssh
)
_UP_SUGGESTION = re.compile(r"(?<![A-Za-z])tailscale up (?P<flags>.*--.*)$")


def continues_up_refusal(text: str) -> bool:
    """A line of the multi-line `tailscale up` refusal after its first, or the command it suggests."""
    cheap = "non-default" in text or "command below" in text or "tailscale up " in text
    return cheap and bool(_UP_CONTINUATION.search(text))


def _with_up_suggestions(errors: list[CliError], lines: Sequence[SourceLine]) -> list[CliError]:
    """Give each `tailscale up` refusal the command the CLI suggested under it (its ``detail``)."""
    for index, error in enumerate(errors):
        if error.kind is not CliErrorKind.UP_FLAGS_REQUIRED:
            continue
        for line in lines:
            match = _UP_SUGGESTION.search(line.text) if line.number > error.line.number else None
            if match:
                errors[index] = replace(error, detail="tailscale up " + match.group("flags").strip())
                break
        else:
            errors[index] = replace(error, detail="")  # no suggestion pasted
    return errors


_RETRY_SUCCEEDED = re.compile(r"(?:^|\s)Success\.$")

# `tailscale cert` run without its domain: after "Usage: tailscale cert [flags] <domain>" the CLI names the
# domain(s) this node may ask for (cli/cert.go). People run it bare to learn that name, then run it with it.
CERT_NAME_HINT = re.compile(r"^For domain, use |^Valid domain options: ", re.IGNORECASE)
# `tailscale cert` given a name (flags such as --cert-file may come first): the certificate was asked for
CERT_REQUEST = typed_tailscale_command(r"cert(?:\s+-\S+)*\s+[^-\s]\S*")


def _cert_name_followed(error: CliError, prompts: Sequence[SourceLine]) -> CliError:
    """The cert name hint, outlived by a later prompt running `tailscale cert <name>` (``cleared_by``): the
    usage was the user's way to learn the name; what that later command printed is the certificate's outcome."""
    if error.kind is not CliErrorKind.CLI_USAGE or not CERT_NAME_HINT.search(error.line.text):
        return error
    later = next(
        (p for p in prompts if p.number > error.line.number and p.command and CERT_REQUEST.search(p.command)), None
    )
    return error if later is None else replace(error, cleared_by=later)


def _answered_later(error: CliError, success: SourceLine) -> CliError:
    """An error the paste outlives. After a retry's "Success." it was a start-up race; after tailscaled's answer
    to another command (`lock status`) the daemon was running all along, so a "not running" before it was the
    CLI's own wording for a LocalAPI call that failed otherwise (fixTailscaledConnectError rewrites any error
    when it finds no process named tailscaled, as the macOS app's CLI and pre-1.90 `tailscale lock log` with
    Tailnet Lock off did): not "not running" (kind other)."""
    if error.kind is CliErrorKind.SERVICE_NOT_RUNNING and not _RETRY_SUCCEEDED.search(success.text):
        return replace(error, kind=CliErrorKind.OTHER, cleared_by=success)
    if is_enable_prompt(error) and _RETRY_SUCCEEDED.search(success.text):
        # enableFeatureInteractive prints "Success." only once the node holds the feature's capabilities: the
        # feature was enabled while the CLI waited, and the command went on (no refusal left)
        return replace(error, kind=CliErrorKind.FEATURE_ENABLED, cleared_by=success)
    return replace(error, cleared_by=success)


_SSH_CONNECT_FAILED = re.compile(
    r"^ssh: connect to host ([A-Za-z0-9][\w.-]*) port \d+: (?:Operation timed out|Connection timed out"
    r"|Connection refused|No route to host|Host is down)$"
)


def host_names(host: str) -> frozenset[str]:
    """A host name and its first label, lower case: `azdev.ts.example.com` is also `azdev` in a status row."""
    host = host.lower().rstrip(".")
    return frozenset((host, host.split(".", 1)[0]))


def ssh_failed_host(text: str) -> str | None:
    """The host an ssh client could not connect to (timed out, refused, unreachable), or None."""
    match = _SSH_CONNECT_FAILED.match(text) if text[:4] == "ssh:" else None
    return match[1] if match is not None else None


def _ssh_to_tailnet_host(line: SourceLine, tailnet_hosts: frozenset[str]) -> CliError | None:
    host = ssh_failed_host(line.text) if tailnet_hosts else None
    return CliError(CliErrorKind.SSH_FAILED, line) if host and host_names(host) & tailnet_hosts else None


# The CLI crashing while it updated Tailscale: under a `tailscale update` prompt, or under the updater's own
# progress line (clientupdate: `Extracting "…/tailscale_<version>_<arch>.tgz"`). The update did not finish.
_UPDATE_COMMAND = typed_tailscale_command(r"update\b")
_UPDATE_PROGRESS = re.compile(r'^Extracting "[^"]*tailscale_(?P<version>[\w.+-]+?)_[\w]+\.tgz"$')
_UPDATE_CRASHED = (
    "`tailscale update` crashed{version}: the Go runtime killed the CLI ({crash}), so the update did not finish: "
    "the node stays on its old version (and, if it died while extracting, the tarball may be half-unpacked in "
    "its cache). A bus error or segmentation fault there is usually the device: storage that fails or is full "
    "under a memory-mapped file, too little memory, or a binary for the wrong ARM variant.",
    "Check free space and the storage (`df -h`, `dmesg`), remove ~/.cache/tailscale-update and retry; if it "
    "crashes again, update by hand: download the static tarball for this CPU from pkgs.tailscale.com, stop "
    "tailscaled, replace both binaries, start it and check `tailscale version`.",
)


def _with_session_failure(errors: list[CliError], lines: Sequence[SourceLine]) -> list[CliError]:
    """Under Tailscale SSH's check banner, the host's login or shell failing once the check passed ("root: no shell:
    Permission denied" from login(1)): the session got in and the host could not start it (ssh_server.py)."""
    check = next((e for e in errors if e.kind is CliErrorKind.SSH_CHECK_REQUIRED), None)
    if check is None:
        return errors
    failed = next(
        (
            line
            for line in lines
            if line.number > check.line.number
            and line.number - check.line.number <= _SESSION_TAIL_LINES
            and is_session_failure(line.text)
        ),
        None,
    )
    if failed is None or any(e.kind is CliErrorKind.SSH_FAILED for e in errors):
        return errors
    explanation = (session_failed_cause(failed.text), SESSION_FAILED_FIX)
    return [*errors, CliError(CliErrorKind.SSH_FAILED, failed, explanation=explanation)]


# the check banner (2-3 lines), its "checked" lines, login's "Last login" lines, then the failure
_SESSION_TAIL_LINES = 10


def _with_update_crash(errors: list[CliError], lines: Sequence[SourceLine], command: str | None) -> list[CliError]:
    """Add ``update-failed`` for a CLI crash that happened while `tailscale update` ran."""
    crash = next((error for error in errors if error.kind is CliErrorKind.CLI_PANIC), None)
    if crash is None or any(error.kind is CliErrorKind.UPDATE_FAILED for error in errors):
        return errors
    progress = next(
        (found for line in lines if line.number < crash.line.number and (found := _UPDATE_PROGRESS.match(line.text))),
        None,
    )
    if progress is None and (command is None or _UPDATE_COMMAND.search(command) is None):
        return errors
    version = f" while installing {progress.group('version')}" if progress is not None else ""
    cause, fix = _UPDATE_CRASHED
    explanation = (cause.format(version=version, crash=crash.line.text.strip()), fix)
    return [*errors, CliError(CliErrorKind.UPDATE_FAILED, crash.line, detail=crash.detail, explanation=explanation)]


# `systemctl status tailscaled` pasted beside the CLI's error: its Active line (and, while the unit is stopping or
# before it starts, a control process that is only tailscaled's `--cleanup` run of ExecStartPre/ExecStopPost) says
# whether tailscaled is up. A unit not active means nothing listens on the socket yet: the missing socket is the
# service not (yet) running, whatever process the CLI saw (the `--cleanup` run is a process named tailscaled).
_UNIT_NOT_ACTIVE = re.compile(
    r"^\s*Active: (?P<state>(?:activating|inactive|failed|deactivating|reloading)\b(?: \([\w-]+\))?)"
)
_ONLY_CLEANUP = re.compile(r"^\s*(?:[`|]-|\u2514\u2500|\u251c\u2500)\s*\d+ \S*tailscaled --cleanup\s*$")


def unit_not_active(lines: Sequence[SourceLine]) -> SourceLine | None:
    """The line of a pasted `systemctl status tailscaled` saying the unit is not active (activating, inactive,
    failed, deactivating), or whose only process is `tailscaled --cleanup`; None when the paste shows no such."""
    for line in lines:
        text = line.text
        if "Active: " in text and _UNIT_NOT_ACTIVE.match(text) is not None:
            return line
        if "--cleanup" in text and _ONLY_CLEANUP.match(text) is not None:
            return line
    return None


_UNIT_DOWN = (
    "nothing listens on tailscaled's socket because the tailscaled service is not running yet: the pasted "
    "`systemctl status` says the unit is {state} (line {line}), so the CLI's dial found no socket. A unit stuck "
    "in 'activating (start-pre)' is running its ExecStartPre, `tailscaled --cleanup`, which can hang (a "
    "firewall/iptables or DNS cleanup step waiting); a failed or inactive unit was stopped or crashed.",
    "Read why the unit does not come up: `sudo journalctl -u tailscaled -b --no-pager | tail -50`; then `sudo "
    "systemctl restart tailscaled` and `systemctl status tailscaled` until it says 'active (running)'. If it "
    "hangs in start-pre, update Tailscale (older --cleanup runs could block on iptables/resolved) and check "
    "`sudo tailscaled --cleanup` by hand.",
)


def socket_missing(report: CliErrorReport) -> bool:
    """Whether ``report`` holds a Unix dial of tailscaled's socket that found no socket (``pipe-missing``)."""
    return any(error.kind is CliErrorKind.PIPE_MISSING and "dial unix" in error.line.text for error in report.errors)


def with_unit_state(report: CliErrorReport, unit_line: SourceLine | None) -> CliErrorReport:
    """``report`` with a missing Unix socket read as ``service-not-running`` when the same paste's `systemctl
    status` shows the unit not active (``unit_line``, from unit_not_active)."""
    if unit_line is None or not socket_missing(report):
        return report
    match = _UNIT_NOT_ACTIVE.match(unit_line.text)
    state = f"'{match.group('state')}'" if match is not None else "only running `tailscaled --cleanup`"
    cause, fix = _UNIT_DOWN
    explanation = (cause.format(state=state, line=unit_line.number), fix)
    errors = tuple(
        replace(error, kind=CliErrorKind.SERVICE_NOT_RUNNING, explanation=explanation)
        if error.kind is CliErrorKind.PIPE_MISSING and "dial unix" in error.line.text
        else error
        for error in report.errors
    )
    return replace(report, errors=errors)


def _relayed_state_answer(line: SourceLine) -> CliError | None:
    """The backend state the relayed CLI printed instead of doing its command (cli/status.go isRunningOrStarting)."""
    if relayed_state(line.text) is None:
        return None
    return CliError(CliErrorKind.NOT_RUNNING_STATE, line, detail=line.text)


def _with_flattened(found: Iterable[CliError | None]) -> Iterator[CliError]:
    """The errors read line by line, each line that holds a flattened paste read message by message instead."""
    for error in found:
        if error is None:
            continue
        flat = _read_flattened(error.line) if len(error.line.text) >= _FLAT_MIN else None
        yield from flat if flat is not None else (error,)


def parse_windows(
    lines: Sequence[SourceLine],
    whoami: SourceLine | None = None,
    admin_member: bool | None = None,
    elevated: bool | None = None,
    successes: Sequence[SourceLine] = (),
    own_addresses: frozenset[str] = frozenset(),
    tailnet_hosts: frozenset[str] = frozenset(),
    command: str | None = None,
    prompts: Sequence[SourceLine] = (),
    relayed: bool = False,
) -> CliErrorReport:
    """All recognised error lines of a block, plus the caller identity from a pasted ``whoami``.

    ``successes`` are the input's "Success." lines (`tailscale up` / `login` done): an error that says
    tailscaled could not be reached yet, followed by one, was a start-up race the retry outlived
    (``cleared_by``), e.g. a CI step that starts tailscaled and loops `until tailscale up …`.
    ``own_addresses`` are what a bare `tailscale ip` printed in the same paste: a ``peer-not-found`` for one
    of them named this node itself (``names_self``). ``tailnet_hosts`` are names the paste tied to a tailnet
    address (status rows, an OS ping's header): ssh failing to connect to one is ``ssh-failed`` though the name
    is under the user's own DNS domain, not ts.net. ``command`` is the command typed above the block: a line
    too generic to be an error alone is read as its answer (is_command_answer). ``prompts`` are the paste's shell
    prompts: `tailscale cert`'s name hint followed by `tailscale cert <name>` was how the user learnt the name.
    ``relayed``: the lines are the CLI's output another program relayed (relayedoutput.py); a backend state it
    printed ("Logged out.") is then the refusal of the command that program ran.
    """
    if (warning := parse_gui_health_warning(lines)) is not None:
        # the desktop app's health warning (a block of its own): the warnable, not an error line to match
        error = CliError(
            CliErrorKind.GUI_HEALTH_WARNING,
            warning.text_line,
            detail=f"{warning.title or ''}\n{warning.text}\n{warning.code}",  # title, text, warnable code
        )
        return CliErrorReport(errors=(error,), whoami=whoami.text if whoami else None, whoami_line=whoami)
    if (setup := gui_setup_failure(lines)) is not None:  # the Windows GUI's setup error box, its stack inside
        return CliErrorReport(errors=(setup,), whoami=whoami.text if whoami else None, whoami_line=whoami)
    errors: list[CliError] = []
    found = (
        gui_start_fatal(line, command)  # the GUI's start-up fatal: an OS error of its own, not the CLI's pipe
        or _answer_of_command(parse_windows_error(line), line, command)
        or _login_url_unroutable(line, command)
        or _login_server_mismatch(line, command)
        or _ssh_to_tailnet_host(line, tailnet_hosts)
        or _checksum_warning(line)
        or (_relayed_state_answer(line) if relayed else None)
        for line in _unwrap(lines)
    )
    for error in (each for first in _with_flattened(found) for each in with_companions(first)):
        previous = errors[-1] if errors else None
        # One message wrapped over a few lines can match twice (both halves name the cause): keep one. The
        # rp-filter risk runs one line per interface: its lines are counted from the last one merged.
        if (
            previous is not None
            and previous.kind is error.kind
            and 0
            < error.line.number - previous.line.number
            <= _SAME_MESSAGE_LINES
            + (previous.detail.count("\n") if previous.kind is CliErrorKind.EXIT_NODE_RP_FILTER_RISK else 0)
        ):
            if previous.pid is None and error.pid is not None:
                errors[-1] = replace(previous, pid=error.pid)
            if error.kind in (
                CliErrorKind.IP_FORWARDING_DISABLED,
                CliErrorKind.IP_FORWARDING_CHECK_FAILED,
                CliErrorKind.INSTALL_FAILED,
                CliErrorKind.EXIT_NODE_RP_FILTER_RISK,
            ):
                # one warning in several lines, each naming a part (IPv6 off, an interface not forwarding), or a
                # failed install's systemctl error and the journal lines saying why
                errors[-1] = replace(errors[-1], detail=f"{errors[-1].detail}\n{error.detail}")
            continue
        if (
            previous is not None
            and previous.kind is CliErrorKind.EXIT_NODE_RP_FILTER_RISK
            and error.kind is CliErrorKind.RISK_NOT_ACCEPTED
            and 0 < error.line.number - previous.line.number <= previous.detail.count("\n") + _SAME_MESSAGE_LINES
        ):
            # The answer to the rp-filter risk's own `Continue? [y/N]` ("aborted, no changes made"): one reading,
            # the risk's, told that nothing changed (cli/risks.go presentRiskToUser asked about this risk only).
            errors[-1] = replace(previous, detail=f"{previous.detail}\n{error.line.text}")
            continue
        if (
            previous is not None
            and previous.kind is CliErrorKind.GUI_CANNOT_CONNECT
            and error.kind is CliErrorKind.SERVICE_NOT_RUNNING
            and 0 < error.line.number - previous.line.number <= _SAME_MESSAGE_LINES
            and _BARE_DIAL.match(normalise_error_text(error.line.text))
        ):
            # The GUI's message box prints the dial error it got under its own sentence: one message.
            errors[-1] = replace(previous, detail=f"{previous.detail}\n{error.detail}".strip())
            continue
        errors.append(error)
    if successes:
        errors = [
            _answered_later(error, success)
            if (error.kind in OUTLIVED_BY_SUCCESS or is_enable_prompt(error))
            and (success := next((s for s in successes if s.number > error.line.number), None)) is not None
            else error
            for error in errors
        ]
    if prompts:
        errors = [_cert_name_followed(error, prompts) for error in errors]
    if own_addresses:
        errors = [
            replace(error, names_self=True)
            if error.kind is CliErrorKind.PEER_NOT_FOUND
            and (missing_peer_address(error) or "").lower() in own_addresses
            else error
            for error in errors
        ]
    errors = _with_update_crash(errors, lines, command)
    errors = _with_session_failure(errors, lines)
    return CliErrorReport(
        errors=tuple(with_translation_checked(_with_up_suggestions(errors, lines), lines)),
        whoami=whoami.text if whoami else None,
        whoami_line=whoami,
        admin_member=admin_member,
        elevated=elevated,
    )
