//! `gentutor-server [--addr 127.0.0.1:8080] [--db URL] [--dist DIR]`
//!
//! Serves the built app from `--dist` (default `dist`) and the class API on `--addr`. The
//! database is `--db` or `$GENTUTOR_DB`: `sqlite://FILE` (default
//! `sqlite://gentutor-data/gentutor.db`, created and migrated on first start) or a
//! `postgres://` URL. Requests are not logged (links carry tokens). Behind a proxy that sets
//! `X-Forwarded-For`, pass `--trust-forwarded-for` so the join rate limit counts real clients.

use gentutor_server::{api, db::Db};
use std::path::PathBuf;

fn usage() -> ! {
    eprintln!("usage: gentutor-server [--addr HOST:PORT] [--db sqlite://FILE | postgres://...] [--dist DIR | --no-dist] [--trust-forwarded-for]");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let mut addr = std::env::var("GENTUTOR_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let mut db_url = std::env::var("GENTUTOR_DB")
        .unwrap_or_else(|_| "sqlite://gentutor-data/gentutor.db".into());
    let mut dist = Some(PathBuf::from("dist"));
    let mut trust_forwarded_for = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--addr" => addr = args.next().unwrap_or_else(|| usage()),
            "--db" => db_url = args.next().unwrap_or_else(|| usage()),
            "--dist" => dist = Some(PathBuf::from(args.next().unwrap_or_else(|| usage()))),
            "--no-dist" => dist = None,
            "--trust-forwarded-for" => trust_forwarded_for = true,
            _ => usage(),
        }
    }
    if let Some(d) = &dist {
        if !d.join("index.html").exists() {
            eprintln!(
                "gentutor-server: {} has no index.html; build the app first (make dist) or pass --no-dist",
                d.display()
            );
            std::process::exit(1);
        }
    }
    let db = match Db::open(&db_url).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("gentutor-server: cannot open the database: {e}");
            std::process::exit(1);
        }
    };
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("gentutor-server: cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    let local = listener
        .local_addr()
        .map_or(addr.clone(), |a| a.to_string());
    let kind = if db.postgres { "PostgreSQL" } else { "SQLite" };
    // Tests and scripts read this line to learn the port when started with port 0.
    println!("gentutor-server listening on http://{local}/ ({kind})");
    let app = api::app(
        api::AppState {
            db,
            trust_forwarded_for,
        },
        dist,
    );
    if let Err(e) = gentutor_server::serve(listener, app).await {
        eprintln!("gentutor-server: {e}");
        std::process::exit(1);
    }
}
