-- 0002_orleans_main.sql
--
-- Query catalogue for the Orleans ADO.NET providers.
-- Target: Microsoft Orleans 10.4.2, ADO.NET clustering / persistence / reminders,
--         invariant "Npgsql" (Npgsql 10.x), PostgreSQL 15.
--
-- The Orleans ADO.NET providers ship no SQL of their own at runtime. At start-up each
-- provider runs exactly
--     SELECT QueryKey, QueryText FROM OrleansQuery
-- (persistence adds a WHERE on its own keys) and from then on executes only the query
-- texts it finds here, binding its parameters by name (@Name) and reading the result
-- columns by name. So this table is the contract between the providers and our schema:
--   * the query keys must be spelled exactly as the provider expects (the clustering and
--     reminder providers refuse to start with "Not all required queries found" otherwise);
--   * the texts may be written however we like, as long as they use the provider's
--     parameter names and return the column names it reads.
-- Migrations 0003-0005 insert the keys for each provider next to the tables they use.
--
-- Identifiers are unquoted on purpose: PostgreSQL folds them to lower case, and both the
-- provider's own SELECT above and Npgsql's case-insensitive column lookup rely on that.
-- Nothing is schema-qualified, so the objects land in the first schema of the migration
-- runner's search_path (normally "public"); the silo's connection must see the same
-- search_path.

create table orleansquery
(
    -- Name the provider looks the query up by, e.g. 'InsertMembershipKey'.
    querykey  varchar(64) not null,
    -- Parameterised SQL the provider executes verbatim through Npgsql.
    -- text rather than a length-limited varchar: the provider does not care, and it
    -- saves us from a truncation error when a query grows.
    querytext text        not null,

    constraint orleansquery_key primary key (querykey)
);

comment on table orleansquery is
    'Orleans 10.4.2 ADO.NET providers: stored queries, read once per provider at silo start. Keys must match the provider exactly.';
