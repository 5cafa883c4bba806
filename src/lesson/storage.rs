//! The goals a learner met, per lesson, kept in `localStorage` only (nothing leaves the
//! page), under one key; clearing removes it.

use std::collections::BTreeMap;

use serde_json::Value;

/// The `localStorage` key.
const KEY: &str = "kafka-playground.lessons";

/// Goal ids met, per lesson slug.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kept(BTreeMap<String, Vec<String>>);

impl Kept {
    /// Notes `goal` of `slug` as met.
    pub fn add(&mut self, slug: &str, goal: &str) {
        let goals = self.0.entry(slug.to_string()).or_default();
        if !goals.iter().any(|g| g == goal) {
            goals.push(goal.to_string());
        }
    }

    /// How many goals of `slug` were met.
    pub fn count(&self, slug: &str) -> usize {
        self.0.get(slug).map_or(0, Vec::len)
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn from_json(text: &str) -> Kept {
        // What another version of the page wrote, or a hand edit, is read as far as it
        // makes sense.
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else {
            return Kept::default();
        };
        Kept(
            map.into_iter()
                .filter_map(|(slug, goals)| {
                    let goals: Vec<String> = goals
                        .as_array()?
                        .iter()
                        .filter_map(|g| g.as_str().map(str::to_string))
                        .collect();
                    Some((slug, goals))
                })
                .collect(),
        )
    }

    fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_default()
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// What is kept (nothing where storage is off).
pub fn read() -> Kept {
    local_storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .map(|t| Kept::from_json(&t))
        .unwrap_or_default()
}

/// Keeps `kept` (silently not where storage is off or full: the lesson goes on).
pub fn write(kept: &Kept) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(KEY, &kept.to_json());
    }
}

/// Forgets everything kept.
pub fn clear() {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(KEY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_goals_round_trip_and_count_once() {
        let mut k = Kept::default();
        k.add("04-keys", "same-partition");
        k.add("04-keys", "same-partition");
        k.add("04-keys", "ordered");
        assert_eq!(k.count("04-keys"), 2);
        assert_eq!(Kept::from_json(&k.to_json()), k);
    }

    #[test]
    fn what_does_not_make_sense_is_left_out() {
        let k = Kept::from_json(r#"{"a": ["g", 3], "b": "x"}"#);
        assert_eq!(k.count("a"), 1);
        assert_eq!(k.count("b"), 0);
        assert!(Kept::from_json("not json").is_empty());
    }
}
