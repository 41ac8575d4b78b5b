-- 0016: scorecards, incentive plans, the committee's quorum and payouts (docs/incentives.md).
-- Everything is append-only like 0009/0010: a scorecard or plan change is a new version with the date it
-- takes effect, a payout's life is a list of events its state is derived from. Row-level security as 0011.

create table scorecard_versions (
    tenant_id      text        not null references tenants (tenant_id),
    executive_id   text        not null,
    version        int         not null check (version > 0),
    effective_from date        not null,
    template       text,
    document       jsonb       not null,
    author         text        not null,
    reason         text        not null,
    recorded_at    timestamptz not null,
    primary key (tenant_id, executive_id, version)
);

create table plan_versions (
    tenant_id      text        not null references tenants (tenant_id),
    executive_id   text        not null,
    version        int         not null check (version > 0),
    effective_from date        not null,
    payee_user_id  text        not null,
    document       jsonb       not null,
    author         text        not null,
    reason         text        not null,
    recorded_at    timestamptz not null,
    primary key (tenant_id, executive_id, version)
);

create table committee_settings (
    tenant_id   text        not null references tenants (tenant_id),
    version     int         not null check (version > 0),
    quorum      int         not null check (quorum between 1 and 20),
    set_by      text        not null,
    reason      text        not null,
    recorded_at timestamptz not null,
    primary key (tenant_id, version)
);

create table payouts (
    tenant_id     text        not null references tenants (tenant_id),
    payout_id     uuid        not null,
    executive_id  text        not null,
    period        text        not null,
    payee_user_id text        not null,
    total         numeric     not null check (total >= 0),
    currency      text        not null,
    statement     jsonb       not null,
    pin_ids       uuid[]      not null,
    proposed_by   text        not null,
    proposed_at   timestamptz not null,
    reason        text        not null,
    primary key (tenant_id, payout_id)
);
create index payouts_by_executive on payouts (tenant_id, executive_id, period);

create table payout_events (
    tenant_id text        not null references tenants (tenant_id),
    payout_id uuid        not null,
    seq       int         not null check (seq >= 0),
    kind      text        not null,
    actor     text        not null,
    reason    text,
    tranche   int,
    evidence  jsonb,
    at        timestamptz not null,
    primary key (tenant_id, payout_id, seq),
    foreign key (tenant_id, payout_id) references payouts (tenant_id, payout_id)
);

do $$
declare
    t text;
begin
    foreach t in array array['scorecard_versions', 'plan_versions', 'committee_settings', 'payouts', 'payout_events'] loop
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
