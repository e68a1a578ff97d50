//! Helpers shared by the server's tests: databases (a fresh SQLite file, the throwaway
//! PostgreSQL cluster of `scripts/with-postgres.sh`), servers (in-process or the real binary),
//! and events.
#![allow(dead_code)]

use gentutor_server::api::{app, AppState};
use gentutor_server::client::{request, Reply};
use gentutor_server::db::Db;
use gentutor_study::events::{EventBody, EventDraft, Mode, StudyEvent};
use gentutor_study::questions::QuestionKind;
use std::sync::atomic::{AtomicU64, Ordering};

/// A new SQLite database file URL in a fresh temp directory.
pub fn sqlite_url() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "gentutor-server-test-{}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        gentutor_server::now_ms()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    format!("sqlite://{}", dir.join("test.db").display())
}

/// The PostgreSQL URL from `scripts/with-postgres.sh`. Its absence fails the test: a storage
/// test never passes by skipping its database.
pub fn pg_url() -> String {
    std::env::var("GENTUTOR_TEST_PG_URL").expect(
        "GENTUTOR_TEST_PG_URL is not set: run through scripts/with-postgres.sh (make test-native does)",
    )
}

/// A URL for the named backend.
pub fn url_for(backend: &str) -> String {
    match backend {
        "sqlite" => sqlite_url(),
        "postgres" => pg_url(),
        other => panic!("unknown backend {other}"),
    }
}

/// Opens the named backend.
pub async fn open(backend: &str) -> Db {
    Db::open(&url_for(backend)).await.expect("database opens")
}

/// Serves the API on an ephemeral port in this process; returns `127.0.0.1:PORT`.
pub async fn spawn(db: Db) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    tokio::spawn(gentutor_server::serve(
        listener,
        app(
            AppState {
                db,
                trust_forwarded_for: true,
            },
            None,
        ),
    ));
    addr
}

/// A JSON request.
pub async fn call(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> Reply {
    let text = body.map(|b| b.to_string());
    request(addr, method, path, token, text.as_deref())
        .await
        .expect("request")
}

/// Creates a class: (teacher token, join code).
pub async fn create_class(addr: &str, name: &str) -> (String, String) {
    let r = call(
        addr,
        "POST",
        "/api/classes",
        None,
        Some(serde_json::json!({ "name": name })),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let j = r.json();
    (
        j["teacher_token"].as_str().expect("token").to_string(),
        j["join_code"].as_str().expect("code").to_string(),
    )
}

/// Joins: (learner id, learner token).
pub async fn join(addr: &str, code: &str, name: &str) -> (String, String) {
    let r = call(
        addr,
        "POST",
        "/api/join",
        None,
        Some(serde_json::json!({ "code": code, "name": name })),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let j = r.json();
    (
        j["learner_id"].as_str().expect("id").to_string(),
        j["learner_token"].as_str().expect("token").to_string(),
    )
}

/// A valid Test answer event on `card` by `learner`.
pub fn answer(learner: &str, id: &str, card: u32, at_ms: i64, correct: bool) -> StudyEvent {
    EventDraft {
        at_ms,
        card,
        mode: Mode::Test,
        body: EventBody::Answer {
            question: QuestionKind::MultipleChoice,
            score: if correct { 1.0 } else { 0.0 },
            correct,
            overridden: false,
            response: None,
            rating: None,
            state_after: None,
        },
    }
    .into_event(id.to_string(), learner, "abc123")
}

/// Posts events; returns the reply.
pub async fn post_events(addr: &str, token: &str, events: &[StudyEvent]) -> Reply {
    call(
        addr,
        "POST",
        "/api/events",
        Some(token),
        Some(serde_json::json!({ "events": events })),
    )
    .await
}

/// Generates one `#[tokio::test]` per backend calling `$body(backend)`.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name("sqlite").await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name("postgres").await })*
        }
    };
}
