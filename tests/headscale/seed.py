"""Realistic headscale rows for the tests: keys, JSON columns, tagged/untagged nodes, OIDC and local
users, a soft-deleted user, cross-tenant key use. Values follow headscale's formats (headscale-facts.md)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

PASSWORD = "Tr0ub4dor&3-never-shown"  # the DSN password the tests look for in every output


def hexkey(kind: str, seed: str) -> str:
    return f"{kind}:" + hashlib.sha256(f"{kind}/{seed}".encode()).hexdigest()


def host_info(hostname: str, os_name: str = "linux") -> str:
    return json.dumps(
        {
            "IPNVersion": "1.80.3-t5b4dcfb9a-g2fb4b2f3d",
            "OS": os_name,
            "OSVersion": "Debian 12.8",
            "Hostname": hostname,
            "GoArch": "amd64",
            "GoVersion": "go1.23.4",
            "RoutableIPs": None,
            "Services": [{"Proto": "tcp", "Port": 22, "Description": "sshd"}],
            "NetInfo": {"MappingVariesByDestIP": False, "PreferredDERP": 4, "LinkType": "wired"},
        },
        separators=(",", ":"),
    )


def _insert(conn: Any, table: str, row: dict[str, Any]) -> int:
    from psycopg import sql

    query = sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING id").format(
        sql.Identifier(table),
        sql.SQL(", ").join(map(sql.Identifier, row)),
        sql.SQL(", ").join(sql.Placeholder() * len(row)),
    )
    return int(conn.execute(query, list(row.values())).fetchone()[0])


def user(conn: Any, name: str, cluster: int, *, oidc: str | None = None, deleted: bool = False) -> int:
    return _insert(
        conn,
        "users",
        {
            "created_at": "2026-09-01 10:00:00.123456+00",
            "updated_at": "2026-10-02 11:30:05.5+00",
            "deleted_at": "2026-10-20 08:00:00+00" if deleted else None,
            "name": name,
            "display_name": name.upper() + " Ops",
            "email": f"{name}@example.com" if oidc else "",
            "provider_identifier": oidc,
            "provider": "oidc" if oidc else "",
            "profile_pic_url": f"https://idp.example.com/pic/{name}.png" if oidc else "",
            "cluster_id": cluster,
        },
    )


def key(
    conn: Any,
    user_id: int | None,
    cluster: int,
    prefix: str,
    *,
    legacy: str | None = None,
    tags: list[str] | None = None,
    reusable: bool = True,
) -> int:
    return _insert(
        conn,
        "pre_auth_keys",
        {
            "key": legacy or "",
            "prefix": prefix,
            "hash": hashlib.sha256(prefix.encode()).digest() if prefix else None,
            "user_id": user_id,
            "reusable": reusable,
            "ephemeral": False,
            "used": not reusable,
            "tags": json.dumps(tags) if tags else None,
            "created_at": "2026-09-02 12:00:00+00",
            "expiration": "2027-09-02 12:00:00+00",
            "cluster_id": cluster,
        },
    )


def node(
    conn: Any,
    name: str,
    cluster: int,
    *,
    user_id: int | None,
    auth_key_id: int | None,
    ipv4: str,
    ipv6: str,
    tags: str | None = None,
    endpoints: list[str] | None = None,
    routes: list[str] | None = None,
    extra: dict[str, Any] | None = None,
) -> int:
    row = {
        "machine_key": hexkey("mkey", name),
        "node_key": hexkey("nodekey", name),
        "disco_key": hexkey("discokey", name),
        "endpoints": json.dumps(endpoints if endpoints is not None else ["198.51.100.7:41641", "192.168.1.23:41641"]),
        "host_info": host_info(name),
        "ipv4": ipv4,
        "ipv6": ipv6,
        "hostname": name,
        "given_name": name,
        "user_id": user_id,
        "register_method": "authkey" if auth_key_id else "oidc",
        "tags": tags,
        "auth_key_id": auth_key_id,
        "expiry": None,
        "last_seen": "2026-11-26 19:59:58.987654+00",
        "approved_routes": json.dumps(routes or []),
        "created_at": "2026-09-03 08:15:00.000001+00",
        "updated_at": "2026-11-26 19:59:58.987654+00",
        "deleted_at": None,
        "cluster_id": cluster,
    }
    row.update(extra or {})
    return _insert(conn, "nodes", row)


def seed(conn: Any, *, legacy: bool = False) -> dict[str, int]:
    """Clusters 3, 4 and 5. Tenant ``hsa`` (local) in 3 is the one the tests move."""
    ids: dict[str, int] = {}
    extra = {"forced_tags": "[]"} if legacy else {}
    ids["hsa"] = user(conn, "hsa", 3)
    ids["hsb"] = user(conn, "hsb", 3, oidc="https://idp.example.com/6f1c2a9e-hsb")
    ids["hsc"] = user(conn, "hsc", 4)
    ids["hsd"] = user(conn, "hsd", 4, deleted=True)
    ids["hse"] = user(conn, "hse", 5, oidc="https://idp.example.com/0b7e-hse")
    ids["k_hsa_reusable"] = key(conn, ids["hsa"], 3, "a1b2c3d4e5f6", tags=["tag:server"])
    ids["k_hsa_legacy"] = key(
        conn, ids["hsa"], 3, "", legacy="0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978", reusable=False
    )
    ids["k_hsb"] = key(conn, ids["hsb"], 3, "b0b0b0b0b0b0")
    ids["k_hsc"] = key(conn, ids["hsc"], 4, "c0c0c0c0c0c0")
    ids["n_laptop"] = node(
        conn,
        "hsa-laptop",
        3,
        user_id=ids["hsa"],
        auth_key_id=ids["k_hsb"],
        ipv4="100.64.0.1",
        ipv6="fd7a:115c:a1e0::1",
        tags=None,
        endpoints=["203.0.113.5:41641", "192.168.1.23:41641", "[2001:db8::23]:41641"],
        extra=extra,
    )
    ids["n_phone"] = node(
        conn,
        "hsa-phone",
        3,
        user_id=ids["hsa"],
        auth_key_id=ids["k_hsa_legacy"],
        ipv4="100.64.0.2",
        ipv6="fd7a:115c:a1e0::2",
        tags="",
        extra=extra,
    )
    ids["n_nas"] = node(
        conn,
        "hsa-nas",
        3,
        user_id=ids["hsa"],
        auth_key_id=ids["k_hsa_reusable"],
        ipv4="100.64.0.3",
        ipv6="fd7a:115c:a1e0::3",
        tags="[]",
        routes=["10.20.0.0/16"],
        extra=extra,
    )
    ids["n_oidc"] = node(
        conn,
        "hsa-desktop",
        3,
        user_id=ids["hsa"],
        auth_key_id=None,
        ipv4="100.64.0.4",
        ipv6="fd7a:115c:a1e0::4",
        tags="null",
        extra=extra,
    )
    ids["n_tagged"] = node(
        conn,
        "ci-runner",
        3,
        user_id=None,
        auth_key_id=ids["k_hsa_reusable"],
        ipv4="100.64.0.10",
        ipv6="fd7a:115c:a1e0::a",
        tags='["tag:server"]',
        extra=extra,
    )
    ids["n_hsb_1"] = node(
        conn,
        "hsb-laptop",
        3,
        user_id=ids["hsb"],
        auth_key_id=ids["k_hsa_reusable"],
        ipv4="100.64.0.20",
        ipv6="fd7a:115c:a1e0::14",
        extra=extra,
    )
    ids["n_hsb_2"] = node(
        conn,
        "hsb-phone",
        3,
        user_id=ids["hsb"],
        auth_key_id=None,
        ipv4="100.64.0.21",
        ipv6="fd7a:115c:a1e0::15",
        extra=extra,
    )
    ids["n_hsc_1"] = node(
        conn,
        "hsc-laptop",
        4,
        user_id=ids["hsc"],
        auth_key_id=ids["k_hsc"],
        ipv4="100.64.8.1",
        ipv6="fd7a:115c:a1e0::801",
        extra=extra,
    )
    ids["n_hsc_2"] = node(
        conn,
        "hsc-db",
        4,
        user_id=ids["hsc"],
        auth_key_id=ids["k_hsc"],
        ipv4="100.64.8.2",
        ipv6="fd7a:115c:a1e0::802",
        tags='["tag:db"]',
        extra=extra,
    )
    ids["n_hse"] = node(
        conn,
        "hse-laptop",
        5,
        user_id=ids["hse"],
        auth_key_id=None,
        ipv4="100.64.16.1",
        ipv6="fd7a:115c:a1e0::1001",
        extra=extra,
    )
    if legacy:
        from psycopg import sql

        conn.execute(
            sql.SQL(
                "INSERT INTO routes (created_at, updated_at, node_id, prefix, advertised, enabled, "
                "is_primary, cluster_id) VALUES ('2024-01-05 10:00:00+00', '2024-01-05 10:00:00+00', "
                "%s, '10.20.0.0/16', true, true, true, 3)"
            ),
            (ids["n_nas"],),
        )
        conn.execute(
            "INSERT INTO pre_auth_key_acl_tags (pre_auth_key_id, tag) VALUES (%s, 'tag:server')",
            (ids["k_hsa_reusable"],),
        )
    return ids
