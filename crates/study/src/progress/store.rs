//! Loading (parse, migrate, sanitise, quarantine what cannot be read), saving, export and
//! import.

use super::*;

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq)]
enum Unreadable {
    Corrupt(String),
    Foreign(String),
    Future(u32),
}

impl Progress {
    /// Empty progress in the current format.
    pub fn fresh() -> Self {
        Self {
            version: PROGRESS_VERSION,
            cards: BTreeMap::new(),
            matching_best_ms: None,
            learn_round: 0,
            settings: Settings::default(),
        }
    }

    /// Reads the saved document (`None` when the key is absent). Never fails and never loses
    /// data: see the module docs. `now_ms` only names the backup key.
    pub fn load(raw: Option<&str>, now_ms: i64) -> LoadOutcome {
        let text = match raw {
            Some(t) if !t.trim().is_empty() => t,
            _ => {
                return LoadOutcome {
                    progress: Self::fresh(),
                    notice: None,
                    quarantine: None,
                    migrated_from: None,
                }
            }
        };
        match Self::parse(text) {
            Ok((progress, migrated_from)) => LoadOutcome {
                progress,
                notice: migrated_from.map(|v| {
                    format!(
                        "Your saved progress was upgraded from format v{v} to v{PROGRESS_VERSION}."
                    )
                }),
                quarantine: None,
                migrated_from,
            },
            Err(why) => {
                let (tag, reason) = match &why {
                    Unreadable::Corrupt(e) => ("corrupt", format!("it is damaged ({e})")),
                    Unreadable::Foreign(e) => ("foreign", format!("it is not gentutor progress ({e})")),
                    Unreadable::Future(v) => (
                        "future",
                        format!(
                            "it was written by a newer gentutor (format v{v}; this version reads up to v{PROGRESS_VERSION}), so it was not downgraded"
                        ),
                    ),
                };
                let q = Quarantine {
                    key_suffix: format!("backup-{tag}-{now_ms}"),
                    raw: text.to_string(),
                };
                let notice = format!(
                    "Your saved study progress could not be used: {reason}. Nothing was deleted: the saved text was kept under the browser storage key \"{}\". This session starts with fresh progress.",
                    q.key()
                );
                LoadOutcome {
                    progress: Self::fresh(),
                    notice: Some(notice),
                    quarantine: Some(q),
                    migrated_from: None,
                }
            }
        }
    }

    /// Parses, migrates and sanitises a document.
    fn parse(text: &str) -> Result<(Progress, Option<u32>), Unreadable> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| Unreadable::Corrupt(e.to_string()))?;
        let obj = value
            .as_object()
            .ok_or_else(|| Unreadable::Foreign("not a JSON object".into()))?;
        let version = obj
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| Unreadable::Foreign("no version number".into()))?;
        let version = u32::try_from(version).unwrap_or(u32::MAX);
        if version == 0 {
            return Err(Unreadable::Foreign("version 0".into()));
        }
        if version > PROGRESS_VERSION {
            return Err(Unreadable::Future(version));
        }
        let mut value = value;
        let migrated_from = (version < PROGRESS_VERSION).then_some(version);
        if version == 1 {
            value = migrate_v1_to_v2(value).map_err(Unreadable::Foreign)?;
        }
        let mut progress: Progress = serde_json::from_value(value)
            .map_err(|e| Unreadable::Foreign(format!("unexpected layout: {e}")))?;
        progress.sanitize();
        Ok((progress, migrated_from))
    }

    /// Repairs anything out of range (NaN scores, huge logs, bad ids).
    fn sanitize(&mut self) {
        self.version = PROGRESS_VERSION;
        self.cards.retain(|id, _| (1..=MAX_CARD_ID).contains(id));
        for c in self.cards.values_mut() {
            if let Some(s) = c.fsrs.take() {
                c.fsrs = Some(s.sanitized());
            }
            c.review_log.sort_by_key(|e| e.reviewed_ms);
            keep_last(&mut c.review_log, MAX_REVIEW_LOG);
            for r in c.test_results.iter_mut().chain(c.quiz_results.iter_mut()) {
                r.score = clean_score(r.score);
            }
            keep_last(&mut c.test_results, MAX_RESULTS);
            keep_last(&mut c.quiz_results, MAX_RESULTS);
            keep_last(&mut c.learn_log, MAX_RESULTS);
        }
        let s = &mut self.settings;
        s.desired_retention = if s.desired_retention.is_finite() {
            s.desired_retention.clamp(0.70, 0.97)
        } else {
            0.9
        };
        s.new_cards_per_session = s.new_cards_per_session.clamp(1, 100);
        s.learn_round_size = s.learn_round_size.clamp(1, 20);
    }

    /// The document as compact JSON, for localStorage.
    pub fn to_json(&self) -> Result<String, StudyError> {
        serde_json::to_string(self).map_err(|e| StudyError::Serialize(e.to_string()))
    }

    /// The document as indented JSON, for the Export button.
    pub fn export(&self) -> Result<String, StudyError> {
        serde_json::to_string_pretty(self).map_err(|e| StudyError::Serialize(e.to_string()))
    }

    /// Reads an exported file (any supported version, migrated). Unlike [`Progress::load`]
    /// this reports problems as errors: nothing is replaced unless the file is valid.
    pub fn import(raw: &str) -> Result<Progress, StudyError> {
        match Self::parse(raw) {
            Ok((p, _)) => Ok(p),
            Err(Unreadable::Corrupt(e)) => {
                Err(StudyError::ImportInvalid(format!("not valid JSON: {e}")))
            }
            Err(Unreadable::Foreign(e)) => Err(StudyError::ImportInvalid(e)),
            Err(Unreadable::Future(v)) => Err(StudyError::ImportFromFuture {
                found: v,
                supported: PROGRESS_VERSION,
            }),
        }
    }
}
