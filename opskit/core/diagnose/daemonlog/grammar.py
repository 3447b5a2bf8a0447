"""The line grammar of pasted tailscaled logs: every prefix a log viewer, service manager or chat client
puts in front of tailscaled's own message, peeled off until the message is left.

Prefixes seen in public pastes (any of them may stack, e.g. a container stamp before Go's log stamp)::

    Nov 13 02:07:34 host tailscaled[11844]:           journald / syslog, any locale ("янв 30", "11月 21",
                                                      Catalan "de des. 16" / "d'abr. 3", Korean "12월 16")
    Jun 29 23:11:32 tailscaled[73232]:                journald with the host removed
    Oct 31 17:10:32 host tailscaled [761]:            a retyped journal, a space before the pid
    tailscaled[1863]:                                 journald, date and host cut off
    Thu Oct 17 18:02:08 2024 daemon.err tailscaled[5930]:   OpenWrt logread
    2021-07-17T15:03:36.462Z host tailscaled[14930]:  journald --output=short-iso
    2024-04-30T03:52:44.875476938-04:00               container runtime (RFC 3339)
    2021-06-15T16:01:48.840-07:00:                    Windows service log file (also before "tailscaled: …")
    Information 1/12/2024 10:41:06 AM Tailscale 1 None   Windows' event log: Event Viewer's saved text, the
    1/12/2024 10:41:06 AM  1 Information  /  12345 Jan 12 10:41  Information Tailscale  1    Get-WinEvent and
    Message      : …                                  Get-EventLog tables, Format-List's message line
    2024-01-12 10:41:06.123 Df IPNExtension[512:1a2b] macOS `log show --style compact` ([subsystem:category] after
                                                      the process, in any style, goes too)
    Jan 12 10:41:06 router daemon.info tailscaled[59]:   BusyBox syslogd (facility.level before the process)
    23-10-10T22:37:43.517919674Z                      a runtime stamp whose start the selection cut off
    2022-11-06 18:09:07.789407752 +0000 UTC:          Go time.Time (bug reports, log uploads)
    2021/06/15 16:01:48.123456                        Go's log package
    08-12 01:28:19.408 31087 31144 I com.tailscale.ipn:   Android logcat (threadtime; also -v year/uid/time,
                                                      brief "E/tag(123): ", tag, process, long, Android Studio)
    2023-05-27 01:02:04.758978-0400 0xba326 Default 0x0 19332 0 IPNExtension:   macOS unified log
    default 18:30:39.895744-0800 io.tailscale.ipn.macsys.network-extension     macOS Console (tab-separated)
    53457 default 19:53:44.078650-0800 IPNExtension   macOS Console with its PID column
    time="…" level=debug msg="[Tailscale](ts) …"      logfmt of an embedded tsnet node
    DEBU[0011] 2024/06/08 12:38:58 …  /  FATA[0011] …   logrus on a terminal (tsnet embedders: Daytona); the
                                                      fatal level kept as form "logrus-fatal"
    TRACE[0000] endpoint/tailscale[ts-ep]:            sing-box's tsnet endpoint (also without the [0000], or the level;
    +0000 2025-10-06 17:57:54 TRACE endpoint/…:       with its full timestamp, zone first; "[id 12ms] " before the tag)
    {"logtail": {…}, "text": "…\\n"}                  raw log-upload JSON
    {"level":"info","ts":…,"logger":"tailscaled","msg":"…"}   a zap/slog JSON record (k8s operator, Caddy)
    Mar 14 00:37:03 | tailscaled | 10767 |            pfSense's log page copied as columns
    05/05 07:04:23                                    a log viewer's month/day stamp
    13:38:39 | panic: …                               a crash-log viewer's time column and bar (Android app)
    04-23,14:36:03.590 63.0M/92.1M                    2020 pastes: month-day,time and memory stats
    Feb 18 14:59:57 Tower tailscaled: / <30>1 2024-…Z host tailscaled 123 - - …   syslog without PID, RFC 5424
    tailscale-1  | …  /  [pod/ts-0/tailscale] …      docker compose, kubectl logs --prefix
    [tailscale-beszel] 2026-05-30T07:06:28.7Z …       a container's name in brackets before a stamp
    magicsock.go:2546: …                              Go's testing log (t.Logf: file and line)
    message repeated 3 times: [ … ]                   rsyslog folding repeats (the closing "]" goes too)
    ##011 0xb525c4#011tailscale.com/…                 rsyslog's #011 escape of a tab
    [2024-01-01 10:00:00] …                           a supervisor's bracketed stamp
    [10:00:00] FATAL: …                               bashio (Home Assistant add-ons), kept as process "bashio"
    srv: 0.8M/0.0M …                                  the old Windows GUI relaying its service subprocess
    stdout / stderr, 19.8M/125.1M, ^3.2M, 05:51:29, [v1], _italics_   stream names, memory stats (Android,
                                                      iOS), a time column
    tailscaled Drop: …  /  tailscaled: …                 the program name alone (grep -h, some viewers)
    com.tailscale.ipn: …  /  E com.tailscale.ipn: …  /  IPNExtension: …   the app's process alone (a logcat or
                                                      Console line quoted without its columns)
    2025-01-20 06:42:26.1+00:002025/01/20 …           a runtime stamp glued to the line (TrueNAS, k8s UIs)
    2026-03-17 04:35:27 Tailscale 2026/03/17 …        a viewer's stamp and the container's name (RouterOS)
    2025-10-09T06:31:46Z Application Logs 1.0.0 Development INFO 2025/10/09 …   a PaaS export's columns (Choreo)
    2026/04/02 13:19:32.756410 TsInternal pm: …       an app's tag for tsnet's logger (taken off in daemonlog/
                                                      __init__.py: only before a message only tailscaled prints)
    tsnet: 2026/04/02 13:19:32 …  /  INFO 2026-…     Go's log.New prefix (or a level) before the stamp
    … [debu]  net.wgengine: …  /  … [DEBUG] (tailnet.wgengine)  <file.go:98>  NewConn.func6  …   Coder's slog
    172.20.0.2: user: warning: [2024-05-04T00:15:09.5Z]: [talos] …   the kernel ring buffer as `talosctl dmesg`
                                                      prints it (node, facility, level, stamp; the node may be
                                                      gone), Talos' machined tagging its lines "[talos]"

Any stamp above may come redacted ("2023/XX/XX XX:XX:XX", "Jun XX XX:XX:XX host tailscaled[XXXX]:", "*", "#" or "x"
for the digits, "<date> <time>" or "[timestamp]" for the whole): it reads as the real one (message_of).

Markdown quotes, fences, inline backticks, tabs and typographic quotes are undone earlier (text.py).
Pure functions: text in, (message, process) out.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

# Catalan puts an article in front ("de des.", "d'abr."), CJK locales a number and a sign ("11月", "12월").
_MONTH = r"(?:(?:de |d')[^\W\d_]{2,5}\.?|[^\W\d_]{3,5}\.?|\d{1,2}\s?[月월])"
# journald/syslog: date, optional host, process[pid]: (date or host may be gone).
_DATE = (
    r"(?:" + _MONTH + r"\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}(?:\.\d+)?"
    r"|\d{4}-\d{2}-\d{2}T\S+"
    r"|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:?\d{2})?"
    r"|[A-Z][a-z]{2} [A-Z][a-z]{2}\s+\d{1,2} \d{2}:\d{2}:\d{2} \d{4}(?: [\w]+\.[\w]+)?)"
)
# The host, or what a redaction left in its place ("<hostname>", "[redacted]", "***", "*", "{host}").
_HOST = r"(?:[\w.-]+|<[^<>\s]*>|\[[^\[\]\s]*\]|\*+|\{[^{}\s]*\})"
# BusyBox syslogd (without -S) writes the facility and level after the host: "Jan 12 10:41:06 router daemon.info
# tailscaled[5930]: …".
_FACILITY = (
    r"(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local\d)"
    r"\.(?:emerg|alert|crit|err|warn|warning|notice|info|debug)"
)
_SYSLOG = re.compile(
    r"^(?:<\d+>\d? ?)?(?:" + _DATE + r"\s+)?(?:(?P<host>" + _HOST + r")\s+)?(?:" + _FACILITY + r"\s+)?"
    r"(?P<proc>[\w.@/-]+)\[\d+\]:\s*"
    # syslog without a PID (Unraid, busybox; RHEL/CentOS 7's /var/log/messages writes systemd's lines so):
    # only with a date and only for tailscaled itself and the service manager speaking of it
    r"|^(?:<\d+>\d? ?)?" + _DATE + r"\s+(?:" + _HOST + r"\s+)?(?P<proc2>tailscaled|systemd):\s+"
    # a retyped or OCR'd journal with a space before the pid ("Oct 31 17:10:32 host tailscaled [761]: …"): only
    # with a date, since a message of its own may hold "word [12]: …"; before RFC 5424, which would read "[761]:"
    # as the msgid and the message's own "[CnK7M]" as structured data
    r"|^(?:<\d+>\d? ?)?" + _DATE + r"\s+(?:" + _HOST + r"\s+)?(?P<proc5>[\w.@/-]+) \[\d+\]:\s*"
    # RFC 5424 (pfSense/OPNsense, rsyslog): <pri>1 stamp host app procid msgid [sd] message
    r"|^(?:<\d+>\d )?\d{4}-\d{2}-\d{2}T\S+ \S+ (?P<proc3>tailscaled) \S+ \S+ (?:\[[^\]]*\]|-) "
    # a firewall's log page copied as columns (pfSense: "Mar 14 00:37:03 | tailscaled | 10767 | …")
    r"|^" + _DATE + r"\s+\|\s+(?P<proc4>[\w.@/-]+)\s+\|\s+(?:\d+\s+\|\s+)?"
)
# Compose and Kubernetes prefixes: "tailscale-1  | …", "ts_1 | …", "[pod/ts-0/tailscale] …", and a container's
# name in brackets ("[tailscale-beszel] 2026-05-30T…", podman-compose "[ts] | …") — only before a stamp or a
# bar, since tailscaled's own messages start with brackets too ("[v1] …", "[unexpected] …", "[RATELIMIT] …").
_CONTAINER = re.compile(r"^(?:[\w.-]+\s+\|\s+|\[pod/[^\]]+\]\s+|\[[\w.-]+\](?:\s+\|\s+|\s+(?=\d{4}[-/])))")
# bashio, the shell library of Home Assistant add-ons (hassio-addons/addon-tailscale: its s6 service scripts): its
# default format "[%T] LEVEL: message" ("[10:00:00] FATAL: …" from bashio::exit.nok); kept as the line's process.
# Coder's embedded Tailscale engine logging through cdr.dev/slog's human format, after its stamp: the level in
# brackets, then the logger's name ("wgengine", "net.wgengine", "tailnet.wgengine"; 2024 on: "[debu]  net.wgengine:
# magicsock: …"), or (2022-23) the level spelt out, the logger in parentheses, the caller's <file:line> and function,
# tab-separated ("[DEBUG] (tailnet.wgengine)  <./…/magicsock/logger.go:98>  NewConn.func6  netcheck: …"). Only
# the engine's logger is peeled: what follows it is Tailscale's own message; other loggers' lines are Coder's.
_CODER_SLOG = re.compile(
    r"^\[(?:debu|info|warn|erro|crit|fata)\]\s+(?:[\w-]+\.)*wgengine: "
    r"|^\[(?:DEBUG|INFO|WARN|ERROR|CRITICAL|FATAL)\]\s+\((?:[\w-]+\.)*wgengine\)\s+<[^<>\s]+>\s+\S+\s+"
)
_BASHIO = re.compile(r"^\[\d{2}:\d{2}:\d{2}\] (?:TRACE|DEBUG|INFO|NOTICE|WARNING|ERROR|FATAL): ")
# A bracketed stamp from supervisors and log shippers: "[2024-01-01 10:00:00] …", "[12:00:01] …".
_BRACKET_STAMP = re.compile(r"^\[(?:\d{4}-\d{2}-\d{2}[ T])?\d{2}:\d{2}:\d{2}[^\]]*\]\s+")
# A stamp of its own (container runtime, Windows service log, Go time.Time), optionally ending in ":".
_STAMP = re.compile(
    # (a selection that began mid-stamp leaves "23-10-10T22:37:43.5Z": the T form with a cut year)
    r"^(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"(?: [+-]\d{4})?(?: (?:[+-]\d{4}|[A-Z]{2,5}))?:?"
    r"|\d{1,3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})"
    r"|\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?"
    r"|\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?"  # a log viewer's month/day stamp ("05/05 07:04:23")
    r"|\d{2}-\d{2},\d{2}:\d{2}:\d{2}(?:\.\d+)?"  # 2020 log pastes' month-day,time ("04-23,14:36:03.590")
    r"|\d{2}:\d{2}:\d{2}(?:\.\d+)?)"
    # TrueNAS/Kubernetes UIs glue the runtime's stamp to the line: "…06:42:26.1+00:002025/01/20 …"
    r"(?:\s+|$|(?<=[+-]\d\d:\d\d)(?=\w))"
)
# A log viewer's stamp, then the container's or program's name, then tailscaled's own Go stamp (RouterOS'
# container log: "2026-03-17 04:35:27 Tailscale 2026/03/17 04:35:27 …"): after a stamp, a name right before
# another stamp is the viewer's column, not the message.
# A PaaS log export puts several columns there (Choreo: "2025-10-09T06:31:46.631Z Application Logs 1.0.0
# Development INFO 2025/10/09 06:31:46 …": log type, component version, environment, level): up to six words.
_NAME_BEFORE_STAMP = re.compile(
    r"^[A-Za-z][\w.-]*(?:\s+[\w.-]+){0,5}?\s+(?=\d{4}[-/]\d{2}[-/]\d{2}[ T]\d{2}:\d{2}:\d{2})"
)
# Go's log.New(w, "tsnet: ", log.LstdFlags) writes its prefix BEFORE the stamp ("tsnet: 2026/04/02 13:19:32 …",
# containerboot's "boot: 2023/10/10 …", "TsInternal 2026/04/02 …", a level "INFO 2026-04-02T13:19:32Z …"): one word
# (or a bracketed one) right before a dated stamp at the start of the line, kept as the line's process. (With
# log.Lmsgprefix the prefix comes after the stamp: daemonlog/__init__.py.) A program may put its version in the
# brackets ("[jetkvm-plugin-tailscale v0.2.1] 2025/02/06 03:30:52 …", a plugin's tsnet node): the name is the process.
_WORD_BEFORE_STAMP = re.compile(
    r"^(?:\[[A-Za-z][\w.-]*(?: v?\d+(?:\.\d+)+[\w.+-]*)?\]|[A-Za-z][\w.-]*):?\s+"
    r"(?=\d{4}[-/]\d{2}[-/]\d{2}[ T]\d{2}:\d{2}:\d{2})"
)


def _prefix_process(word: re.Match[str]) -> str:
    """The program a _WORD_BEFORE_STAMP prefix names, without its brackets, colon or version."""
    return word.group(0).strip().strip("[]:").split()[0]


# containerboot's prefix with its Go stamp after a runtime's stamp ("2023-10-10T22:37:43.51Z boot: 2023/10/10 …").
_BOOT_AFTER_STAMP = re.compile(r"^boot:\s+(?=\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2})")
# The program name alone in front of the message ("tailscaled Drop: UDP{…}", "tailscaled: getting engine"),
# as some syslog viewers and `grep -h` print it; a command line ("tailscaled --state=…") is not one.
# (The GitHub Action's own verdict "tailscaled daemon did not become ready within timeout, …" is a sentence about
# tailscaled, not its line.)
_BARE_PROCESS = re.compile(r"^(?P<proc>tailscaled)(?::\s+|\s+(?=[^\s-])(?!daemon did not become ready\b))")
# The app's process name (Android's logcat tag, the macOS network extension, the old Windows GUI) alone before the
# message, followed by its colon: a logcat line quoted without its stamp, pid and level columns ("com.tailscale.ipn:
# fatal error: glGetError: 0x501"; with the level letter kept, "E com.tailscale.ipn: …"), a Console line without
# its columns ("IPNExtension: …").
_BARE_APP_PROCESS = re.compile(
    r"^(?:[VDIWEF] )?(?P<proc>com\.tailscale\.ipn|IPNExtension|io\.tailscale\.ipn[\w.-]*|tailscale-ipn):\s+(?=\S)"
)

# zerolog's ConsoleWriter, the logger of Go programs embedding tsnet (tsdproxy and others) that pass tailscale's
# lines through it: its default stamp is time.Kitchen ("7:40AM"), then a three-letter level (TRC DBG INF WRN ERR
# FTL PNC, "???" for none); with another TimeFormat the stamp is one _STAMP reads and the level follows it.
# Its sorted key=value fields after the message are left in place: tailscaled's own messages end in key=value too.
# With the caller on (logger.With().Caller()) the ConsoleWriter writes it after the level and before " > " and
# the message ("5:19PM INF internal/proxyproviders/tailscale/node_lifecycle.go:141 > tsnet starting …").
_ZEROLOG_CALLER = r"(?:[\w./@+-]+\.go:\d+ +> +)?"
_ZEROLOG_KITCHEN = re.compile(
    r"^\d{1,2}:\d{2}(?:AM|PM) (?:TRC|DBG|INF|WRN|ERR|FTL|PNC|\?\?\?) +" + _ZEROLOG_CALLER + r"(?=\S)"
)
_ZEROLOG_LEVEL = re.compile(r"^(?:TRC|DBG|INF|WRN|ERR|FTL|PNC) +" + _ZEROLOG_CALLER + r"(?=\S)")
# Only the Windows service writes its log file with this stamp (logpolicy's file logger, "…000Z07:00: ").
_WINDOWS_SERVICE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(?:Z|[+-]\d{2}:\d{2}): ")
# Android logcat's threadtime line; also with its pid, tid, level and tag columns elided by the poster
# ("09-03 07:09:40.802 ... bindSocketToActiveNetwork: …"): the MM-DD stamp with milliseconds is logcat's.
# `logcat -v year` / `-v uid` add the year and the app's user ("u0_a245") to it; `-v time` writes "L/tag(pid): "
# after the stamp instead. Android Studio's Logcat copies "pid-tid tag package L  message" (tag and package columns
# left blank on a repeat), its older window "pid-tid/package L/tag: message".
_LOGCAT = re.compile(
    # (`-v epoch` / `-v monotonic` write seconds instead: "1714557600.123", "8123.456")
    r"^(?:(?:\d{4}-)?\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+|\d+\.\d{3})\s+(?:"
    r"(?:[a-z]\w*\s+)?\d+\s+\d+ [VDIWEFA] (?P<proc>[^:]+?)\s*:\s+"
    r"|[VDIWEFA]/(?P<proc_time>[^:(]+?)\s*\(\s*\d+\):\s+"
    r"|\d+-\d+/(?P<pkg_old>[\w.?:-]+)\s+[VDIWEFA]/(?P<proc_old>[^:]+?)\s*:\s+"
    r"|\d+-\d+\s+(?:(?P<studio_a>\S+)\s+)??(?:(?P<studio_b>\S+)\s+)??[VDIWEFA]\s+"
    r"|(?:\.{3}|\u2026)\s+)"
)
# logcat's formats without a stamp: brief "E/tag( 1234): ", tag "E/tag: ", process "E( 1234) message  (tag)",
# and the header line of `-v long` ("[ 05-01 10:00:00.123 12345:12360 E/tag ]", the message on the lines under it).
_LOGCAT_BARE = re.compile(
    r"^[VDIWEF]/(?P<proc>[\w.$-]{2,}(?: [\w.$-]+)?)\s*(?:\(\s*\d+\))?:\s+"
    r"|^[VDIWEF]\(\s*\d+\)\s+(?=.*\s\((?P<proc_end>[\w.$ -]+)\)$)"
    r"|^\[ (?:\d{4}-)?\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+\s+\d+:\s*\d+ [VDIWEFA]/(?P<proc_long>[^\]]+?)\s*\]$"
)


def _logcat_process(match: re.Match[str]) -> str | None:
    """The tag a logcat line names (the Go side's is the app's process name, "com.tailscale.ipn"); in Android
    Studio's copy, the tag column, or the package column when the tag was left blank."""
    tag = match.group("proc") or match.group("proc_time") or match.group("proc_old")
    if tag is not None:
        return tag.strip()
    first, second = match.group("studio_a"), match.group("studio_b")
    if first is not None and second is not None:
        return first
    return first


_MACOS = re.compile(
    r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+[+-]\d{4}\s+0x[0-9a-f]+\s+\w+\s+0x[0-9a-f]+\s+\d+\s+\d+\s+"
    r"(?P<proc>[\w.-]+):\s+"
)
# `log show` names the sender image in parentheses when it is not the process's main binary: a system library or
# framework logging inside the extension ("IPNExtension: (libsystem_secinit.dylib) AppSandbox …", "(Security)",
# "(CFNetwork)"). Tailscale's own Go log lines carry no sender: such a line is the OS's, not tailscaled's.
_MACOS_SENDER = re.compile(r"^\((?P<sender>[\w.+-]+)\)\s")
# macOS Console's copy (level, time, process, message; tabs already spaces), with or without the date, and with
# or without the PID column Console can show first ("53457<TAB>default<TAB>19:53:44.078650-0800<TAB>IPNExtension").
_CONSOLE = re.compile(
    r"^(?:\d+\s+)?(?:default|info|debug|error|fault|notice)\s+(?:\d{4}-\d{2}-\d{2}\s+)?\d{2}:\d{2}:\d{2}\.\d+[+-]\d{4}\s+"
    r"(?P<proc>(?:io\.tailscale\.|IPNExtension|Tailscale)[\w.-]*):?\s+"
    # Console's subsystem and category columns, when shown ("IPNExtension  io.tailscale.ipn.macsys.network-extension
    # default  …")
    r"(?:(?:io|com)\.tailscale\.[\w.-]+\s+[\w.-]+\s+)?"
)
# Windows' event log as people copy it (the service logs to the Application log under the source "Tailscale"):
# Event Viewer's "Save All Events As" text (level, date and time, source, event ID, task category, message; tabs
# already spaces), PowerShell's Get-WinEvent table (TimeCreated, Id, LevelDisplayName, Message; ProviderName when
# selected) and Get-EventLog table (Index, Time, EntryType, Source, InstanceID, Message), and the "Message :" line
# of their `Format-List` form. The source or provider is kept as the line's process.
_EVENT_LEVEL = r"(?:Information|Warning|Error|Critical|Verbose)"
# (the viewer's locale date, year last: "1/12/2024", "12.01.2024"; never Go's "2024/01/12")
_EVENT_WHEN = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\s+\d{1,2}:\d{2}:\d{2}(?:\s?[AaPp]\.?[Mm]\.?)?"
_WINDOWS_EVENT = re.compile(
    rf"^{_EVENT_LEVEL}\s+{_EVENT_WHEN}\s+(?P<proc>\S+(?: \S+){{0,3}}?)\s+\d+\s+(?:None|\(\d+\))\s+"
    rf"|^{_EVENT_WHEN}\s+(?:(?P<proc2>[A-Za-z][\w.-]*)\s+\d+|\d+\s+{_EVENT_LEVEL})\s+"
    r"|^\d+\s+[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}\s+(?:Information|Warning|Error|SuccessAudit|FailureAudit)\s+"
    r"(?P<proc3>\S+)\s+\d+\s+"
)
_EVENT_LIST_MESSAGE = re.compile(r"^Message\s+:\s+")
# `log show --style compact` / `log stream --style compact`: "2024-01-12 10:41:06.123 Df IPNExtension[512:1a2b3c] …"
# (type Df default, I info, Db debug, E error, F fault, A activity); with --info/--debug or a predicate on the
# subsystem, the "[subsystem:category] " of the logger follows the process in every style (stripped after it).
_MACOS_COMPACT = re.compile(
    r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+\s+(?:Df|Db|I|E|F|A|Er|Ft|Dbg)\s+(?P<proc>[\w.-]+)\[\d+:[0-9a-fx]+\]\s+"
)
_MACOS_SUBSYSTEM = re.compile(r"^\[[\w.-]+:[\w.-]+\]\s+")
# The kernel ring buffer as `talosctl dmesg` (and `dmesg -x` with ISO stamps) prints it: "[node: ]facility: level:
# [RFC 3339 stamp]: …"; Talos' machined writes its service supervisor's lines there, tagged "[talos] ".
_KMSG = re.compile(
    r"^(?:[\w.:-]+:\s+)?(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local\d)\s*:\s*"
    r"(?:emerg|alert|crit|err|warn|warning|notice|info|debug)\s*:\s*\[\d{4}-\d{2}-\d{2}T[^\]]+\]:?\s+"
)
_TALOS_TAG = "[talos] "
# Go's testing log (t.Logf): "    magicsock.go:2546: magicsock: …".
_GO_TEST = re.compile(r"^[\w.-]+\.go:\d+: ")
# rsyslog folds repeats: "message repeated 3 times: [ open-conn-track: …]".
_REPEATED = re.compile(r"^message repeated \d+ times: \[\s*(?P<msg>.*?)\]?$")
# logfmt: logrus's TextFormatter (time quoted, the message to the end) and Go's log/slog TextHandler of programs
# embedding tsnet (time=2026-04-10T15:46:05.095Z level=DEBUG msg="…" key=value …: the time bare, the message quoted
# only when it needs to be, attributes after it). An error attribute is the message's cause: it is read after the
# message, as Go chains errors ("service start failed: …").
# A message whose inner quotes were not escaped (some loggers, a retyped copy) does not end at its first quote
# unless only key=value attributes follow: otherwise it runs to the end of the line, as logrus's did.
_LOGFMT = re.compile(
    # (slog's AddSource puts source=<file>:<line> between the level and the message)
    r'^time=(?:"[^"]*"|\S+) level=\w+ (?:source=(?:"[^"]*"|\S+) )?msg=(?:"(?P<msg>(?:[^"\\]|\\.)*)"'
    r'(?P<attrs>(?:\s+[\w.-]+=(?:"(?:[^"\\]|\\.)*"|[^\s"]*))*)\s*$'
    r'|"(?P<rest>.*?)"?$|(?P<bare>[^\s"]+)(?P<bare_attrs>.*)$)'
)
_LOGFMT_ERROR = re.compile(r'(?:^|\s)(?:error|err)=(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<bare>[^\s"]+))')
_TSNET_TAG = re.compile(r"^\[Tailscale\](?:\([^)]*\))?\s*")
# (a log view or a copy may drop the level and its elapsed-seconds column: "endpoint/tailscale[tailnet]: …"; a line
# logged inside a connection's context carries "[id duration] " before the tag: "INFO [3564458473 12ms] endpoint/…")
_SINGBOX = re.compile(
    r"^(?:(?:TRACE|DEBUG|INFO|WARN|ERROR|FATAL|PANIC)(?:\[\d+\])? )?(?:\[\d+ [\w.µ]+\] )?"
    r"endpoint/tailscale\[[^\]]*\]:\s+"
)
# logrus's TextFormatter on a terminal (programs embedding tsnet, e.g. Daytona, route tailscale's logger into it):
# the level cut to four capitals, then the seconds since start ("DEBU[0011] ", "FATA[0011] ") or, with
# FullTimestamp, the time ("INFO[2024-06-08T12:38:58Z] "); the message is padded to 44 columns. Full level names
# ("FATAL[0000]") are the same layout from loggers copying it. A fatal or panic level is the embedding program
# ending (logrus' Fatal calls os.Exit(1), Panic panics): kept as the line's form "logrus-fatal".
_LOGRUS = re.compile(
    r"^(?P<level>PANIC?|FATAL?|ERROR?|WARN(?:ING)?|INFO|DEBUG?|TRACE?)\[(?:\d{4,}|\d{4}-\d{2}-\d{2}T[^\]]*)\]\s+"
)
_LOGRUS_FATAL = ("PANI", "PANIC", "FATA", "FATAL")
# sing-box's full timestamp (its default TimestampFormat "-0700 2006-01-02 15:04:05", zone first): the zone is
# peeled here, the date and time by _STAMP next ("+0000 2025-10-06 17:57:54 TRACE endpoint/tailscale[ts-ep]: …").
_ZONE_BEFORE_STAMP = re.compile(r"^[+-]\d{4} (?=\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})")
_LOGTAIL_TEXT = re.compile(r'"text":\s*"(?P<text>(?:[^"\\]|\\.)*)"')
# A JSON log record of a Go program's structured logger (zap: the Kubernetes operator, whose tsnet node logs under
# logger "tailscaled"; Caddy, whose caddy-tailscale app logs its tsnet nodes under "tailscale"; slog's JSON handler):
# {"level":"info","ts":…,"logger":"…","msg":"…","error":"…"}. The message is read with its error after it, as
# logfmt's; the operator's "tailscaled" logger is its embedded tsnet node (process "tsnet"). (Caddy's "tailscale"
# logger also carries the app's own records and the operator's API errors: it names no process.)
_RECORD_STAMP_KEYS = ("level", "L", "ts", "time")
_TSNET_LOGGERS = ("tailscaled",)


def _maybe_json_record(text: str) -> bool:
    """The cheap test before parsing ``text`` as a JSON log record."""
    return text[:1] == "{" and text.rstrip()[-1:] == "}" and ('"msg"' in text or '"message"' in text)


def _json_record(text: str) -> tuple[str, str | None] | None:
    """(message, logger) of a one-line JSON log record, or None when ``text`` is none."""
    try:
        record = json.loads(text)
    except (ValueError, RecursionError):  # not a record, or nested past the decoder's depth (a hostile paste)
        return None
    # zerolog's JSON names the message "message" (its MessageFieldName), zap, slog and logrus "msg"
    if not isinstance(record, dict) or not isinstance(message := record.get("msg", record.get("message")), str):
        return None
    if not any(key in record for key in _RECORD_STAMP_KEYS):
        return None
    error = record.get("error", record.get("err"))
    if isinstance(error, str) and error:
        message = f"{message}: {error}"
    logger = record.get("logger")
    return " ".join(message.split("\n")), logger if isinstance(logger, str) else None


# The Windows GUI of v0.100-v1.2 (tailscale-ipn) running the service as its subprocess ("tailscale-ipn /subproc")
# and relaying its output tagged "srv: " (then memory counters, taken off below).
_SUBPROC_TAG = "srv: "
_NOISE = re.compile(
    r"^(?:stdout|stderr|STDOUT|STDERR)\s+|^\d+(?:\.\d+)?M/\d+(?:\.\d+)?M\s+|^\^\d+(?:\.\d+)?[KMG]\s+|^\[v\d\]\s+|^_"
)

# Processes whose lines are tailscaled's whatever the message says.
# ("m.tailscale.ipn": the app's process name as the kernel keeps it, its last 15 characters (TASK_COMM_LEN), which
# logcat shows as the tag of the kernel's own lines about the app, e.g. its SELinux audit denials.)
TAILSCALE_PROCESSES = (
    "tailscaled", "IPNExtension", "com.tailscale.ipn", "tailscale-ipn", "Tailscale", "com.tailscale.ipn"[-15:]
)  # fmt: skip


class Message(NamedTuple):
    """tailscaled's message with every prefix removed, and the process named by the prefix (if any)."""

    text: str
    process: str | None  # "tailscaled", "systemd", "IPNExtension", "tsnet", … or None: no process shown
    # "journald", "logcat", "macos", "logfmt", "windows-service", "windows-event", "container", "logtail", "zerolog",
    # "zap", "plain", "logrus", "logrus-fatal"
    form: str


def _logfmt_message(logfmt: re.Match[str]) -> str:
    """The message of a logfmt line (its quotes unescaped), with its error attribute after it."""
    if logfmt.group("rest") is not None:
        return logfmt.group("rest").replace('\\"', '"')
    message = logfmt.group("msg") if logfmt.group("msg") is not None else logfmt.group("bare")
    message = message.replace('\\"', '"')
    error = _LOGFMT_ERROR.search(logfmt.group("attrs") or logfmt.group("bare_attrs") or "")
    if error is None:
        return message
    cause = error.group("quoted") if error.group("quoted") is not None else error.group("bare")
    return f"{message}: {cause.replace(chr(92) + chr(34), chr(34))}"


# A whole log line the poster put in quotes ("May 27 17:42:08 host derper[293395]: … tailscaled)." or 'Nov 13 …'),
# the closing quote after or before a full stop, or cut off: the quotes go when a journal or stamp prefix follows the
# opening one (a quoted message alone, a JSON string, stays as it is).
_QUOTE_CLOSE = re.compile(r"""["'][.,;]?$""")


def _unquoted_record(text: str) -> str | None:
    """``text`` without the quotes around it when it is a quoted log line, else None."""
    inner = text[1:]
    inner = (
        inner[: close.start()] if (close := _QUOTE_CLOSE.search(inner)) and inner[close.start()] == text[0] else inner
    )
    if not inner[:1].isalnum() or (_SYSLOG.match(inner) is None and _STAMP.match(inner) is None):
        return None
    return inner


# A stamp the poster redacted ("2023/XX/XX XX:XX:XX derp: …", "Jun XX XX:XX:XX host tailscaled[XXXX]: …",
# "2024-xx-xxTxx:xx:xx.xxxZ", "**:**:**", "<date> <time>", "[timestamp]"): its placeholders stand where the digits
# were. The cheap gate: a placeholder pair next to a stamp's separator, or a redaction token, near the line's start.
_PLACEHOLDER_GATE = ("XX", "xx", "**", "##", "<", "[")
_PLACEHOLDER_HINT = re.compile(
    r"[Xx*#]{2}[:/.,-]|[:/-][Xx*#]{2}|\[[Xx*#]+\]|[<\[](?i:date|time|timestamp|datetime)[>\]]"
)
# A placeholder run where a stamp's digits go (a letter next to it is a word's, "Xmas", "xxx-large": no digit run),
# and the redaction tokens with the digits of one stamp form each stands for.
_PLACEHOLDER_RUN = re.compile(r"(?:(?<=[\s\d/:.,+\[-])|(?<=\dT)|(?<=[Xx*#]T)|^)(?:[Xx]+|\*+|#+)(?=[\s\d/:.,+Z\]T-]|$)")
_PLACEHOLDER_TOKENS = (
    (re.compile(r"^[<\[](?i:date(?:time)?|timestamp)[>\]][ T][<\[](?i:time)[>\]]"), "2000-01-01 00:00:00"),
    (re.compile(r"^[<\[](?i:datetime|timestamp)[>\]]"), "2000-01-01T00:00:00Z"),
    (re.compile(r"^[<\[](?i:date)[>\]]"), "2000/01/01"),
    (re.compile(r"[<\[](?i:time)[>\]]"), "00:00:00"),
)
_PLACEHOLDER_SPAN = 64  # a stamp, host and process fit: placeholders later on are the message's ("client xxxxx")


def _digits_for_placeholders(text: str, span: int = _PLACEHOLDER_SPAN) -> str | None:
    """``text`` with the redaction placeholders in its first ``span`` characters read as digits (a stamp's, a
    redacted PID's), or None when there are none."""
    head = text[:span]
    rewritten = head
    for token, digits in _PLACEHOLDER_TOKENS:
        rewritten = token.sub(digits, rewritten, count=1)
    rewritten = _PLACEHOLDER_RUN.sub(lambda run: "0" * len(run.group(0)), rewritten)
    return None if rewritten == head else rewritten + text[span:]


# A line is peeled several times (the block splitter asks whether the next line continues this one, then reads
# it as a line of its own; the fold reads it again): a small cache keeps a 50,000-line journal at one peel a line.
@lru_cache(maxsize=1024)
def message_of(text: str) -> Message:
    """Peel the prefixes off one cleaned line (see the module docstring); a redacted stamp reads as a real one."""
    message = _peel_prefixes(text)
    head = text[:_PLACEHOLDER_SPAN]
    if not any(gate in head for gate in _PLACEHOLDER_GATE) or _PLACEHOLDER_HINT.search(head) is None:
        return message
    rewritten = _digits_for_placeholders(text)
    if rewritten is None:
        return message
    unredacted = _peel_prefixes(rewritten)
    whole = text.rstrip()
    if not whole.endswith(unredacted.text):
        # the rewrite reached into the message ("… derp: client xxxxx rejected"): rewrite only the peeled prefix
        # (the tokens change its length: what the first peel left is measured from the line's end)
        prefix = len(whole) - len(unredacted.text)
        rewritten = _digits_for_placeholders(text, prefix) if unredacted.text and prefix > 0 else None
        if rewritten is None:
            return message
        unredacted = _peel_prefixes(rewritten)
    if len(unredacted.text) > len(message.text) or not whole.endswith(unredacted.text):
        return message  # a placeholder that is no stamp's stays ("XX:XX was the time")
    return unredacted  # (also when the line peeled as far already: the stamp's own form and process count)


def _peel_prefixes(text: str) -> Message:
    process: str | None = None
    form = "plain"
    if text[:1] == "{" and '"logtail"' in text and (logtail := _LOGTAIL_TEXT.search(text)):
        text = logtail.group("text").replace("\\n", "").replace('\\"', '"').replace("\\\\", "\\")
        form = "logtail"
    elif _maybe_json_record(text) and (record := _json_record(text)):
        text, form = record[0], "zap"
        if record[1] in _TSNET_LOGGERS:
            process = "tsnet"
    if "#011" in text:
        text = text.replace("#011", " ")  # rsyslog's escape of a tab (text.py made real tabs spaces)
    if text[:1] in "\"'" and (unquoted := _unquoted_record(text)) is not None:
        text = unquoted
    stamped = False
    for _ in range(6):  # prefixes stack (container stamp + Go stamp + memory stats …); each round peels one
        first = text[:1]
        if not first:
            break
        if stamped and first in "TDIWEFP" and (level := _ZEROLOG_LEVEL.match(text)) is not None:
            form, text, stamped = "zerolog", text[level.end() :], False
            continue
        if (
            stamped
            and first.isalpha()
            and (word := _WORD_BEFORE_STAMP.match(text)) is not None
            and word.group(0).rstrip().endswith(":")
        ):
            # Go's log.New prefix after a container runtime's stamp (`kubectl logs --timestamps`, a compose
            # viewer): "2024-05-01T10:00:00.1Z boot: 2024/05/01 10:00:00 …" is containerboot's line
            process, text, stamped = process or _prefix_process(word), text[word.end() :], False
            continue
        if stamped and first == "|" and text[1:2] in (" ", ""):
            # a crash-log viewer's time column and its bar (the Android app's crash logs: "13:38:39 | panic: …",
            # "13:38:39 |  " for a blank line of the trace): the bar after a stamp is that column's edge
            text, stamped = text[1:].lstrip(), False
            continue
        if stamped and first.isalpha() and (name := _NAME_BEFORE_STAMP.match(text)) is not None:
            text, stamped = text[name.end() :], False
            continue
        if first.isdigit():
            if (macos := _MACOS.match(text)) is not None:
                process, form, text = macos.group("proc"), "macos", text[macos.end() :]
                if (sender := _MACOS_SENDER.match(text)) is not None and sender.group("sender") not in (
                    TAILSCALE_PROCESSES
                ):
                    process = sender.group("sender")  # a system library's line in Tailscale's process
                elif (subsystem := _MACOS_SUBSYSTEM.match(text)) is not None:
                    text = text[subsystem.end() :]
                continue
            if (compact := _MACOS_COMPACT.match(text)) is not None:
                process, form, text = compact.group("proc"), "macos", text[compact.end() :]
                if (subsystem := _MACOS_SUBSYSTEM.match(text)) is not None:
                    text = text[subsystem.end() :]
                continue
            if (event := _WINDOWS_EVENT.match(text)) is not None:
                process = event.group("proc") or event.group("proc2") or event.group("proc3") or process
                form, text = "windows-event", text[event.end() :]
                continue
            if (logcat := _LOGCAT.match(text)) is not None:
                process, form, text = _logcat_process(logcat), "logcat", text[logcat.end() :]
                continue
            if (console := _CONSOLE.match(text)) is not None:
                process, form, text = console.group("proc"), "macos", text[console.end() :]
                continue
            if (kitchen := _ZEROLOG_KITCHEN.match(text)) is not None:
                form, text = "zerolog", text[kitchen.end() :]
                continue
            if (service := _WINDOWS_SERVICE.match(text)) is not None:
                # before the syslog test: "…-04:00: tailscaled: engine fetch error" is not syslog's "host tailscaled:"
                form, text = "windows-service", text[service.end() :]
                continue
        if first in "IWECV" and (event := _WINDOWS_EVENT.match(text)) is not None:
            process = event.group("proc") or process
            form, text = "windows-event", text[event.end() :]
            continue
        if first == "M" and (listed := _EVENT_LIST_MESSAGE.match(text)) is not None:
            text = text[listed.end() :]
            continue
        if first in "dienf" and (console := _CONSOLE.match(text)) is not None:
            process, form, text = console.group("proc"), "macos", text[console.end() :]
            continue
        if first == "m" and (repeated := _REPEATED.match(text)) is not None:
            text = repeated.group("msg")
            continue
        if first == "t" and text.startswith("time=") and (logfmt := _LOGFMT.match(text)) is not None:
            text, form = _logfmt_message(logfmt), "logfmt"
            tag = _TSNET_TAG.match(text)
            if tag is not None:
                process, text = "tsnet", text[tag.end() :]
            continue
        if first == "{" and _maybe_json_record(text) and (record := _json_record(text)):
            # a structured logger's record behind a container's prefix ("app-1  | {"level":"info",…}")
            text, form = record[0], "zap"
            process = "tsnet" if record[1] in _TSNET_LOGGERS else process
            continue
        if first in "+-" and (zone := _ZONE_BEFORE_STAMP.match(text)) is not None:
            text = text[zone.end() :]
            continue
        if first == "[" and "wgengine" in text[:40] and (coder := _CODER_SLOG.match(text)) is not None:
            process, text = "tsnet", text[coder.end() :]  # an embedded engine, as tsnet's
            continue
        if first in "TDIWEFPe[" and (singbox := _SINGBOX.match(text)) is not None:
            process, text = "tsnet", text[singbox.end() :]
            continue  # before syslog: "TRACE endpoint/tailscale[0]:" looks like "host proc[pid]:"
        if first in "PFEWIDT" and (logrus := _LOGRUS.match(text)) is not None:
            form, text = "logrus-fatal" if logrus.group("level") in _LOGRUS_FATAL else "logrus", text[logrus.end() :]
            continue
        if first in "VDIWEF[" and text[1:2] in "/( " and (bare_logcat := _LOGCAT_BARE.match(text)) is not None:
            peeled_tag = bare_logcat.group("proc") or bare_logcat.group("proc_long") or bare_logcat.group("proc_end")
            text, form = text[bare_logcat.end() :], "logcat"
            process = peeled_tag.strip() if peeled_tag else None
            if bare_logcat.group("proc_end") is not None:
                text = text[: text.rfind("(")].rstrip()  # the process format's tag column, at the end
            continue
        if ": [" in text[:80] and (kmsg := _KMSG.match(text)) is not None:
            text, form = text[kmsg.end() :], "kmsg"
            if text.startswith(_TALOS_TAG):
                process, text = "talos", text[len(_TALOS_TAG) :]
            continue
        if (syslog := _SYSLOG.match(text)) is not None:
            process = (
                syslog.group("proc")
                or syslog.group("proc2")
                or syslog.group("proc3")
                or syslog.group("proc4")
                or syslog.group("proc5")
            )
            form, text = "journald", text[syslog.end() :]
            continue
        if first == "[" and (bashio := _BASHIO.match(text)) is not None:
            process, text = process or "bashio", text[bashio.end() :]
            continue
        if first == "[" and (stamp := _BRACKET_STAMP.match(text) or _CONTAINER.match(text)) is not None:
            text = text[stamp.end() :]
            continue
        if "|" in text[:40] and (container := _CONTAINER.match(text)) is not None:
            text, form = text[container.end() :], "container"
            continue
        if first.isdigit() and (stamp := _STAMP.match(text)) is not None and stamp.end() > 0:
            if _WINDOWS_SERVICE.match(text):
                form = "windows-service"
            text, stamped = text[stamp.end() :], True
            continue
        if first == ":" and text[1:2] == " ":
            # what a selection (or a redaction) leaves of a journal prefix whose stamp, host and process were cut
            # off up to their last colon (": Received error: …"): tailscaled's messages never start with one
            text = text[2:]
            continue
        if first == "s" and text.startswith(_SUBPROC_TAG):
            text = text[len(_SUBPROC_TAG) :]
            continue
        if first in "sS[_^0123456789" and (noise := _NOISE.match(text)) is not None:
            text = text[noise.end() :]
            continue
        if first == "t" and (bare := _BARE_PROCESS.match(text)) is not None:
            process, text = bare.group("proc"), text[bare.end() :]
            continue
        if (
            first in "ciIVDWEFt"
            # a system process's column already named the logger ("taskgated-helper: io.tailscale.…: Unsatisfied
            # entitlements"): the bundle ID after it is what that line is about, not who logged it
            and (process is None or is_tailscale_process(process))
            and (app := _BARE_APP_PROCESS.match(text)) is not None
        ):
            process, text = app.group("proc"), text[app.end() :]
            if process == "com.tailscale.ipn":
                form = "logcat"
            elif process != "tailscale-ipn":
                form = "macos"  # the network extension's name, as Console and `log show` give it
            continue
        if ".go:" in text[:40] and (test_log := _GO_TEST.match(text)) is not None:
            text = text[test_log.end() :]
            continue
        if stamped and first == "b" and (boot := _BOOT_AFTER_STAMP.match(text)) is not None:
            # containerboot's "boot: <Go stamp>" after a container runtime's own stamp (docker logs -t, kubectl
            # logs --timestamps): its Go stamp follows and is peeled next
            process = process or "boot"
            text, stamped = text[boot.end() :], False
            continue
        if not stamped and (first.isalpha() or first == "[") and (word := _WORD_BEFORE_STAMP.match(text)) is not None:
            # last: journald, syslog, Console and logfmt forms above keep their process; this word names the
            # program ("boot" is containerboot, "tsnet" an embedded node) unless a column before it did
            process = process or _prefix_process(word)
            text = text[word.end() :]
            continue
        break
    if text.endswith("_") and not text.endswith("__"):
        text = text[:-1]  # the closing half of markdown italics around pasted lines
    return Message(text.strip(), process, form)


_CONSOLE_FIRST = frozenset("dienf0123456789")


def is_tailscale_console_row(text: str) -> bool:
    """A macOS Console row logged by one of Tailscale's processes (the app "Tailscale", IPNExtension,
    io.tailscale.ipn.*): its columns name the process even when its message holds no word only tailscaled prints
    ("<private>", the app's own "ExitNodesManager: …")."""
    return (
        text[:1] in _CONSOLE_FIRST
        and ("ailscale" in text or "IPNExtension" in text)
        and _CONSOLE.match(text) is not None
    )


def is_tailscale_process(process: str | None) -> bool:
    """A prefix naming tailscaled (or the app that embeds it) makes any message tailscaled's."""
    return process is not None and (
        process in TAILSCALE_PROCESSES or process == "tsnet" or process.startswith("io.tailscale.")
    )


# The first date and time on a line, in any of the stamp forms above: "2025/04/01 16:06:04", "05/05 07:04:23",
# "2024-04-30T03:52:44.87", "Nov 13 02:07:34".
_WHEN = re.compile(
    r"(?:(?P<y>\d{4})[-/])?(?:(?P<m>\d{2})[-/](?P<d>\d{2})|(?P<mon>[A-Z][a-z]{2})\s+(?P<day>\d{1,2}))?[T ]?\s*"
    r"(?P<time>\d{2}:\d{2}:\d{2}(?:[.,]\d+)?)"
)


def when_of(text: str) -> str | None:
    """A sortable key for the moment a line was logged (same-format lines compare), or None: no stamp."""
    when = _WHEN.search(text[:48])
    if when is None:
        return None
    date = "-".join(part for part in when.group("y", "m", "d") if part)
    if when.group("mon"):
        date = f"{when.group('mon')}-{int(when.group('day')):02d}"  # same month on both sides in a paste
    return f"{date} {when.group('time').replace(',', '.')}"


def is_newest_first(stamps: list[str | None]) -> bool:
    """A paste whose stamps go back in time and never forward: a log viewer's newest-first order
    (Podman/Portainer/NAS log pages), to be read bottom-up."""
    known = [stamp for stamp in stamps if stamp is not None]
    # only stamps of one shape compare (a date with a time-only column would order by accident)
    known = [stamp for stamp in known if stamp.index(" ") == known[0].index(" ")]
    steps = list(itertools.pairwise(known))
    return not any(later > earlier for earlier, later in steps) and any(later < earlier for earlier, later in steps)


# A paste of several fences (or excerpts parted by blank lines) in another order than they were logged: a later
# excerpt above an earlier one. Only full dates compare safely (a time-only or month-day column may wrap); a step
# back in time inside an excerpt is the clock's own (NTP, a journal's boots), not the paste's order.
_MAX_EXCERPTS = 8


def excerpt_order(stamps: Sequence[str | None], numbers: Sequence[int]) -> list[int] | None:
    """The positions of a log's lines with its excerpts (runs parted by a gap in line numbers) put in time order, or
    None when they already are (or their stamps do not tell): what still holds is what the latest excerpt says."""
    starts = [0]
    previous: str | None = None
    for at, stamp in enumerate(stamps):
        if stamp is None:
            continue
        if not (stamp[:4].isdigit() and stamp[4:5] == "-" and stamp.find(" ") == 10):
            return None  # not a full date (y-m-d): stamps of a year-less column may wrap
        if previous is not None and stamp < previous:
            if at == 0 or numbers[at] - numbers[at - 1] < 2:
                return None  # back in time within one excerpt: the clock's step, keep the log's order
            starts.append(at)
        previous = stamp
    if len(starts) == 1 or len(starts) > _MAX_EXCERPTS:
        return None
    bounds = [*starts, len(stamps)]
    excerpts = [range(start, end) for start, end in itertools.pairwise(bounds)]
    first_stamp = [next((stamp for i in excerpt if (stamp := stamps[i]) is not None), "") for excerpt in excerpts]
    ordered = sorted(range(len(excerpts)), key=lambda index: first_stamp[index])
    return [at for index in ordered for at in excerpts[index]]
