-- A library file whose track was deleted through DELETE /tracks/{id} stays out of the index ('excluded') until it
-- changes, or until a rescan is asked to retry (POST /admin/library/scan?retry=true).
ALTER TABLE library_files DROP CONSTRAINT library_files_state_check;
ALTER TABLE library_files ADD CONSTRAINT library_files_state_check CHECK (state IN ('waiting', 'indexed', 'unreadable', 'excluded'));
