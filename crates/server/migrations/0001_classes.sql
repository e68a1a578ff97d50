-- One schema for SQLite and PostgreSQL: only TEXT and BIGINT columns (sqlx's Any driver reads
-- both the same way on each), times as integer Unix milliseconds, booleans as 0/1.
CREATE TABLE IF NOT EXISTS classes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    join_code TEXT NOT NULL UNIQUE,
    teacher_hash TEXT NOT NULL UNIQUE,
    locked BIGINT NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS learners (
    id TEXT PRIMARY KEY,
    class_id TEXT NOT NULL REFERENCES classes (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    joined_ms BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS learners_by_class ON learners (class_id);
-- Append-only: rows are inserted with ON CONFLICT DO NOTHING and never updated. The key includes
-- the learner so that one learner can never block another's event id.
CREATE TABLE IF NOT EXISTS events (
    learner_id TEXT NOT NULL,
    id TEXT NOT NULL,
    class_id TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    received_ms BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    card BIGINT NOT NULL,
    mode TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (learner_id, id)
);
CREATE INDEX IF NOT EXISTS events_by_class ON events (class_id, learner_id);
-- Failed join attempts, for the rate limit (kept in the database so that every server process
-- behind a load balancer sees the same counts).
CREATE TABLE IF NOT EXISTS join_failures (
    client TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS join_failures_by_client ON join_failures (client, at_ms);
