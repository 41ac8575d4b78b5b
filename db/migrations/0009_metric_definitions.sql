-- 0009: versioned metric definitions (product §4) and their lifecycle events.
-- Both tables are append-only: a version's content never changes once stored, and its status is
-- derived from its events (retired if a 'retired' event exists, else approved if an 'approved' one
-- does, else draft), so nothing is ever updated. Enum columns hold the C# member names.

create table metric_definitions (
    tenant_id       text        not null references tenants (tenant_id),
    key             text        not null check (key ~ '^[a-z][a-z0-9_]{1,62}$'),
    version         integer     not null check (version >= 1),
    kind            text        not null check (kind in ('Formula', 'HealthScore')),
    name            text        not null,
    description     text        not null,
    formula         text,
    health          jsonb,
    unit            text        not null,
    direction       text        not null,
    focus_area      text        not null,
    journey_stage   text        not null,
    indicator       text        not null,
    data_owner      text        not null,
    effective_from  date        not null,
    reason          text        not null,
    author          text        not null,
    proposed_at     timestamptz not null default now(),
    primary key (tenant_id, key, version),
    -- A formula metric has a formula and no health spec; a health score the other way round.
    check ((kind = 'Formula' and formula is not null and health is null)
        or (kind = 'HealthScore' and formula is null and health is not null))
);

create table metric_definition_events (
    tenant_id  text        not null,
    key        text        not null,
    version    integer     not null,
    seq        bigint      generated always as identity,
    event      text        not null check (event in ('approved', 'retired')),
    actor      text        not null,
    reason     text,
    at         timestamptz not null default now(),
    primary key (tenant_id, seq),
    foreign key (tenant_id, key, version) references metric_definitions (tenant_id, key, version),
    check (event <> 'retired' or reason is not null)
);
-- A version is approved at most once and retired at most once, even if two callers race past the
-- application's checks; this index also serves the status lookups.
create unique index metric_definition_events_once on metric_definition_events (tenant_id, key, version, event);

-- Refuses any change to an append-only table. Row triggers cover UPDATE and DELETE; TRUNCATE needs
-- its own statement trigger.
create function governance_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
        using errcode = 'object_not_in_prerequisite_state',
              hint = 'Definitions change by new versions and events, never in place.';
end
$$;

create trigger metric_definitions_append_only before update or delete on metric_definitions
    for each row execute function governance_refuse_change();
create trigger metric_definitions_no_truncate before truncate on metric_definitions
    for each statement execute function governance_refuse_change();
create trigger metric_definition_events_append_only before update or delete on metric_definition_events
    for each row execute function governance_refuse_change();
create trigger metric_definition_events_no_truncate before truncate on metric_definition_events
    for each statement execute function governance_refuse_change();
