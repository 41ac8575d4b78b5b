-- 0008: what the ingest path needs (docs/adr/0004).
-- The facts table of 0001 never held a row; it gets the columns of the real ingest path here.

-- Corrections point at the fact they replace by id; at most one correction per fact, so corrections form chains.
alter table facts rename column supersedes to supersedes_fact_id;
create unique index facts_superseded_once on facts (tenant_id, supersedes_fact_id) where supersedes_fact_id is not null;

alter table facts
    add column batch_id      uuid    not null,
    add column recorded_by   text    not null,
    add column late          boolean not null default false,
    -- SHA-256 of what the fact says: a repeat with the same hash is a duplicate, with another a conflict.
    add column content_hash  bytea   not null;

-- Tenants are checked when the token is issued; a foreign key would cost every appended row a lookup.
alter table facts drop constraint facts_tenant_id_fkey;

-- Account grains replay their facts past a watermark in id order: this index serves exactly that.
drop index facts_account;
create index facts_account on facts (tenant_id, account_id, fact_id);

-- Accounts known to the tenant (an account.created fact was stored): facts for any other account are refused.
create table accounts (
    tenant_id        text   not null,
    account_id       text   not null,
    created_fact_id  bigint not null,
    primary key (tenant_id, account_id)
);

-- One row per appended batch. applied_at stays null until every fact of the batch reached its grains;
-- the next ingest of the tenant (or the start of a host) applies such batches first.
create table ingest_batches (
    tenant_id      text        not null,
    batch_id       uuid        not null,
    received_at    timestamptz not null default now(),
    recorded_by    text        not null,
    fact_count     integer     not null,
    first_fact_id  bigint,
    last_fact_id   bigint,
    applied_at     timestamptz,
    primary key (tenant_id, batch_id)
);
create index ingest_batches_pending on ingest_batches (tenant_id, first_fact_id) where applied_at is null;

-- Closed months: a fact that occurred in one is stored, counted and flagged late.
create table period_closes (
    tenant_id  text        not null,
    month      date        not null check (extract(day from month) = 1),
    closed_at  timestamptz not null default now(),
    closed_by  text        not null,
    primary key (tenant_id, month)
);
