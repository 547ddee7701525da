-- Passages (docs/passages.md): one half-precision vector per stretch of a track (e.g. 3 s every 1.5 s), per model.
-- Like embeddings, the column is untyped and each model has its own HNSW index on embedding::halfvec(D), partial on
-- its id. Passage `seq` starts at seq · hop seconds, so a clip's passages line up with a track's by index.
CREATE TABLE passages (
    model_id      bigint  NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    track_id      uuid    NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    seq           integer NOT NULL CHECK (seq >= 0),
    start_seconds real    NOT NULL,
    end_seconds   real    NOT NULL CHECK (end_seconds > start_seconds),
    embedding     halfvec NOT NULL,
    PRIMARY KEY (model_id, track_id, seq)
);
CREATE INDEX passages_track ON passages (track_id);

-- Each model's passages are cut by the plan it was registered with (a model's passages never mix two plans).
ALTER TABLE models
    ADD COLUMN passage_seconds     real NOT NULL DEFAULT 3 CHECK (passage_seconds > 0),
    ADD COLUMN passage_hop_seconds real NOT NULL DEFAULT 1.5 CHECK (passage_hop_seconds > 0);
