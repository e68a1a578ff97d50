//! Format migrations, one function per version step.

use super::*;

/// v1 -> v2: move the top-level `starred` list into the cards, turn numeric Learn stages into
/// names. Everything else is carried over; new v2 fields take their defaults.
pub(super) fn migrate_v1_to_v2(mut value: serde_json::Value) -> Result<serde_json::Value, String> {
    use serde_json::{Map, Value};
    let obj = value.as_object_mut().ok_or("not a JSON object")?;
    let starred = obj.remove("starred").unwrap_or(Value::Array(Vec::new()));
    let starred = starred
        .as_array()
        .ok_or("v1 `starred` is not a list")?
        .clone();
    let cards = obj
        .entry("cards")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .ok_or("v1 `cards` is not an object")?;
    for card in cards.values_mut() {
        if let Some(c) = card.as_object_mut() {
            if let Some(n) = c.get("learn_stage").and_then(Value::as_u64) {
                let name = LearnStage::from_index(n).name();
                c.insert("learn_stage".into(), Value::String(name.into()));
            }
        }
    }
    for id in starred {
        let id = id.as_u64().ok_or("v1 `starred` holds a non-number")?;
        let entry = cards
            .entry(id.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(c) = entry.as_object_mut() {
            c.insert("starred".into(), Value::Bool(true));
        }
    }
    obj.insert("version".into(), Value::from(2));
    Ok(value)
}
