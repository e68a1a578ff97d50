//! Storage: one code base and one schema for SQLite and PostgreSQL through sqlx's `Any` driver.
//! Hand-written `$1..$n` placeholders (both databases accept them), only text and 64-bit integer
//! columns, times as Unix milliseconds. Nothing is cached in the process: every request reads
//! the database, so several server processes can share one PostgreSQL.

use crate::tokens;
use gentutor_study::events::{EventBody, Mode, StudyEvent};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, AssertSqlSafe, Row};

/// The migrations, in order (`migrations/NNNN_name.sql`).
pub const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_classes.sql")),
    (2, include_str!("../migrations/0002_learner_seq.sql")),
];

/// A storage failure (the API answers 500 without details; the message is for the operator).
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("stored event {id} is unreadable: {why}")]
    Corrupt { id: String, why: String },
    #[error("unsupported database URL {0:?}: use sqlite://FILE or postgres://...")]
    BadUrl(String),
}

/// A class as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassRow {
    pub id: String,
    pub name: String,
    pub join_code: String,
    pub locked: bool,
    pub created_ms: i64,
}

/// A learner as stored (never with the token).
#[derive(Debug, Clone, PartialEq)]
pub struct LearnerRow {
    pub id: String,
    pub class_id: String,
    pub name: String,
    pub joined_ms: i64,
}

/// The database handle (a connection pool; cheap to clone).
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    pub postgres: bool,
    /// The API's clock (Unix milliseconds): [`crate::now_ms`] unless a test fixes it.
    clock: fn() -> i64,
}

fn class_of(r: &AnyRow) -> Result<ClassRow, sqlx::Error> {
    Ok(ClassRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        join_code: r.try_get("join_code")?,
        locked: r.try_get::<i64, _>("locked")? != 0,
        created_ms: r.try_get("created_ms")?,
    })
}

fn learner_of(r: &AnyRow) -> Result<LearnerRow, sqlx::Error> {
    Ok(LearnerRow {
        id: r.try_get("id")?,
        class_id: r.try_get("class_id")?,
        name: r.try_get("name")?,
        joined_ms: r.try_get("joined_ms")?,
    })
}

const EVENT_COLUMNS: &str = "learner_id, id, at_ms, content_hash, card, mode, kind, payload";

fn event_of(r: &AnyRow) -> Result<StudyEvent, DbError> {
    let id: String = r.try_get("id")?;
    let corrupt = |why: String| DbError::Corrupt {
        id: id.clone(),
        why,
    };
    let mode: String = r.try_get("mode")?;
    let kind: String = r.try_get("kind")?;
    let payload: String = r.try_get("payload")?;
    let body: EventBody = serde_json::from_str(&format!(
        r#"{{"kind":{},"payload":{payload}}}"#,
        serde_json::Value::String(kind)
    ))
    .map_err(|e| corrupt(e.to_string()))?;
    let card: i64 = r.try_get("card")?;
    Ok(StudyEvent {
        learner: r.try_get("learner_id")?,
        at_ms: r.try_get("at_ms")?,
        content_hash: r.try_get("content_hash")?,
        card: u32::try_from(card).map_err(|e| corrupt(e.to_string()))?,
        mode: Mode::parse(&mode).ok_or_else(|| corrupt(format!("mode {mode:?}")))?,
        body,
        id,
    })
}

/// The payload of an event as stored (the body without its kind).
fn payload_text(body: &EventBody) -> String {
    match serde_json::to_value(body) {
        Ok(serde_json::Value::Object(mut m)) => m
            .remove("payload")
            .map(|p| p.to_string())
            .unwrap_or_else(|| "null".into()),
        _ => "null".into(),
    }
}

impl Db {
    /// Opens (creating a SQLite file if needed) and migrates the database at `url`:
    /// `sqlite://path/to/file.db` or `postgres://...` / `postgresql://...`.
    pub async fn open(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let postgres = url.starts_with("postgres://") || url.starts_with("postgresql://");
        let url = if postgres {
            url.to_string()
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() || path.contains(":memory:") {
                // Every pooled connection would get its own empty database.
                return Err(DbError::BadUrl(url.to_string()));
            }
            if let Some(dir) = std::path::Path::new(path.split('?').next().unwrap_or(path)).parent()
            {
                if !dir.as_os_str().is_empty() {
                    let _ = std::fs::create_dir_all(dir);
                }
            }
            if path.contains('?') {
                url.to_string()
            } else {
                format!("{url}?mode=rwc")
            }
        } else {
            return Err(DbError::BadUrl(url.to_string()));
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if postgres { 10 } else { 4 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if !postgres {
                        // WAL lets readers and the one writer work at once; wait for the write
                        // lock instead of failing.
                        sqlx::raw_sql("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;")
                            .execute(conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        let db = Db {
            pool,
            postgres,
            clock: crate::now_ms,
        };
        db.migrate().await?;
        Ok(db)
    }

    /// The same database with another clock for the API (tests: learners joining in one
    /// millisecond).
    pub fn with_clock(self, clock: fn() -> i64) -> Db {
        Db { clock, ..self }
    }

    /// Unix milliseconds now, by this handle's clock.
    pub fn now_ms(&self) -> i64 {
        (self.clock)()
    }

    /// Applies the migrations not yet recorded in `schema_migrations`, each in a transaction.
    /// Two processes starting at once: on PostgreSQL an advisory lock serialises them; on SQLite
    /// the loser's insert of the version fails, it re-reads and goes on.
    async fn migrate(&self) -> Result<(), DbError> {
        const CREATE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_ms BIGINT NOT NULL)";
        if sqlx::raw_sql(CREATE).execute(&self.pool).await.is_err() {
            // PostgreSQL: two processes creating it at once, one fails; the table now exists.
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            sqlx::raw_sql(CREATE).execute(&self.pool).await?;
        }
        for &(version, sql) in MIGRATIONS {
            let mut tx = self.pool.begin().await?;
            if self.postgres {
                // Serialises migrating processes (released at commit); the version check below
                // then sees what the other process applied.
                sqlx::query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(7226001)) AS l")
                    .fetch_one(&mut *tx)
                    .await?;
            }
            let done = sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(version)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
            if done {
                continue;
            }
            let applied = async {
                sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO schema_migrations (version, applied_ms) VALUES ($1, $2)")
                    .bind(version)
                    .bind(crate::now_ms())
                    .execute(&mut *tx)
                    .await
            }
            .await;
            match applied {
                Ok(_) => tx.commit().await?,
                Err(e) => {
                    // SQLite: another process may have won the race; if it recorded this
                    // version, go on.
                    drop(tx);
                    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                    let done =
                        sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
                            .bind(version)
                            .fetch_optional(&self.pool)
                            .await?
                            .is_some();
                    if !done {
                        return Err(e.into());
                    }
                }
            }
        }
        Ok(())
    }

    /// Creates a class; returns it with its teacher token (the only time the token exists in
    /// clear on the server).
    pub async fn create_class(
        &self,
        name: &str,
        now_ms: i64,
    ) -> Result<(ClassRow, String), DbError> {
        let token = tokens::new_token();
        let row = ClassRow {
            id: tokens::new_id("c_"),
            name: name.to_string(),
            join_code: tokens::new_join_code(),
            locked: false,
            created_ms: now_ms,
        };
        sqlx::query("INSERT INTO classes (id, name, join_code, teacher_hash, locked, created_ms) VALUES ($1, $2, $3, $4, 0, $5)")
            .bind(row.id.clone())
            .bind(row.name.clone())
            .bind(row.join_code.clone())
            .bind(tokens::hash(&token))
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok((row, token))
    }

    /// The class whose teacher token is `token`.
    pub async fn class_by_teacher(&self, token: &str) -> Result<Option<ClassRow>, DbError> {
        if !tokens::well_formed(token) {
            return Ok(None);
        }
        let row = sqlx::query("SELECT id, name, join_code, locked, created_ms, teacher_hash FROM classes WHERE teacher_hash = $1")
            .bind(tokens::hash(token))
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) if tokens::matches(token, &r.try_get::<String, _>("teacher_hash")?) => {
                Ok(Some(class_of(&r)?))
            }
            _ => Ok(None),
        }
    }

    /// The class with join code `code` (normalised).
    pub async fn class_by_code(&self, code: &str) -> Result<Option<ClassRow>, DbError> {
        let row = sqlx::query(
            "SELECT id, name, join_code, locked, created_ms FROM classes WHERE join_code = $1",
        )
        .bind(code.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(class_of).transpose()?)
    }

    /// The class with id `id`.
    pub async fn class_by_id(&self, id: &str) -> Result<Option<ClassRow>, DbError> {
        let row = sqlx::query(
            "SELECT id, name, join_code, locked, created_ms FROM classes WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(class_of).transpose()?)
    }

    /// Locks or unlocks joining.
    pub async fn set_locked(&self, class_id: &str, locked: bool) -> Result<(), DbError> {
        sqlx::query("UPDATE classes SET locked = $1 WHERE id = $2")
            .bind(i64::from(locked))
            .bind(class_id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Replaces the teacher token; the old one stops working at once.
    pub async fn rotate_teacher(&self, class_id: &str) -> Result<String, DbError> {
        let token = tokens::new_token();
        sqlx::query("UPDATE classes SET teacher_hash = $1 WHERE id = $2")
            .bind(tokens::hash(&token))
            .bind(class_id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(token)
    }

    /// Adds a learner to a class; returns them with their token.
    pub async fn add_learner(
        &self,
        class_id: &str,
        name: &str,
        now_ms: i64,
    ) -> Result<(LearnerRow, String), DbError> {
        let token = tokens::new_token();
        let row = LearnerRow {
            id: tokens::new_id("l_"),
            class_id: class_id.to_string(),
            name: name.to_string(),
            joined_ms: now_ms,
        };
        // The counter's row stays locked until the commit, so numbers follow the joins' order.
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE counters SET value = value + 1 WHERE name = 'learners'")
            .execute(&mut *tx)
            .await?;
        let seq: i64 = sqlx::query("SELECT value FROM counters WHERE name = 'learners'")
            .fetch_one(&mut *tx)
            .await?
            .try_get("value")?;
        sqlx::query("INSERT INTO learners (id, class_id, name, token_hash, joined_ms, seq) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(row.id.clone())
            .bind(row.class_id.clone())
            .bind(row.name.clone())
            .bind(tokens::hash(&token))
            .bind(now_ms)
            .bind(seq)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok((row, token))
    }

    /// The learner whose token is `token`.
    pub async fn learner_by_token(&self, token: &str) -> Result<Option<LearnerRow>, DbError> {
        if !tokens::well_formed(token) {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT id, class_id, name, joined_ms, token_hash FROM learners WHERE token_hash = $1",
        )
        .bind(tokens::hash(token))
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) if tokens::matches(token, &r.try_get::<String, _>("token_hash")?) => {
                Ok(Some(learner_of(&r)?))
            }
            _ => Ok(None),
        }
    }

    /// The learners of a class, in joining order (the join counter, so also within a millisecond).
    pub async fn learners(&self, class_id: &str) -> Result<Vec<LearnerRow>, DbError> {
        let rows = sqlx::query("SELECT id, class_id, name, joined_ms FROM learners WHERE class_id = $1 ORDER BY seq, id")
            .bind(class_id.to_string())
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(learner_of).collect::<Result<_, _>>()?)
    }

    /// Renames a learner of `class_id`; false if there is no such learner in that class.
    pub async fn rename_learner(
        &self,
        class_id: &str,
        learner_id: &str,
        name: &str,
    ) -> Result<bool, DbError> {
        let r = sqlx::query("UPDATE learners SET name = $1 WHERE id = $2 AND class_id = $3")
            .bind(name.to_string())
            .bind(learner_id.to_string())
            .bind(class_id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Removes a learner of `class_id` and all their events; false if there is no such learner.
    pub async fn remove_learner(&self, class_id: &str, learner_id: &str) -> Result<bool, DbError> {
        let mut tx = self.pool.begin().await?;
        let r = sqlx::query("DELETE FROM learners WHERE id = $1 AND class_id = $2")
            .bind(learner_id.to_string())
            .bind(class_id.to_string())
            .execute(&mut *tx)
            .await?;
        if r.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM events WHERE learner_id = $1")
            .bind(learner_id.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Stores a learner's events (already validated, ids unique within the batch), each at most
    /// once: an id the learner already sent is left as it was. Returns the ids now stored, i.e.
    /// all of them, once the transaction has committed.
    pub async fn insert_events(
        &self,
        learner: &LearnerRow,
        events: &[StudyEvent],
        now_ms: i64,
    ) -> Result<Vec<String>, DbError> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        // One multi-row statement per batch: a batch is at most MAX_BATCH rows of 10 values,
        // well under both databases' parameter limits.
        let mut sql = String::from("INSERT INTO events (learner_id, id, class_id, at_ms, received_ms, content_hash, card, mode, kind, payload) VALUES ");
        for i in 0..events.len() {
            let b = i * 10;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            sql.push_str(
                &(1..=10)
                    .map(|k| format!("${}", b + k))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            sql.push(')');
        }
        sql.push_str(" ON CONFLICT (learner_id, id) DO NOTHING");
        // The statement text holds only placeholders; every value is bound.
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for e in events {
            q = q
                .bind(learner.id.clone())
                .bind(e.id.clone())
                .bind(learner.class_id.clone())
                .bind(e.at_ms)
                .bind(now_ms)
                .bind(e.content_hash.clone())
                .bind(i64::from(e.card))
                .bind(e.mode.as_str())
                .bind(e.body.kind())
                .bind(payload_text(&e.body));
        }
        q.execute(&self.pool).await?;
        Ok(events.iter().map(|e| e.id.clone()).collect())
    }

    /// One learner's events, oldest first.
    pub async fn learner_events(&self, learner_id: &str) -> Result<Vec<StudyEvent>, DbError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE learner_id = $1 ORDER BY at_ms, id"
        )))
        .bind(learner_id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_of).collect()
    }

    /// Every event of a class, grouped by learner, oldest first.
    pub async fn class_events(&self, class_id: &str) -> Result<Vec<StudyEvent>, DbError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE class_id = $1 ORDER BY learner_id, at_ms, id"
        )))
        .bind(class_id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_of).collect()
    }

    /// Number of events stored for a learner.
    pub async fn count_events(&self, learner_id: &str) -> Result<i64, DbError> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM events WHERE learner_id = $1")
            .bind(learner_id.to_string())
            .fetch_one(&self.pool)
            .await?;
        Ok(r.try_get("n")?)
    }

    /// Records a failed join attempt by `client` and drops records older than `keep_after_ms`.
    pub async fn record_join_failure(
        &self,
        client: &str,
        now_ms: i64,
        keep_after_ms: i64,
    ) -> Result<(), DbError> {
        sqlx::query("INSERT INTO join_failures (client, at_ms) VALUES ($1, $2)")
            .bind(client.to_string())
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM join_failures WHERE at_ms < $1")
            .bind(keep_after_ms)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Failed join attempts by `client` since `since_ms`.
    pub async fn join_failures_since(&self, client: &str, since_ms: i64) -> Result<i64, DbError> {
        let r = sqlx::query(
            "SELECT COUNT(*) AS n FROM join_failures WHERE client = $1 AND at_ms >= $2",
        )
        .bind(client.to_string())
        .bind(since_ms)
        .fetch_one(&self.pool)
        .await?;
        Ok(r.try_get("n")?)
    }

    /// The pool, for tests that look at raw rows.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes the pool (waits for connections to finish).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
