-- The library map: a 2-D t-SNE layout of each model's vectors, computed in the background and cached per model.
CREATE TABLE map_layouts (
    model_id    bigint PRIMARY KEY REFERENCES models (id) ON DELETE CASCADE,
    state       text             NOT NULL CHECK (state IN ('computing', 'ready')),
    placed      integer          NOT NULL DEFAULT 0,
    seconds     double precision,
    kl          double precision,
    started_at  timestamptz      NOT NULL DEFAULT now(),
    computed_at timestamptz
);
-- A deleted track leaves the map with its row; a new one waits for the next layout.
CREATE TABLE map_points (
    model_id bigint NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    track_id uuid   NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    x        real   NOT NULL,
    y        real   NOT NULL,
    PRIMARY KEY (model_id, track_id)
);
CREATE INDEX map_points_track ON map_points (track_id);
