//! The teacher page's insights end to end, against the real server (in-process, SQLite file,
//! serving the built app): a student studies in the browser (a wrong Learn answer; a Spaced
//! rating undone and rated again), three more students' events arrive through the API, and the
//! teacher's page shows the recall grid (an accessible table that scrolls inside its own box on
//! a 375 px phone), the self-ratings that disagree with the grader, and the confused answers,
//! including the browser student's own wrong option. The undone rating is not counted.
//!
//! With `GENTUTOR_SHOTS=DIR` it also writes the page at 375 and 1280 px, light and dark.

use fantoccini::{Client, Locator};
use gentutor_e2e::class::ClassServer;
use gentutor_e2e::{browser, click, exists, start_driver, wait_element, wait_text, wait_until};
use serde_json::{json, Value};
use std::time::Duration;

/// Switches the teacher's page to `theme` ("light" or "dark"), reloads, and waits for the grid.
async fn show_grid_in(c: &Client, theme: &str) {
    c.execute(
        "localStorage.setItem('gentutor.theme', arguments[0]); return true;",
        vec![json!(theme)],
    )
    .await
    .expect("theme");
    c.refresh().await.expect("reload");
    wait_text(c, "[data-testid=recall-grid]", |t| t.contains("Chen")).await;
}

/// For each mastery level shown in the recall grid: the WCAG contrast ratios of [its text on
/// its tint, its bar (the cell's inset shadow; the tint itself when there is none) on its tint,
/// its bar on the card]. Colours are read back from a canvas, whatever syntax CSS reports.
async fn level_contrasts(c: &Client) -> Value {
    c.execute(
        r"const cv = document.createElement('canvas'); cv.width = cv.height = 1;
          const cx = cv.getContext('2d', {willReadFrequently: true});
          const rgb = s => { cx.clearRect(0, 0, 1, 1); cx.fillStyle = '#000'; cx.fillStyle = s;
                             cx.fillRect(0, 0, 1, 1); return [...cx.getImageData(0, 0, 1, 1).data].slice(0, 3); };
          const lum = c => { const [r, g, b] = c.map(v => { v /= 255;
                               return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                             return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          const cr = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
          const card = rgb(getComputedStyle(document.querySelector('.recall-grid tbody th')).backgroundColor);
          const out = {};
          for (const lvl of ['learning', 'familiar', 'mastered']) {
            const td = document.querySelector('.recall-grid td.lvl-' + lvl);
            if (!td) continue;
            const st = getComputedStyle(td);
            const bg = rgb(st.backgroundColor), fg = rgb(st.color);
            const m = st.boxShadow.match(/^(rgba?\([^)]*\)|color\([^)]*\)|#[0-9a-f]+)/i);
            const bar = m ? rgb(m[1]) : bg;
            out[lvl] = [cr(fg, bg), cr(bar, bg), cr(bar, card)];
          }
          return out;",
        vec![],
    )
    .await
    .expect("contrast script")
}

/// One event in the wire format (`gentutor_study::events`).
fn ev(
    learner: &str,
    id: String,
    at_ms: i64,
    card: u32,
    mode: &str,
    kind: &str,
    payload: Value,
) -> Value {
    json!({"id": id, "learner": learner, "at_ms": at_ms, "content_hash": "e2e", "card": card,
           "mode": mode, "kind": kind, "payload": payload})
}

/// A few realistic students: Learn answers with the option picked, typed Test answers,
/// reviews near graded answers (some disagreeing), a call.
fn seeded(learner: &str, k: u32, cards: &[u32], now: i64) -> Vec<Value> {
    const HOUR: i64 = 3_600_000;
    let typed = [
        "the generator",
        "noise is removed",
        "It maximises the likelihood.",
    ];
    let mut out = Vec::new();
    let mut n = 0;
    let mut id = || {
        n += 1;
        format!("s{k}-{n}")
    };
    for (i, &card) in cards.iter().enumerate() {
        let i = i as u32;
        let t = now - i64::from(40 - i) * HOUR;
        let right = (i + k).is_multiple_of(3);
        out.push(ev(learner, id(), t, card, "learn", "learn_answer", json!({
            "round": 1, "stage_before": "MultipleChoice",
            "stage_after": if right { "TrueFalse" } else { "MultipleChoice" },
            "correct": right, "overridden": false,
            "response": if right { "answer".to_string() } else { format!("d{}", 1 + (i + k) % 3) }})));
        if i.is_multiple_of(2) {
            out.push(ev(
                learner,
                id(),
                t + HOUR,
                card,
                "test",
                "answer",
                json!({
                "question": "Typed", "score": 0.2, "correct": false, "overridden": false,
                "response": typed[((i / 2 + k) % 3) as usize]}),
            ));
        }
        if i % 3 == 1 {
            // Rated Easy, then wrong in Test an hour later: overconfident.
            out.push(ev(
                learner,
                id(),
                t + 2 * HOUR,
                card,
                "spaced",
                "review",
                json!({"rating": "Easy"}),
            ));
            out.push(ev(
                learner,
                id(),
                t + 3 * HOUR,
                card,
                "test",
                "answer",
                json!({
                "question": "MultipleChoice", "score": 0.0, "correct": false, "overridden": false,
                "response": "d2"}),
            ));
        } else if i % 3 == 2 && k != 1 {
            out.push(ev(
                learner,
                id(),
                t + 2 * HOUR,
                card,
                "spaced",
                "review",
                json!({"rating": "Good"}),
            ));
        }
    }
    out.push(ev(
        learner,
        id(),
        now - HOUR,
        cards[0],
        "call",
        "answer",
        json!({
        "question": "Typed", "score": 0.8, "correct": true, "overridden": false,
        "response": "it learns to fool the discriminator", "rating": "Good"}),
    ));
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn the_teacher_sees_the_grid_the_disagreements_and_the_confusions() {
    let server = ClassServer::start("insights").await;
    let base = server.base.clone();
    let class = server
        .api(
            "POST",
            "/api/classes",
            None,
            Some(json!({"name": "Generative models 101"})),
        )
        .await;
    let teacher_token = class["teacher_token"].as_str().expect("token").to_string();
    let code = class["join_code"].as_str().expect("code").to_string();

    let driver = start_driver().await;
    let wide = ["--window-size=1280,900", "--hide-scrollbars"];
    let ada = browser(driver.port, &server.profile("ada"), &wide).await;
    let teacher = browser(driver.port, &server.profile("teacher"), &wide).await;

    // Ada joins in her browser and answers Learn questions until one is wrong.
    server.join(&ada, &code, "Ada").await;
    ada.goto(&format!("{base}/study/learn"))
        .await
        .expect("learn");
    click(&ada, "[data-testid=learn-start]").await;
    let mut wrong = false;
    for _ in 0..12 {
        click(&ada, "[data-testid=learn-option-0]").await;
        wait_element(&ada, "[data-testid=learn-feedback]").await;
        wrong = exists(&ada, "[data-testid=learn-feedback].wrong").await;
        click(&ada, "[data-testid=learn-continue]").await;
        if wrong {
            break;
        }
    }
    assert!(wrong, "one of twelve first options was wrong");
    // Spaced review: rate Easy, undo, rate Again: one rating stands.
    ada.goto(&format!("{base}/study/spaced"))
        .await
        .expect("spaced");
    click(&ada, "[data-testid=review-reveal]").await;
    click(&ada, "[data-testid=rate-4]").await;
    wait_text(&ada, "[data-testid=review-log-count]", |t| t == "1").await;
    click(&ada, "[data-testid=review-undo]").await;
    wait_text(&ada, "[data-testid=review-log-count]", |t| t == "0").await;
    click(&ada, "[data-testid=review-reveal]").await;
    click(&ada, "[data-testid=rate-1]").await;
    wait_text(&ada, "[data-testid=review-log-count]", |t| t == "1").await;
    server.wait_all_sent(&ada, &code).await;
    let member: Value = serde_json::from_str(
        ada.execute("return localStorage.getItem('gentutor.class');", vec![])
            .await
            .expect("script")
            .as_str()
            .expect("membership"),
    )
    .expect("json");
    let ada_token = member["token"].as_str().expect("token").to_string();
    let ada_id = member["learner_id"].as_str().expect("id").to_string();
    let mine = server
        .api("GET", "/api/me/events", Some(&ada_token), None)
        .await;
    let events = mine["events"].as_array().expect("events");
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "undo").count(),
        1,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "review").count(),
        2,
        "{kinds:?}"
    );
    let ada_wrong = events
        .iter()
        .find(|e| e["kind"] == "learn_answer" && e["payload"]["correct"] == false)
        .expect("the wrong Learn answer reached the server");
    let wrong_card = ada_wrong["card"].as_u64().expect("card");
    let wrong_response = ada_wrong["payload"]["response"]
        .as_str()
        .expect("its response")
        .to_string();
    assert!(
        wrong_response.starts_with('d'),
        "an option id: {wrong_response}"
    );

    // Three more students through the API.
    let now = gentutor_server::now_ms();
    // (Not on Ada's wrong card, so her answer is that card's only confusion.)
    let cards: Vec<u32> = gentutor_server::CARD_IDS
        .iter()
        .copied()
        .filter(|&c| u64::from(c) != wrong_card)
        .take(14)
        .collect();
    for (k, name) in ["Chen", "Dimitri Papadopoulos", "Esme"]
        .into_iter()
        .enumerate()
    {
        let j = server
            .api(
                "POST",
                "/api/join",
                None,
                Some(json!({"code": code, "name": name})),
            )
            .await;
        let id = j["learner_id"].as_str().expect("id").to_string();
        let token = j["learner_token"].as_str().expect("token").to_string();
        let evs = seeded(&id, k as u32, &cards, now);
        server
            .api(
                "POST",
                "/api/events",
                Some(&token),
                Some(json!({"events": evs})),
            )
            .await;
    }

    // The figures behind the page: Ada's undone Easy is not counted; her wrong option is there.
    let j = server
        .api("GET", "/api/class", Some(&teacher_token), None)
        .await;
    let ada_row = j["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["learner_id"] == ada_id.as_str())
        .expect("Ada's row");
    assert_eq!(ada_row["summary"]["spaced"]["answers"], 1);
    assert_eq!(
        ada_row["summary"]["spaced"]["correct"], 0,
        "the Again stands, not the Easy"
    );
    let confused = j["confusions"]
        .as_array()
        .expect("confusions")
        .iter()
        .find(|c| c["card"].as_u64() == Some(wrong_card))
        .expect("Ada's card is among the confused ones");
    assert!(confused["top"]
        .as_array()
        .expect("top")
        .iter()
        .any(|a| a["response"] == wrong_response.as_str()));
    assert!(!j["disagreements"].as_array().expect("list").is_empty());

    // The page.
    teacher
        .goto(&format!("{base}/class/{teacher_token}"))
        .await
        .expect("teacher page");
    wait_text(&teacher, "[data-testid=class-table]", |t| {
        t.contains("Ada") && t.contains("Esme")
    })
    .await;
    let grid = wait_text(&teacher, "[data-testid=recall-grid]", |t| {
        t.contains("Chen")
    })
    .await;
    assert!(grid.contains("Ada") && grid.contains('%'), "{grid}");
    let header_cells = teacher
        .find_all(Locator::Css(
            "[data-testid=recall-grid] thead th[scope=col]",
        ))
        .await
        .expect("headers")
        .len();
    let row_headers = teacher
        .find_all(Locator::Css(
            "[data-testid=recall-grid] tbody th[scope=row]",
        ))
        .await
        .expect("row headers")
        .len();
    assert_eq!(row_headers, 4, "one row per student, named");
    assert_eq!(
        header_cells,
        1 + j["grid"]["cards"].as_array().expect("cards").len(),
        "a column header per card"
    );
    let d = wait_text(&teacher, "[data-testid=class-disagreements]", |t| {
        t.contains("overconfident")
    })
    .await;
    assert!(d.contains("then answered wrong in Test"), "{d}");
    let c = wait_text(&teacher, "[data-testid=class-confusions]", |t| {
        t.contains("time")
    })
    .await;
    assert!(c.contains("the generator"), "typed answers are listed: {c}");
    assert!(
        !c.contains("d2"),
        "option ids are shown as the option's text: {c}"
    );

    // Every level's colours meet WCAG AA in both themes: the text on its tint (4.5:1), and the
    // level's bar against the tint and the card (3:1, non-text contrast).
    for theme in ["light", "dark"] {
        show_grid_in(&teacher, theme).await;
        let levels = level_contrasts(&teacher).await;
        let levels = levels.as_object().expect("levels");
        assert!(levels.len() >= 2, "{theme}: {levels:?}");
        for (level, c) in levels {
            let c = |i: usize| c[i].as_f64().expect("ratio");
            assert!(c(0) >= 4.5, "{theme} {level}: text on the tint {:.2}", c(0));
            assert!(c(1) >= 3.0, "{theme} {level}: bar on the tint {:.2}", c(1));
            assert!(c(2) >= 3.0, "{theme} {level}: bar on the card {:.2}", c(2));
        }
    }

    // A 375 px phone: the page does not scroll sideways; the grid scrolls inside its own box.
    teacher.set_window_size(375, 900).await.expect("size");
    wait_until(
        &teacher,
        "return window.innerWidth <= 375;",
        "the window is 375 px wide",
    )
    .await;
    let fit = teacher
        .execute(
            "const g = document.querySelector('.grid-scroll');
             return [document.documentElement.scrollWidth, g.scrollWidth, g.clientWidth];",
            vec![],
        )
        .await
        .expect("script");
    let n = |i: usize| fit[i].as_i64().expect("number");
    assert!(n(0) <= 375, "the page overflows a phone: {fit:?}");
    assert!(n(1) > n(2), "the grid scrolls inside its box: {fit:?}");

    if let Some(dir) = std::env::var_os("GENTUTOR_SHOTS") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("shots dir");
        for (w, h) in [(375u32, 2400u32), (1280, 1800)] {
            for theme in ["light", "dark"] {
                teacher.set_window_size(w, h).await.expect("size");
                show_grid_in(&teacher, theme).await;
                teacher
                    .execute(
                        "document.querySelector('[data-testid=class-grid]').scrollIntoView({block: 'start'}); window.scrollBy(0, -10); return true;",
                        vec![],
                    )
                    .await
                    .expect("scroll");
                tokio::time::sleep(Duration::from_millis(500)).await;
                let png = teacher.screenshot().await.expect("screenshot");
                std::fs::write(dir.join(format!("teacher-insights-{w}-{theme}.png")), png)
                    .expect("write");
            }
        }
    }
    for c in [teacher, ada] {
        let _ = c.close().await;
    }
}
