"""Coverage sweep of every user-facing message the tailscale CLI can print, measured against `opskit diagnose`.

Two steps. `extract` (needs Tailscale's clone; run by hand) reads cmd/tailscale/cli/*.go and the LocalAPI error
bodies the CLI relays (ipn/localapi, ipn/ipnlocal) at a revision and writes a data file of the format strings
only, one per line: message, file:line, subcommand, whether it is an error or output. No Go code is kept.
`measure` (what the test runs) fills each message's format verbs with realistic values, pastes it under a shell
prompt `$ tailscale <subcommand>` and records what opskit read: a kind (which one), only a generic kind
(`other`, `backend-error`), an output view or routine answer (raises nothing), or nothing at all.
A second figure (`wrapped`) measures the LocalAPI and ipnlocal errors as the CLI really prints them: client/local
turns LocalAPI's answer into `Access denied: <body>` (403), `Preconditions failed: <body>` (412) or `<status>:
<body>`; an ipnlocal error reaches the CLI through a handler's `http.Error(w, err.Error(), 500)` (34 of the 48
relays at de9ec7ee2), so it is measured as `500 Internal Server Error: <error>`.

    python -m tests.diagnose.cli_sweep extract --repo /path/to/tailscale.git --rev HEAD --out FILE
    python -m tests.diagnose.cli_sweep measure FILE [--family] [--list nothing,other]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

HERE = Path(__file__).parent
EXTRACTS = HERE / "samples" / "cli_sweep"

# The calls that put a string in front of the user (first argument, or after the writer for Fprint*).
_CALL = re.compile(
    r"(?P<call>fmt\.Errorf|errors\.New|log\.Fatalf|log\.Fatal|log\.Printf|log\.Print|fatalf|errf|printf|outln"
    r"|fmt\.Printf|fmt\.Println|fmt\.Print|fmt\.Fprintf|fmt\.Fprintln|fmt\.Fprint|http\.Error|usageErrf?"
    r"|vlogf?|warnf|panicf)\((?:(?P<writer>[\w.&]+(?:\(\))?),\s*)?(?P<lit>\"(?:[^\"\\]|\\.)*\"|`[^`]*`)"
)
# http.Error's status, right after its body literal: a net/http constant or a number
_HTTP_STATUS = re.compile(r"\s*,\s*(?:http\.Status(?P<name>\w+)|(?P<code>[1-5]\d\d))\s*\)")
_ERROR_CALLS = {
    "fmt.Errorf",
    "errors.New",
    "log.Fatalf",
    "log.Fatal",
    "fatalf",
    "errf",
    "http.Error",
    "usageErr",
    "usageErrf",
}
_FUNC = re.compile(r"^func (?:\([^)]*\) )?(\w+)\(")
_CMD_NAME = re.compile(r'^\s*Name:\s*"([\w-]+)"')
_CMD_EXEC = re.compile(r"^\s*Exec:\s*(\w+)")

# file → the command a user types to reach it (the leaf from the ffcli table is added when known)
_FILE_COMMAND = {
    "tailnet-lock.go": "lock",
    "network-lock.go": "lock",
    "debug.go": "debug",
    "debug-capture.go": "debug capture",
    "debug-portmap.go": "debug portmap",
    "debug-peer-relay.go": "debug peer-relay-sessions",
    "debug-cachenetmap.go": "debug cachenetmap",
    "serve_v2.go": "serve",
    "serve_legacy.go": "serve",
    "serve.go": "serve",
    "serve_status.go": "serve status",
    "funnel.go": "funnel",
    "exitnode.go": "exit-node",
    "dns-query.go": "dns query",
    "dns-status.go": "dns status",
    "configure-kube.go": "configure kubeconfig",
    "configure-synology.go": "configure synology",
    "configure-synology-cert.go": "configure synology-cert",
    "configure-pve-appliance.go": "configure pve-appliance",
    "configure-jetkvm.go": "configure jetkvm",
    "configure_apple.go": "configure sysext",
    "cli.go": "",
    "appcroutes.go": "appc-routes",
    "id-token.go": "id-token",
    "risks.go": "down",  # presentRiskToUser runs under down, up and set
}
# LocalAPI handler names → the CLI command that calls them (by words in the Go function's name)
_LOCALAPI_COMMAND = (
    ("prefs", "set"),
    ("whois", "whois"),
    ("ping", "ping"),
    ("cert", "cert"),
    ("file", "file cp"),
    ("taildrop", "file cp"),
    ("tka", "lock"),
    ("serveconfig", "serve"),
    ("queryfeature", "funnel"),
    ("dnsquery", "dns query"),
    ("login", "login"),
    ("start", "up"),
    ("profile", "switch"),
    ("update", "update"),
    ("drive", "drive share"),
    ("logout", "logout"),
    ("suggest", "exit-node suggest"),
    ("derp", "debug derp"),
    ("debug", "debug"),
    ("metric", "metrics print"),
    ("policy", "syspolicy list"),
    ("idtoken", "id-token"),
    ("token", "id-token"),
    ("bugreport", "bugreport"),
    ("service", "service list"),
)


@dataclass(frozen=True, slots=True)
class Message:
    """One user-facing format string: where it is and what the user typed to see it."""

    text: str
    where: str
    command: str
    role: str  # "error" or "output"
    status: str = ""  # LocalAPI's http.Error status ("403 Forbidden"), else ""

    @property
    def family(self) -> str:
        path = self.where.split(":", 1)[0]
        if "/cli/" in path:
            return path.rsplit("/", 1)[-1].removesuffix(".go")
        return path.split("/")[1]  # localapi / ipnlocal


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def _unquote(literal: str) -> str:
    if literal.startswith("`"):
        return literal[1:-1]
    body = literal[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(m[1], m[1]), body)


def _worth(text: str) -> bool:
    """A message with at least one word of its own (not only format verbs and punctuation)."""
    return re.search(r"[A-Za-z]{2,}", re.sub(r"%[-+# 0-9.]*[a-zA-Z]", " ", text)) is not None


def _go_files(repo: str, rev: str) -> list[str]:
    names = subprocess.run(
        [
            "git",
            f"--git-dir={repo}",
            "ls-tree",
            "-r",
            "--name-only",
            rev,
            "cmd/tailscale/cli/",
            "ipn/localapi/",
            "ipn/ipnlocal/",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return [
        n
        for n in names
        if n.endswith(".go") and not n.endswith("_test.go") and "/ffcomplete/" not in n and "_js.go" not in n
    ]


def extract(repo: str, rev: str) -> Iterator[Message]:
    """Every user-facing format string of the CLI and the LocalAPI error bodies it relays, at `rev`."""
    for path in _go_files(repo, rev):
        source = subprocess.run(
            ["git", f"--git-dir={repo}", "show", f"{rev}:{path}"], check=True, capture_output=True, text=True
        ).stdout.splitlines()
        file_name = path.rsplit("/", 1)[-1]
        leaf_of: dict[str, str] = {}
        pending = ""
        for line in source:
            if name := _CMD_NAME.match(line):
                pending = name[1]
            elif (run := _CMD_EXEC.match(line)) and pending:
                leaf_of[run[1]] = pending
                pending = ""
        func = ""
        for number, line in enumerate(source, 1):
            if found := _FUNC.match(line):
                func = found[1]
            for call in _CALL.finditer(line):
                if call["call"].startswith("fmt.Fprint") and call["writer"] not in (
                    "Stderr",
                    "os.Stderr",
                    "Stdout",
                    "os.Stdout",
                    "w",
                    "tw",
                    "e.Stdout",
                    "Stdout()",
                ):
                    continue
                if call["call"] == "http.Error" and call["writer"] != "w":
                    continue
                text = _unquote(call["lit"]).strip("\n")
                if not text.strip() or not _worth(text):
                    continue
                role = (
                    "error" if call["call"] in _ERROR_CALLS or call["writer"] in ("Stderr", "os.Stderr") else "output"
                )
                status = _status(line[call.end() :]) if call["call"] == "http.Error" else ""
                yield Message(text, f"{path}:{number}", _command(path, file_name, func, leaf_of), role, status)


def _status(after_body: str) -> str:
    """http.Error's status as the client prints it (``403 Forbidden``), or "" when it is a variable."""
    found = _HTTP_STATUS.match(after_body)
    if found is None:
        return ""
    if found["code"]:
        status = HTTPStatus(int(found["code"]))
    else:
        status = HTTPStatus[re.sub(r"(?<=[a-z])(?=[A-Z])", "_", found["name"]).upper()]
    return f"{status.value} {status.phrase}"


def _command(path: str, file_name: str, func: str, leaf_of: dict[str, str]) -> str:
    if "/cli/" not in path:
        lowered = func.lower()
        return next((command for word, command in _LOCALAPI_COMMAND if word in lowered), "up")
    base = _FILE_COMMAND.get(file_name, file_name.removesuffix(".go").split("_", 1)[0])
    leaf = leaf_of.get(func, "")
    if base == "debug" and leaf:
        return f"debug {leaf}"
    if leaf and leaf != base.split(" ")[-1] and " " not in base and base:
        return f"{base} {leaf}"
    if not base:
        return leaf or "status"
    return base


def write_extract(messages: list[Message], out: Path, rev: str) -> None:
    rows = [
        f"# tailscale CLI messages at {rev}: message<TAB>file:line<TAB>subcommand<TAB>role[<TAB>LocalAPI status] "
        "(\\n, \\t escaped)"
    ]
    seen: set[tuple[str, str]] = set()
    for message in messages:
        key = (message.text, message.command)
        if key in seen:
            continue
        seen.add(key)
        text = message.text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
        status = f"\t{message.status}" if message.status else ""
        rows.append(f"{text}\t{message.where}\t{message.command}\t{message.role}{status}")
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")


def read_extract(path: Path) -> list[Message]:
    """The checked-in extract, back into messages."""
    messages = []
    for row in path.read_text(encoding="utf-8").splitlines():
        # a comment line has no tabs; a message may itself start with "#" (debug localapi's "# Response status …")
        if not row or (row.startswith("#") and row.count("\t") not in (3, 4)):
            continue
        text, where, command, role, *status = row.split("\t")
        text = re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)
        messages.append(Message(text, where, command, role, *status))
    return messages


# Realistic values for the format verbs, by the words just before the verb (else by the verb).
_VALUES_BY_WORD = (
    (r"Response status $", "403 Forbidden"),  # debug localapi: an http.Response's Status
    (r"(?:state|State)\W*$", "NeedsLogin"),
    (r"(?:version|Version)\W*$", "1.92.3"),
    (r"(?:port|Port)\W*$", "443"),
    (r"(?:[Pp]eer|node|host|[Hh]ostname|machine)\W*$", "nas"),
    (r"(?:account|profile|tailnet)\W*$", "work"),
    (r"(?:IP|ip|address|addr)\W*$", "100.101.102.103"),
    (r"(?:key)\W*$", "tlpub:2f3a9c1e0b7d4a6f"),
    (r"(?:file|path|dir|directory)\W*$", "/var/lib/tailscale/tailscaled.state"),
    (r"(?:URL|url)\W*$", "https://login.tailscale.com/a/1a2b3c4d"),
    (r"(?:service|svc)\W*$", "svc:web"),
    (r"(?:domain|name)\W*$", "nas.tail1234.ts.net"),
)
_BY_VERB = {
    "d": "3",
    "x": "1f",
    "f": "2.5",
    "t": "false",
    "T": "*net.OpError",
    "c": "x",
    "q": '"nas"',
    "w": "context deadline exceeded",
}


def instantiate(text: str, command: str = "") -> str:
    """The message with its format verbs filled as the CLI would print it with realistic values (a usage line's
    verb is the command's own usage)."""
    out: list[str] = []
    position = 0
    for verb in re.finditer(r"%([-+# 0-9.]*)([a-zA-Z%])", text):
        before = text[position : verb.start()]
        out.append(before)
        position = verb.end()
        letter = verb[2]
        if letter == "%":
            out.append("%")
            continue
        if letter in ("s", "v", "q"):
            context = "".join(out)[-40:]
            if command and re.search(r"[Uu]sage:\s*$", context):
                out.append(f"tailscale {command}")
                continue
            if letter == "q" and re.search(r"arguments: $", context):
                out.append('["exit-node" "accept-routes"]')  # %q of a []string
                continue
            value = next((v for pattern, v in _VALUES_BY_WORD if re.search(pattern, context)), None)
            if value is None:  # an error after "…: " or "(", else a name
                error_here = letter != "q" and re.search(r"(?:: |\(|= )$", context)
                value = "context deadline exceeded" if error_here else "nas"
            out.append(f'"{value}"' if letter == "q" else value)
            continue
        out.append(_BY_VERB.get(letter, "nas"))
    out.append(text[position:])
    return "".join(out)


GENERIC = frozenset({"other", "backend-error"})


def relayed(message: Message) -> str | None:
    """A LocalAPI or ipnlocal error as the CLI prints it (client/local's wrapping), or None for the CLI's own
    messages and LocalAPI's non-error output."""
    if "/cli/" in message.where or message.role != "error":
        return None
    body = instantiate(message.text, message.command)
    status = message.status or "500 Internal Server Error"  # an ipnlocal error, relayed by its handler
    if status.startswith("403 "):
        return f"Access denied: {body}"
    if status.startswith("412 "):
        return f"Preconditions failed: {body}"
    return f"{status}: {body}"


def reading(message: Message, printed: str | None = None) -> tuple[str, str]:
    """(class, detail): class is kind / other / output / nothing; detail names the kinds or the view.
    ``printed`` is the message as printed when it is not its bare text (``relayed``)."""
    from opskit.core.diagnose.engine import InputText, diagnose
    from opskit.errors import InputError
    from opskit.output.diagnose import to_json

    text = printed if printed is not None else instantiate(message.text, message.command)
    paste = f"$ tailscale {message.command}\n{text}\n".replace("$ tailscale \n", "$ tailscale\n")
    try:
        diagnosis = diagnose([InputText("node", "node.txt", paste)])
    except InputError:
        # nothing to diagnose: a routine answer the splitter knows (clianswers.py) leaves no line unread
        from opskit.core.diagnose.blocks import split_input

        skipped = split_input(paste).skipped
        return ("nothing", "") if skipped else ("output", "routine")
    document = to_json(diagnosis, 1 if diagnosis.has_problems else 0)
    kinds = sorted({error["kind"] for error in document["windows"] or []})
    specific = [kind for kind in kinds if kind not in GENERIC]
    if specific:
        return "kind", ",".join(specific)
    if kinds:
        return "other", ",".join(kinds)
    blocks = sorted({block["kind"] for block in document["blocks"]})
    if blocks:
        return "output", ",".join(blocks)
    return "nothing", ""


def measure(messages: list[Message]) -> dict[str, Counter[str]]:
    """Counts per family (and `*` for all) of kind / other / output / nothing; `wrapped` counts the LocalAPI and
    ipnlocal errors as the CLI prints them (``relayed``)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for message in messages:
        klass, _ = reading(message)
        counts[message.family][klass] += 1
        counts["*"][klass] += 1
        if (printed := relayed(message)) is not None:
            counts["wrapped"][reading(message, printed)[0]] += 1
    return counts


def _main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cli_sweep")
    sub = parser.add_subparsers(dest="step", required=True)
    ext = sub.add_parser("extract")
    ext.add_argument("--repo", required=True)
    ext.add_argument("--rev", default=["HEAD"], nargs="+", help="one or more revisions (old tags: their wordings)")
    ext.add_argument("--out", required=True, type=Path)
    ext.add_argument("--only-new-vs", type=Path, help="keep only messages this extract does not hold")
    mea = sub.add_parser("measure")
    mea.add_argument("extract", type=Path)
    mea.add_argument("--list", default="", help="classes to list, comma-separated (nothing,other,output,kind)")
    mea.add_argument("--family", default="", help="only this family (file stem)")
    mea.add_argument("--wrapped", action="store_true", help="list the LocalAPI/ipnlocal errors as the CLI prints them")
    args = parser.parse_args(argv)
    if args.step == "extract":
        messages: list[Message] = []
        for rev in args.rev:
            found = list(extract(args.repo, rev))
            if len(args.rev) > 1:  # several tags: say which one printed it
                found = [Message(m.text, f"{m.where}@{rev}", m.command, m.role) for m in found]
            messages.extend(found)
        if args.only_new_vs:
            known = {m.text for m in read_extract(args.only_new_vs)}
            messages = [m for m in messages if m.text not in known]
        write_extract(messages, args.out, " ".join(args.rev))
        print(f"{len(messages)} messages written to {args.out}")
        return 0
    messages = [m for m in read_extract(args.extract) if not args.family or m.family == args.family]
    wanted = set(filter(None, args.list.split(",")))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for message in messages:
        klass, detail = reading(message)
        counts[message.family][klass] += 1
        counts["*"][klass] += 1
        printed = relayed(message)
        if printed is not None:
            wrapped_klass, wrapped_detail = reading(message, printed)
            counts["wrapped"][wrapped_klass] += 1
            if args.wrapped:
                klass, detail = wrapped_klass, wrapped_detail
        elif args.wrapped:
            continue
        if klass in wanted:
            print(
                f"{klass:8} {message.where:50} {message.command:28} {detail:22} "
                f"{(printed if args.wrapped else None) or instantiate(message.text, message.command)[:110]!r}"
            )
    for family in sorted(counts, key=lambda f: (f not in ("*", "wrapped"), f != "*", f)):
        c = counts[family]
        total = sum(c.values())
        print(
            f"{family:32} {total:4}  kind {c['kind']:4}  other {c['other']:3}  output {c['output']:4}  "
            f"nothing {c['nothing']:4}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
