-- 0021: which executive (the executiveId of account.assigned facts, scorecards and plans) a person of the
-- tenant is. A tenant admin links them; versions are appended and the latest counts (null: unlinked).
-- It lets the service know that a committee member is the executive a payout pays, and lets a person
-- see "my" scorecard. Row-level security as 0011.

create table executive_links (
    tenant_id    text        not null references tenants (tenant_id),
    user_id      uuid        not null,
    version      int         not null check (version > 0),
    executive_id text,
    set_by       text        not null,
    reason       text        not null,
    recorded_at  timestamptz not null,
    primary key (tenant_id, user_id, version)
);
create index executive_links_by_executive on executive_links (tenant_id, executive_id);

create trigger executive_links_append_only before update or delete on executive_links
    for each row execute function governance_refuse_change();
create trigger executive_links_no_truncate before truncate on executive_links
    for each statement execute function governance_refuse_change();

grant select, insert on executive_links to governance_app;

alter table executive_links enable row level security;
alter table executive_links force row level security;
create policy tenant_isolation on executive_links
    using (tenant_id = current_setting('governance.tenant_id', true))
    with check (tenant_id = current_setting('governance.tenant_id', true));
