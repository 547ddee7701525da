-- Retraining (admin API): the job queue lives in PostgreSQL; workers claim jobs with FOR UPDATE SKIP LOCKED.
CREATE TABLE training_jobs (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             text        NOT NULL CHECK (kind IN ('train', 'reembed')),
    state            text        NOT NULL DEFAULT 'queued'
                                 CHECK (state IN ('queued', 'running', 'reembedding', 'succeeded', 'failed', 'cancelled')),
    settings         jsonb       NOT NULL DEFAULT '{}',
    progress         jsonb       NOT NULL DEFAULT '{}',
    model_id         bigint      REFERENCES models (id) ON DELETE SET NULL,
    error            text,
    cancel_requested boolean     NOT NULL DEFAULT false,
    claimed_by       text,
    heartbeat        timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz
);
-- One job at a time: a second one while one is queued or running is refused by this index, not by a read.
CREATE UNIQUE INDEX training_jobs_one_open ON training_jobs ((true)) WHERE state IN ('queued', 'running', 'reembedding');

-- When each model last became active: the previous models' vectors are kept for a configurable number of models.
ALTER TABLE models ADD COLUMN activated_at timestamptz;
UPDATE models SET activated_at = created_at WHERE is_active;
