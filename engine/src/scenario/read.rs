//! Reading JSON with every problem reported at its path: the pieces the document's
//! decoding (`decode.rs`) and the settings' (`settings.rs`) share.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::ScenarioError;
use crate::limits;

/// A value from the input as an error message echoes it: control characters (and the
/// invisible ones that reorder or hide text) escaped as `\n`, `\t`, `\r` or `\u{1b}`,
/// and cut after [`limits::MAX_EXCERPT_CHARS`] characters with "…". An error line is
/// then short, and a name can neither clear a terminal nor forge a line of output.
pub fn excerpt(s: &str) -> String {
    excerpt_with(s, false)
}

/// [`excerpt`], also escaping `"` and `\\` (for a value shown between double quotes).
pub(crate) fn quoted(s: &str) -> String {
    format!("\"{}\"", excerpt_with(s, true))
}

fn excerpt_with(s: &str, quotes: bool) -> String {
    let mut out = String::new();
    let mut shown = 0;
    for c in s.chars() {
        let escaped = escape(c, quotes);
        let width = escaped.as_ref().map_or(1, |e| e.chars().count());
        if shown + width > limits::MAX_EXCERPT_CHARS {
            out.push('…');
            return out;
        }
        shown += width;
        match escaped {
            Some(e) => out.push_str(&e),
            None => out.push(c),
        }
    }
    out
}

/// How `c` is written in an excerpt, if not as itself.
fn escape(c: char, quotes: bool) -> Option<String> {
    let invisible = matches!(
        c,
        '\u{061c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
    );
    match c {
        '\n' => Some("\\n".into()),
        '\r' => Some("\\r".into()),
        '\t' => Some("\\t".into()),
        '"' | '\\' if quotes => Some(format!("\\{c}")),
        c if c.is_control() || invisible => Some(format!("\\u{{{:x}}}", u32::from(c))),
        _ => None,
    }
}

/// A JSON value as an error message shows what was found: a string quoted and cut
/// short, a number or literal as written, an array or object by its kind.
pub(crate) fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => quoted(s),
        Value::Number(n) => excerpt(&n.to_string()),
        Value::Bool(_) | Value::Null => v.to_string(),
        Value::Array(_) | Value::Object(_) => kind(v).to_string(),
    }
}

/// Reads a document, collecting every problem with its path.
#[derive(Debug, Default)]
pub(crate) struct Decoder {
    pub(crate) errors: Vec<ScenarioError>,
    /// Problems found past the first [`limits::MAX_REPORTED_ERRORS`]: counted, not kept
    /// (a document of a million bad keys costs no more than the count).
    pub(crate) more: usize,
}

/// Reads JSON text as serde_json does, and also the path of every key that appears more
/// than once in its object: serde_json's `Value` keeps the last silently, and a document
/// whose promise is that no typo passes unnoticed must refuse them.
pub(crate) fn json_without_repeated_keys(
    text: &str,
) -> Result<(Value, Vec<ScenarioError>), serde_json::Error> {
    let mut trail = Trail::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Walk { trail: &mut trail }.deserialize(&mut de)?;
    de.end()?;
    // One error per repeated key, in the order they first repeat, with how often.
    let paths = trail.repeated;
    let mut order: Vec<usize> = (0..paths.len()).collect();
    order.sort_by(|a, b| paths[*a].cmp(&paths[*b]).then(a.cmp(b)));
    let mut runs: Vec<(usize, usize)> = order
        .chunk_by(|a, b| paths[*a] == paths[*b])
        .map(|run| (run[0], run.len() + 1))
        .collect();
    runs.sort_unstable();
    let errors = runs
        .into_iter()
        .map(|(first, times)| ScenarioError {
            path: paths[first].clone(),
            message: match times {
                2 => "this key appears twice in its object (JSON would keep only the last)"
                    .to_string(),
                n => format!(
                    "this key appears {n} times in its object (JSON would keep only the last)"
                ),
            },
        })
        .collect();
    Ok((value, errors))
}

/// Where the reader is: the keys and indexes down to the value it reads.
#[derive(Default)]
struct Trail {
    segments: Vec<Segment>,
    /// The path of every repetition of a key, in the order read.
    repeated: Vec<String>,
}

enum Segment {
    Key(String),
    Index(usize),
}

impl Trail {
    /// The path down to here; a deep one keeps its first 100 characters and its last
    /// segment (an error line stays short however deep the document).
    fn path(&self) -> String {
        let mut path = String::new();
        for s in &self.segments {
            path = match s {
                Segment::Key(k) => join(&path, k),
                Segment::Index(i) => index(&path, *i),
            };
        }
        if path.chars().count() <= 160 {
            return path;
        }
        let head: String = path.chars().take(100).collect();
        match self.segments.last() {
            Some(Segment::Key(k)) => join(&format!("{head}…"), k),
            Some(Segment::Index(i)) => index(&format!("{head}…"), *i),
            None => head,
        }
    }
}

/// Builds a `Value` while keeping the trail.
struct Walk<'t> {
    trail: &'t mut Trail,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        Ok(Number::from_f64(n).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let trail = self.trail;
        let mut items = Vec::new();
        loop {
            trail.segments.push(Segment::Index(items.len()));
            let item = seq.next_element_seed(Walk { trail: &mut *trail });
            trail.segments.pop();
            match item? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let trail = self.trail;
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            trail.segments.push(Segment::Key(key.clone()));
            let value = access.next_value_seed(Walk { trail: &mut *trail });
            if map.contains_key(&key) {
                let path = trail.path();
                trail.repeated.push(path);
            }
            trail.segments.pop();
            map.insert(key, value?);
        }
        Ok(Value::Object(map))
    }
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

/// The path of `key` in the object at `path`: `path.key` for a plain name, else
/// `path["key"]`, the key escaped and cut short as [`excerpt`] does (a user's key is
/// part of the error line).
pub(crate) fn join(path: &str, key: &str) -> String {
    let simple = !key.is_empty()
        && key.len() <= limits::MAX_EXCERPT_CHARS
        && key.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_');
    match (path.is_empty(), simple) {
        (true, true) => key.to_string(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", quoted(key)),
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
    /// How many problems were found, kept or only counted.
    pub(crate) fn problems(&self) -> usize {
        self.errors.len() + self.more
    }

    /// Whether enough problems are kept: past it, [`Decoder::err`] only counts.
    pub(crate) fn full(&self) -> bool {
        self.errors.len() >= limits::MAX_REPORTED_ERRORS
    }

    pub(crate) fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        if self.full() {
            self.more += 1;
            return;
        }
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
                if self.full() {
                    self.more += 1;
                    continue;
                }
                let hint = suggestion(k, allowed)
                    .map(|c| format!("; did you mean \"{c}\"?"))
                    .unwrap_or_else(|| format!("; allowed: {}", listed(allowed)));
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
                            "is {} bytes long; at most {} bytes of UTF-8 are allowed (the \
                             playground's limit, not Kafka's)",
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

/// The names of `allowed`, as many as fit in a short line, and how many there are if not
/// all fit (an error line stays under 300 characters).
fn listed(allowed: &[&str]) -> String {
    const WIDTH: usize = 150;
    let all = allowed.join(", ");
    if all.len() <= WIDTH {
        return all;
    }
    let mut out = String::new();
    for a in allowed {
        if out.len() + a.len() + 2 > WIDTH - 20 {
            break;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(a);
    }
    format!("{out}, … ({} in all)", allowed.len())
}

/// The allowed name `key` is likely a typo of, looked for only if `key` is short: the
/// edit distance costs the product of the lengths, and an unknown key of megabytes must
/// be refused at once.
fn suggestion<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let short = key.len() <= 4 * limits::MAX_SUGGESTED_KEY_LENGTH
        && key.chars().count() <= limits::MAX_SUGGESTED_KEY_LENGTH;
    if short { closest(key, allowed) } else { None }
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

    #[test]
    fn an_excerpt_escapes_control_characters_and_is_cut_short() {
        // An escape sequence that would clear a terminal, and a newline that would forge
        // a line of output: both written out.
        assert_eq!(excerpt("a\u{1b}[2J\nb\tc\r"), "a\\u{1b}[2J\\nb\\tc\\r");
        // C1 controls, DEL, and the invisible characters that reorder or split text.
        assert_eq!(
            excerpt("\u{7f}\u{85}\u{202e}\u{2028}\u{feff}"),
            "\\u{7f}\\u{85}\\u{202e}\\u{2028}\\u{feff}"
        );
        // Short values are shown whole, long ones cut at 40 characters with "…".
        assert_eq!(excerpt("orders"), "orders");
        let forty = "x".repeat(limits::MAX_EXCERPT_CHARS);
        assert_eq!(excerpt(&forty), forty);
        let long = excerpt(&"é".repeat(10_000_000));
        assert_eq!(long, format!("{}…", "é".repeat(limits::MAX_EXCERPT_CHARS)));
        // An escape is never split: it fits whole or is left out.
        let cut = excerpt(&format!("{}\u{1b}", "x".repeat(35)));
        assert_eq!(cut, format!("{}…", "x".repeat(35)));
        // At most 40 characters, "…" and, quoted, the two quotes.
        for s in [
            excerpt(&"\u{1b}".repeat(1000)),
            quoted(&"\"\\\n".repeat(1000)),
        ] {
            assert!(s.chars().count() <= limits::MAX_EXCERPT_CHARS + 3, "{s}");
            assert!(!s.chars().any(char::is_control), "{s}");
        }
        // Between quotes, quotes and backslashes are escaped as JSON would.
        assert_eq!(quoted("a\"b\\"), "\"a\\\"b\\\\\"");
    }

    #[test]
    fn a_path_with_a_users_key_is_escaped_and_cut_short() {
        assert_eq!(
            join("cluster.config", "linger.ms"),
            "cluster.config[\"linger.ms\"]"
        );
        assert_eq!(join("", "topics"), "topics");
        assert_eq!(join("", ""), "[\"\"]");
        let path = join("cluster.config", &format!("a\nb{}", "k".repeat(5_000_000)));
        assert!(path.starts_with("cluster.config[\"a\\nbkkk"), "{path}");
        assert!(path.ends_with("…\"]"), "{path}");
        assert!(path.len() < 80, "{path}");
        // A long plain name is quoted and cut too.
        assert!(join("x", &"a".repeat(100)).ends_with("…\"]"));
    }

    #[test]
    fn suggestions_are_looked_for_only_for_short_keys() {
        // A 64-character allowed name with one typo is suggested; a 65-character one is
        // not looked at (the edit distance costs the product of the lengths).
        let ok = format!("{}.ms", "a".repeat(61));
        let typo = format!("{}.ns", "a".repeat(61));
        assert_eq!(suggestion(&typo, &[ok.as_str()]), Some(ok.as_str()));
        let long = format!("{}.ms", "a".repeat(62));
        let long_typo = format!("{}.ns", "a".repeat(62));
        assert_eq!(closest(&long_typo, &[long.as_str()]), Some(long.as_str()));
        assert_eq!(suggestion(&long_typo, &[long.as_str()]), None);
        // Characters, not bytes: 64 two-byte characters are still short.
        let wide = "é".repeat(63) + "x";
        let wide_typo = "é".repeat(63) + "y";
        assert_eq!(
            suggestion(&wide_typo, &[wide.as_str()]),
            Some(wide.as_str())
        );
    }

    #[test]
    fn repeated_keys_are_found_with_their_path() {
        let (v, e) = json_without_repeated_keys(
            r#"{"a": 1, "topics": [{"name": "x", "n": {"k": 1}, "name": "y"}, {"name": "z"}],
                "a": 2, "deep": [[{"q": 1, "q": 2, "q": 3}]], "a": 3, "k": {"k": 1}}"#,
        )
        .expect("valid JSON");
        let lines: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "topics[0].name: this key appears twice in its object (JSON would keep only \
                 the last)",
                "a: this key appears 3 times in its object (JSON would keep only the last)",
                "deep[0][0].q: this key appears 3 times in its object (JSON would keep only \
                 the last)",
            ]
        );
        // The value is the one serde_json builds: the last of each key.
        let plain: Value = serde_json::from_str(
            r#"{"a": 3, "topics": [{"name": "y", "n": {"k": 1}}, {"name": "z"}],
                "deep": [[{"q": 3}]], "k": {"k": 1}}"#,
        )
        .expect("valid JSON");
        assert_eq!(v, plain);
        // Numbers, literals and escapes read as serde_json reads them; errors are its own.
        let text = r#"[0, -1, 18446744073709551615, 1.5e300, true, null, "\u00e9\n"]"#;
        let (v, e) = json_without_repeated_keys(text).expect("valid JSON");
        assert!(e.is_empty());
        assert_eq!(v, serde_json::from_str::<Value>(text).expect("valid JSON"));
        for bad in ["{\"a\": 1} x", "[1,", "{\"a\" 1}", &"[".repeat(10_000)] {
            let mine = json_without_repeated_keys(bad).expect_err(bad).to_string();
            let theirs = serde_json::from_str::<Value>(bad)
                .expect_err(bad)
                .to_string();
            assert_eq!(mine, theirs);
        }
    }
}
