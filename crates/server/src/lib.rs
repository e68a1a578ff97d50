//! gentutor's server: the built app (`dist/`) and the class API from one process.
//!
//! - [`db`]: storage on SQLite (a file, created and migrated on first start) or PostgreSQL, one
//!   schema (`migrations/`), no state kept in the process;
//! - [`api`]: the endpoints (see README, "Classes");
//! - [`tokens`]: 128-bit random tokens, stored as SHA-256, compared in constant time;
//! - [`client`]: a minimal HTTP/1.1 client for the tests and the load benchmark.

pub mod api;
pub mod client;
pub mod db;
pub mod tokens;

include!(concat!(env!("OUT_DIR"), "/card_ids.rs"));

/// Unix milliseconds now (the server's only clock).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Serves `router` on `listener` until the process ends, with the peer address available to
/// handlers (the join rate limit needs it).
pub async fn serve(listener: tokio::net::TcpListener, router: axum::Router) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}
