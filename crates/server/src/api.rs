//! The class API (`/api/...`) and the static app, as one axum router.
//!
//! Authorization is a bearer token: a class's teacher token or a learner's token. A teacher token
//! reaches only its class; a learner token only that learner's own events and name. Every refusal
//! is a JSON `{"error": "..."}` with a 4xx status, and a refused request stores nothing.

use crate::db::{ClassRow, Db, DbError, LearnerRow};
use crate::CARD_IDS;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Path, State};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use gentutor_study::events::{self, LearnerSummary, StudyEvent, MAX_BATCH};
use gentutor_study::insights;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Largest request body (a full batch of events with long typed answers fits).
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// Failed join attempts allowed per client per window.
pub const JOIN_MAX_FAILURES: i64 = 10;
/// The rate limit's window.
pub const JOIN_WINDOW_MS: i64 = 60_000;
/// Longest display name or class name (characters).
pub const MAX_NAME_CHARS: usize = 60;
/// Cards listed with their most confused answers, and (learner, card) pairs listed where
/// self-ratings disagree with the grader, on the teacher's page.
pub const MAX_CONFUSED_CARDS: usize = 15;
pub const MAX_DISAGREEMENTS: usize = 50;

/// What every handler gets.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Take the client address for the join rate limit from `X-Forwarded-For` (set this only
    /// behind a proxy that writes that header; otherwise clients could pick their own address).
    pub trust_forwarded_for: bool,
}

/// A refusal or failure, answered as `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
    fn bad(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "missing or unknown token: send `Authorization: Bearer <token>` with the token from your link",
        )
    }
    fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("{what} not found"))
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        // The operator sees the cause; the client a generic message (no SQL, no values).
        eprintln!("gentutor-server: {e}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the server could not reach its database; nothing was stored, try again",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// The client's address for the join rate limit ("unknown" when not served over TCP, as in
/// in-process tests).
pub struct Client(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Client(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string()),
        ))
    }
}

fn bearer(headers: &HeaderMap) -> ApiResult<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(ApiError::unauthorized)
}

async fn teacher(db: &Db, headers: &HeaderMap) -> ApiResult<ClassRow> {
    db.class_by_teacher(bearer(headers)?)
        .await?
        .ok_or_else(ApiError::unauthorized)
}

async fn learner(db: &Db, headers: &HeaderMap) -> ApiResult<LearnerRow> {
    db.learner_by_token(bearer(headers)?)
        .await?
        .ok_or_else(ApiError::unauthorized)
}

/// Parses a JSON body, turning every failure into a 4xx that says what is wrong.
fn parse<T: serde::de::DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> ApiResult<T> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the body is larger than {MAX_BODY_BYTES} bytes; send fewer events per batch (at most {MAX_BATCH})"),
            )
        } else {
            ApiError::new(e.status(), format!("could not read the body: {e}"))
        }
    })?;
    serde_json::from_slice(&body).map_err(|e| ApiError::bad(format!("malformed JSON: {e}")))
}

/// A display or class name, trimmed: 1-60 characters, no control characters.
pub fn clean_name(raw: &str, what: &str) -> ApiResult<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(ApiError::bad(format!("the {what} is empty")));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::bad(format!(
            "the {what} is longer than {MAX_NAME_CHARS} characters"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(ApiError::bad(format!(
            "the {what} contains control characters"
        )));
    }
    Ok(name.to_string())
}

#[derive(Deserialize)]
struct NameBody {
    name: String,
}

#[derive(Serialize)]
struct TeacherKeys {
    class_id: String,
    name: String,
    teacher_token: String,
    teacher_path: String,
    join_code: String,
    join_path: String,
}

async fn create_class(
    State(st): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<TeacherKeys>)> {
    let b: NameBody = parse(body)?;
    let name = clean_name(&b.name, "class name")?;
    let (class, token) = st.db.create_class(&name, st.db.now_ms()).await?;
    Ok((
        StatusCode::CREATED,
        Json(TeacherKeys {
            class_id: class.id,
            name: class.name,
            teacher_path: format!("/class/{token}"),
            teacher_token: token,
            join_path: format!("/join/{}", class.join_code),
            join_code: class.join_code,
        }),
    ))
}

#[derive(Deserialize)]
struct JoinBody {
    code: String,
    name: String,
}

async fn join(
    State(st): State<AppState>,
    Client(peer): Client,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let forwarded = headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().chars().take(64).collect::<String>())
        .filter(|v| !v.is_empty());
    let client = match forwarded {
        Some(f) if st.trust_forwarded_for => f,
        _ => peer,
    };
    let now = st.db.now_ms();
    if st
        .db
        .join_failures_since(&client, now - JOIN_WINDOW_MS)
        .await?
        >= JOIN_MAX_FAILURES
    {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too many wrong join codes from this address; wait a minute and check the code",
        ));
    }
    let b: JoinBody = parse(body)?;
    let name = clean_name(&b.name, "display name")?;
    let class = match crate::tokens::normalize_code(&b.code) {
        Some(code) => st.db.class_by_code(&code).await?,
        None => None,
    };
    let Some(class) = class else {
        st.db
            .record_join_failure(&client, now, now - 10 * JOIN_WINDOW_MS)
            .await?;
        return Err(ApiError::not_found(
            "no class with this join code; check the code with your teacher:",
        ));
    };
    if class.locked {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "this class is not accepting new students; ask your teacher to unlock joining",
        ));
    }
    let (l, token) = st.db.add_learner(&class.id, &name, now).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "learner_id": l.id,
            "name": l.name,
            "class_name": class.name,
            "resume_path": format!("/resume/{token}"),
            "learner_token": token,
        })),
    ))
}

async fn me(State(st): State<AppState>, headers: HeaderMap) -> ApiResult<Json<serde_json::Value>> {
    let l = learner(&st.db, &headers).await?;
    let class = st
        .db
        .class_by_id(&l.class_id)
        .await?
        .ok_or_else(|| ApiError::not_found("class"))?;
    Ok(Json(json!({
        "learner_id": l.id,
        "name": l.name,
        "class_name": class.name,
        "events": st.db.count_events(&l.id).await?,
    })))
}

async fn my_events(
    State(st): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<serde_json::Value>> {
    let l = learner(&st.db, &headers).await?;
    Ok(Json(
        json!({ "events": st.db.learner_events(&l.id).await? }),
    ))
}

#[derive(Deserialize)]
struct Batch {
    events: Vec<serde_json::Value>,
}

async fn post_events(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let l = learner(&st.db, &headers).await?;
    let batch: Batch = parse(body)?;
    if batch.events.len() > MAX_BATCH {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "{} events in one batch; send at most {MAX_BATCH}",
                batch.events.len()
            ),
        ));
    }
    let now = st.db.now_ms();
    let mut seen = BTreeSet::new();
    let mut events = Vec::with_capacity(batch.events.len());
    for (i, v) in batch.events.into_iter().enumerate() {
        let e: StudyEvent = serde_json::from_value(v)
            .map_err(|err| ApiError::bad(format!("event #{i} is malformed: {err}")))?;
        e.validate(|c| CARD_IDS.binary_search(&c).is_ok(), now)
            .map_err(|err| ApiError::bad(format!("event #{i}: {err}")))?;
        if e.learner != l.id {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                format!("event #{i} names another learner; a token may only send its own events"),
            ));
        }
        if seen.insert(e.id.clone()) {
            events.push(e);
        }
    }
    let acknowledged = st.db.insert_events(&l, &events, now).await?;
    Ok(Json(json!({ "acknowledged": acknowledged })))
}

/// One row of the teacher's table.
#[derive(Debug, Serialize, Deserialize)]
pub struct Row {
    pub learner_id: String,
    pub name: String,
    pub joined_ms: i64,
    pub summary: LearnerSummary,
    /// Mastery, Learn, Test, Matching, Spaced, Call as text.
    pub cells: [String; 6],
    pub inactive: bool,
}

async fn table_rows(db: &Db, class: &ClassRow, now: i64) -> ApiResult<(Vec<Row>, Vec<StudyEvent>)> {
    let learners = db.learners(&class.id).await?;
    let all = db.class_events(&class.id).await?;
    let mut by_learner: BTreeMap<&str, Vec<StudyEvent>> = BTreeMap::new();
    for e in &all {
        by_learner
            .entry(e.learner.as_str())
            .or_default()
            .push(e.clone());
    }
    let rows = learners
        .into_iter()
        .map(|l| {
            let evs = by_learner.get(l.id.as_str()).map_or(&[][..], Vec::as_slice);
            let summary = events::summarize(evs, CARD_IDS, now);
            Row {
                cells: summary.cells(),
                inactive: events::is_inactive(summary.last_active_ms, now),
                learner_id: l.id,
                name: l.name,
                joined_ms: l.joined_ms,
                summary,
            }
        })
        .collect();
    Ok((rows, all))
}

async fn class_table(
    State(st): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<serde_json::Value>> {
    let class = teacher(&st.db, &headers).await?;
    let now = st.db.now_ms();
    let (rows, all) = table_rows(&st.db, &class, now).await?;
    let mut hardest = events::hardest_cards(&all, 2);
    hardest.truncate(10);
    // Beyond the table, for this class's teacher only (responses are aggregated per card,
    // without names).
    let ids: Vec<&str> = rows.iter().map(|r| r.learner_id.as_str()).collect();
    let grid = insights::recall_grid(&all, &ids, CARD_IDS, now);
    let disagreements: Vec<insights::RatingCheck> = insights::rating_disagreements(&all)
        .into_iter()
        .filter(|c| c.disagreements() > 0)
        .take(MAX_DISAGREEMENTS)
        .collect();
    let mut confusions = insights::confusions(&all, insights::CONFUSIONS_PER_CARD);
    confusions.truncate(MAX_CONFUSED_CARDS);
    Ok(Json(json!({
        "class_id": class.id,
        "name": class.name,
        "join_code": class.join_code,
        "join_path": format!("/join/{}", class.join_code),
        "locked": class.locked,
        "now_ms": now,
        "card_count": CARD_IDS.len(),
        "rows": rows,
        "hardest": hardest,
        "grid": grid,
        "disagreements": disagreements,
        "confusions": confusions,
    })))
}

#[derive(Deserialize)]
struct ClassPatch {
    locked: bool,
}

async fn patch_class(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let class = teacher(&st.db, &headers).await?;
    let p: ClassPatch = parse(body)?;
    st.db.set_locked(&class.id, p.locked).await?;
    Ok(Json(json!({ "locked": p.locked })))
}

async fn rotate(
    State(st): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<serde_json::Value>> {
    let class = teacher(&st.db, &headers).await?;
    let token = st.db.rotate_teacher(&class.id).await?;
    Ok(Json(json!({
        "teacher_path": format!("/class/{token}"),
        "teacher_token": token,
    })))
}

async fn rename_learner(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let class = teacher(&st.db, &headers).await?;
    let b: NameBody = parse(body)?;
    let name = clean_name(&b.name, "display name")?;
    if !st.db.rename_learner(&class.id, &id, &name).await? {
        return Err(ApiError::not_found("student"));
    }
    Ok(Json(json!({ "learner_id": id, "name": name })))
}

async fn remove_learner(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let class = teacher(&st.db, &headers).await?;
    if !st.db.remove_learner(&class.id, &id).await? {
        return Err(ApiError::not_found("student"));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// A CSV field: quoted when needed, and a leading `= + - @` neutralised so a spreadsheet does
/// not run a student's name as a formula.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// `YYYY-MM-DD HH:MM` (UTC) of Unix milliseconds (days to civil date: H. Hinnant's algorithm).
pub fn utc_minutes(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60
    )
}

async fn export_csv(State(st): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let class = teacher(&st.db, &headers).await?;
    let (rows, _) = table_rows(&st.db, &class, st.db.now_ms()).await?;
    let mut out =
        String::from("Name,Mastery,Learn,Test,Matching,Spaced,Call,Last active (UTC),Events\r\n");
    for r in rows {
        let mut fields = vec![csv_field(&r.name)];
        fields.extend(r.cells.iter().map(|c| csv_field(c)));
        fields.push(
            r.summary
                .last_active_ms
                .map(utc_minutes)
                .unwrap_or_default(),
        );
        fields.push(r.summary.events.to_string());
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"class.csv\"".to_string(),
            ),
        ],
        out,
    )
        .into_response())
}

async fn api_not_found() -> ApiError {
    ApiError::not_found("API endpoint")
}

/// The API router (mounted at `/api`).
pub fn api(state: AppState) -> Router {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/classes", post(create_class))
        .route("/join", post(join))
        .route("/me", get(me))
        .route("/me/events", get(my_events))
        .route("/events", post(post_events))
        .route("/class", get(class_table).patch(patch_class))
        .route("/class/rotate", post(rotate))
        .route(
            "/class/learners/{id}",
            delete(remove_learner).patch(rename_learner),
        )
        .route("/class/export.csv", get(export_csv))
        .fallback(api_not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// The whole site: `/api/...` and the built app from `dist` (unknown paths get `index.html`, so
/// client routes such as `/class/<token>` load the app).
pub fn app(state: AppState, dist: Option<PathBuf>) -> Router {
    let mut router = Router::new().nest("/api", api(state));
    if let Some(dist) = dist {
        let index = tower_http::services::ServeFile::new(dist.join("index.html"));
        router = router.fallback_service(tower_http::services::ServeDir::new(dist).fallback(index));
    }
    router.layer(axum::middleware::map_response(
        |mut res: Response| async move {
            let h = res.headers_mut();
            // Teacher and resume links carry tokens in the path: never send them elsewhere.
            h.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
            if !h.contains_key(header::CACHE_CONTROL) {
                h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            }
            res
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert_eq!(clean_name("  Ada  ", "name").ok().as_deref(), Some("Ada"));
        assert!(clean_name("   ", "name").is_err());
        assert!(clean_name(&"x".repeat(61), "name").is_err());
        assert!(clean_name(&"é".repeat(60), "name").is_ok());
        assert!(clean_name("a\u{0}b", "name").is_err());
        assert!(clean_name("a\nb", "name").is_err());
    }

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("Ada"), "Ada");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
    }

    #[test]
    fn utc_dates() {
        assert_eq!(utc_minutes(0), "1970-01-01 00:00");
        assert_eq!(utc_minutes(1_750_000_000_000), "2025-06-15 15:06");
        assert_eq!(utc_minutes(951_782_400_000), "2000-02-29 00:00");
    }
}
