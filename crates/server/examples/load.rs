//! Load benchmark: many simulated students send study events concurrently to a real server
//! (in this process, over TCP, one connection per request) on SQLite or PostgreSQL; prints events
//! per second accepted and p50/p99 request latency.
//!
//! `cargo run --release -p gentutor-server --example load -- [--db URL] [--students N] [--batches B] [--batch-size S]`
//! (default: a fresh SQLite file, 50 students x 20 batches x 20 events). For PostgreSQL:
//! `scripts/with-postgres.sh sh -c 'cargo run --release -p gentutor-server --example load -- --db "$GENTUTOR_TEST_PG_URL"'`.

use gentutor_server::api::{app, AppState};
use gentutor_server::client::request;
use gentutor_server::db::Db;
use gentutor_study::events::{EventBody, EventDraft, Mode};
use gentutor_study::questions::QuestionKind;
use std::time::Instant;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let students: usize = arg(&args, "--students")
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let batches: usize = arg(&args, "--batches")
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let size: usize = arg(&args, "--batch-size")
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let url = arg(&args, "--db").unwrap_or_else(|| {
        let dir = std::env::temp_dir().join(format!("gentutor-load-{}", std::process::id()));
        format!("sqlite://{}", dir.join("load.db").display())
    });
    let db = Db::open(&url).await.expect("database");
    let kind = if db.postgres { "PostgreSQL" } else { "SQLite" };
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
    let r = request(
        &addr,
        "POST",
        "/api/classes",
        None,
        Some(r#"{"name":"Load"}"#),
    )
    .await
    .expect("class");
    let code = r.json()["join_code"].as_str().expect("code").to_string();
    let teacher = r.json()["teacher_token"]
        .as_str()
        .expect("token")
        .to_string();
    let mut learners = Vec::new();
    for i in 0..students {
        let body = serde_json::json!({ "code": code, "name": format!("S{i}") }).to_string();
        let r = request(&addr, "POST", "/api/join", None, Some(&body))
            .await
            .expect("join");
        let j = r.json();
        learners.push((
            j["learner_id"].as_str().expect("id").to_string(),
            j["learner_token"].as_str().expect("token").to_string(),
        ));
    }
    let t0 = gentutor_server::now_ms() - 60_000;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (s, (id, token)) in learners.into_iter().enumerate() {
        let addr = addr.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(batches);
            for b in 0..batches {
                let events: Vec<_> = (0..size)
                    .map(|k| {
                        EventDraft {
                            at_ms: t0 + (b * size + k) as i64,
                            card: 1 + (k % 30) as u32,
                            mode: Mode::Test,
                            body: EventBody::Answer {
                                question: QuestionKind::MultipleChoice,
                                score: 1.0,
                                correct: true,
                                overridden: false,
                                response: None,
                                rating: None,
                                state_after: None,
                            },
                        }
                        .into_event(format!("s{s}b{b}k{k}"), &id, "abc123")
                    })
                    .collect();
                let body = serde_json::json!({ "events": events }).to_string();
                let t = Instant::now();
                let r = request(&addr, "POST", "/api/events", Some(&token), Some(&body))
                    .await
                    .expect("post");
                assert_eq!(r.status, 200, "{}", r.body);
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.expect("task"));
    }
    let secs = start.elapsed().as_secs_f64();
    lat.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize];
    let total = students * batches * size;
    println!(
        "{kind}: {students} students x {batches} batches x {size} events = {total} events in {secs:.2} s: {:.0} events/s accepted, {:.0} requests/s; latency p50 {:.1} ms, p99 {:.1} ms",
        total as f64 / secs,
        lat.len() as f64 / secs,
        pct(0.5),
        pct(0.99)
    );
    // The teacher's table over everything just sent (computed from all events on each request).
    let t = Instant::now();
    let r = request(&addr, "GET", "/api/class", Some(&teacher), None)
        .await
        .expect("table");
    assert_eq!(r.status, 200);
    println!(
        "{kind}: teacher table over {students} students and {total} events: {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
}
