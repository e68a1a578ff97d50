-- Joining order: joined_ms ties when two learners join in the same millisecond, so each learner
-- gets a number from one counter (a row updated under its lock on both databases; SQLite and
-- PostgreSQL share no auto-increment syntax that ALTER TABLE can add). Learners already stored
-- are numbered in the order they were listed before (joined_ms, name, id), and the counter
-- continues after them.
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
ALTER TABLE learners ADD COLUMN seq BIGINT;
UPDATE learners SET seq = (
    SELECT COUNT(*) FROM learners AS o
    WHERE o.joined_ms < learners.joined_ms
       OR (o.joined_ms = learners.joined_ms
           AND (o.name < learners.name OR (o.name = learners.name AND o.id <= learners.id)))
);
INSERT INTO counters (name, value) SELECT 'learners', COUNT(*) FROM learners;
CREATE INDEX IF NOT EXISTS learners_by_class_seq ON learners (class_id, seq);
