//! Reading JSON with every problem reported at its path: the pieces the document's
//! decoding (`decode.rs`) and the settings' (`settings.rs`) share.

use serde_json::{Map, Value};

use super::ScenarioError;
use crate::limits;

/// Reads a document, collecting every problem with its path.
#[derive(Debug, Default)]
pub(crate) struct Decoder {
    pub(crate) errors: Vec<ScenarioError>,
}

/// The last name of a path that [`join`] and [`index`] wrote: a quoted key, else the
/// last dotted name, without indexes.
pub(crate) fn last_name(path: &str) -> &str {
    // Bytes, not chars: the separators are ASCII, and a char searcher weighs on the page.
    let last = |p: &str, c: u8| p.bytes().rposition(|b| b == c);
    let mut p = path;
    while let Some(rest) = p.strip_suffix(']') {
        let Some(i) = last(rest, b'[') else {
            break;
        };
        let inside = &rest[i + 1..];
        if let Some(key) = inside.strip_prefix('"') {
            return key.strip_suffix('"').unwrap_or(key);
        }
        p = &rest[..i];
    }
    last(p, b'.').map_or(p, |i| &p[i + 1..])
}

pub(crate) fn join(path: &str, key: &str) -> String {
    let simple = key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    match (path.is_empty(), simple) {
        (true, true) => key.to_string(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", Value::String(key.to_string())),
    }
}

pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Decoder {
    pub(crate) fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(ScenarioError {
            path: path.into(),
            message: message.into(),
        });
    }

    /// The object at `path`, with every key not in `allowed` reported.
    pub(crate) fn object<'v>(
        &mut self,
        v: &'v Value,
        path: &str,
        allowed: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Some(map) = v.as_object() else {
            self.err(path, format!("expected an object, found {}", kind(v)));
            return None;
        };
        for k in map.keys() {
            if !allowed.contains(&k.as_str()) {
                let hint = closest(k, allowed)
                    .map(|c| format!("; did you mean \"{c}\"?"))
                    .unwrap_or_else(|| format!("; allowed: {}", allowed.join(", ")));
                self.err(join(path, k), format!("unknown field{hint}"));
            }
        }
        Some(map)
    }

    pub(crate) fn uint(&mut self, v: &Value, path: &str, min: u64, max: u64) -> Option<u64> {
        match v.as_u64() {
            Some(n) if n >= min && n <= max => Some(n),
            Some(n) => {
                self.err(path, format!("{n} is not between {min} and {max}"));
                None
            }
            None => {
                let found = match v {
                    Value::Number(_) => "a negative or fractional number".to_string(),
                    other => kind(other).to_string(),
                };
                self.err(path, format!("expected a whole number, found {found}"));
                None
            }
        }
    }

    pub(crate) fn boolean(&mut self, v: &Value, path: &str) -> Option<bool> {
        match v.as_bool() {
            Some(b) => Some(b),
            None => {
                self.err(path, format!("expected true or false, found {}", kind(v)));
                None
            }
        }
    }

    pub(crate) fn string(&mut self, v: &Value, path: &str) -> Option<String> {
        match v.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.err(path, format!("expected a string, found {}", kind(v)));
                None
            }
        }
    }

    /// A string, or `null`/absent for none.
    pub(crate) fn nullable_string(
        &mut self,
        map: &Map<String, Value>,
        path: &str,
        key: &str,
    ) -> Option<String> {
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => {
                let p = join(path, key);
                let s = self.string(v, &p)?;
                if s.len() > limits::MAX_KEY_OR_VALUE_BYTES {
                    self.err(
                        p,
                        format!(
                            "is {} bytes long; at most {} bytes of UTF-8 are allowed",
                            s.len(),
                            limits::MAX_KEY_OR_VALUE_BYTES
                        ),
                    );
                    return None;
                }
                Some(s)
            }
        }
    }

    pub(crate) fn required<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        path: &str,
        key: &str,
    ) -> Option<&'v Value> {
        let v = map.get(key);
        if v.is_none() {
            self.err(join(path, key), "required field is missing");
        }
        v
    }

    pub(crate) fn list<T>(
        &mut self,
        v: Option<&Value>,
        path: &str,
        max: usize,
        mut item: impl FnMut(&mut Self, &Value, &str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Some(v) = v else {
            return Some(Vec::new());
        };
        let Some(items) = v.as_array() else {
            self.err(path, format!("expected an array, found {}", kind(v)));
            return None;
        };
        if items.len() > max {
            self.err(
                path,
                format!("has {} entries; at most {max} are allowed", items.len()),
            );
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, v) in items.iter().enumerate() {
            match item(self, v, &index(path, i)) {
                Some(t) => out.push(t),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

/// The allowed name closest to `key` (a likely typo), if any is close.
fn closest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    // A name the key begins (`linger` for `linger.ms`), else the nearest by edit distance.
    if let Some(a) = allowed
        .iter()
        .find(|a| key.len() >= 3 && a.starts_with(key) && a[key.len()..].starts_with('.'))
    {
        return Some(a);
    }
    allowed
        .iter()
        .map(|a| (edit_distance(key, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_name_of_a_path_is_the_field_it_concerns() {
        let key = join("cluster.config", "broker.session.timeout.ms");
        assert_eq!(last_name(&key), "broker.session.timeout.ms");
        assert_eq!(
            last_name(&join(&index("topics", 0), "replication_factor")),
            "replication_factor"
        );
        assert_eq!(last_name(&index(&index("topics", 0), 2)), "topics");
        assert_eq!(last_name("network.latency_ms"), "latency_ms");
        assert_eq!(last_name(""), "");
    }
}
