//! The storage suite, run on a real SQLite file and on a real PostgreSQL cluster
//! (`scripts/with-postgres.sh`): the same code, the same schema, the same results.

mod common;
use common::*;
use gentutor_server::tokens;
use gentutor_study::events::{EventBody, EventDraft, Mode};
use gentutor_study::progress::Progress;
use gentutor_study::scheduler::{Rating, Scheduler};
use sqlx::Row;

const T0: i64 = 1_750_000_000_000;

async fn classes_and_tokens(backend: &str) {
    let db = open(backend).await;
    let (class, teacher) = db.create_class("Physics 1", T0).await.expect("create");
    assert!(tokens::well_formed(&teacher));
    assert_eq!(
        db.class_by_teacher(&teacher).await.expect("q"),
        Some(class.clone())
    );
    assert_eq!(
        db.class_by_code(&class.join_code).await.expect("q"),
        Some(class.clone())
    );
    // Stored hashed: the token appears nowhere in the row.
    let row = sqlx::query("SELECT teacher_hash FROM classes WHERE id = $1")
        .bind(class.id.clone())
        .fetch_one(db.pool())
        .await
        .expect("row");
    let stored: String = row.try_get("teacher_hash").expect("col");
    assert_ne!(stored, teacher);
    assert_eq!(stored, tokens::hash(&teacher));
    // Forged and wrong tokens find nothing.
    assert_eq!(
        db.class_by_teacher(&tokens::new_token()).await.expect("q"),
        None
    );
    assert_eq!(db.class_by_teacher(&stored).await.expect("q"), None);
    // Rotation: the old token stops working at once.
    let new = db.rotate_teacher(&class.id).await.expect("rotate");
    assert_eq!(db.class_by_teacher(&teacher).await.expect("q"), None);
    assert_eq!(
        db.class_by_teacher(&new).await.expect("q").map(|c| c.id),
        Some(class.id.clone())
    );
    db.set_locked(&class.id, true).await.expect("lock");
    assert!(
        db.class_by_id(&class.id)
            .await
            .expect("q")
            .expect("class")
            .locked
    );
    db.set_locked(&class.id, false).await.expect("unlock");
    assert!(
        !db.class_by_id(&class.id)
            .await
            .expect("q")
            .expect("class")
            .locked
    );
}

async fn learners_rename_remove(backend: &str) {
    let db = open(backend).await;
    let (a, _) = db.create_class("A", T0).await.expect("create");
    let (b, _) = db.create_class("B", T0).await.expect("create");
    let (ada, ada_token) = db.add_learner(&a.id, "Ada", T0).await.expect("join");
    let (bob, _) = db.add_learner(&a.id, "Bob", T0 + 1).await.expect("join");
    let (cy, _) = db.add_learner(&b.id, "Cy", T0).await.expect("join");
    assert_eq!(
        db.learner_by_token(&ada_token).await.expect("q"),
        Some(ada.clone())
    );
    assert_eq!(
        db.learner_by_token(&tokens::new_token()).await.expect("q"),
        None
    );
    let names: Vec<String> = db
        .learners(&a.id)
        .await
        .expect("q")
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert_eq!(names, ["Ada", "Bob"]);
    // A teacher can only touch learners of their own class.
    assert!(!db.rename_learner(&a.id, &cy.id, "X").await.expect("q"));
    assert!(db
        .rename_learner(&a.id, &bob.id, "Robert")
        .await
        .expect("q"));
    assert!(!db.remove_learner(&a.id, &cy.id).await.expect("q"));
    db.insert_events(&ada, &[answer(&ada.id, "e1", 1, T0, true)], T0)
        .await
        .expect("insert");
    assert!(db.remove_learner(&a.id, &ada.id).await.expect("q"));
    assert_eq!(
        db.count_events(&ada.id).await.expect("q"),
        0,
        "removal deletes the events"
    );
    assert_eq!(db.learner_by_token(&ada_token).await.expect("q"), None);
    let names: Vec<String> = db
        .learners(&a.id)
        .await
        .expect("q")
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert_eq!(names, ["Robert"]);
    assert_eq!(db.learners(&b.id).await.expect("q").len(), 1);
}

async fn events_are_idempotent_and_round_trip(backend: &str) {
    let db = open(backend).await;
    let (c, _) = db.create_class("C", T0).await.expect("create");
    let (l, _) = db.add_learner(&c.id, "Ada", T0).await.expect("join");
    let (m, _) = db.add_learner(&c.id, "Max", T0).await.expect("join");
    // A real session's events, every kind included.
    let mut p = Progress::fresh();
    let s = Scheduler::default();
    p.record_learn_answer(1, 1, true, T0);
    p.record_review(2, Rating::Good, &s, T0 + 5);
    p.record_test_result(
        3,
        gentutor_study::questions::QuestionKind::Typed,
        0.5,
        false,
        false,
        T0 + 6,
    );
    p.record_quiz_answer(
        4,
        gentutor_study::questions::QuestionKind::TrueFalse,
        true,
        false,
        T0 + 7,
    );
    p.toggle_star(2);
    p.record_matching_time(12_345);
    let mut drafts = gentutor_study::events::events_from_diff(&Progress::fresh(), &p, T0 + 10);
    drafts.push(EventDraft {
        at_ms: T0 + 11,
        card: 3,
        mode: Mode::Test,
        body: EventBody::Override { of_at_ms: T0 + 6 },
    });
    let events: Vec<_> = drafts
        .into_iter()
        .enumerate()
        .map(|(i, d)| d.into_event(format!("ev{i}"), &l.id, "abc123"))
        .collect();
    assert_eq!(events.len(), 7);
    let acked = db
        .insert_events(&l, &events, T0 + 20)
        .await
        .expect("insert");
    assert_eq!(acked.len(), events.len());
    // The same batch again, and an overlapping one: nothing changes.
    db.insert_events(&l, &events, T0 + 30)
        .await
        .expect("insert again");
    db.insert_events(&l, &events[2..4], T0 + 40)
        .await
        .expect("insert part");
    assert_eq!(db.count_events(&l.id).await.expect("q"), 7);
    let back = db.learner_events(&l.id).await.expect("read");
    let mut want = events.clone();
    want.sort_by(|a, b| (a.at_ms, &a.id).cmp(&(b.at_ms, &b.id)));
    assert_eq!(back, want, "every field survives storage");
    // Another learner may use the same ids: they are theirs.
    let theirs = answer(&m.id, "ev0", 5, T0, false);
    db.insert_events(&m, std::slice::from_ref(&theirs), T0)
        .await
        .expect("insert");
    assert_eq!(db.learner_events(&m.id).await.expect("read"), vec![theirs]);
    assert_eq!(db.count_events(&l.id).await.expect("q"), 7);
    assert_eq!(db.class_events(&c.id).await.expect("read").len(), 8);
    // Mastery from the stored events equals the browser's own.
    let now = T0 + 3_600_000;
    let ids: Vec<u32> = gentutor_server::CARD_IDS.to_vec();
    let mut p2 = p.clone();
    gentutor_study::session::override_test_result(
        &mut p2,
        3,
        gentutor_study::questions::QuestionKind::Typed,
        T0 + 6,
    );
    let server = gentutor_study::events::summarize(&back, &ids, now).mastery;
    let browser = gentutor_study::events::deck_mastery(&p2, &ids, now);
    assert!(
        browser > 0.0 && (server - browser).abs() < 1e-12,
        "{server} vs {browser}"
    );
}

/// Review's undo and a call's outcome, through the browser's path (progress changes ->
/// `events_from_diff`) into storage and back: the undo is a stored event of its own, the
/// stored copy stays append-only, and the figures computed from it match the browser.
async fn undo_and_call_events_are_stored_and_respected(backend: &str) {
    use gentutor_study::events::{events_from_diff, replay, summarize, StudyEvent};
    use gentutor_study::session::ReviewSession;
    let db = open(backend).await;
    let (c, _) = db.create_class("U", T0).await.expect("create");
    let (l, _) = db.add_learner(&c.id, "Ada", T0).await.expect("join");
    let mut p = Progress::fresh();
    let mut session = ReviewSession::new(&[1, 2]);
    let mut sent: Vec<StudyEvent> = Vec::new();
    let call = gentutor_study::call::Outcome {
        card_id: 2,
        how: gentutor_study::call::How::AfterHint,
        rating: Some(Rating::Hard),
        score: 0.5,
        answers: vec!["noise is added".into()],
        at_ms: T0 + 50,
        next_due_ms: None,
    };
    type Step = Box<dyn Fn(&mut Progress, &mut ReviewSession)>;
    let steps: Vec<(i64, Step)> = vec![
        (
            T0,
            Box::new(|p, ss| {
                ss.rate(p, 1, Rating::Good, &Scheduler::default(), T0);
            }),
        ),
        (
            T0 + 10,
            Box::new(|p, ss| {
                ss.rate(p, 1, Rating::Easy, &Scheduler::default(), T0 + 10);
            }),
        ),
        (
            T0 + 20,
            Box::new(|p, ss| {
                ss.undo(p);
            }),
        ),
        (
            T0 + 30,
            Box::new(|p, ss| {
                ss.rate(p, 1, Rating::Again, &Scheduler::default(), T0 + 30);
            }),
        ),
        (
            T0 + 50,
            Box::new(move |p, _| {
                call.record(p, &Scheduler::default());
            }),
        ),
    ];
    for (i, (t, f)) in steps.iter().enumerate() {
        let before = p.clone();
        f(&mut p, &mut session);
        let evs: Vec<StudyEvent> = events_from_diff(&before, &p, *t)
            .into_iter()
            .enumerate()
            .map(|(k, d)| d.into_event(format!("u{i}-{k}"), &l.id, "abc123"))
            .collect();
        assert_eq!(evs.len(), 1, "step {i}: one event each");
        for e in &evs {
            e.validate(|c| gentutor_server::CARD_IDS.contains(&c), T0 + 60)
                .expect("valid");
        }
        db.insert_events(&l, &evs, *t).await.expect("insert");
        sent.extend(evs);
    }
    // Sent twice (a retry): still five rows, the undo among them.
    db.insert_events(&l, &sent, T0 + 99).await.expect("again");
    let back = db.learner_events(&l.id).await.expect("read");
    assert_eq!(back.len(), 5);
    assert_eq!(back.iter().filter(|e| e.body.kind() == "undo").count(), 1);
    let mut want = sent.clone();
    want.sort_by(|a, b| (a.at_ms, &a.id).cmp(&(b.at_ms, &b.id)));
    assert_eq!(
        back, want,
        "every field survives storage (rating and state of the call too)"
    );
    let ids: Vec<u32> = gentutor_server::CARD_IDS.to_vec();
    let sum = summarize(&back, &ids, T0 + 100);
    assert_eq!(
        (sum.spaced.answers, sum.spaced.correct),
        (2, 1),
        "the undone Easy is not counted"
    );
    assert_eq!(
        (sum.call.answers, sum.call.correct),
        (1, 1),
        "the call once, as a call"
    );
    assert_eq!(sum.spaced_cards, 1);
    let server = replay(&back);
    for card in [1, 2] {
        assert_eq!(
            server.cards[&card].review_log, p.cards[&card].review_log,
            "card {card}"
        );
        assert_eq!(server.cards[&card].fsrs, p.cards[&card].fsrs, "card {card}");
    }
    let now = T0 + 5 * 86_400_000;
    let browser = gentutor_study::events::deck_mastery(&p, &ids, now);
    assert!(
        (sum.mastery - gentutor_study::events::deck_mastery(&server, &ids, T0 + 100)).abs() < 1e-12
    );
    assert!((summarize(&back, &ids, now).mastery - browser).abs() < 1e-12);
}

async fn join_failures_are_counted_per_client(backend: &str) {
    let db = open(backend).await;
    let client = tokens::new_id("ip-");
    for i in 0..3 {
        db.record_join_failure(&client, T0 + i, T0 - 600_000)
            .await
            .expect("record");
    }
    assert_eq!(db.join_failures_since(&client, T0).await.expect("q"), 3);
    assert_eq!(db.join_failures_since(&client, T0 + 2).await.expect("q"), 1);
    assert_eq!(
        db.join_failures_since("someone-else", T0).await.expect("q"),
        0
    );
    // Old records are dropped.
    db.record_join_failure(&client, T0 + 10_000_000, T0 + 1_000_000)
        .await
        .expect("record");
    assert_eq!(db.join_failures_since(&client, 0).await.expect("q"), 1);
}

async fn reopening_keeps_data_and_migrates_once(backend: &str) {
    let url = url_for(backend);
    let db = gentutor_server::db::Db::open(&url).await.expect("open");
    let (c, t) = db.create_class("Kept", T0).await.expect("create");
    db.close().await;
    let db = gentutor_server::db::Db::open(&url).await.expect("reopen");
    assert_eq!(
        db.class_by_teacher(&t).await.expect("q").map(|x| x.id),
        Some(c.id)
    );
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM schema_migrations")
        .fetch_one(db.pool())
        .await
        .expect("q")
        .try_get("n")
        .expect("n");
    assert_eq!(n, gentutor_server::db::MIGRATIONS.len() as i64);
}

/// A database of its own at schema version 1 (the learners table before `seq`).
async fn version_1_database(backend: &str) -> String {
    let url = match backend {
        "postgres" => {
            let base = pg_url();
            let name = format!("gentutor_v1_{}_{}", std::process::id(), tokens::new_id("d"));
            let name = name.to_lowercase().replace('-', "_");
            sqlx::any::install_default_drivers();
            let admin = sqlx::AnyPool::connect(&base).await.expect("connect");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&admin)
                .await
                .expect("create database");
            admin.close().await;
            base.replacen("/postgres?", &format!("/{name}?"), 1)
        }
        other => format!("{}?mode=rwc", url_for(other)),
    };
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.expect("connect");
    sqlx::raw_sql(include_str!("../migrations/0001_classes.sql"))
        .execute(&pool)
        .await
        .expect("version 1 schema");
    sqlx::raw_sql(
        "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_ms BIGINT NOT NULL);
         INSERT INTO schema_migrations (version, applied_ms) VALUES (1, 0);
         INSERT INTO classes (id, name, join_code, teacher_hash, locked, created_ms)
             VALUES ('c_old', 'Old class', 'OLDCODE1', 'teacher-hash', 0, 1);
         INSERT INTO learners (id, class_id, name, token_hash, joined_ms) VALUES
             ('l_3', 'c_old', 'Cy', 'h3', 300),
             ('l_1', 'c_old', 'Bob', 'h1', 100),
             ('l_2', 'c_old', 'Ada', 'h2', 100);",
    )
    .execute(&pool)
    .await
    .expect("version 1 rows");
    pool.close().await;
    url
}

/// A database from before the join counter migrates with its learners kept, in the order they
/// were listed before (joined_ms, then name); learners who join afterwards come after them.
async fn learners_of_a_version_1_database_migrate_in_order(backend: &str) {
    let url = version_1_database(backend).await;
    let db = gentutor_server::db::Db::open(&url).await.expect("migrates");
    let names = |rows: Vec<gentutor_server::db::LearnerRow>| {
        rows.into_iter().map(|l| l.name).collect::<Vec<_>>()
    };
    assert_eq!(
        names(db.learners("c_old").await.expect("q")),
        ["Ada", "Bob", "Cy"]
    );
    // Joining at a time before everyone else still lists Zed, then Amy, last.
    db.add_learner("c_old", "Zed", 50).await.expect("join");
    db.add_learner("c_old", "Amy", 50).await.expect("join");
    assert_eq!(
        names(db.learners("c_old").await.expect("q")),
        ["Ada", "Bob", "Cy", "Zed", "Amy"]
    );
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM schema_migrations")
        .fetch_one(db.pool())
        .await
        .expect("q")
        .try_get("n")
        .expect("n");
    assert_eq!(n, gentutor_server::db::MIGRATIONS.len() as i64);
}

/// Learners who join in the same millisecond are listed in joining order, not by name.
async fn same_millisecond_joins_keep_their_order(backend: &str) {
    let db = open(backend).await;
    let (c, _) = db.create_class("Ties", T0).await.expect("create");
    for name in ["Zed", "Amy", "Mo"] {
        db.add_learner(&c.id, name, T0).await.expect("join");
    }
    let listed: Vec<String> = db
        .learners(&c.id)
        .await
        .expect("q")
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert_eq!(listed, ["Zed", "Amy", "Mo"]);
}

on_both!(
    classes_and_tokens,
    learners_rename_remove,
    events_are_idempotent_and_round_trip,
    undo_and_call_events_are_stored_and_respected,
    join_failures_are_counted_per_client,
    reopening_keeps_data_and_migrates_once,
    learners_of_a_version_1_database_migrate_in_order,
    same_millisecond_joins_keep_their_order,
);
