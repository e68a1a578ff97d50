//! Issue 18, plots on a phone with a 2x screen: every lesson with a live demo fits a 375 px
//! viewport (nothing scrolls sideways), and every drawn canvas has a backing store of its CSS
//! size times devicePixelRatio (crisp text and lines), in light and in dark mode.

use gentutor_e2e::{dist_dir, ServeOptions, Session};
use std::path::Path;
use std::time::Duration;

/// The lessons that embed a demo (```demo blocks), read from the content, so a lesson that
/// gains a demo is checked too.
fn lessons_with_demos() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/lessons");
    let mut out: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| {
            std::fs::read_to_string(e.path())
                .is_ok_and(|t| t.lines().any(|l| l.starts_with("```demo")))
        })
        .filter_map(|e| Some(e.path().file_stem()?.to_str()?.to_string()))
        .collect();
    out.sort();
    out
}

/// (scrollWidth, innerWidth, devicePixelRatio, widest elements sticking out, canvases drawn
/// at the wrong resolution, canvases checked).
async fn measure(s: &Session) -> (u64, u64, f64, String, Vec<String>, u64) {
    let v = s
        .client
        .execute(
            "document.documentElement.style.scrollbarWidth = 'none';\
             const se = document.scrollingElement;\
             const over = e => e.getBoundingClientRect().right > se.clientWidth + 0.5;\
             const clipped = e => { for (let p = e.parentElement; p; p = p.parentElement) {\
               if (getComputedStyle(p).overflowX !== 'visible' && !over(p)) return true; } return false; };\
             const out = [...document.querySelectorAll('body *')]\
               .filter(e => over(e) && !clipped(e) && !(e.parentElement && over(e.parentElement)))\
               .slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) + ' ' + e.textContent.slice(0, 30));\
             const dpr = window.devicePixelRatio;\
             const bad = []; let n = 0;\
             for (const c of document.querySelectorAll('.demo canvas')) {\
               if (c.clientWidth === 0) continue;\
               n++;\
               const w = Math.round(c.clientWidth * dpr), h = Math.round(c.clientHeight * dpr);\
               if (Math.abs(c.width - w) > 2 || Math.abs(c.height - h) > 2)\
                 bad.push(`${c.getAttribute('aria-label') || c.className}: backing ${c.width}x${c.height}, CSS ${c.clientWidth}x${c.clientHeight} at ${dpr}x`);\
             }\
             return [se.scrollWidth, window.innerWidth, dpr, out.join('; '), bad, n];",
            vec![],
        )
        .await
        .expect("measure");
    let a = v.as_array().expect("array");
    (
        a[0].as_u64().unwrap_or(0),
        a[1].as_u64().unwrap_or(0),
        a[2].as_f64().unwrap_or(0.0),
        a[3].as_str().unwrap_or_default().to_string(),
        a[4].as_array()
            .map(|b| {
                b.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
        a[5].as_u64().unwrap_or(0),
    )
}

async fn check_lessons(dark: bool) {
    let mut args = vec!["--force-device-scale-factor=2"];
    if dark {
        args.push("--force-dark-mode");
    }
    let s = Session::start_with_args(dist_dir(), ServeOptions::default(), &args).await;
    let c = &s.client;
    c.set_window_size(375, 800).await.expect("window size");
    let lessons = lessons_with_demos();
    assert!(
        lessons.len() >= 5 && lessons.iter().any(|l| l == "model-families"),
        "{lessons:?}"
    );
    for slug in &lessons {
        let page = format!("/lesson/{slug}");
        c.goto(&s.url(&page)).await.expect("open");
        s.wait_for("main h1").await;
        // The demos module loads on demand; then every canvas gets drawn.
        s.wait_for(".demo canvas").await;
        // Phones draw scrollbars over the page (desktop Chromium takes 15 px): hide them before
        // the plots settle, so they are measured at the width they were drawn for.
        c.execute(
            "document.documentElement.style.scrollbarWidth = 'none';",
            vec![],
        )
        .await
        .expect("hide scrollbars");
        // Until the plots have settled (re-fit and re-drawn at this width and resolution), or
        // 20 s: a fixed wait was too short on a loaded machine. The last measure is judged.
        let mut m = measure(&s).await;
        for _ in 0..100 {
            let (scroll, inner, _, _, ref bad, n) = m;
            if scroll <= inner && bad.is_empty() && n >= 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
            m = measure(&s).await;
        }
        let (scroll, inner, dpr, wide, bad, n) = m;
        assert_eq!(inner, 375, "the viewport is 375 px wide on {page}");
        assert_eq!(dpr, 2.0, "a 2x screen on {page}");
        assert!(
            scroll <= inner,
            "{page} scrolls sideways: {scroll} px ({wide})"
        );
        assert!(n >= 1, "{page}: no demo canvas drawn");
        assert!(bad.is_empty(), "{page} (dark={dark}): {bad:?}");
        // The page's background is the theme's, and so is the plots': a dark page gets dark plots.
        let corner = c
            .execute(
                "const c = [...document.querySelectorAll('.demo canvas')].find(c => c.clientWidth > 0);\
                 const p = c.getContext('2d').getImageData(2, 2, 1, 1).data;\
                 return (p[0] + p[1] + p[2]) / 3;",
                vec![],
            )
            .await
            .expect("pixel");
        let lum = corner.as_f64().unwrap_or(-1.0);
        if dark {
            assert!(lum < 80.0, "{page}: a dark page draws light plots ({lum})");
        } else {
            assert!(lum > 200.0, "{page}: a light page draws dark plots ({lum})");
        }
    }
    s.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn lessons_with_demos_fit_a_375_px_phone_at_2x_light() {
    check_lessons(false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn lessons_with_demos_fit_a_375_px_phone_at_2x_dark() {
    check_lessons(true).await;
}
