//! The real server binary: killed with SIGKILL while students send events (every acknowledged
//! event is there after a restart), and two processes sharing one PostgreSQL (students spread
//! across both, the teacher sees all of them through either).

mod common;
use common::*;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

/// A running `gentutor-server`; killed on drop.
struct Server {
    child: Child,
    addr: String,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Server {
    fn start(db_url: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gentutor-server"))
            .args(["--no-dist", "--addr", "127.0.0.1:0", "--db", db_url])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("server starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("first line");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server {
            child,
            addr,
            stdout,
        }
    }

    /// SIGKILL, then everything the process printed.
    fn kill(mut self) -> String {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reaped");
        let mut out = String::new();
        let _ = self.stdout.read_to_string(&mut out);
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut out);
        }
        out
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn crash_loses_no_acknowledged_event(backend: &str) {
    let url = url_for(backend);
    let server = Server::start(&url);
    let addr = server.addr.clone();
    let (teacher, code) = create_class(&addr, "Crash").await;
    let mut students = Vec::new();
    for i in 0..4 {
        students.push(join(&addr, &code, &format!("S{i}")).await);
    }
    let acked: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let mut tasks = Vec::new();
    for (s, (id, token)) in students.iter().cloned().enumerate() {
        let acked = acked.clone();
        let addr = addr.clone();
        tasks.push(tokio::spawn(async move {
            let t0 = gentutor_server::now_ms();
            for round in 0.. {
                let batch: Vec<_> = (0..5)
                    .map(|k| {
                        answer(
                            &id,
                            &format!("s{s}-r{round}-{k}"),
                            1 + k,
                            t0 + round,
                            k % 2 == 0,
                        )
                    })
                    .collect();
                let body = serde_json::json!({ "events": batch }).to_string();
                match gentutor_server::client::request(
                    &addr,
                    "POST",
                    "/api/events",
                    Some(&token),
                    Some(&body),
                )
                .await
                {
                    Ok(r) if r.status == 200 => {
                        let ids: Vec<String> =
                            serde_json::from_value(r.json()["acknowledged"].clone()).expect("ids");
                        acked
                            .lock()
                            .expect("lock")
                            .extend(ids.into_iter().map(|i| (token.clone(), i)));
                    }
                    // The server died mid-request: those events were not acknowledged.
                    _ => return round,
                }
            }
            unreachable!()
        }));
    }
    // Kill mid-traffic once enough was acknowledged (a fixed wait got too few on a loaded
    // machine); the students keep sending until the server dies.
    let start = std::time::Instant::now();
    while acked.lock().expect("lock").len() < 40 && start.elapsed().as_secs() < 120 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let output = server.kill();
    for t in tasks {
        t.await.expect("task");
    }
    let acked = acked.lock().expect("lock").clone();
    assert!(
        acked.len() >= 40,
        "only {} events were acknowledged before the kill",
        acked.len()
    );
    // Tokens are never logged.
    for (_, token) in &students {
        assert!(
            !output.contains(token.as_str()),
            "a token appeared in the server's output"
        );
    }
    assert!(!output.contains(&teacher));

    let server = Server::start(&url);
    let mut missing = 0;
    for (_, token) in &students {
        let r = call(&server.addr, "GET", "/api/me/events", Some(token), None).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let have: BTreeSet<String> = r.json()["events"]
            .as_array()
            .expect("events")
            .iter()
            .filter_map(|e| e["id"].as_str().map(String::from))
            .collect();
        missing += acked
            .iter()
            .filter(|(t, id)| t == token && !have.contains(id))
            .count();
    }
    assert_eq!(
        missing,
        0,
        "acknowledged events lost in the crash (of {})",
        acked.len()
    );
    let j = call(&server.addr, "GET", "/api/class", Some(&teacher), None)
        .await
        .json();
    assert_eq!(j["rows"].as_array().map(Vec::len), Some(4));
}

on_both!(crash_loses_no_acknowledged_event);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_one_postgres() {
    let url = pg_url();
    let a = Server::start(&url);
    let b = Server::start(&url);
    let (teacher, code) = create_class(&a.addr, "Two servers").await;
    let t = gentutor_server::now_ms() - 10_000;
    for i in 0..6u32 {
        // Students alternate between the two processes, as behind a load balancer.
        let addr = if i % 2 == 0 { &a.addr } else { &b.addr };
        let (id, token) = join(addr, &code, &format!("Student {i}")).await;
        let events: Vec<_> = (0..=i)
            .map(|k| answer(&id, &format!("e{k}"), 1 + k, t + i64::from(k), true))
            .collect();
        let r = post_events(addr, &token, &events).await;
        assert_eq!(r.status, 200, "{}", r.body);
        // Read back through the other process.
        let other = if i % 2 == 0 { &b.addr } else { &a.addr };
        let r = call(other, "GET", "/api/me", Some(&token), None).await;
        assert_eq!(r.json()["events"], i + 1);
    }
    for addr in [&a.addr, &b.addr] {
        let j = call(addr, "GET", "/api/class", Some(&teacher), None)
            .await
            .json();
        let rows = j["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), 6);
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(row["name"], format!("Student {i}"));
            assert_eq!(row["summary"]["test"]["answers"], i + 1);
        }
    }
    // A rotation through one process is seen by the other at once (no state in the process).
    let r = call(&a.addr, "POST", "/api/class/rotate", Some(&teacher), None).await;
    let new = r.json()["teacher_token"]
        .as_str()
        .expect("token")
        .to_string();
    assert_eq!(
        call(&b.addr, "GET", "/api/class", Some(&teacher), None)
            .await
            .status,
        401
    );
    assert_eq!(
        call(&b.addr, "GET", "/api/class", Some(&new), None)
            .await
            .status,
        200
    );
}
