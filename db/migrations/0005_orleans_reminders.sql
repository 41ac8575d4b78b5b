-- 0005_orleans_reminders.sql
--
-- Reminder table and queries for UseAdoNetReminderService.
-- Target: Microsoft Orleans 10.4.2, package Microsoft.Orleans.Reminders.AdoNet,
--         invariant "Npgsql", PostgreSQL 15. Requires 0002_orleans_main.sql.
--
-- Contract (taken from the 10.4.2 provider assembly):
--   required keys   ReadReminderRowsKey, ReadReminderRowKey, ReadRangeRows1Key,
--                   ReadRangeRows2Key, UpsertReminderRowKey, DeleteReminderRowKey,
--                   DeleteReminderRowsKey
--   parameters      @ServiceId, @GrainId, @ReminderName, @StartTime, @Period (int32 or
--                   int64 milliseconds, whichever fits), @GrainHash, @BeginHash, @EndHash,
--                   @Version
--   result columns  GrainId, ReminderName, StartTime, Period, Version; upsert returns
--                   Version (the new ETag); delete returns one value (>0 = deleted).
--
-- Deliberately NOT included: the CronExpression/NextDueUtc/LastFireUtc/Priority/Action
-- columns found in newer upstream revisions of this script. The 10.4.2 provider never binds
-- those parameters (it sends only the ones listed above), and a query referencing them
-- would fail at the first reminder registration.

create table orleansreminderstable
(
    serviceid    varchar(150)   not null,
    grainid      varchar(150)   not null, -- GrainId.ToString(), e.g. "mygrain/key"
    remindername varchar(150)   not null,
    starttime    timestamptz(3) not null,
    period       bigint         not null, -- milliseconds; bigint so periods > ~24.8 days fit
    grainhash    integer        not null, -- GrainId uniform hash (uint32 stored as int32)
    version      integer        not null, -- the ETag

    constraint pk_reminderstable_serviceid_grainid_remindername
        primary key (serviceid, grainid, remindername)
);

-- Each silo loads the reminders of its slice of the hash ring (ReadRangeRows*); without
-- this index that is a scan of the whole service's reminders.
create index ix_reminderstable_serviceid_grainhash on orleansreminderstable (serviceid, grainhash);

insert into orleansquery (querykey, querytext)
values
-- Register or re-register. A new reminder starts at version 0; every change bumps it.
('UpsertReminderRowKey', $q$
    insert into orleansreminderstable
        (serviceid, grainid, remindername, starttime, period, grainhash, version)
    values
        (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    on conflict (serviceid, grainid, remindername) do update
        set starttime = excluded.starttime,
            period    = excluded.period,
            grainhash = excluded.grainhash,
            version   = orleansreminderstable.version + 1
    returning version;
$q$),

('ReadReminderRowsKey', $q$
    select grainid, remindername, starttime, period, version
    from   orleansreminderstable
    where  serviceid = @ServiceId
      and  grainid = @GrainId;
$q$),

('ReadReminderRowKey', $q$
    select grainid, remindername, starttime, period, version
    from   orleansreminderstable
    where  serviceid = @ServiceId
      and  grainid = @GrainId
      and  remindername = @ReminderName;
$q$),

-- Range (BeginHash, EndHash] that does not wrap around in signed order.
('ReadRangeRows1Key', $q$
    select grainid, remindername, starttime, period, version
    from   orleansreminderstable
    where  serviceid = @ServiceId
      and  grainhash > @BeginHash
      and  grainhash <= @EndHash;
$q$),

-- Range that wraps around: everything above BeginHash plus everything up to EndHash.
('ReadRangeRows2Key', $q$
    select grainid, remindername, starttime, period, version
    from   orleansreminderstable
    where  serviceid = @ServiceId
      and  (grainhash > @BeginHash or grainhash <= @EndHash);
$q$),

-- Unregister, only if the caller still holds the current version.
('DeleteReminderRowKey', $q$
    with deleted as
    (
        delete from orleansreminderstable
        where  serviceid = @ServiceId
          and  grainid = @GrainId
          and  remindername = @ReminderName
          and  version = @Version
        returning 1
    )
    select count(*)::integer as row_count from deleted;
$q$),

-- Drops every reminder of a service (tooling/tests).
('DeleteReminderRowsKey', $q$
    delete from orleansreminderstable
    where  serviceid = @ServiceId;
$q$);
