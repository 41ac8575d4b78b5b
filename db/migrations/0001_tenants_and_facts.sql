-- 0001: the tenant spine and the facts skeleton.
-- Every tenant table starts its keys with tenant_id: the tenant boundary is in the data itself, and
-- row-level security (a later migration) filters on that column.

create table tenants (
    tenant_id   text primary key
                check (tenant_id ~ '^[a-z][a-z0-9-]{0,38}[a-z0-9]$'),
    name        text not null check (length(name) between 1 and 200),
    created_at  timestamptz not null default now(),
    created_by  text not null
);

-- Platform operators are users and clients of this reserved tenant; no customer data ever lives here.
insert into tenants (tenant_id, name, created_by) values ('platform', 'Platform operators', 'migration 0001');

-- OAuth clients (integrations) per tenant. The secret lives hashed in the token server's store; this
-- table says which tenant and roles a client's tokens carry.
create table tenant_clients (
    client_id   text primary key,
    tenant_id   text not null references tenants (tenant_id),
    roles       text[] not null,
    created_at  timestamptz not null default now(),
    created_by  text not null
);
create index tenant_clients_tenant on tenant_clients (tenant_id);

-- People who sign in through the login page (authorization code + PKCE).
create table tenant_users (
    tenant_id      text not null references tenants (tenant_id),
    user_id        uuid not null,
    username       text not null check (length(username) between 1 and 200),
    display_name   text not null,
    password_hash  text not null,
    roles          text[] not null,
    created_at     timestamptz not null default now(),
    created_by     text not null,
    primary key (tenant_id, user_id)
);
create unique index tenant_users_username on tenant_users (tenant_id, lower(username));

-- Ingested facts: immutable, append-only. The idempotency key is (tenant_id, source, external_id).
-- Kept lean on purpose: each index here costs ingest throughput (see docs/adr/0004).
create table facts (
    tenant_id     text not null references tenants (tenant_id),
    fact_id       bigint generated always as identity,
    source        text not null,
    external_id   text not null,
    kind          text not null,
    account_id    text,
    occurred_at   timestamptz not null,
    received_at   timestamptz not null default now(),
    supersedes    bigint,
    payload       jsonb not null,
    primary key (tenant_id, fact_id),
    unique (tenant_id, source, external_id)
);
create index facts_account on facts (tenant_id, account_id, occurred_at);
