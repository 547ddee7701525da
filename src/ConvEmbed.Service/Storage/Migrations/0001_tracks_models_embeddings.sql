-- Tracks, models and per-model vectors (docs/architecture.md#data-model).
CREATE TABLE models (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text        NOT NULL CHECK (kind IN ('bootstrap-mfcc', 'encoder')),
    name        text        NOT NULL,
    dimension   integer     NOT NULL CHECK (dimension BETWEEN 1 AND 2000),
    settings    jsonb       NOT NULL DEFAULT '{}',
    folder      text,
    is_active   boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- Exactly one active model: at most one by this index, at least one by the start-up registration.
CREATE UNIQUE INDEX models_one_active ON models ((true)) WHERE is_active;
CREATE UNIQUE INDEX models_one_bootstrap ON models (kind) WHERE kind = 'bootstrap-mfcc';

CREATE TABLE tracks (
    id               uuid             PRIMARY KEY,
    sha256           text             NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    title            text             NOT NULL,
    artist           text,
    album            text,
    tags             text[]           NOT NULL DEFAULT '{}',
    duration_seconds double precision NOT NULL,
    content_type     text             NOT NULL,
    file_name        text,
    size_bytes       bigint           NOT NULL,
    created_at       timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX tracks_artist ON tracks (lower(artist));
CREATE INDEX tracks_tags ON tracks USING gin (tags);
CREATE INDEX tracks_created ON tracks (created_at, id);

-- One row per (model, track). Models differ in dimension, so the column is an untyped vector and each model has
-- its own HNSW index on embedding::vector(D), partial on its id (created with the model).
CREATE TABLE embeddings (
    model_id  bigint NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    track_id  uuid   NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    embedding vector NOT NULL,
    PRIMARY KEY (model_id, track_id)
);
CREATE INDEX embeddings_track ON embeddings (track_id);
