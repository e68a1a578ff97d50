//! Screenshot helper for looking at pages: `cargo run -p gentutor-e2e --bin shot -- <path> <out.png>
//! [css-to-scroll-to] [css-to-click] [wait-ms] [width] [height] [light|dark]`. Serves dist/ like
//! the tests do; a theme sets the page's saved theme choice and reloads before the shot.

use fantoccini::Locator;
use gentutor_e2e::Session;

#[tokio::main]
async fn main() {
    let a: Vec<String> = std::env::args().collect();
    let path = a.get(1).cloned().unwrap_or_else(|| "/".into());
    let out = a.get(2).cloned().unwrap_or_else(|| "shot.png".into());
    let scroll = a.get(3).cloned().filter(|s| !s.is_empty());
    let click = a.get(4).cloned().filter(|s| !s.is_empty());
    let wait: u64 = a.get(5).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let w: u32 = a.get(6).and_then(|s| s.parse().ok()).unwrap_or(1200);
    let h: u32 = a.get(7).and_then(|s| s.parse().ok()).unwrap_or(900);
    let theme = a.get(8).filter(|t| *t == "light" || *t == "dark").cloned();
    let s = Session::start().await;
    s.client.set_window_size(w, h).await.expect("window size");
    s.client.goto(&s.url(&path)).await.expect("open");
    s.wait_for("main *").await;
    if let Some(t) = &theme {
        let js = format!("localStorage.setItem('gentutor.theme', {t:?}); location.reload();");
        s.client.execute(&js, vec![]).await.expect("theme");
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        s.wait_for("main *").await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    if let Some(css) = &click {
        s.wait_for(css).await;
        s.client
            .find(Locator::Css(css))
            .await
            .expect("click target")
            .click()
            .await
            .expect("click");
    }
    tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
    if let Some(css) = &scroll {
        let js = format!("const e = document.querySelector({css:?}); if (e) e.scrollIntoView({{block: 'start'}}); window.scrollBy(0, -60);");
        s.client.execute(&js, vec![]).await.expect("scroll");
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    let png = s.client.screenshot().await.expect("screenshot");
    std::fs::write(&out, png).expect("write png");
    println!("wrote {out}");
    s.close().await;
}
