-- 0004_orleans_persistence.sql
--
-- Grain state storage for AddAdoNetGrainStorage.
-- Target: Microsoft Orleans 10.4.2, package Microsoft.Orleans.Persistence.AdoNet,
--         invariant "Npgsql", PostgreSQL 15. Requires 0002_orleans_main.sql.
--
-- Contract (taken from the 10.4.2 provider assembly):
--   keys            WriteToStorageKey, ReadFromStorageKey, ClearStorageKey (required);
--                   DeleteStorageKey (optional; required only when a storage is configured
--                   with DeleteStateOnClear = true; provided here so that option works)
--   parameters      @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
--                   @GrainIdExtensionString, @ServiceId, @GrainStateVersion (write/clear/
--                   delete), @PayloadBinary (write)
--   result columns  read: PayloadBinary, Version; write: NewGrainStateVersion;
--                   clear/delete: one value, the new version.
--
-- Versioning (the ETag): the provider passes the version it last read (NULL = never read /
-- no row) and treats the returned version as the new ETag. Returning the same version, or
-- nothing, makes it throw InconsistentStateException, which is how a lost race shows up.
--
-- Only a binary payload is stored. 10.4.2 serialises state with the configured grain
-- storage serializer (JSON by default) into @PayloadBinary and never binds the
-- PayloadJson/PayloadXml parameters older upstream scripts still reference, so those
-- columns are left out.
--
-- Grain keys: integer keys arrive as N0 = 0, N1 = key; Guid keys split into N0/N1; string
-- keys arrive as N0 = N1 = 0 with the key in @GrainIdExtensionString; a key extension (for
-- compound keys) also goes into @GrainIdExtensionString, which is NULL otherwise.
-- GrainIdHash/GrainTypeHash are hashes the provider computes; the table is located through
-- them and the clear-text columns only settle hash collisions.
--
-- Beware: despite its name, GrainTypeString receives the *state name* (the name given in
-- [PersistentState("name", "storage")]), not the grain class, and the grain-id columns hold
-- only the key, not the grain type. Two grain classes with the same key that use the same
-- state name on the same storage therefore share one row (upstream issues dotnet/orleans
-- #8746 and #9737). Give every persistent state a name unique across grain classes.

create table orleansstorage
(
    grainidhash            integer        not null,
    grainidn0              bigint         not null,
    grainidn1              bigint         not null,
    graintypehash          integer        not null,
    graintypestring        varchar(512)   not null,
    grainidextensionstring varchar(512)   null,
    serviceid              varchar(150)   not null,
    payloadbinary          bytea          null,     -- NULL after ClearState
    modifiedon             timestamptz    not null, -- informational only
    version                integer        not null  -- the ETag
);

-- Narrow on purpose (two ints): it stays small however long type names and keys get.
create index ix_orleansstorage on orleansstorage (grainidhash, graintypehash);

-- Write = optimistic update when the caller holds a version, insert-if-absent otherwise.
-- There is no unique constraint on the full grain identity (it would be a very wide
-- index), so two activations of the same grain inserting at once could both pass the
-- "not exists" check. To prevent a duplicate row (which would break every later read) the
-- insert path takes a transaction-scoped advisory lock on the two hashes first; each
-- statement in this volatile function sees a fresh snapshot, so the check after the lock
-- sees a row committed by the lock's previous holder. pg_advisory_xact_lock needs no
-- special privilege and is released at the end of the provider's (autocommit) statement.
create function orleans_storage_write(
    p_grain_id_hash     integer,
    p_grain_id_n0       bigint,
    p_grain_id_n1       bigint,
    p_grain_type_hash   integer,
    p_grain_type        varchar,
    p_grain_id_ext      varchar,
    p_service_id        varchar,
    p_version           integer,
    p_payload           bytea)
returns table (newgrainstateversion integer)
language plpgsql
as $fn$
declare
    v_rows integer := 0;
begin
    if p_version is not null then
        update orleansstorage
        set    payloadbinary = p_payload,
               modifiedon    = now(),
               version       = version + 1
        where  grainidhash = p_grain_id_hash
          and  graintypehash = p_grain_type_hash
          and  grainidn0 = p_grain_id_n0
          and  grainidn1 = p_grain_id_n1
          and  graintypestring = p_grain_type
          and  grainidextensionstring is not distinct from p_grain_id_ext
          and  serviceid = p_service_id
          and  version = p_version;

        get diagnostics v_rows = row_count;
        -- Unchanged version tells the provider the write lost.
        return query select case when v_rows > 0 then p_version + 1 else p_version end;
        return;
    end if;

    perform pg_advisory_xact_lock(p_grain_id_hash, p_grain_type_hash);

    insert into orleansstorage
        (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
         grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
    select p_grain_id_hash, p_grain_id_n0, p_grain_id_n1, p_grain_type_hash, p_grain_type,
           p_grain_id_ext, p_service_id, p_payload, now(), 1
    where not exists
    (
        select 1
        from   orleansstorage
        where  grainidhash = p_grain_id_hash
          and  graintypehash = p_grain_type_hash
          and  grainidn0 = p_grain_id_n0
          and  grainidn1 = p_grain_id_n1
          and  graintypestring = p_grain_type
          and  grainidextensionstring is not distinct from p_grain_id_ext
          and  serviceid = p_service_id
    );

    get diagnostics v_rows = row_count;
    -- NULL tells the provider someone else created the row first.
    return query select case when v_rows > 0 then 1 end;
end
$fn$;

insert into orleansquery (querykey, querytext)
values
('WriteToStorageKey', $q$
    select newgrainstateversion
    from orleans_storage_write(
        @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);
$q$),

-- No row: the provider starts from a fresh state with no ETag.
-- Row with NULL payload (cleared): fresh state, but the ETag continues from the row.
('ReadFromStorageKey', $q$
    select payloadbinary, version
    from   orleansstorage
    where  grainidhash = @GrainIdHash
      and  graintypehash = @GrainTypeHash
      and  grainidn0 = @GrainIdN0
      and  grainidn1 = @GrainIdN1
      and  graintypestring = @GrainTypeString
      and  grainidextensionstring is not distinct from @GrainIdExtensionString
      and  serviceid = @ServiceId;
$q$),

-- ClearState (default): keep the row, drop the payload, bump the version. No row back
-- (version mismatch) = conflict.
('ClearStorageKey', $q$
    update orleansstorage
    set    payloadbinary = null,
           modifiedon    = now(),
           version       = version + 1
    where  grainidhash = @GrainIdHash
      and  graintypehash = @GrainTypeHash
      and  grainidn0 = @GrainIdN0
      and  grainidn1 = @GrainIdN1
      and  graintypestring = @GrainTypeString
      and  grainidextensionstring is not distinct from @GrainIdExtensionString
      and  serviceid = @ServiceId
      and  version = @GrainStateVersion
    returning version as newgrainstateversion;
$q$),

-- ClearState with DeleteStateOnClear = true: remove the row. The provider still wants a
-- version different from the one it sent, so report the one a clear would have produced.
('DeleteStorageKey', $q$
    delete from orleansstorage
    where  grainidhash = @GrainIdHash
      and  graintypehash = @GrainTypeHash
      and  grainidn0 = @GrainIdN0
      and  grainidn1 = @GrainIdN1
      and  graintypestring = @GrainTypeString
      and  grainidextensionstring is not distinct from @GrainIdExtensionString
      and  serviceid = @ServiceId
      and  version = @GrainStateVersion
    returning version + 1 as newgrainstateversion;
$q$);
