//! Which key events page shortcuts leave alone (used by the study modes and the Call page).

fn target_element(ev: &web_sys::KeyboardEvent) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
}

/// True when the key event goes to a form field (its keys edit the field: text, numbers,
/// a select's options) or to editable content.
pub fn in_field(ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    let Some(el) = target_element(ev) else {
        return false;
    };
    let tag = el.tag_name().to_ascii_uppercase();
    matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || el
            .dyn_ref::<web_sys::HtmlElement>()
            .is_some_and(|h| h.is_content_editable())
}

/// True when a key event should be left alone by page shortcuts: typed into a field, sent to a
/// button or link (whose own Space/Enter activates it), or with a modifier held.
pub fn ignore_shortcut(ev: &web_sys::KeyboardEvent) -> bool {
    if ev.ctrl_key() || ev.alt_key() || ev.meta_key() {
        return true;
    }
    let Some(el) = target_element(ev) else {
        return false;
    };
    let tag = el.tag_name().to_ascii_uppercase();
    let activates = matches!(tag.as_str(), "BUTTON" | "A" | "SUMMARY")
        && matches!(ev.key().as_str(), " " | "Enter");
    in_field(ev) || activates
}
