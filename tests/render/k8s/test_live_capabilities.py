"""The Deployment's container capabilities, tried on a real nginx: exactly enough, none to spare.

The rendered Deployment drops ALL capabilities and adds back CHOWN, SETGID, SETUID (+ NET_BIND_SERVICE
below port 1024), with allowPrivilegeEscalation false. Here the real nginx master runs as root with
only those capabilities in its bounding set (`setpriv`, as the container runtime sets it up) and
no_new_privs, in a network namespace the test creates (loopback only, so port 80 is free), with the
config read back out of the rendered ConfigMap and included the way an image includes conf.d. It must
answer; and with any one of those capabilities removed it must not.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import yaml

from opskit.core.render.k8s_manifests import CONFIGMAP_FILE, DEPLOYMENT_FILE
from tests.render.k8s.manifests_support import with_manifests
from tests.render.k8s.support import render_k8s
from tests.support.nginx import nginx_main_conf, public_prefix, remove_prefix
from tests.support.tools import require_binary, require_root

pytestmark = pytest.mark.integration

PORT = 80  # privileged: NET_BIND_SERVICE is part of what is proven

# Runs inside the namespace: asks for / until a worker answers or 3 s have passed.
_ASK = """
import http.client, sys, time
deadline = time.monotonic() + 3
while True:
    try:
        c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=1)
        c.request("GET", "/")
        r = c.getresponse()
        print(r.status, r.getheader("Server", ""))
        break
    except OSError as e:
        if time.monotonic() > deadline:
            print("error", e)
            break
        time.sleep(0.05)
"""


@contextmanager
def network_namespace() -> Iterator[str]:
    name = f"opskit-caps-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", name], check=True, timeout=10)
    try:
        subprocess.run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"], check=True, timeout=10)
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False, timeout=10)


def rendered_gateway() -> tuple[dict[str, str], list[str]]:
    """(the ConfigMap's files, the container's added capabilities) of a rendered gateway on port 80."""
    family = render_k8s(with_manifests("nginx") | {"listen": {"port": PORT}})
    configmap = yaml.safe_load(family.files[CONFIGMAP_FILE])
    deployment = yaml.safe_load(family.files[DEPLOYMENT_FILE])
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    security = container["securityContext"]
    assert security["capabilities"]["drop"] == ["ALL"] and security["allowPrivilegeEscalation"] is False
    return configmap["data"], list(security["capabilities"]["add"])


def answer_with(nginx: str, namespace: str, conf_files: dict[str, str], capabilities: list[str]) -> str:
    """Start nginx with only ``capabilities``, ask it for /, stop it; returns the answer or the failure."""
    workdir = public_prefix("opskit-k8s-caps-")
    try:
        conf_d = workdir / "conf.d"
        conf_d.mkdir(mode=0o755)
        for name, text in conf_files.items():
            (conf_d / name).write_text(text)
        wrapper = workdir / "nginx.conf"
        wrapper.write_text(nginx_main_conf(workdir, f"    include {conf_d}/*.conf;"))
        bounding = ",".join(["-all", *(f"+{cap.lower()}" for cap in capabilities)])
        argv = ["ip", "netns", "exec", namespace, "setpriv", "--no-new-privs", "--bounding-set", bounding]
        argv += ["--inh-caps", "-all", "--", nginx, "-p", f"{workdir}/", "-c", str(wrapper), "-e", "stderr"]
        argv += ["-g", "daemon off;"]
        stderr_path = workdir / "stderr"
        with stderr_path.open("w") as stderr:
            process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            asked = subprocess.run(
                ["ip", "netns", "exec", namespace, sys.executable, "-c", _ASK, str(PORT)],
                capture_output=True,
                text=True,
                timeout=20,
            )
            logs = [stderr_path.read_text()]
            if (workdir / "error.log").exists():
                logs.append((workdir / "error.log").read_text())
            return asked.stdout.strip() + "\n" + "".join(logs)
        finally:
            process.send_signal(signal.SIGQUIT)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    finally:
        remove_prefix(workdir)


@pytest.fixture(scope="module")
def setup() -> Iterator[tuple[str, str]]:
    require_root("network namespaces and a root nginx master")
    nginx = require_binary("nginx", "apt-get install nginx")
    require_binary("setpriv", "apt-get install util-linux")
    require_binary("ip", "apt-get install iproute2")
    with network_namespace() as namespace:
        yield nginx, namespace


def test_the_rendered_capabilities_are_enough_for_nginx(setup: tuple[str, str]) -> None:
    nginx, namespace = setup
    conf_files, capabilities = rendered_gateway()
    assert sorted(capabilities) == ["CHOWN", "NET_BIND_SERVICE", "SETGID", "SETUID"]
    answer = answer_with(nginx, namespace, conf_files, capabilities)
    assert answer.startswith("404 nginx"), answer  # a worker answered: `location / { return 404; }`


@pytest.mark.parametrize("missing", ["CHOWN", "NET_BIND_SERVICE", "SETGID", "SETUID"])
def test_each_capability_is_needed(setup: tuple[str, str], missing: str) -> None:
    nginx, namespace = setup
    conf_files, capabilities = rendered_gateway()
    answer = answer_with(nginx, namespace, conf_files, [cap for cap in capabilities if cap != missing])
    assert not answer.startswith("404"), f"nginx answered without {missing}: it is not needed\n{answer}"
    assert "Operation not permitted" in answer or "Permission denied" in answer, answer
