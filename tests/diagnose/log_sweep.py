"""Coverage sweep: every error or failure tailscaled can log, read from Tailscale's source, measured against opskit.

Developer tool, not a test. Two steps:

``python -m tests.diagnose.log_sweep extract [--rev REV]`` reads a Tailscale clone (default
/work/.mirror/tailscale+tailscale/repo, or $TAILSCALE_GIT) and writes the data extract
tests/diagnose/samples/log_sweep/<rev>.tsv: one line per log call that carries an error or a failure (a `%v` of an
err, "failed", "error", "cannot", "unable", "refused", "denied", "timeout") in the directories tailscaled's messages
come from, with its format string, file:line and the prefix its logger adds. No Go code is kept: only the message
text and where it is.

``python -m tests.diagnose.log_sweep measure [--rev REV] [--list unread|shown|issue]`` instantiates each message as
tailscaled logs it (realistic values for its verbs, an error value for an `err` argument) under a journald prefix and
a bare Go log stamp, and counts per directory what opskit reads: an issue (which), a line it shows but raises nothing
for (a routine line kept as evidence) or nothing. It also counts the messages an existing source catalog already
holds (overlap).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).parent
EXTRACTS = HERE / "samples" / "log_sweep"
DEFAULT_GIT = "/work/.mirror/tailscale+tailscale/repo"

# where tailscaled's messages come from (derp: the client side only)
DIRECTORIES = (
    "wgengine/",
    "net/",
    "ipn/",
    "control/",
    "health/",
    "cmd/tailscaled/",
    "logpolicy/",
    "logtail/",
    "ssh/",
    "feature/",
    "drive/",
    "taildrop/",
    "tsnet/",
    "util/linuxfw/",
    "envknob/",
    "paths/",
    "safesocket/",
    "derp/",
)
SKIPPED = re.compile(
    r"_test\.go$|/bench/|/example/|derpserver|derp_server|derphttp_server|mesh_client"
    r"|/testenv|/tstest|/testing|/mock|fake|/natlab|/cmd/(?!tailscaled)"
)

# the prefix a file's logger adds (logger.WithPrefix in the constructor of its subsystem)
LOGGER_PREFIXES = (
    ("net/dns/resolver/forwarder", "dns: resolver: forward: "),
    ("net/dns/resolver/", "dns: resolver: "),
    ("net/dns/", "dns: "),
    ("net/tstun/wrap", "tstun: "),
    ("net/netmon/", "monitor: "),
    ("net/portmapper/", "portmapper: "),
    ("net/netcheck/", "netcheck: "),
    ("wgengine/router/", "router: "),
    ("feature/taildrop/", "taildrop: "),
    # the peer relay server's extension logger, which net/udprelay's server logs through too
    ("feature/relayserver/", "relayserver: "),
    ("net/udprelay/", "relayserver: "),
    ("feature/acme/cert", 'cert("myhost.tail1234.ts.net"): '),
    ("ipn/ipnlocal/cert", 'cert("myhost.tail1234.ts.net"): '),
    ("feature/portlist/", "portlist: "),
    ("feature/posture/", "posture: "),
    ("ssh/tailssh/", "ssh-session(sess-20250404T101500-8f3a91c2d4): "),
    ("appc/", "appc: "),
    # the control client's logger (ipnlocal: controlclient.Options{Logf: logger.WithPrefix(b.logf, "control: ")}),
    # which controlhttp's dialer logs through too; the profile manager's (newProfileManager: "pm: ")
    ("control/controlclient/", "control: "),
    ("control/controlhttp/", "control: "),
    ("ipn/ipnlocal/profiles", "pm: "),
)

_CALL = re.compile(
    r"(?:\blogf|\.logf|\.Logf|\blog\.Printf|\blog\.Fatalf|\blog\.Print|\blog\.Fatal|\blog\.Println|\.Errorf|"
    r"\.logf\w*|\bvlogf|\.vlogf|\bLogf)\(\s*\"(?P<fmt>(?:[^\"\\\n]|\\.)*)\"",
)
_WARNABLE_TEXT = re.compile(r"(?:Text|Title):\s*(?:health\.)?StaticMessage\(\s*\"(?P<fmt>(?:[^\"\\\n]|\\.)*)\"")
_WARNABLE_FMT = re.compile(
    r"(?:Text|Title):\s*func\([^)]*\)\s*string\s*\{\s*return\s+fmt\.Sprintf\(\s*\"(?P<fmt>(?:[^\"\\\n]|\\.)*)\""
)
_WARNABLE_CODE = re.compile(r"Code:\s*(?:\"(?P<code>[\w-]+)\"|tsconst\.(?P<const>\w+))")
_TSCONST = re.compile(r"(?P<name>HealthWarnable\w+)\s*=\s*\"(?P<code>[\w-]+)\"")
_ERRORISH = re.compile(
    r"fail|error|\berr\b|cannot|can't|unable|refus|denied|timeout|timed out|not permitted|invalid|could not|couldn't",
    re.I,
)
_VERB = re.compile(r"%(?:[-+# 0]*\d*(?:\.\d+)?)([vsqdwxXTtfegcpbU%])")


def _git(git_dir: str, *args: str) -> str:
    done = subprocess.run(["git", "--git-dir", git_dir, *args], check=False, capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: git grep found nothing
        raise SystemExit(done.stderr)
    return done.stdout


def _arguments(text: str, start: int) -> list[str]:
    """The call's arguments after its format string (text[start] is just after the closing quote)."""
    depth, args, current, i = 1, [], [], start
    in_str: str | None = None
    while i < len(text) and depth:
        c = text[i]
        if in_str:
            current.append(c)
            if c == "\\" and in_str == '"':
                current.append(text[i + 1])
                i += 1
            elif c == in_str:
                in_str = None
        elif c in "\"'`":
            in_str = c
            current.append(c)
        elif c in "([{":
            depth += 1
            current.append(c)
        elif c in ")]}":
            depth -= 1
            if depth:
                current.append(c)
        elif c == "," and depth == 1:
            args.append("".join(current).strip())
            current = []
        else:
            current.append(c)
        i += 1
    args.append("".join(current).strip())
    return [a for a in args if a]


def extract(git_dir: str, rev: str) -> list[tuple[str, str, str, str]]:
    """(format, file:line, logger prefix, arguments joined by \\x1f) for each error-carrying log call at `rev`."""
    files = [
        f
        for f in _git(git_dir, "ls-tree", "-r", "--name-only", rev, "--", *DIRECTORIES).splitlines()
        if f.endswith(".go") and not SKIPPED.search("/" + f)
    ]
    tsconst = {
        m["name"]: m["code"] for m in _TSCONST.finditer(_git(git_dir, "grep", "-h", "HealthWarnable", rev, "--"))
    }
    rows = []
    for path in files:
        text = _git(git_dir, "show", f"{rev}:{path}")
        prefix = next((p for d, p in LOGGER_PREFIXES if path.startswith(d)), "")
        for match in _CALL.finditer(text):
            if ".Errorf" in match.group(0):
                continue  # an error value, not a log line (reached through a %v of err)
            fmt = match.group("fmt")
            args = _arguments(text, match.end())
            if not (_ERRORISH.search(fmt) or any(re.search(r"\berr\w*\b", a) for a in args)):
                continue
            line = text.count("\n", 0, match.start()) + 1
            rows.append((fmt, f"{path}:{line}", prefix, "\x1f".join(args)))
        for pattern in (_WARNABLE_TEXT, _WARNABLE_FMT):
            for match in pattern.finditer(text):
                before = text[max(0, match.start() - 1500) : match.start()]
                codes = [m["code"] or tsconst.get(m["const"], "") for m in _WARNABLE_CODE.finditer(before)]
                if not codes or not codes[-1]:
                    continue
                line = text.count("\n", 0, match.start()) + 1
                fmt = match.group("fmt").replace("%", "%%") if pattern is _WARNABLE_TEXT else match.group("fmt")
                args = _arguments(text, match.end()) if pattern is _WARNABLE_FMT else []
                rows.append((fmt, f"{path}:{line}", f"health(warnable={codes[-1]}): error: ", "\x1f".join(args)))
    return rows


def _tsv_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _tsv_unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n"}.get(m.group(1), m.group(1)), value)


def write_extract(git_dir: str, rev: str, name: str) -> Path:
    rows = extract(git_dir, rev)
    EXTRACTS.mkdir(parents=True, exist_ok=True)
    out = EXTRACTS / f"{name}.tsv"
    commit = _git(git_dir, "rev-parse", "--short", rev).strip()
    with out.open("w", encoding="utf-8") as f:
        f.write(f"# tailscale/tailscale {rev} ({commit}): format\tfile:line\tlogger prefix\targuments\n")
        for row in rows:
            f.write("\t".join(_tsv_escape(v) for v in row) + "\n")
    return out


def load_extract(name: str) -> list[tuple[str, str, str, list[str]]]:
    rows = []
    for line in (EXTRACTS / f"{name}.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        fmt, where, prefix, args = (_tsv_unescape(v) for v in line.split("\t"))
        rows.append((fmt, where, prefix, args.split("\x1f") if args else []))
    return rows


# ------------------------------------------------------------------------------------ instantiation

_ERROR_VALUE = "exit status 1"


def _value(verb: str, arg: str) -> str:
    """A realistic value for one verb from its argument's expression."""
    a = arg.lower()
    if verb in "dxXc":
        return "3"
    if verb in "feg":
        return "1.5"
    if verb == "t":
        return "false"
    if verb == "T":
        return "*net.OpError"
    if re.search(r"\berr\w*\b|\.err\(\)|error", a):
        value = _ERROR_VALUE
    elif "regionid" in a or "regionid" in a.replace(".", ""):
        value = "3"
    elif "region" in a or "derp" in a:
        value = "derp-3"
    elif "cidr" in a:  # a netip.Prefix (a route)
        value = "192.168.1.0/24"
    elif "key" in a or "peer" in a or "node" in a:
        value = "[abcde]"
    elif "addr" in a or a == "ep" or "ip" in a or "dst" in a or "src" in a:
        value = "100.101.102.103:41641"
    elif a.endswith(("uid", "pid", "gid")):
        value = "1000"
    elif "dur" in a or "time" in a or "since" in a or "elapsed" in a or a == "d":
        value = "5s"
    elif "path" in a or "file" in a or "dir" in a:
        value = "/var/lib/tailscale/tailscaled.state"
    elif "name" in a or "host" in a or "domain" in a:
        value = "example.com"
    elif "url" in a:
        value = "https://controlplane.tailscale.com"
    elif "port" in a:
        value = "41641"
    elif "len(" in a or "count" in a or a.startswith("n"):
        value = "3"
    else:
        value = "tailscale0"
    return f'"{value}"' if verb == "q" else value


def instantiate(fmt: str, prefix: str, args: list[str]) -> str:
    """The message as tailscaled logs it."""
    fmt = fmt.replace('\\"', '"').replace("\\n", " ").replace("\\t", " ").rstrip()
    values = iter(args)

    def one(match: re.Match[str]) -> str:
        verb = match.group(1)
        if verb == "%":
            return "%"
        return _value(verb, next(values, ""))

    message = _VERB.sub(one, fmt)
    return message if message.startswith(prefix) else prefix + message


# ------------------------------------------------------------------------------------ measurement

PREFIXES = ("Nov 13 02:07:34 host tailscaled[11844]: {msg}", "2024/01/12 10:41:06 {msg}")


def _reading(message: str) -> tuple[str, str]:
    """("issue", kinds) / ("shown", "") / ("unread", "") under every sweep prefix (the worst of them)."""
    from tests.diagnose.conftest import run_json
    from tests.diagnose.log_catalog import issue_kinds, paste

    outcomes = []
    for prefix in PREFIXES:
        document = run_json(paste(prefix, (message,)))
        kinds, _ = issue_kinds(document)
        if kinds:
            outcomes.append(("issue", " ".join(sorted(kinds))))
        elif message[:40] in json.dumps({k: v for k, v in document.items() if k != "blocks"}, ensure_ascii=False):
            outcomes.append(("shown", ""))
        else:
            outcomes.append(("unread", ""))
    return min(outcomes, key=lambda o: ("unread", "shown", "issue").index(o[0]))


def catalog_messages() -> list[str]:
    """Every message the existing log catalogs hold."""
    import importlib

    out: list[str] = []
    for module in (
        "test_source_catalog_network_control",
        "test_source_catalog_services",
        "test_source_catalog_servers",
        "test_source_catalog_2020",
        "test_host_integration_catalog",
    ):
        try:
            mod = importlib.import_module(f"tests.diagnose.{module}")
        except ImportError:
            continue
        for value in vars(mod).values():
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, tuple) and item:
                        first = item[1] if isinstance(item[0], str) and item[0].find("{msg}") >= 0 else item[0]
                        if isinstance(first, str):
                            out.append(first)
                        elif isinstance(first, tuple):
                            out.extend(m for m in first if isinstance(m, str))
    return out


def _wording(fmt: str) -> str:
    """A format's words, its verbs blanked (`%d` and `%v` in the same place are the same wording)."""
    return _VERB.sub("%", fmt).strip()


def _constant_head(fmt: str) -> str:
    return _VERB.split(fmt)[0].strip()


def directory(where: str) -> str:
    path = where.split(":")[0]
    return next((d for d in sorted(DIRECTORIES, key=len, reverse=True) if path.startswith(d)), "?")


def assert_families_read(wanted: dict[str, str], extract: str = "head") -> None:
    """A floor for one round's families: every message of ``extract`` holding one of ``wanted``'s words is read with
    that issue (none left unread or shown), and each family has at least one message there."""
    seen = set()
    for fmt, where, prefix, args in load_extract(extract):
        for words, kind in wanted.items():
            if words in fmt:
                seen.add(words)
                outcome, kinds = _reading(instantiate(fmt, prefix, args))
                assert outcome == "issue" and kind in kinds.split(), (where, outcome, kinds)
    assert seen == set(wanted)


def measure(name: str, *, beside: str | None = None) -> Iterator[tuple[str, str, str, str, bool]]:
    """(directory, outcome, kinds, message, in a catalog) per extracted message (duplicates of text once); with
    `beside`, only the wordings that extract no longer has (an old tag's messages HEAD dropped or reworded)."""
    known = catalog_messages()
    seen: set[str] = set()
    newer = {_wording(prefix + fmt) for fmt, _, prefix, _ in load_extract(beside)} if beside else set()
    for fmt, where, prefix, args in load_extract(name):
        if _wording(prefix + fmt) in newer:
            continue
        message = instantiate(fmt, prefix, args)
        if message in seen or len(message) < 8:
            continue
        seen.add(message)
        head = _constant_head(prefix + fmt)
        overlap = len(head) >= 12 and any(head in m for m in known)
        outcome, kinds = _reading(message)
        yield directory(where), outcome, kinds, f"{message}  [{where}]", overlap


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("extract", "measure"))
    parser.add_argument("--rev", default="HEAD")
    parser.add_argument("--name", default="head")
    parser.add_argument("--list", choices=("unread", "shown", "issue"))
    parser.add_argument("--beside", help="count only the wordings this extract (e.g. head) no longer has")
    options = parser.parse_args(argv)
    git_dir = os.environ.get("TAILSCALE_GIT", DEFAULT_GIT)
    if options.step == "extract":
        print(write_extract(git_dir, options.rev, options.name))
        return 0
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for where, outcome, kinds, message, overlap in measure(options.name, beside=options.beside):
        table[where][outcome] += 1
        table[where]["catalogued"] += overlap
        if options.list == outcome:
            print(f"{where}\t{kinds}\t{message}")
    total: Counter[str] = Counter()
    print(f"{'directory':18} {'messages':>8} {'issue':>6} {'shown':>6} {'unread':>6} {'in catalog':>10}")
    for where in sorted(table):
        row = table[where]
        total.update(row)
        n = row["issue"] + row["shown"] + row["unread"]
        print(f"{where:18} {n:8} {row['issue']:6} {row['shown']:6} {row['unread']:6} {row['catalogued']:10}")
    n = total["issue"] + total["shown"] + total["unread"]
    print(f"{'total':18} {n:8} {total['issue']:6} {total['shown']:6} {total['unread']:6} {total['catalogued']:10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
