-- Each model's passage index now holds the passages that tile a track without overlap (every other one at 3 s every
-- 1.5 s; PassageIndex.Indexed): half the graph inserts per upload. The old indexes held every passage; they are
-- dropped here and rebuilt with the new condition when the service starts (ModelStore, once per model).
DO $$
DECLARE
    name text;
BEGIN
    FOR name IN SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'passages\_hnsw\_m%'
    LOOP
        EXECUTE format('DROP INDEX %I', name);
    END LOOP;
END
$$;
