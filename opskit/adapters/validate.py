"""Check rendered configs with the real ``nginx -t`` / ``haproxy -c -dW``, isolated from the host.

Both binaries do more than parse: nginx binds its listen sockets and writes a pid file; both resolve
literal host names with the system resolver at load time. So validation runs in a private network
and mount namespace (``unshare``): only a loopback device carrying the addresses the config binds,
a generated /etc/hosts mapping its host names to loopback, and tmpfs over /run and nginx's state
directories. No DNS query can leave the machine (there is no route), nothing is left behind.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from opskit.adapters.proc import run, which
from opskit.core.lint.validation import ValidationPlan
from opskit.core.render.model import ValidationTarget
from opskit.errors import EnvironmentProblem

INSTALL_HINTS = {
    "nginx": "Install it with `apt-get install nginx` (the daemon need not run).",
    "haproxy": "Install it with `apt-get install haproxy` (the daemon need not run).",
    "openssl": "Install it with `apt-get install openssl` (used to make stub certificates).",
    "unshare": "Install util-linux (`apt-get install util-linux`).",
    "ip": "Install iproute2 (`apt-get install iproute2`).",
}

# Runs inside the fresh namespaces. All values arrive as positional arguments, never in the script text.
_NAMESPACE_SCRIPT = r"""
set -e
hosts=$1; shift
count=$1; shift
ip link set lo up
while [ "$count" -gt 0 ]; do
  ip addr add "$1" dev lo
  shift; count=$((count - 1))
done
mount --bind "$hosts" /etc/hosts
for d in /run /var/log/nginx /var/lib/nginx /var/lib/haproxy; do
  if [ -d "$d" ]; then mount -t tmpfs tmpfs "$d"; fi
done
exec "$@"
"""


@dataclass(frozen=True)
class ValidationResult:
    tool: str
    entry: str
    ok: bool
    command: str
    output: str
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "tool": self.tool,
            "entry": self.entry,
            "ok": self.ok,
            "command": self.command,
            "output": self.output,
            "notes": list(self.notes),
        }


def _listing(items: Sequence[str], shown: int = 10) -> str:
    """The first ``shown`` items and how many more: a note stays one readable line for 5,000 names."""
    head = ", ".join(items[:shown])
    return head + (f" and {len(items) - shown} more" if len(items) > shown else "")


def _path_pattern(path: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w/.-])" + re.escape(path) + r"(?![\w/.-])")


def _make_stub_pem(openssl: str, directory: Path) -> Path:
    """One PEM holding a throwaway key and self-signed cert: nginx and HAProxy each read what they need."""
    key, cert = directory / "stub.key", directory / "stub.crt"
    done = run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=opskit-validation.invalid",
        ],
        timeout=30,
    )
    if done.returncode != 0:
        raise EnvironmentProblem(f"openssl could not make a stub certificate: {done.stderr.strip()}")
    pem = directory / "stub.pem"
    pem.write_text(cert.read_text() + key.read_text())
    return pem


def _nginx_wrapper(prefix: Path, entry: Path) -> str:
    return (
        "# opskit validation wrapper: the rendered file is an http{}-level snippet\n"
        f"pid {prefix}/nginx.pid;\n"
        "error_log stderr notice;\n"
        "worker_processes 1;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n    include {entry};\n}}\n"
    )


def _namespace_argv(hosts: Path, addresses: tuple[str, ...], command: list[str]) -> list[str]:
    unshare = which("unshare", INSTALL_HINTS["unshare"])
    which("ip", INSTALL_HINTS["ip"])
    isolation = [unshare, "--net", "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        isolation.insert(1, "--map-root-user")
    # Loopback addresses are already there once lo is up (adding ::1 again fails); duplicates likewise.
    wanted = dict.fromkeys(a for a in addresses if not ipaddress.ip_address(a).is_loopback)
    prefixed = [f"{a}/128" if ":" in a else f"{a}/32" for a in wanted]
    return [
        *isolation,
        "--",
        "sh",
        "-c",
        _NAMESPACE_SCRIPT,
        "opskit-validate",
        str(hosts),
        str(len(prefixed)),
        *prefixed,
        *command,
    ]


def validate_rendered(files: Mapping[str, str], target: ValidationTarget, *, timeout: float = 60) -> ValidationResult:
    """Write ``files`` to a temporary prefix and run the real checker on ``target.entry`` there.

    Kubernetes manifests have no binary to run: they are checked against the API's schemas instead.
    """
    if target.tool == "kubernetes":
        from opskit.adapters.k8s_schema import validate_manifests

        ok, command, output = validate_manifests(files, target)
        return ValidationResult(target.tool, target.entry, ok, command, output)
    return _validate_copy(lambda _conf: files, target, timeout=timeout, zero_warnings=True)


def validate_lint_plan(plan: ValidationPlan, *, timeout: float = 60) -> ValidationResult:
    """``lint --validate``: run the real binary over a private copy of the linted files.

    Unlike ``render --validate``, HAProxy warnings do not fail the check (no ``-dW``): lint reports
    what the binary rejects; its own rules cover the warnings worth having.
    """
    target = ValidationTarget(
        tool=plan.tool,
        entry=plan.entry,
        http_snippet=plan.http_snippet,
        stub_tls_files=plan.tls_files,
        hostnames=plan.hostnames,
        listen_addresses=plan.listen_addresses,
        extra_entries=plan.extra_entries,
    )
    return _validate_copy(plan.files_in, target, timeout=timeout, zero_warnings=False, own_prefix=False)


def _validate_copy(
    files_for: Callable[[str], Mapping[str, str]],
    target: ValidationTarget,
    *,
    timeout: float,
    zero_warnings: bool,
    own_prefix: bool = True,
) -> ValidationResult:
    """Write ``files_for(conf_dir)`` below a temporary conf dir and run the checker on the entry."""
    binary = which(target.tool, INSTALL_HINTS[target.tool])
    notes: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="opskit-validate-"))
    try:
        os.chmod(workdir, 0o755)
        conf = workdir / "conf"
        (workdir / "logs").mkdir()
        substitutions: list[tuple[re.Pattern[str], str]] = []
        # A relative path is read from the copy's prefix, where no certificate is: stub it too.
        missing_tls = [p for p in target.stub_tls_files if not (os.path.isabs(p) and os.path.exists(p))]
        if missing_tls:
            pem = _make_stub_pem(which("openssl", INSTALL_HINTS["openssl"]), workdir)
            substitutions += [(_path_pattern(p), str(pem)) for p in target.stub_tls_files]
            notes.append("stub certificate/key used for: " + _listing(target.stub_tls_files))
        for rewrite in target.compat_rewrites:
            substitutions.append((re.compile(rewrite.pattern, re.MULTILINE), rewrite.replacement))
            notes.append(f"compatibility rewrite for the validating binary: {rewrite.reason}")
        for relative, text in files_for(str(conf)).items():
            for pattern, replacement in substitutions:
                text = pattern.sub(replacement, text)  # stub paths come from mkdtemp: no backslashes
            path = conf / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

        hosts = workdir / "hosts"
        hosts.write_text(
            "127.0.0.1 localhost\n::1 localhost\n"
            + "".join(f"127.0.0.1 {name}\n" for name in sorted(set(target.hostnames)))
        )
        hosts.chmod(0o644)
        if target.hostnames:
            notes.append(
                "host names mapped to 127.0.0.1 in a private /etc/hosts: " + _listing(sorted(set(target.hostnames)))
            )

        entry = conf / target.entry
        if target.tool == "nginx":
            if target.http_snippet:
                # Next to the entry: nginx resolves relative includes from the main file's folder.
                wrapper = entry.parent / ".opskit-validation-wrapper" if not own_prefix else workdir / "nginx.conf"
                wrapper.write_text(_nginx_wrapper(workdir, entry))
                checked = [binary, "-t", "-p", f"{workdir}/", "-c", str(wrapper), "-e", "stderr"]
            elif not own_prefix:
                # A whole nginx.conf: nginx's own prefix (load_module paths), its pid/log paths land
                # on the namespace's private tmpfs over /run and /var/log/nginx.
                checked = [binary, "-t", "-c", str(entry), "-e", "stderr"]
            else:
                checked = [
                    binary,
                    "-t",
                    "-p",
                    f"{workdir}/",
                    "-c",
                    str(entry),
                    "-e",
                    "stderr",
                    "-g",
                    f"pid {workdir}/nginx.pid;",
                ]
        else:
            checked = [binary, "-c", *(["-dW"] if zero_warnings else []), "-f", str(entry)]
            for extra in target.extra_entries:
                checked += ["-f", str(conf / extra)]
        env = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), **dict(target.environment)}
        done = run(_namespace_argv(hosts, target.listen_addresses, checked), timeout=timeout, env=env)
        output = (done.stdout + done.stderr).replace(str(workdir), "<validation-dir>").strip()
        if done.timed_out:
            output = f"timed out after {timeout:.0f}s\n{output}"
        if done.returncode != 0 and "unshare failed" in output:
            raise EnvironmentProblem(
                "validation needs private namespaces (`unshare --net --mount`), which this user may not create.",
                hint="Run as root, or enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1).",
            )
        shown = " ".join([target.tool, *checked[1:]]).replace(str(workdir), "<validation-dir>")
        return ValidationResult(
            target.tool, target.entry, done.returncode == 0 and not done.timed_out, shown, output, tuple(notes)
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
