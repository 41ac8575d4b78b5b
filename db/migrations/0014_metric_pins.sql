-- 0014: pinned metric values (docs/api.md, "Lineage and pins"): a value, the definition version that
-- produced it and the exact facts behind it (sorted ids, and a SHA-256 digest over each id and its
-- content hash), stored together so verifyPinned can recompute and say what changed. Append-only,
-- like 0010, under the row-level security of 0011/0013.

create table metric_pins (
    tenant_id    text        not null references tenants (tenant_id),
    pin_id       uuid        not null,
    key          text        not null,
    version      int         not null,
    scope        text        not null,
    period       text        not null,
    value        numeric,
    null_reason  text,
    fact_ids     bigint[]    not null,
    digest       bytea       not null check (length(digest) = 32),
    pinned_by    text        not null,
    pinned_at    timestamptz not null,
    reason       text        not null,
    primary key (tenant_id, pin_id)
);
create index metric_pins_by_value on metric_pins (tenant_id, key, scope, period);

create trigger metric_pins_append_only before update or delete on metric_pins
    for each row execute function governance_refuse_change();
create trigger metric_pins_no_truncate before truncate on metric_pins
    for each statement execute function governance_refuse_change();

grant select, insert on metric_pins to governance_app;

alter table metric_pins enable row level security;
alter table metric_pins force row level security;
create policy tenant_isolation on metric_pins
    using (tenant_id = current_setting('governance.tenant_id', true))
    with check (tenant_id = current_setting('governance.tenant_id', true));
