"""Traefik side effects: replace the dynamic file atomically, then watch the read-only API.

Traefik's API only answers GET (there is no reload endpoint); the file provider notices an atomically
replaced file by itself (fsnotify), within ``providersThrottleDuration``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from opskit.adapters.input_files import InputKind, decode_utf8, read_input_bytes
from opskit.adapters.output_files import atomic_write
from opskit.core.traefik.dynamic import RouteEdit, switch_router_service
from opskit.errors import ApplyError, InputError


def read_dynamic(path: str) -> str:
    """The dynamic config's text, bounded like every input (see :mod:`opskit.adapters.input_files`)."""
    try:
        data = read_input_bytes(Path(path), InputKind.TRAEFIK)
    except FileNotFoundError:
        raise InputError.at(path, None, None, "Traefik dynamic config file not found") from None
    except OSError as exc:
        raise InputError.at(path, None, None, f"cannot read: {exc.strerror}") from None
    return decode_utf8(data, path, "Traefik dynamic config")


def switch_route(path: str, router: str, new_service: str, expect: tuple[str, ...] = ()) -> RouteEdit:
    """Rewrite the router's service in place. The temp file is ``.NAME.*.opskit-tmp`` in the same
    directory: the file provider only loads .yml/.yaml/.toml files, so it never sees a half-written one.
    ``expect``: the services the router may point at now; anything else means someone changed the file
    since the plan, and it is left alone."""
    edit = switch_router_service(read_dynamic(path), router, new_service, path)
    if expect and edit.old_service not in expect:
        raise ApplyError(
            f"{path}: router {router} now points at {edit.old_service!r}, not {' or '.join(expect)} as "
            "planned; the file was not touched"
        )
    if edit.changed:
        atomic_write(Path(path), edit.text)
    return edit


@dataclass(frozen=True)
class RouteCheck:
    ok: bool
    seen_service: str | None
    seconds: float
    detail: str


def _qualified(name: str) -> str:
    return name if "@" in name else f"{name}@file"


def wait_for_route(api_url: str, router: str, service: str, timeout: float, interval: float = 0.05) -> RouteCheck:
    """Poll GET /api/http/routers/<router>@file until it uses ``service`` and the service lists the
    router in ``usedBy``; give up after ``timeout`` seconds and say what was last seen."""
    import httpx

    base = api_url.rstrip("/")
    router_url = f"{base}/api/http/routers/{_qualified(router)}"
    service_url = f"{base}/api/http/services/{_qualified(service)}"
    started = time.monotonic()
    seen: str | None = None
    detail = "no answer yet"
    with httpx.Client(timeout=2.0, trust_env=False) as client:
        while True:
            try:
                answer = client.get(router_url)
                if answer.status_code == 200:
                    data = answer.json()
                    seen = str(data.get("service", ""))
                    if seen.split("@")[0] == service.split("@")[0] and data.get("status") == "enabled":
                        used = client.get(service_url)
                        used_by = used.json().get("usedBy", []) if used.status_code == 200 else []
                        if _qualified(router) in used_by:
                            return RouteCheck(
                                True,
                                seen,
                                time.monotonic() - started,
                                f"router {_qualified(router)} → {seen}, service lists it in usedBy",
                            )
                        detail = f"service {_qualified(service)} does not list the router yet"
                    else:
                        detail = f"router still uses {seen!r} (status {data.get('status')})"
                else:
                    detail = f"GET {router_url} answered {answer.status_code}"
            except httpx.HTTPError as exc:
                detail = f"Traefik API unreachable: {type(exc).__name__}"
            if time.monotonic() - started >= timeout:
                return RouteCheck(False, seen, time.monotonic() - started, detail)
            time.sleep(interval)
