//! The HTTP API over real TCP against an in-process server, on SQLite and on PostgreSQL:
//! authorization for every endpoint (no token, a forged token, another student's token,
//! another class's teacher token), bad input refused with a clear 4xx and nothing stored, the
//! join rate limit, idempotent batches, the teacher's table and CSV.

mod common;
use common::*;
use gentutor_server::tokens;
use gentutor_study::events::{EventBody, EventDraft, Mode, StudyEvent};
use gentutor_study::learn::LearnStage;
use gentutor_study::questions::QuestionKind;
use gentutor_study::scheduler::Rating;
use serde_json::json;

fn now() -> i64 {
    gentutor_server::now_ms()
}

/// Every teacher endpoint: (method, path, body).
fn teacher_endpoints(learner_id: &str) -> Vec<(&'static str, String, Option<serde_json::Value>)> {
    vec![
        ("GET", "/api/class".into(), None),
        (
            "PATCH",
            "/api/class".into(),
            Some(json!({ "locked": true })),
        ),
        ("POST", "/api/class/rotate".into(), None),
        (
            "PATCH",
            format!("/api/class/learners/{learner_id}"),
            Some(json!({ "name": "Hacked" })),
        ),
        ("DELETE", format!("/api/class/learners/{learner_id}"), None),
        ("GET", "/api/class/export.csv".into(), None),
    ]
}

async fn authorization_for_every_endpoint(backend: &str) {
    let addr = spawn(open(backend).await).await;
    let (teacher_a, code_a) = create_class(&addr, "Class A").await;
    let (teacher_b, code_b) = create_class(&addr, "Class B").await;
    let (ada, ada_token) = join(&addr, &code_a, "Ada").await;
    let (bob, bob_token) = join(&addr, &code_a, "Bob").await;
    let (_cy, cy_token) = join(&addr, &code_b, "Cy").await;
    let t = now();
    let r = post_events(&addr, &ada_token, &[answer(&ada, "a1", 1, t, true)]).await;
    assert_eq!(r.status, 200, "{}", r.body);

    let forged = tokens::new_token();
    let malformed = "not-a-token";
    // Teacher endpoints refuse no token, forged tokens and student tokens, with nothing changed.
    for (m, path, body) in teacher_endpoints(&ada) {
        for tok in [
            None,
            Some(forged.as_str()),
            Some(malformed),
            Some(ada_token.as_str()),
            Some(cy_token.as_str()),
        ] {
            let r = call(&addr, m, &path, tok, body.clone()).await;
            assert_eq!(r.status, 401, "{m} {path} with {tok:?}: {}", r.body);
            assert!(r.json()["error"]
                .as_str()
                .is_some_and(|e| e.contains("token")));
        }
        // Another class's teacher: cannot touch class A's students.
        if path.contains("/learners/") {
            let r = call(&addr, m, &path, Some(&teacher_b), body.clone()).await;
            assert_eq!(
                r.status, 404,
                "{m} {path} with class B's teacher: {}",
                r.body
            );
        }
    }
    // Class B's teacher sees only class B.
    let r = call(&addr, "GET", "/api/class", Some(&teacher_b), None).await;
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("Ada") && !r.body.contains(&ada) && r.body.contains("Cy"));
    let csv = call(
        &addr,
        "GET",
        "/api/class/export.csv",
        Some(&teacher_b),
        None,
    )
    .await;
    assert!(!csv.body.contains("Ada") && csv.body.contains("Cy"));
    // Class A is untouched: both students, names unchanged, joining open.
    let r = call(&addr, "GET", "/api/class", Some(&teacher_a), None).await;
    let j = r.json();
    let names: Vec<&str> = j["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(names, ["Ada", "Bob"]);
    assert_eq!(j["locked"], false);
    assert!(
        !r.body.contains(&ada_token) && !r.body.contains(&teacher_a),
        "the table never carries tokens"
    );

    // Learner endpoints: no token, forged, teacher token -> 401.
    for (m, path, body) in [
        ("GET", "/api/me", None),
        ("GET", "/api/me/events", None),
        (
            "POST",
            "/api/events",
            Some(json!({ "events": [answer(&ada, "a2", 1, t, true)] })),
        ),
    ] {
        for tok in [
            None,
            Some(forged.as_str()),
            Some(malformed),
            Some(teacher_a.as_str()),
        ] {
            let r = call(&addr, m, path, tok, body.clone()).await;
            assert_eq!(r.status, 401, "{m} {path} with {tok:?}: {}", r.body);
        }
    }
    // Another student's token reads only its own data, and cannot write for Ada.
    let r = call(&addr, "GET", "/api/me", Some(&bob_token), None).await;
    assert_eq!(r.json()["learner_id"], bob.as_str());
    assert!(
        !r.body.contains("Ada"),
        "a student never sees another's name"
    );
    let r = call(&addr, "GET", "/api/me/events", Some(&bob_token), None).await;
    assert_eq!(r.json()["events"].as_array().map(Vec::len), Some(0));
    let r = post_events(&addr, &bob_token, &[answer(&ada, "b1", 1, t, true)]).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = call(&addr, "GET", "/api/me/events", Some(&ada_token), None).await;
    assert_eq!(
        r.json()["events"].as_array().map(Vec::len),
        Some(1),
        "nothing was added to Ada"
    );

    // The teacher's own token works for each endpoint, and rotation retires the old one.
    let r = call(
        &addr,
        "PATCH",
        &format!("/api/class/learners/{bob}"),
        Some(&teacher_a),
        Some(json!({ "name": "Robert" })),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = call(&addr, "POST", "/api/class/rotate", Some(&teacher_a), None).await;
    assert_eq!(r.status, 200);
    let new_teacher = r.json()["teacher_token"]
        .as_str()
        .expect("token")
        .to_string();
    assert_eq!(
        call(&addr, "GET", "/api/class", Some(&teacher_a), None)
            .await
            .status,
        401
    );
    assert_eq!(
        call(&addr, "GET", "/api/class", Some(&new_teacher), None)
            .await
            .status,
        200
    );
    let r = call(
        &addr,
        "DELETE",
        &format!("/api/class/learners/{bob}"),
        Some(&new_teacher),
        None,
    )
    .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        call(&addr, "GET", "/api/me", Some(&bob_token), None)
            .await
            .status,
        401,
        "a removed student's token is dead"
    );
}

async fn bad_input_is_refused_and_nothing_stored(backend: &str) {
    let addr = spawn(open(backend).await).await;
    let (teacher, code) = create_class(&addr, "Class").await;
    let (ada, token) = join(&addr, &code, "Ada").await;
    let t = now();
    let expect = |r: &gentutor_server::client::Reply, status: u16, words: &str| {
        assert_eq!(r.status, status, "{}", r.body);
        let e = r.json()["error"].as_str().unwrap_or_default().to_string();
        assert!(e.contains(words), "error {e:?} should mention {words:?}");
    };
    // Events.
    let mut bad_card = answer(&ada, "x1", 1, t, true);
    bad_card.card = 9999;
    let mut bad_time = answer(&ada, "x2", 1, t, true);
    bad_time.at_ms = t + 10 * 86_400_000;
    let mut bad_id = answer(&ada, "x3", 1, t, true);
    bad_id.id = "has space".into();
    let good = answer(&ada, "ok", 1, t, true);
    for (batch, words) in [
        (vec![good.clone(), bad_card], "not in this deck"),
        (vec![good.clone(), bad_time], "outside"),
        (vec![good.clone(), bad_id], "event id"),
    ] {
        expect(&post_events(&addr, &token, &batch).await, 400, words);
    }
    let r = gentutor_server::client::request(
        &addr,
        "POST",
        "/api/events",
        Some(&token),
        Some("{\"events\": ["),
    )
    .await
    .expect("req");
    expect(&r, 400, "malformed JSON");
    let r = call(
        &addr,
        "POST",
        "/api/events",
        Some(&token),
        Some(json!({ "events": [{ "id": "x" }] })),
    )
    .await;
    expect(&r, 400, "malformed");
    let too_many: Vec<_> = (0..201)
        .map(|i| answer(&ada, &format!("m{i}"), 1, t, true))
        .collect();
    expect(
        &post_events(&addr, &token, &too_many).await,
        413,
        "at most 200",
    );
    let huge = json!({ "events": [], "pad": "x".repeat(300 * 1024) }).to_string();
    let r =
        gentutor_server::client::request(&addr, "POST", "/api/events", Some(&token), Some(&huge))
            .await
            .expect("req");
    expect(&r, 413, "larger than");
    let r = call(&addr, "GET", "/api/me/events", Some(&token), None).await;
    assert_eq!(
        r.json()["events"].as_array().map(Vec::len),
        Some(0),
        "no refused event was stored"
    );
    // Names.
    for (name, words) in [
        ("   ", "empty"),
        (&"n".repeat(61)[..], "longer"),
        ("a\u{7}b", "control"),
    ] {
        let r = call(
            &addr,
            "POST",
            "/api/join",
            None,
            Some(json!({ "code": code, "name": name })),
        )
        .await;
        expect(&r, 400, words);
        let r = call(
            &addr,
            "POST",
            "/api/classes",
            None,
            Some(json!({ "name": name })),
        )
        .await;
        expect(&r, 400, words);
        let r = call(
            &addr,
            "PATCH",
            &format!("/api/class/learners/{ada}"),
            Some(&teacher),
            Some(json!({ "name": name })),
        )
        .await;
        expect(&r, 400, words);
    }
    let r = call(
        &addr,
        "POST",
        "/api/join",
        None,
        Some(json!({ "code": code })),
    )
    .await;
    expect(&r, 400, "malformed JSON");
    let j = call(&addr, "GET", "/api/class", Some(&teacher), None)
        .await
        .json();
    assert_eq!(
        j["rows"].as_array().map(Vec::len),
        Some(1),
        "no refused join added anyone"
    );
    assert_eq!(j["rows"][0]["name"], "Ada");
    // Unknown endpoints answer JSON 404.
    expect(
        &call(&addr, "GET", "/api/nope", None, None).await,
        404,
        "not found",
    );
}

async fn joining_locking_and_rate_limit(backend: &str) {
    let addr = spawn(open(backend).await).await;
    let (teacher, code) = create_class(&addr, "Class").await;
    // Codes are forgiving about case and dashes.
    let typed = format!("{}-{}", &code[..4].to_lowercase(), &code[4..]);
    join(&addr, &typed, "Ada").await;
    let r = call(
        &addr,
        "PATCH",
        "/api/class",
        Some(&teacher),
        Some(json!({ "locked": true })),
    )
    .await;
    assert_eq!(r.status, 200);
    let r = call(
        &addr,
        "POST",
        "/api/join",
        None,
        Some(json!({ "code": code, "name": "Late" })),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    call(
        &addr,
        "PATCH",
        "/api/class",
        Some(&teacher),
        Some(json!({ "locked": false })),
    )
    .await;
    // Ten wrong codes from one client, then even the right code waits; other clients may join.
    let me = tokens::new_id("10.0.");
    let join_as = |who: String, code: String| {
        let addr = addr.clone();
        async move {
            let body = json!({ "code": code, "name": "Guess" }).to_string();
            gentutor_server::client::request_with(
                &addr,
                "POST",
                "/api/join",
                None,
                Some(&body),
                &[("X-Forwarded-For", &who)],
            )
            .await
            .expect("request")
        }
    };
    for i in 0..10 {
        let r = join_as(me.clone(), "ZZZZZZZZ".into()).await;
        assert_eq!(r.status, 404, "try {i}: {}", r.body);
    }
    let r = join_as(me.clone(), "ZZZZZZZZ".into()).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(join_as(me.clone(), code.clone()).await.status, 429);
    assert_eq!(
        join_as(tokens::new_id("10.1."), code.clone()).await.status,
        201
    );
}

async fn batches_are_idempotent_and_the_table_is_computed(backend: &str) {
    let addr = spawn(open(backend).await).await;
    let (teacher, code) = create_class(&addr, "Class").await;
    let (ada, ada_t) = join(&addr, &code, "Ada").await;
    let (bob, bob_t) = join(&addr, &code, "Bob, \"the builder\"").await;
    let (_cy, _) = join(&addr, &code, "Cy").await;
    let t = now() - 1000;
    let batch: Vec<_> = (0..5)
        .map(|i| answer(&ada, &format!("a{i}"), 1 + i, t + i64::from(i), i % 2 == 0))
        .collect();
    for _ in 0..3 {
        let r = post_events(&addr, &ada_t, &batch).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let acked: Vec<String> =
            serde_json::from_value(r.json()["acknowledged"].clone()).expect("ids");
        assert_eq!(
            acked,
            batch.iter().map(|e| e.id.clone()).collect::<Vec<_>>()
        );
    }
    let r = post_events(&addr, &bob_t, &[answer(&bob, "b", 1, t, false)]).await;
    assert_eq!(r.status, 200);
    let r = call(&addr, "GET", "/api/me", Some(&ada_t), None).await;
    assert_eq!(
        r.json()["events"],
        5,
        "a batch sent three times is stored once"
    );
    let j = call(&addr, "GET", "/api/class", Some(&teacher), None)
        .await
        .json();
    let rows = j["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["summary"]["test"]["answers"], 5);
    assert_eq!(rows[0]["summary"]["test"]["correct"], 3);
    assert_eq!(rows[0]["cells"][2], "60% over 5 answers");
    assert_eq!(rows[1]["cells"][2], "0% over 1 answers");
    assert_eq!(rows[2]["summary"]["events"], 0, "Cy has not studied");
    assert_eq!(rows[2]["cells"][0], "0%");
    assert_eq!(rows[2]["inactive"], true);
    assert_eq!(rows[0]["inactive"], false);
    // Hardest: card 1 answered twice (Ada right, Bob wrong) is listed.
    assert_eq!(j["hardest"][0]["card"], 1);
    let csv = call(&addr, "GET", "/api/class/export.csv", Some(&teacher), None).await;
    assert_eq!(csv.status, 200);
    assert!(csv
        .header("content-type")
        .is_some_and(|c| c.starts_with("text/csv")));
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        lines[0],
        "Name,Mastery,Learn,Test,Matching,Spaced,Call,Last active (UTC),Events"
    );
    assert!(
        lines[1].starts_with("Ada,") && lines[1].ends_with(",5"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("\"Bob, \"\"the builder\"\"\","),
        "{}",
        lines[2]
    );
    assert_eq!(lines.len(), 4);
}

/// A study event of any kind by `learner`.
fn event(
    learner: &str,
    id: &str,
    card: u32,
    at_ms: i64,
    mode: Mode,
    body: EventBody,
) -> StudyEvent {
    EventDraft {
        at_ms,
        card,
        mode,
        body,
    }
    .into_event(id.to_string(), learner, "abc123")
}

/// A wrong Test answer with its response.
fn wrong(
    learner: &str,
    id: &str,
    card: u32,
    at_ms: i64,
    q: QuestionKind,
    resp: &str,
) -> StudyEvent {
    event(
        learner,
        id,
        card,
        at_ms,
        Mode::Test,
        EventBody::Answer {
            question: q,
            score: 0.0,
            correct: false,
            overridden: false,
            response: Some(resp.to_string()),
            rating: None,
            state_after: None,
        },
    )
}

async fn responses_reach_only_their_classs_teacher(backend: &str) {
    let addr = spawn(open(backend).await).await;
    let (teacher_a, code_a) = create_class(&addr, "Class A").await;
    let (teacher_b, code_b) = create_class(&addr, "Class B").await;
    let (ada, ada_t) = join(&addr, &code_a, "Ada").await;
    let (bob, bob_t) = join(&addr, &code_a, "Bob").await;
    let (cy, cy_t) = join(&addr, &code_b, "Cy").await;
    let t = now() - 3_600_000;
    let mc = QuestionKind::MultipleChoice;
    let typed = QuestionKind::Typed;
    let r = post_events(
        &addr,
        &ada_t,
        &[
            wrong(&ada, "a1", 1, t, typed, "ADA-SECRET-ANSWER"),
            wrong(&ada, "a2", 2, t, mc, "d2"),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Bob: the same wrong option, and an Easy self-rating an hour before a wrong answer.
    let review = event(
        &bob,
        "b0",
        3,
        t - 3_600_000,
        Mode::Spaced,
        EventBody::Review {
            rating: Rating::Easy,
            state_after: None,
        },
    );
    let r = post_events(
        &addr,
        &bob_t,
        &[
            wrong(&bob, "b1", 2, t, mc, "d2"),
            review,
            wrong(&bob, "b2", 3, t, typed, "bob thinks so"),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = post_events(
        &addr,
        &cy_t,
        &[wrong(&cy, "c1", 1, t, typed, "CY-SECRET-ANSWER")],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // Class A's teacher: the confusions, the grid and the disagreement, nothing of class B.
    let r = call(&addr, "GET", "/api/class", Some(&teacher_a), None).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("ADA-SECRET-ANSWER") && !r.body.contains("CY-SECRET-ANSWER"));
    let j = r.json();
    let card2 = j["confusions"]
        .as_array()
        .expect("confusions")
        .iter()
        .find(|c| c["card"] == 2)
        .expect("card 2 is confused");
    assert_eq!(card2["top"][0]["response"], "d2");
    assert_eq!(
        (
            card2["top"][0]["count"].as_u64(),
            card2["top"][0]["learners"].as_u64()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(j["grid"]["cards"], json!([1, 2, 3]));
    assert_eq!(j["grid"]["rows"][0]["learner"], ada.as_str());
    assert_eq!(j["grid"]["rows"][1]["learner"], bob.as_str());
    let d = &j["disagreements"][0];
    assert_eq!(
        (d["learner"].as_str(), d["card"].as_u64()),
        (Some(bob.as_str()), Some(3))
    );
    assert_eq!(d["overconfident"], 1);
    assert_eq!(d["latest"]["disagreement"], "overconfident");
    assert_eq!(j["disagreements"].as_array().map(Vec::len), Some(1));
    // Class B's teacher sees only Cy's.
    let r = call(&addr, "GET", "/api/class", Some(&teacher_b), None).await;
    assert!(r.body.contains("CY-SECRET-ANSWER") && !r.body.contains("ADA-SECRET-ANSWER"));
    // Class A's wrong option is not among class B's responses (looked for in the responses:
    // a random id may contain "d2").
    let b_responses: Vec<String> = r.json()["confusions"]
        .as_array()
        .expect("confusions")
        .iter()
        .flat_map(|c| c["top"].as_array().cloned().unwrap_or_default())
        .filter_map(|t| t["response"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        b_responses,
        vec!["CY-SECRET-ANSWER".to_string()],
        "{}",
        r.body
    );
    // No student sees another's answer: not by their own endpoints, not by the teacher's.
    for (tok, own, other) in [
        (&bob_t, "bob thinks so", "ADA-SECRET-ANSWER"),
        (&ada_t, "ADA-SECRET-ANSWER", "bob thinks so"),
        (&cy_t, "CY-SECRET-ANSWER", "ADA-SECRET-ANSWER"),
    ] {
        let r = call(&addr, "GET", "/api/me/events", Some(tok), None).await;
        assert!(
            r.body.contains(own) && !r.body.contains(other),
            "{}",
            r.body
        );
        for path in ["/api/me", "/api/class", "/api/class/export.csv"] {
            let r = call(&addr, "GET", path, Some(tok), None).await;
            assert!(!r.body.contains(other), "{path}: {}", r.body);
        }
    }
    for tok in [None, Some(tokens::new_token())] {
        let r = call(&addr, "GET", "/api/class", tok.as_deref(), None).await;
        assert_eq!(r.status, 401);
        assert!(!r.body.contains("SECRET"));
    }

    // Responses are checked on the way in: too long, control characters, a rating outside a
    // call; the whole batch is refused and nothing stored.
    let expect400 = |r: &gentutor_server::client::Reply, words: &str| {
        assert_eq!(r.status, 400, "{}", r.body);
        let e = r.json()["error"].as_str().unwrap_or_default().to_string();
        assert!(e.contains(words), "error {e:?} should mention {words:?}");
    };
    let long = "x".repeat(501);
    let learn_long = event(
        &ada,
        "v2",
        1,
        t,
        Mode::Learn,
        EventBody::LearnAnswer {
            round: 1,
            stage_before: LearnStage::Typed,
            stage_after: LearnStage::TrueFalse,
            correct: false,
            overridden: false,
            response: Some(long.clone()),
        },
    );
    let mut rated_test = wrong(&ada, "v4", 1, t, typed, "ok");
    if let EventBody::Answer { rating, .. } = &mut rated_test.body {
        *rating = Some(Rating::Good);
    }
    for (bad, words) in [
        (wrong(&ada, "v1", 1, t, typed, &long), "longer than 500"),
        (learn_long, "longer than 500"),
        (wrong(&ada, "v3", 1, t, typed, "a\u{1b}[2Jb"), "control"),
        (rated_test, "rating"),
    ] {
        let ok = wrong(&ada, "v0", 2, t, mc, "d1");
        expect400(&post_events(&addr, &ada_t, &[ok, bad]).await, words);
    }
    let r = call(&addr, "GET", "/api/me", Some(&ada_t), None).await;
    assert_eq!(
        r.json()["events"],
        2,
        "nothing of a refused batch was stored"
    );
}

/// A clock stopped at one millisecond: every join below happens at the same `joined_ms`.
fn frozen_clock() -> i64 {
    1_700_000_000_000
}

/// Learners are listed in the order they joined, also when they join in the same millisecond
/// (the clock is frozen, so `joined_ms` ties for all of them): Zed before Amy, not by name.
async fn learners_are_listed_in_joining_order_within_a_millisecond(backend: &str) {
    let addr = spawn(open(backend).await.with_clock(frozen_clock)).await;
    let (teacher, code) = create_class(&addr, "Same millisecond").await;
    let names = ["Zed", "Amy", "Mo", "Bea"];
    for name in names {
        join(&addr, &code, name).await;
    }
    let j = call(&addr, "GET", "/api/class", Some(&teacher), None)
        .await
        .json();
    let rows = j["rows"].as_array().expect("rows");
    let listed: Vec<&str> = rows
        .iter()
        .map(|r| r["name"].as_str().expect("name"))
        .collect();
    assert_eq!(listed, names);
    assert!(
        rows.iter().all(|r| r["joined_ms"] == frozen_clock()),
        "the joins share one millisecond: {j}"
    );
    let csv = call(&addr, "GET", "/api/class/export.csv", Some(&teacher), None).await;
    assert_eq!(csv.status, 200);
    let csv_names: Vec<&str> = csv
        .body
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or(""))
        .collect();
    assert_eq!(csv_names, names);
}

on_both!(
    learners_are_listed_in_joining_order_within_a_millisecond,
    authorization_for_every_endpoint,
    responses_reach_only_their_classs_teacher,
    bad_input_is_refused_and_nothing_stored,
    joining_locking_and_rate_limit,
    batches_are_idempotent_and_the_table_is_computed,
);

#[tokio::test]
async fn serves_the_app_with_a_fallback_for_client_routes() {
    let dist = std::env::temp_dir().join(format!("gentutor-dist-{}-{}", std::process::id(), now()));
    std::fs::create_dir_all(&dist).expect("dir");
    std::fs::write(dist.join("index.html"), "<html>app shell</html>").expect("write");
    std::fs::write(dist.join("app.js"), "console.log(1)").expect("write");
    let db = open("sqlite").await;
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
    let r = call(&addr, "GET", "/app.js", None, None).await;
    assert_eq!((r.status, r.body.as_str()), (200, "console.log(1)"));
    for path in [
        "/",
        "/class/0123456789abcdef0123456789abcdef",
        "/join/ABCDEFGH",
        "/study/learn",
    ] {
        let r = call(&addr, "GET", path, None, None).await;
        assert_eq!(
            (r.status, r.body.as_str()),
            (200, "<html>app shell</html>"),
            "{path}"
        );
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    }
    let r = call(&addr, "GET", "/api/health", None, None).await;
    assert_eq!((r.status, r.body.as_str()), (200, "ok"));
    let r = call(&addr, "GET", "/api/missing", None, None).await;
    assert_eq!(r.status, 404);
}

/// The service worker (`sw.js`, see crates/xtask) is served from the root as JavaScript and
/// revalidated on every request (`no-cache`), so a new build's worker reaches the browser;
/// `/index.html`, which it precaches as the offline page, is the file itself.
#[tokio::test]
async fn serves_the_service_worker_uncached_as_javascript() {
    let dist =
        std::env::temp_dir().join(format!("gentutor-dist-sw-{}-{}", std::process::id(), now()));
    std::fs::create_dir_all(&dist).expect("dir");
    std::fs::write(dist.join("index.html"), "<html>app shell</html>").expect("write");
    std::fs::write(dist.join("sw.js"), "const VERSION = \"1\";").expect("write");
    let db = open("sqlite").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    let app = gentutor_server::api::app(
        gentutor_server::api::AppState {
            db,
            trust_forwarded_for: false,
        },
        Some(dist.clone()),
    );
    tokio::spawn(gentutor_server::serve(listener, app));
    let r = call(&addr, "GET", "/sw.js", None, None).await;
    assert_eq!((r.status, r.body.as_str()), (200, "const VERSION = \"1\";"));
    let kind = r.header("content-type").unwrap_or_default();
    assert!(kind.starts_with("text/javascript"), "{kind}");
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    let r = call(&addr, "GET", "/index.html", None, None).await;
    assert_eq!((r.status, r.body.as_str()), (200, "<html>app shell</html>"));
    let _ = std::fs::remove_dir_all(&dist);
}
