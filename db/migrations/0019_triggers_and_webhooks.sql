-- 0019: trigger rules (a tenant's "when this metric of an account does that, tell someone"), the tenant's
-- webhook, the tasks a fired rule opens, the webhook events they produce and every delivery attempt.
-- All append-only like 0010 and row-level secured like 0011: a rule is disabled by a new version, a
-- webhook is replaced by a new version, an attempt is a new row.

create table trigger_rules (
    tenant_id   text        not null references tenants (tenant_id),
    rule_id     uuid        not null,
    version     int         not null check (version >= 1),
    name        text        not null,
    metric_key  text        not null,
    condition   text        not null check (condition in ('enters_band', 'rises_above', 'falls_below')),
    band        text        check (band in ('red', 'yellow', 'green')),
    threshold   numeric,
    enabled     boolean     not null,
    changed_by  text        not null,
    reason      text,
    changed_at  timestamptz not null,
    primary key (tenant_id, rule_id, version),
    check ((condition = 'enters_band') = (band is not null) and (condition = 'enters_band') = (threshold is null))
);

-- The signing secret is stored as issued: the delivery job must read it to sign (HMAC needs the key
-- itself, a hash would not do). Row-level security keeps it to its tenant; no query returns it.
create table webhooks (
    tenant_id  text        not null references tenants (tenant_id),
    version    int         not null check (version >= 1),
    url        text        not null,
    secret     text        not null,
    set_by     text        not null,
    set_at     timestamptz not null,
    primary key (tenant_id, version)
);

-- One task per rule, account and period, whichever run (or silo) gets there first.
create table tasks (
    tenant_id          text        not null references tenants (tenant_id),
    task_id            uuid        not null,
    rule_id            uuid        not null,
    rule_version       int         not null,
    account_id         text        not null,
    owner_executive_id text,
    metric_key         text        not null,
    period             text        not null,
    value              numeric,
    previous           numeric,
    band               text,
    previous_band      text,
    status             text        not null check (status = 'open'),
    opened_by          text        not null,
    opened_at          timestamptz not null,
    primary key (tenant_id, task_id),
    unique (tenant_id, rule_id, account_id, period),
    foreign key (tenant_id, rule_id, rule_version) references trigger_rules (tenant_id, rule_id, version)
);
create index tasks_by_owner on tasks (tenant_id, owner_executive_id, opened_at);

-- The exact body every attempt sends, so receivers see the same event id and bytes each time.
create table webhook_events (
    tenant_id  text        not null references tenants (tenant_id),
    event_id   uuid        not null,
    type       text        not null,
    task_id    uuid,
    body       text        not null,
    created_at timestamptz not null,
    primary key (tenant_id, event_id),
    foreign key (tenant_id, task_id) references tasks (tenant_id, task_id)
);

create table webhook_deliveries (
    tenant_id    text        not null references tenants (tenant_id),
    event_id     uuid        not null,
    attempt      int         not null check (attempt >= 1),
    url          text,
    status_code  int,
    error        text,
    succeeded    boolean     not null,
    duration_ms  int         not null,
    attempted_at timestamptz not null,
    primary key (tenant_id, event_id, attempt),
    foreign key (tenant_id, event_id) references webhook_events (tenant_id, event_id)
);
create index webhook_deliveries_by_time on webhook_deliveries (tenant_id, attempted_at);

do $$
declare
    t text;
begin
    foreach t in array array['trigger_rules', 'webhooks', 'tasks', 'webhook_events', 'webhook_deliveries'] loop
        execute format('create trigger %I before update or delete on %I for each row execute function governance_refuse_change()', t || '_append_only', t);
        execute format('create trigger %I before truncate on %I for each statement execute function governance_refuse_change()', t || '_no_truncate', t);
        execute format('grant select, insert on %I to governance_app', t);
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format($p$create policy tenant_isolation on %I
            using (tenant_id = current_setting('governance.tenant_id', true))
            with check (tenant_id = current_setting('governance.tenant_id', true))$p$, t);
    end loop;
end
$$;
