-- 0003_orleans_clustering.sql
--
-- Cluster membership tables and queries for UseAdoNetClustering (silos) and the ADO.NET
-- gateway list provider (clients).
-- Target: Microsoft Orleans 10.4.2, package Microsoft.Orleans.Clustering.AdoNet,
--         invariant "Npgsql", PostgreSQL 15. Requires 0002_orleans_main.sql.
--
-- Contract (taken from the 10.4.2 provider assembly, not only from upstream scripts):
--   required keys   UpdateIAmAlivetimeKey, InsertMembershipVersionKey, InsertMembershipKey,
--                   UpdateMembershipKey, MembershipReadRowKey, MembershipReadAllKey,
--                   DeleteMembershipTableEntriesKey, GatewaysQueryKey,
--                   CleanupDefunctSiloEntriesKey
--   optional key    CleanupDefunctSiloEntryKey (10.4.2 prefers it when present)
--   parameters      @DeploymentId (= ClusterId), @Address, @Port, @Generation, @SiloName,
--                   @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime,
--                   @SuspectTimes, @Version
--   result columns  DeploymentId, Address, Port, Generation, SiloName, HostName, Status,
--                   ProxyPort, SuspectTimes, StartTime, IAmAliveTime, Version; the
--                   insert/update queries return one row with one column (>0 = success).
--
-- Deliberately NOT included: the MetadataJson column/parameter found in newer
-- upstream revisions of this script. 10.4.2 never binds @MetadataJson, so a query that
-- referenced it would fail at the first membership write.
--
-- SiloStatus values stored in Status: 0 None, 1 Created, 2 Joining, 3 Active,
-- 4 ShuttingDown, 5 Stopping, 6 Dead.

-- One row per cluster. Version is the optimistic-concurrency token of the whole
-- membership table: every membership insert/update must present the version it read and
-- bumps it, so two silos cannot both win a conflicting change.
create table orleansmembershipversiontable
(
    deploymentid varchar(150)   not null,
    timestamp    timestamptz(3) not null default now(),
    version      integer        not null default 0,

    constraint pk_orleansmembershipversiontable_deploymentid primary key (deploymentid)
);

-- One row per silo incarnation (address + port + generation).
create table orleansmembershiptable
(
    deploymentid varchar(150)   not null,
    address      varchar(45)    not null, -- IPv4 or IPv6 text form
    port         integer        not null, -- silo-to-silo port
    generation   integer        not null, -- distinguishes restarts on the same endpoint
    siloname     varchar(150)   not null,
    hostname     varchar(150)   not null,
    status       integer        not null, -- SiloStatus, see header
    proxyport    integer        null,     -- gateway port, 0 when the silo is no gateway
    suspecttimes varchar(8000)  null,     -- "silo,time|silo,time" death votes, provider format
    starttime    timestamptz(3) not null,
    iamalivetime timestamptz(3) not null,

    constraint pk_membershiptable_deploymentid primary key (deploymentid, address, port, generation),
    constraint fk_membershiptable_membershipversiontable_deploymentid
        foreign key (deploymentid) references orleansmembershipversiontable (deploymentid)
);

-- Insert a silo row, guarded by the table version.
-- The version row is bumped first: its row lock serialises concurrent writers of the same
-- cluster. If the version is stale, or the silo row already exists, we raise inside an
-- inner block, which rolls the version bump back (a plpgsql exception block is a
-- savepoint), and report 0. RAISE is used instead of ASSERT because ASSERT is a no-op when
-- plpgsql.check_asserts is off, which would leave a bumped version without its row.
-- Version < int max: the provider parses the version as int32; refuse instead of overflow.
create function orleans_membership_insert(
    p_deployment_id varchar,
    p_address       varchar,
    p_port          integer,
    p_generation    integer,
    p_silo_name     varchar,
    p_host_name     varchar,
    p_status        integer,
    p_proxy_port    integer,
    p_start_time    timestamptz,
    p_i_am_alive    timestamptz,
    p_version       integer)
returns table (row_count integer)
language plpgsql
as $fn$
declare
    v_rows integer := 0;
begin
    begin
        update orleansmembershipversiontable
        set    timestamp = now(),
               version   = version + 1
        where  deploymentid = p_deployment_id
          and  version = p_version
          and  version < 2147483647;

        get diagnostics v_rows = row_count;
        if v_rows = 0 then
            raise exception 'stale membership version' using errcode = 'assert_failure';
        end if;

        insert into orleansmembershiptable
            (deploymentid, address, port, generation, siloname, hostname,
             status, proxyport, starttime, iamalivetime)
        values
            (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
             p_status, p_proxy_port, p_start_time, p_i_am_alive)
        on conflict (deploymentid, address, port, generation) do nothing;

        get diagnostics v_rows = row_count;
        if v_rows = 0 then
            raise exception 'membership row already exists' using errcode = 'assert_failure';
        end if;
    exception
        when assert_failure then
            v_rows := 0;
    end;

    return query select v_rows;
end
$fn$;

-- Update a silo row (status, death votes, liveness), guarded by the table version in the
-- same way as orleans_membership_insert. IAmAliveTime never moves backwards: a delayed
-- write carrying an older heartbeat must not make a live silo look stale.
create function orleans_membership_update(
    p_deployment_id varchar,
    p_address       varchar,
    p_port          integer,
    p_generation    integer,
    p_status        integer,
    p_suspect_times varchar,
    p_i_am_alive    timestamptz,
    p_version       integer)
returns table (row_count integer)
language plpgsql
as $fn$
declare
    v_rows integer := 0;
begin
    begin
        update orleansmembershipversiontable
        set    timestamp = now(),
               version   = version + 1
        where  deploymentid = p_deployment_id
          and  version = p_version
          and  version < 2147483647;

        get diagnostics v_rows = row_count;
        if v_rows = 0 then
            raise exception 'stale membership version' using errcode = 'assert_failure';
        end if;

        update orleansmembershiptable
        set    status       = p_status,
               suspecttimes = p_suspect_times,
               iamalivetime = greatest(iamalivetime, p_i_am_alive)
        where  deploymentid = p_deployment_id
          and  address = p_address
          and  port = p_port
          and  generation = p_generation;

        get diagnostics v_rows = row_count;
        if v_rows = 0 then
            raise exception 'membership row not found' using errcode = 'assert_failure';
        end if;
    exception
        when assert_failure then
            v_rows := 0;
    end;

    return query select v_rows;
end
$fn$;

insert into orleansquery (querykey, querytext)
values
-- Creates the cluster's version row on first start; returns 1 if created, 0 if it existed.
-- Single statement, so no function is needed.
('InsertMembershipVersionKey', $q$
    with inserted as
    (
        insert into orleansmembershipversiontable (deploymentid)
        values (@DeploymentId)
        on conflict (deploymentid) do nothing
        returning 1
    )
    select count(*)::integer as row_count from inserted;
$q$),

('InsertMembershipKey', $q$
    select row_count
    from orleans_membership_insert(
        @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
$q$),

('UpdateMembershipKey', $q$
    select row_count
    from orleans_membership_update(
        @DeploymentId, @Address, @Port, @Generation,
        @Status, @SuspectTimes, @IAmAliveTime, @Version);
$q$),

-- Heartbeat. Not version-guarded (the provider ignores the result); monotonic, see above.
('UpdateIAmAlivetimeKey', $q$
    update orleansmembershiptable
    set    iamalivetime = greatest(iamalivetime, @IAmAliveTime)
    where  deploymentid = @DeploymentId
      and  address = @Address
      and  port = @Port
      and  generation = @Generation;
$q$),

-- One silo plus the table version. The left join matters: the provider takes the version
-- from the first row, so a row must come back even when the silo has no entry yet
-- (StartTime is then NULL, which the provider reads as "no entry").
('MembershipReadRowKey', $q$
    select v.deploymentid,
           m.address, m.port, m.generation, m.siloname, m.hostname, m.status,
           m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime,
           v.version
    from   orleansmembershipversiontable v
           left join orleansmembershiptable m
                  on m.deploymentid = v.deploymentid
                 and m.address = @Address
                 and m.port = @Port
                 and m.generation = @Generation
    where  v.deploymentid = @DeploymentId;
$q$),

-- Whole cluster plus the table version (same left-join reasoning as above).
('MembershipReadAllKey', $q$
    select v.deploymentid,
           m.address, m.port, m.generation, m.siloname, m.hostname, m.status,
           m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime,
           v.version
    from   orleansmembershipversiontable v
           left join orleansmembershiptable m
                  on m.deploymentid = v.deploymentid
    where  v.deploymentid = @DeploymentId;
$q$),

-- Wipes a cluster (used by tooling/tests, not in normal operation).
('DeleteMembershipTableEntriesKey', $q$
    delete from orleansmembershiptable where deploymentid = @DeploymentId;
    delete from orleansmembershipversiontable where deploymentid = @DeploymentId;
$q$),

-- Gateways for clients; the provider binds @Status = 3 (Active).
('GatewaysQueryKey', $q$
    select address, proxyport, generation
    from   orleansmembershiptable
    where  deploymentid = @DeploymentId
      and  status = @Status
      and  proxyport > 0;
$q$),

-- Defunct-silo pruning, bulk form. 10.4.2 insists that this key exists but only runs it
-- when CleanupDefunctSiloEntryKey below is missing. Only Dead rows whose start and last
-- heartbeat are both older than the cut-off go; a row in any other state may still matter
-- to the membership protocol. Death votes are not looked at here: a silo that shut down
-- cleanly records a vote against itself, so requiring an empty SuspectTimes (as one
-- upstream revision does) would never remove those rows.
('CleanupDefunctSiloEntriesKey', $q$
    delete from orleansmembershiptable
    where  deploymentid = @DeploymentId
      and  status = 6
      and  iamalivetime < @IAmAliveTime
      and  starttime < @IAmAliveTime;
$q$),

-- Defunct-silo pruning, per-row form (preferred by 10.4.2). The provider reads the table,
-- picks Dead rows older than the cut-off and deletes each one only if it still has exactly
-- the values it saw, so a row changed in the meantime survives.
('CleanupDefunctSiloEntryKey', $q$
    delete from orleansmembershiptable
    where  deploymentid = @DeploymentId
      and  address = @Address
      and  port = @Port
      and  generation = @Generation
      and  status = 6
      and  starttime = @StartTime
      and  iamalivetime = @IAmAliveTime
      and  coalesce(suspecttimes, '') = coalesce(@SuspectTimes, '');
$q$);
