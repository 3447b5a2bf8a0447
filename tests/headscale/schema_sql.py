"""Headscale schemas used by the tests and bench/migrate.py.

FRESH: the PostgreSQL schema gorm creates for headscale v0.29 (headscale-facts.md), plus the cluster
fork's ``cluster_id`` column. A fork that lets tenants in different clusters share user names must scope
the users' unique indexes by cluster, so those three indexes carry ``cluster_id`` first.

LEGACY: a database created before v0.23 and upgraded: ``machines_id_seq``/``machines_pkey`` on nodes,
a global UNIQUE(users.name), old ON DELETE rules, leftover ``routes`` (cluster-scoped, FK to nodes)
and ``pre_auth_key_acl_tags``, and the ``forced_tags`` column.
"""

from __future__ import annotations

_GLOBAL_TABLES = """
CREATE TABLE api_keys (id bigserial PRIMARY KEY, prefix text, hash bytea, created_at timestamptz,
  expiration timestamptz, last_seen timestamptz);
CREATE UNIQUE INDEX idx_api_keys_prefix ON api_keys (prefix);
CREATE TABLE policies (id bigserial PRIMARY KEY, created_at timestamptz, updated_at timestamptz,
  deleted_at timestamptz, data text);
CREATE TABLE migrations (id varchar(255) PRIMARY KEY);
CREATE TABLE database_versions (id bigserial PRIMARY KEY, version text NOT NULL, updated_at timestamptz);
INSERT INTO database_versions (version, updated_at) VALUES ('0.29.2', '2026-10-01 09:00:00+00');
"""

FRESH = (
    """
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  created_at timestamptz, updated_at timestamptz, deleted_at timestamptz,
  name text, display_name text, email text, provider_identifier text, provider text, profile_pic_url text,
  cluster_id bigint NOT NULL
);
CREATE UNIQUE INDEX idx_provider_identifier ON users (cluster_id, provider_identifier)
  WHERE provider_identifier IS NOT NULL;
CREATE UNIQUE INDEX idx_name_provider_identifier ON users (cluster_id, name, provider_identifier);
CREATE UNIQUE INDEX idx_name_no_provider_identifier ON users (cluster_id, name)
  WHERE provider_identifier IS NULL;
CREATE TABLE pre_auth_keys (
  id bigserial PRIMARY KEY, key text, prefix text, hash bytea, user_id bigint, reusable boolean,
  ephemeral boolean DEFAULT false, used boolean DEFAULT false, tags text, created_at timestamptz,
  expiration timestamptz, cluster_id bigint NOT NULL,
  CONSTRAINT fk_pre_auth_keys_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX idx_pre_auth_keys_prefix ON pre_auth_keys (prefix)
  WHERE prefix IS NOT NULL AND prefix <> '';
CREATE TABLE nodes (
  id bigserial PRIMARY KEY, machine_key text, node_key text, disco_key text, endpoints text, host_info text,
  ipv4 text, ipv6 text, hostname text, given_name varchar(63), user_id bigint, register_method text,
  tags text, auth_key_id bigint, expiry timestamptz, last_seen timestamptz, approved_routes text,
  created_at timestamptz, updated_at timestamptz, deleted_at timestamptz, cluster_id bigint NOT NULL,
  CONSTRAINT fk_nodes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_nodes_auth_key FOREIGN KEY (auth_key_id) REFERENCES pre_auth_keys (id)
);
"""
    + _GLOBAL_TABLES
)

LEGACY = (
    """
CREATE SEQUENCE machines_id_seq;
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  created_at timestamptz, updated_at timestamptz, deleted_at timestamptz,
  name text, display_name text, email text, provider_identifier text, provider text, profile_pic_url text,
  cluster_id bigint NOT NULL,
  CONSTRAINT users_name_key UNIQUE (name)
);
CREATE UNIQUE INDEX idx_provider_identifier ON users (provider_identifier)
  WHERE provider_identifier IS NOT NULL;
CREATE TABLE pre_auth_keys (
  id bigserial PRIMARY KEY, key text, user_id bigint, reusable boolean, ephemeral boolean DEFAULT false,
  used boolean DEFAULT false, created_at timestamptz, expiration timestamptz, prefix text, hash bytea,
  tags text,
  cluster_id bigint NOT NULL,
  CONSTRAINT fk_pre_auth_keys_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX idx_pre_auth_keys_prefix ON pre_auth_keys (prefix)
  WHERE prefix IS NOT NULL AND prefix <> '';
CREATE TABLE pre_auth_key_acl_tags (id bigserial PRIMARY KEY,
  pre_auth_key_id bigint REFERENCES pre_auth_keys (id) ON DELETE CASCADE, tag text);
CREATE TABLE nodes (
  id bigint NOT NULL DEFAULT nextval('machines_id_seq'), machine_key text, node_key text, disco_key text,
  endpoints text, host_info text, hostname text, given_name varchar(63), user_id bigint, register_method text,
  forced_tags text, auth_key_id bigint, expiry timestamptz, last_seen timestamptz, created_at timestamptz,
  updated_at timestamptz, deleted_at timestamptz, ipv4 text, ipv6 text, tags text, approved_routes text,
  cluster_id bigint NOT NULL,
  CONSTRAINT machines_pkey PRIMARY KEY (id),
  CONSTRAINT fk_nodes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_nodes_auth_key FOREIGN KEY (auth_key_id) REFERENCES pre_auth_keys (id) ON DELETE SET NULL
);
ALTER SEQUENCE machines_id_seq OWNED BY nodes.id;
CREATE TABLE routes (
  id bigserial PRIMARY KEY, created_at timestamptz, updated_at timestamptz, deleted_at timestamptz,
  node_id bigint NOT NULL REFERENCES nodes (id) ON DELETE CASCADE, prefix text, advertised boolean,
  enabled boolean, is_primary boolean, cluster_id bigint NOT NULL
);
"""
    + _GLOBAL_TABLES
)
