-- A counter that moves whenever what a map shows may have changed: its points (a layout, a placement, a track
-- deleted — cascades fire statement triggers too) or a shown track's title, artist or tags. GET /map/points keeps
-- its last answer, serialised and compressed, for as long as the counter and the map's coverage stay the same.
CREATE TABLE map_version (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    version bigint NOT NULL
);
INSERT INTO map_version (version) VALUES (0);

CREATE FUNCTION map_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE map_version SET version = version + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER map_points_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON map_points
    FOR EACH STATEMENT EXECUTE FUNCTION map_version_bump();
CREATE TRIGGER tracks_shown_changed AFTER UPDATE OF title, artist, tags ON tracks
    FOR EACH STATEMENT EXECUTE FUNCTION map_version_bump();
