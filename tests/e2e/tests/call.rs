//! The spoken tutor end to end. Chromium here has no voices and no working recogniser, so a
//! speech mock (speechSynthesis, SpeechRecognition with `available()`/`install()`/`phrases`,
//! SpeechRecognitionPhrase) is put into index.html before the app's script, i.e. before the
//! page loads. One call is typed with the keyboard (captions only), one is spoken (mocked
//! recogniser, on-device); after a reload the results show in spaced review and mastery.

use fantoccini::key::Key;
use gentutor_e2e::{dist_dir, Session};
use std::path::{Path, PathBuf};
use std::time::Duration;

const MOCK: &str = r#"<script>
(() => {
  window.__spoken = [];
  window.__starts = 0;
  class MockUtterance {
    constructor(text) { this.text = text; this.rate = 1; this.voice = null; this.lang = ''; this.onend = null; this.onerror = null; }
  }
  window.SpeechSynthesisUtterance = MockUtterance;
  const synth = {
    speak(u) {
      window.__spoken.push({ text: u.text, rate: u.rate, voice: u.voice && u.voice.name });
      setTimeout(() => { if (u.onend) u.onend({}); }, 10);
    },
    cancel() {},
    getVoices() { return [{ name: 'Mock Voice', lang: 'en-US' }]; },
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  class MockRecognition {
    constructor() { this.lang = ''; this.processLocally = false; this.phrases = []; this.onresult = null; this.onend = null; this.onerror = null; }
    start() {
      window.__listening = this;
      window.__starts += 1;
      window.__lastLocal = this.processLocally;
      window.__lastPhrases = Array.from(this.phrases || []).map((p) => p.phrase);
    }
    stop() { this._end(); }
    abort() { this._end(); }
    _end() {
      if (window.__listening === this) window.__listening = null;
      if (this.onend) this.onend({});
    }
    _hear(text, confidence) {
      const result = [{ transcript: text, confidence }];
      result.isFinal = true;
      if (this.onresult) this.onresult({ resultIndex: 0, results: [result] });
      this._end();
    }
  }
  MockRecognition.available = async () => 'available';
  MockRecognition.install = async () => true;
  window.SpeechRecognition = MockRecognition;
  window.SpeechRecognitionPhrase = class { constructor(phrase, boost) { this.phrase = phrase; this.boost = boost; } };
  window.__hear = (text) => {
    const r = window.__listening;
    if (!r) return false;
    r._hear(text, 0.95);
    return true;
  };
})();
</script>"#;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dist").flatten() {
        let p = e.path();
        let dest = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copy");
        }
    }
}

/// A copy of dist/ whose index.html runs the speech mock first.
fn dist_with_mock(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gentutor-dist-call-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&dist_dir(), &dir);
    let index = dir.join("index.html");
    let html = std::fs::read_to_string(&index).expect("index.html");
    let html = html.replacen("<head>", &format!("<head>{MOCK}"), 1);
    assert!(html.contains("__hear"), "mock injected");
    std::fs::write(&index, html).expect("write index.html");
    dir
}

/// The key points of card `id`, said together: a right answer.
fn right_answer(id: u32) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/cards");
    for e in std::fs::read_dir(dir).expect("cards").flatten() {
        let src = std::fs::read_to_string(e.path()).expect("read");
        let cards = gentutor_content::cards::parse_cards("cards", &src).expect("parse");
        if let Some(c) = cards.into_iter().find(|c| c.id == id) {
            return c
                .key_points
                .iter()
                .map(|k| k.point.clone())
                .collect::<Vec<_>>()
                .join("; ");
        }
    }
    panic!("no card {id}");
}

/// The first wrong option (distractor) of card `id`: a misconception typed as an answer.
fn wrong_option(id: u32) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/cards");
    for e in std::fs::read_dir(dir).expect("cards").flatten() {
        let src = std::fs::read_to_string(e.path()).expect("read");
        let cards = gentutor_content::cards::parse_cards("cards", &src).expect("parse");
        if let Some(c) = cards.into_iter().find(|c| c.id == id) {
            return c.distractors[0].clone();
        }
    }
    panic!("no card {id}");
}

async fn attr(s: &Session, css: &str, name: &str) -> String {
    s.wait_for(css)
        .await
        .attr(name)
        .await
        .expect("attr")
        .unwrap_or_default()
}

/// Waits until the tutor listens for an answer to card `id`'s question.
async fn wait_turn(s: &Session) -> u32 {
    s.wait_text("[data-testid=call-state]", |t| {
        t.starts_with("Your turn") || t.starts_with("Listening")
    })
    .await;
    attr(s, "[data-testid=call-question]", "data-card")
        .await
        .parse()
        .expect("card id")
}

async fn js(s: &Session, code: &str) -> serde_json::Value {
    s.client.execute(code, vec![]).await.expect("script runs")
}

/// After the call: a reload keeps the results, Review logs them, mastery counts them.
async fn results_survive_a_reload(s: &Session, expect_reviews: usize) {
    let c = &s.client;
    c.goto(&s.url("/study/spaced")).await.expect("open review");
    c.refresh().await.expect("reload");
    let n = s
        .wait_text("[data-testid=review-log-count]", |t| !t.is_empty())
        .await;
    assert_eq!(n, expect_reviews.to_string(), "reviews logged by the call");
    c.goto(&s.url("/study")).await.expect("open study");
    let value = s
        .wait_text(
            "[data-testid=lesson-mastery-row][data-slug=gan-objective] [data-testid=lesson-mastery-value]",
            |t| !t.is_empty(),
        )
        .await;
    assert_ne!(value, "0%", "mastery reflects the call");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_whole_call_by_typing_with_the_keyboard() {
    let dir = dist_with_mock("typed");
    let s = Session::start_with_dist(dir.clone()).await;
    let c = &s.client;
    c.goto(&s.url("/study")).await.expect("open study");
    s.wait_for("[data-testid=mode-call]")
        .await
        .click()
        .await
        .expect("open Call");
    s.wait_for("[data-testid=call]").await;
    c.goto(&s.url("/study/call?lesson=gan-objective"))
        .await
        .expect("lesson call");
    // Keyboard only, captions only.
    s.wait_for("[data-testid=call-mute]")
        .await
        .click()
        .await
        .expect("mute");
    s.wait_text("[data-testid=call-ear-note]", |t| t.contains("On-device"))
        .await;
    s.wait_for("[data-testid=call-ear-typing]")
        .await
        .click()
        .await
        .expect("choose typing");
    s.wait_for("[data-testid=call-start]")
        .await
        .click()
        .await
        .expect("start");

    // First card: right first time. Second: two misses, then explained with a lesson link.
    let first = wait_turn(&s).await;
    let answer = s.wait_for("#call-answer").await;
    answer
        .send_keys(&format!(
            "{}{}",
            right_answer(first),
            char::from(Key::Enter)
        ))
        .await
        .expect("type");
    let second = loop {
        let id = wait_turn(&s).await;
        if id != first {
            break id;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // A wrong option of the card, typed: the screen names the misconception and lists the
    // key points (shared with Learn and Test's feedback).
    let wrong = wrong_option(second);
    let answer = s.wait_for("#call-answer").await;
    answer
        .send_keys(&format!("{wrong}{}", char::from(Key::Enter)))
        .await
        .expect("type");
    let graded = s
        .wait_text("[data-testid=call-graded]", |t| {
            t.contains("Key points found")
        })
        .await;
    assert!(graded.contains("That is a common mistake"), "{graded}");
    s.wait_for("[data-testid=call-graded] [data-testid=kp-missed]")
        .await;
    let hint = s
        .wait_for("[data-testid=call-hint]")
        .await
        .text()
        .await
        .expect("hint");
    assert!(hint.ends_with('?'), "a hint is a question: {hint}");
    wait_turn(&s).await;
    // The keyboard command "d" (I don't know), from outside the answer box.
    s.wait_for("[data-testid=call-repeat]")
        .await
        .send_keys("d")
        .await
        .expect("key d");
    let link = attr(&s, "[data-testid=call-lesson-link]", "href").await;
    assert!(link.starts_with("/lesson/gan-objective#"), "{link}");
    let summary = s
        .wait_for("[data-testid=call-summary]")
        .await
        .text()
        .await
        .expect("summary");
    assert!(summary.contains("Went well"), "{summary}");
    assert!(summary.contains("To review"), "{summary}");
    assert!(summary.contains("next is due"), "{summary}");
    let captions = s
        .wait_for("[data-testid=call-captions]")
        .await
        .text()
        .await
        .expect("captions");
    assert!(captions.contains("Tutor: Hi!"), "{captions}");
    assert!(
        captions.contains(&format!(
            "You: {}",
            wrong.chars().take(20).collect::<String>()
        )),
        "{captions}"
    );
    assert!(captions.contains("is a common mistake"), "{captions}");
    // Captions only: nothing was spoken.
    assert_eq!(js(&s, "return window.__spoken.length").await, 0);
    let _ = second;
    results_survive_a_reload(&s, 2).await;
    s.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_whole_call_by_voice_on_the_device() {
    let dir = dist_with_mock("voice");
    let s = Session::start_with_dist(dir.clone()).await;
    let c = &s.client;
    c.goto(&s.url("/study/call?lesson=gan-objective"))
        .await
        .expect("lesson call");
    // The mock says on-device recognition is available: voice is chosen, nothing is sent away.
    s.wait_text("[data-testid=call-ear-note]", |t| {
        t.contains("stays on this device")
    })
    .await;
    let local = s.wait_for("[data-testid=call-ear-local]").await;
    assert_eq!(
        local.prop("checked").await.expect("prop").as_deref(),
        Some("true")
    );
    let cloud = s.wait_for("[data-testid=call-ear-cloud]").await;
    assert!(
        cloud.attr("disabled").await.expect("attr").is_some(),
        "cloud needs consent"
    );
    s.wait_for("[data-testid=call-start]")
        .await
        .click()
        .await
        .expect("start");

    // Card one: "repeat" by voice, then the right answer.
    let first = wait_turn(&s).await;
    s.wait_text("[data-testid=call-state]", |t| t.starts_with("Listening"))
        .await;
    assert_eq!(
        js(&s, "return window.__lastLocal").await,
        true,
        "processLocally set"
    );
    let phrases = js(&s, "return window.__lastPhrases").await;
    assert!(
        phrases
            .as_array()
            .is_some_and(|a| a.iter().any(|p| p == "repeat")),
        "phrases bias towards commands and key terms: {phrases}"
    );
    let spoken_before = js(&s, "return window.__spoken.length").await;
    assert_eq!(js(&s, "return window.__hear('repeat')").await, true);
    s.wait_text("[data-testid=call-state]", |t| t.starts_with("Listening"))
        .await;
    let spoken_after = js(&s, "return window.__spoken.length").await;
    assert!(
        spoken_after.as_u64() > spoken_before.as_u64(),
        "the question was said again"
    );
    let said = js(
        &s,
        &format!("return window.__hear({:?})", right_answer(first)),
    )
    .await;
    assert_eq!(said, true);
    // Card two: "I don't know" twice by voice -> hint, then the explanation.
    loop {
        let id = wait_turn(&s).await;
        if id != first {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    s.wait_text("[data-testid=call-state]", |t| t.starts_with("Listening"))
        .await;
    js(&s, "return window.__hear(\"I don't know\")").await;
    s.wait_for("[data-testid=call-hint]").await;
    s.wait_text("[data-testid=call-state]", |t| t.starts_with("Listening"))
        .await;
    js(&s, "return window.__hear(\"I don't know\")").await;
    s.wait_for("[data-testid=call-summary]").await;
    let spoken = js(&s, "return window.__spoken.map(u => u.text).join(' | ')").await;
    let spoken = spoken.as_str().unwrap_or_default().to_string();
    assert!(spoken.contains("Here's a hint"), "{spoken}");
    assert!(spoken.contains("Your next review is due"), "{spoken}");
    results_survive_a_reload(&s, 2).await;
    s.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
