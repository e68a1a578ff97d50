//! Harness for the end-to-end tests: serves `dist/` on 127.0.0.1 (falling back to `index.html`
//! for client-side routes, like a production static host), starts chromedriver on a free port,
//! and opens a headless Chromium session. Everything is torn down on drop.

use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub mod class;

/// The built app: `$GENTUTOR_DIST` if set, else `dist/` at the repository root (`make test`
/// runs `trunk build --release` before the e2e tests).
pub fn dist_dir() -> PathBuf {
    match std::env::var_os("GENTUTOR_DIST") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist"),
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("woff2") => "font/woff2",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// How the test server answers. The default serves every file at once; `delays` hold back the
/// files whose path contains a pattern, so a test can act while an asset is still on its way
/// (e.g. leave a lesson while the demos module is loading). With delays, `sw.js` is not served.
#[derive(Clone, Debug, Default)]
pub struct ServeOptions {
    /// (substring of the request path, how long to wait before answering)
    pub delays: Vec<(String, Duration)>,
}

impl ServeOptions {
    /// Answers requests whose path contains `pattern` only after `delay`.
    pub fn delay(mut self, pattern: &str, delay: Duration) -> Self {
        self.delays.push((pattern.to_string(), delay));
        self
    }
}

async fn handle(mut stream: TcpStream, root: PathBuf, opts: ServeOptions) -> std::io::Result<()> {
    let mut buf = vec![0u8; 8192];
    let mut len = 0;
    while !buf[..len].windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf[len..]).await?;
        if n == 0 || len + n == buf.len() {
            break;
        }
        len += n;
    }
    let head = String::from_utf8_lossy(&buf[..len]);
    let path = head.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let rel = path.trim_start_matches('/');
    if let Some((_, delay)) = opts.delays.iter().find(|(p, _)| rel.contains(p.as_str())) {
        tokio::time::sleep(*delay).await;
    }
    let mut file = root.join(rel);
    // A test that holds files back gets no service worker: once installed it would answer
    // them from its cache at once, and the test could not act while they load.
    let no_worker = rel == "sw.js" && !opts.delays.is_empty();
    if rel.contains("..") || !file.is_file() || no_worker {
        // Client-side routes (no extension) get the app; missing assets get a 404.
        if Path::new(rel).extension().is_none() {
            file = root.join("index.html");
        } else {
            stream
                .write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                )
                .await?;
            return Ok(());
        }
    }
    let body = tokio::fs::read(&file).await?;
    let header = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        content_type(&file),
        body.len()
    );
    stream.write_all(header.as_bytes()).await?;
    stream.write_all(&body).await?;
    stream.shutdown().await
}

/// Serves `root` on a free port of 127.0.0.1 until the runtime ends. Returns the base URL.
pub async fn serve(root: PathBuf) -> String {
    serve_with(root, ServeOptions::default()).await
}

/// Like [`serve`], answering as `opts` says.
pub async fn serve_with(root: PathBuf, opts: ServeOptions) -> String {
    serve_stoppable(root, opts).await.0
}

/// Like [`serve_with`], also returning the handle that stops the server: aborting it closes
/// the listening socket, so the site becomes unreachable (connections are refused).
pub async fn serve_stoppable(
    root: PathBuf,
    opts: ServeOptions,
) -> (String, tokio::task::AbortHandle) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a local port");
    let addr = listener.local_addr().expect("local address");
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (root, opts) = (root.clone(), opts.clone());
            tokio::spawn(async move {
                let _ = handle(stream, root, opts).await;
            });
        }
    });
    (format!("http://{addr}"), task.abort_handle())
}

/// A chromedriver process, killed on drop.
pub struct Driver {
    child: tokio::process::Child,
    pub port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// Starts chromedriver (`$CHROMEDRIVER`, default `/usr/bin/chromedriver`) and waits until it listens.
/// It picks its own free port (`--port=0`) and says which: probing for a free port and handing it
/// over raced with the other test binaries and engineers' drivers on the same machine.
/// A chromedriver that exits before saying its port (seen once in a CI run on a loaded machine)
/// is started again, up to three times; the panic shows what the last one printed.
pub async fn start_driver() -> Driver {
    let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    start_driver_at(&bin).await
}

/// [`start_driver`] with the chromedriver at `bin`.
pub async fn start_driver_at(bin: &str) -> Driver {
    use tokio::io::AsyncBufReadExt;
    let mut said = Vec::new();
    for attempt in 1..=3 {
        let mut child = tokio::process::Command::new(bin)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start chromedriver at {bin}: {e} (run `make tools`)")
            });
        let stdout = child.stdout.take().expect("chromedriver's stdout");
        let stderr = child.stderr.take().expect("chromedriver's stderr");
        let mut lines = tokio::io::BufReader::new(stdout).lines();
        said.clear();
        // "ChromeDriver was started successfully on port 37105."
        let started = tokio::time::timeout(Duration::from_secs(60), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(rest) = line.split("started successfully on port ").nth(1) {
                    return rest.trim_end_matches('.').trim().parse::<u16>().ok();
                }
                said.push(line);
            }
            None
        })
        .await;
        if let Ok(Some(port)) = started {
            // Keep reading (and dropping) its output, so a full pipe never blocks it.
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            let mut errors = tokio::io::BufReader::new(stderr).lines();
            tokio::spawn(async move { while let Ok(Some(_)) = errors.next_line().await {} });
            return Driver { child, port };
        }
        let _ = child.start_kill();
        let status = child
            .wait()
            .await
            .map(|s| s.to_string())
            .unwrap_or_default();
        let mut errors = tokio::io::BufReader::new(stderr).lines();
        while let Ok(Ok(Some(line))) =
            tokio::time::timeout(Duration::from_secs(1), errors.next_line()).await
        {
            said.push(line);
        }
        said.push(format!("(attempt {attempt}: {status})"));
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    panic!(
        "chromedriver did not say which port it listens on; it printed:\n{}",
        said.join("\n")
    );
}

/// Chromium's capabilities for a test: headless, as root (no sandbox), the profile in
/// `profile`, plus `extra` flags (e.g. `--force-dark-mode`, a window size).
pub fn chrome_caps(profile: &Path, extra: &[&str]) -> serde_json::Map<String, serde_json::Value> {
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    if !extra.iter().any(|a| a.starts_with("--window-size=")) {
        args.push("--window-size=1200,900".into());
    }
    args.push(format!("--user-data-dir={}", profile.display()));
    args.extend(extra.iter().map(|a| a.to_string()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": args,
        }),
    );
    caps
}

/// Opens a Chromium session through the chromedriver on `driver_port`, with its own profile
/// directory (created here) and `extra` flags.
pub async fn browser(driver_port: u16, profile: &Path, extra: &[&str]) -> Client {
    let _ = std::fs::create_dir_all(profile);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(chrome_caps(profile, extra))
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("open a Chromium session through chromedriver")
}

/// Waits (up to 30 s) until `pred(text of css)` holds, returning the text.
/// How long a wait for a condition lasts before it fails: generous, because CI machines are loaded
/// (2 cores running a browser, a server and the worker at once).
pub const WAIT_DEADLINE: Duration = Duration::from_secs(60);

pub async fn wait_text(c: &Client, css: &str, pred: impl Fn(&str) -> bool) -> String {
    let mut last = String::new();
    let deadline = tokio::time::Instant::now() + WAIT_DEADLINE;
    while tokio::time::Instant::now() < deadline {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            if let Ok(t) = el.text().await {
                if pred(&t) {
                    return t;
                }
                last = t;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("text of `{css}` never satisfied the condition; last: {last:?}");
}

/// Waits (up to 30 s) until the script `js` returns `true`; `what` names the condition.
pub async fn wait_until(c: &Client, js: &str, what: &str) {
    let deadline = tokio::time::Instant::now() + WAIT_DEADLINE;
    let mut last = serde_json::Value::Null;
    while tokio::time::Instant::now() < deadline {
        match c.execute(js, vec![]).await {
            Ok(serde_json::Value::Bool(true)) => return,
            Ok(v) => last = v,
            Err(e) => last = serde_json::Value::String(e.to_string()),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: never true (last: {last})");
}

/// Waits (up to 20 s) for an element matching `css`.
pub async fn wait_element(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element `{css}` appeared: {e}"))
}

/// Waits for `css`, then clicks it.
pub async fn click(c: &Client, css: &str) {
    wait_element(c, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// Waits for `css`, then types `text` into it.
pub async fn type_into(c: &Client, css: &str, text: &str) {
    wait_element(c, css)
        .await
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("type into {css}: {e}"));
}

/// Whether an element matches `css` now.
pub async fn exists(c: &Client, css: &str) -> bool {
    !c.find_all(Locator::Css(css))
        .await
        .expect("find")
        .is_empty()
}

/// A test session: the static server, the driver and a headless Chromium.
pub struct Session {
    pub client: Client,
    pub base: String,
    server: tokio::task::AbortHandle,
    _driver: Driver,
    _profile: TempDir,
}

struct TempDir(PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Session {
    /// Serves dist/, starts chromedriver and Chromium (as root: no sandbox, fresh profile).
    pub async fn start() -> Session {
        Session::start_with_dist(dist_dir()).await
    }

    /// Like [`Session::start`], serving another copy of the built app (e.g. one with a file
    /// removed, to test how the app copes).
    pub async fn start_with_dist(dist: PathBuf) -> Session {
        Session::start_with(dist, ServeOptions::default()).await
    }

    /// Like [`Session::start_with_dist`], the server answering as `opts` says.
    pub async fn start_with(dist: PathBuf, opts: ServeOptions) -> Session {
        Session::start_with_args(dist, opts, &[]).await
    }

    /// Like [`Session::start_with`], Chromium started with `extra` flags as well (e.g.
    /// `--force-device-scale-factor=2` for a 2x screen, `--force-dark-mode`).
    pub async fn start_with_args(dist: PathBuf, opts: ServeOptions, extra: &[&str]) -> Session {
        assert!(
            dist.join("index.html").is_file(),
            "{} has no index.html: build the app first (`make dist`; `make test` does it)",
            dist.display()
        );
        let (base, server) = serve_stoppable(dist, opts).await;
        let driver = start_driver().await;
        let profile = std::env::temp_dir().join(format!(
            "gentutor-e2e-{}-{}",
            std::process::id(),
            driver.port
        ));
        let client = browser(driver.port, &profile, extra).await;
        Session {
            client,
            base,
            server,
            _driver: driver,
            _profile: TempDir(profile),
        }
    }

    /// Stops the site's server: from now on every request to it is refused (offline tests).
    pub fn stop_server(&self) {
        self.server.abort();
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Waits (up to 20 s) for an element matching `css`.
    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        wait_element(&self.client, css).await
    }

    /// Waits until `pred(text of css)` holds, returning the text.
    pub async fn wait_text(&self, css: &str, pred: impl Fn(&str) -> bool) -> String {
        wait_text(&self.client, css, pred).await
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }

    /// Opens Test with typed questions only (`cards` of them), types `answer` into every box,
    /// submits, and returns the report.
    pub async fn typed_test(&self, cards: usize, answer: &str) -> fantoccini::elements::Element {
        let c = &self.client;
        c.goto(&self.url("/study/test")).await.expect("open Test");
        let n = self.wait_for("[data-testid=test-count]").await;
        n.clear().await.expect("clear");
        n.send_keys(&cards.to_string()).await.expect("count");
        for kind in ["mc", "tf", "matching"] {
            let b = self
                .wait_for(&format!("[data-testid=test-kind-{kind}]"))
                .await;
            if b.prop("checked").await.ok().flatten().as_deref() == Some("true") {
                b.click().await.expect("untick");
            }
        }
        click(c, "[data-testid=test-start]").await;
        self.wait_for("[data-testid=test-paper]").await;
        let typed = c
            .find_all(Locator::Css(
                "[data-testid=test-paper] [data-testid$=-typed]",
            ))
            .await
            .expect("typed boxes");
        for t in &typed {
            t.send_keys(answer).await.expect("type");
        }
        click(c, "[data-testid=test-submit]").await;
        self.wait_for("[data-testid=test-report]").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chromedriver that exits before saying its port is started again: the stand-in below
    /// fails on its first run (as one did in a CI run) and starts the real one after.
    #[tokio::test]
    async fn a_driver_that_exits_early_is_started_again() {
        let real = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let dir =
            std::env::temp_dir().join(format!("gentutor-driver-retry-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let script = dir.join("chromedriver");
        let count = dir.join("runs");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\necho x >> '{count}'\nif [ $(wc -l < '{count}') -lt 2 ]; then echo 'bind() failed'; exit 1; fi\nexec '{real}' \"$@\"\n",
                count = count.display()
            ),
        )
        .expect("script");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let driver = start_driver_at(&script.display().to_string()).await;
        assert!(driver.port > 0);
        let runs = std::fs::read_to_string(&count)
            .expect("runs")
            .lines()
            .count();
        assert_eq!(runs, 2, "started once more after the early exit");
        drop(driver);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
