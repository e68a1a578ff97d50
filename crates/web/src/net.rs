//! `fetch` for the class API: JSON in, status and text out. Errors are sentences for the page.
//! Shared by the app (the student's sync) and the lazily loaded pages (the teacher's pages).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A server reply.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// True for 2xx.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The server's `{"error": ...}` message, or the status.
    pub fn error(&self) -> String {
        self.json()["error"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| format!("the server answered {}", self.status))
    }
}

fn js_err(_: JsValue) -> String {
    "the server could not be reached (offline?)".to_string()
}

/// Sends one request to the class API (`path` starts with `/api/`).
pub async fn call(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<String>,
) -> Result<Reply, String> {
    let window = web_sys::window().ok_or("no window")?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(js_err)?;
    if let Some(t) = token {
        headers
            .set("Authorization", &format!("Bearer {t}"))
            .map_err(js_err)?;
    }
    if let Some(b) = &body {
        headers
            .set("Content-Type", "application/json")
            .map_err(js_err)?;
        init.set_body(&JsValue::from_str(b));
    }
    init.set_headers(&headers);
    let req = web_sys::Request::new_with_str_and_init(path, &init).map_err(js_err)?;
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_request(&req))
        .await
        .map_err(js_err)?
        .dyn_into()
        .map_err(js_err)?;
    let text = JsFuture::from(resp.text().map_err(js_err)?)
        .await
        .map_err(js_err)?
        .as_string()
        .unwrap_or_default();
    Ok(Reply {
        status: resp.status(),
        body: text,
    })
}

/// `https://host` of this page (links shown to the teacher are absolute).
pub fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// 128 random bits as hex, from the browser's CSPRNG (event ids).
pub fn random_id() -> String {
    let mut b = [0u8; 16];
    let ok = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut b).is_ok());
    if !ok {
        // No Web Crypto: time and Math.random still make collisions within one learner unlikely.
        let t = js_sys::Date::now() as u64;
        b[..8].copy_from_slice(&t.to_le_bytes());
        let r = (js_sys::Math::random() * 2f64.powi(53)) as u64;
        b[8..].copy_from_slice(&r.to_le_bytes());
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}
