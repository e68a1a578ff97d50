//! What the class journeys share (`tests/class.rs`, `tests/class_insights.rs`): the real
//! server in-process on a fresh SQLite file serving the built app, its JSON API, and the
//! student's steps in a browser (join, wait until everything is sent, go offline).

use crate::{click, dist_dir, type_into, wait_text};
use fantoccini::Client;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

/// The class server on a free port of 127.0.0.1, with its database and the browsers'
/// profiles in a temp directory of its own (removed on drop).
pub struct ClassServer {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// `127.0.0.1:PORT`
    pub addr: String,
    /// The temp directory: `db.sqlite`, and a place for browser profiles.
    pub dir: PathBuf,
}

impl ClassServer {
    /// Starts the server; `name` tells this test's temp directory apart (with the process id
    /// and a counter, so tests in one binary or in parallel binaries never share files).
    pub async fn start(name: &str) -> ClassServer {
        static N: AtomicU32 = AtomicU32::new(0);
        let dist = dist_dir();
        assert!(
            dist.join("index.html").is_file(),
            "build the app first (make dist)"
        );
        let dir = std::env::temp_dir().join(format!(
            "gentutor-{name}-e2e-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let db =
            gentutor_server::db::Db::open(&format!("sqlite://{}", dir.join("db.sqlite").display()))
                .await
                .expect("database");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr").to_string();
        let app = gentutor_server::api::app(
            gentutor_server::api::AppState {
                db,
                trust_forwarded_for: false,
            },
            Some(dist),
        );
        tokio::spawn(gentutor_server::serve(listener, app));
        ClassServer {
            base: format!("http://{addr}"),
            addr,
            dir,
        }
    }

    /// The page at `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser profile directory named `who`.
    pub fn profile(&self, who: &str) -> PathBuf {
        self.dir.join(who)
    }

    /// A JSON API call that must succeed (2xx); returns the reply's JSON.
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Value {
        let text = body.map(|b| b.to_string());
        let r = gentutor_server::client::request(&self.addr, method, path, token, text.as_deref())
            .await
            .expect("request");
        assert!(
            (200..300).contains(&r.status),
            "{method} {path}: {} {}",
            r.status,
            r.body
        );
        r.json()
    }

    /// A student joins with join code `code` as `name` in browser `c`.
    pub async fn join(&self, c: &Client, code: &str, name: &str) {
        c.goto(&self.url(&format!("/join/{code}")))
            .await
            .expect("join page");
        type_into(c, "[data-testid=join-name]", name).await;
        click(c, "[data-testid=join-submit]").await;
        wait_text(c, "[data-testid=member-class]", |t| !t.is_empty()).await;
    }

    /// Opens the class status page in `c` and waits until every result there was sent.
    pub async fn wait_all_sent(&self, c: &Client, code: &str) {
        c.goto(&self.url(&format!("/join/{code}")))
            .await
            .expect("status");
        wait_text(c, "[data-testid=sync-status]", |t| {
            t.contains("All your results")
        })
        .await;
    }
}

impl Drop for ClassServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Pretends the browser is offline (the sender checks `navigator.onLine`) or back online.
pub async fn set_online(c: &Client, online: bool) {
    c.execute(
        "Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => arguments[0] }); return true;",
        vec![serde_json::json!(online)],
    )
    .await
    .expect("script");
}

/// How many events wait in the browser's outbox (localStorage).
pub async fn queued(c: &Client) -> u64 {
    c.execute(
        "return JSON.parse(localStorage.getItem('gentutor.class.outbox') || '{\"pending\":[]}').pending.length;",
        vec![],
    )
    .await
    .expect("script")
    .as_u64()
    .expect("number")
}
