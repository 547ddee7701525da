-- Library folders indexed in place: a track may reference a file in a library folder instead of an uploaded blob.
ALTER TABLE tracks ADD COLUMN path text;
CREATE UNIQUE INDEX tracks_path ON tracks (path) WHERE path IS NOT NULL;

-- Every audio file a scan saw, with what became of it. A restart finds the files still waiting here.
CREATE TABLE library_files (
    path        text        PRIMARY KEY,
    size_bytes  bigint      NOT NULL,
    mtime       timestamptz NOT NULL,
    state       text        NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'indexed', 'unreadable')),
    reason      text,
    track_id    uuid        REFERENCES tracks (id) ON DELETE SET NULL,
    scan        bigint      NOT NULL,
    claimed_by  text,
    claimed_at  timestamptz,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX library_files_waiting ON library_files (path) WHERE state = 'waiting';
CREATE INDEX library_files_track ON library_files (track_id);

CREATE TABLE library_scans (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    seen        bigint      NOT NULL DEFAULT 0
);
