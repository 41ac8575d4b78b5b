-- 0012: people managed by tenant admins: users can be disabled, and every change to a user, their
-- roles or a tenant's clients is recorded append-only (who, when, why, before/after) so the audit
-- log can include it. Numbered 0012 because 0010 and 0011 are reserved for work in flight; the
-- runner applies missing lower numbers when they land, and nothing here depends on them.

-- A disabled person can no longer sign in, get a code or refresh a token; the row stays, so their
-- past actions keep a name. Disabling is one-way for now (no enable).
alter table tenant_users
    add column disabled_at timestamptz,
    add column disabled_by text,
    add check ((disabled_at is null) = (disabled_by is null));

-- One row per change. subject is the username (kind 'user', with user_id) or the client id (kind
-- 'client'); before/after are JSON snapshots ({"roles": [...], "disabled": bool, ...}), null before
-- a creation.
create table user_events (
    tenant_id     text not null references tenants (tenant_id),
    seq           bigint generated always as identity,
    subject_kind  text not null check (subject_kind in ('user', 'client')),
    subject       text not null,
    user_id       uuid,
    action        text not null check (action in ('user_created', 'roles_granted', 'roles_revoked', 'user_disabled', 'client_created')),
    actor         text not null,
    at            timestamptz not null,
    reason        text,
    before        jsonb,
    after         jsonb not null,
    primary key (tenant_id, seq),
    check ((subject_kind = 'user') = (user_id is not null)),
    check (action in ('user_created', 'client_created') or reason is not null)
);
create index user_events_subject on user_events (tenant_id, subject_kind, lower(subject), seq);

create trigger user_events_append_only before update or delete on user_events
    for each row execute function governance_refuse_change();
create trigger user_events_no_truncate before truncate on user_events
    for each statement execute function governance_refuse_change();
