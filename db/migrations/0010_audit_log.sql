-- 0010: the tamper-evident audit log (product §6, docs/audit.md). Per tenant, entries are numbered
-- 0, 1, 2 … without gaps (the appender holds the tenant's advisory lock) and each row keeps the
-- RFC 6962 leaf hash of its canonical bytes; checkpoints are signed (tree size, root, time) triples.
-- Both tables are append-only, like 0009's. The triggers stop mistakes, not a superuser: what catches
-- a superuser's edit is the hashes, recomputed from the stored fields by verifyAuditLog.

create table audit_entries (
    tenant_id  text        not null references tenants (tenant_id),
    seq        bigint      not null check (seq >= 0),
    at         timestamptz not null,
    actor      text        not null,
    action     text        not null,
    subject    text        not null,
    reason     text,
    before     jsonb,
    after      jsonb,
    leaf_hash  bytea       not null check (length(leaf_hash) = 32),
    primary key (tenant_id, seq)
);
create index audit_entries_by_action on audit_entries (tenant_id, action, seq);
create index audit_entries_by_actor on audit_entries (tenant_id, actor, seq);

create table audit_checkpoints (
    tenant_id  text        not null references tenants (tenant_id),
    tree_size  bigint      not null check (tree_size >= 1),
    root_hash  bytea       not null check (length(root_hash) = 32),
    at         timestamptz not null,
    key_id     text        not null,
    signature  bytea       not null,
    primary key (tenant_id, tree_size)
);

create trigger audit_entries_append_only before update or delete on audit_entries
    for each row execute function governance_refuse_change();
create trigger audit_entries_no_truncate before truncate on audit_entries
    for each statement execute function governance_refuse_change();
create trigger audit_checkpoints_append_only before update or delete on audit_checkpoints
    for each row execute function governance_refuse_change();
create trigger audit_checkpoints_no_truncate before truncate on audit_checkpoints
    for each statement execute function governance_refuse_change();
