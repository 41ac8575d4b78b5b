-- 0015: the measure readings a pinned value was computed from (docs/api.md, "Lineage and pins"), so
-- pinnedLineage explains a run with the measures as they were read then, not as the grains hold them
-- now. A JSON array of {"measure", "periodOffset", "value"} in the order the formula read them; null
-- for pins made before this migration, whose readings were not kept.
-- A nullable column with no default rewrites no row and fires no row trigger: the append-only triggers
-- and the row-level security of 0014 stand, and the grant on the table covers the new column.

alter table metric_pins
    add column measures jsonb check (jsonb_typeof(measures) = 'array');
