//! Share links, export and import: a scenario document travels as JSON, in a link as
//! the fragment `#scenario=<base64url>`.
//!
//! The fragment never reaches a server, so a shared scenario stays in the browser. The
//! encoding is base64url (RFC 4648 §5) without padding, hand-rolled here because a
//! crate would add bytes to the page for forty lines of arithmetic. Decoding is lenient
//! in what it accepts from a pasted link (padding, the standard alphabet's `+` and `/`)
//! and strict about everything else. What the document means is the engine's business:
//! [`load_scenario`] hands it to [`kafka_sim::scenario::parse`].

use kafka_sim::scenario::{self, Scenario};

/// The fragment's key: a share link ends with `#scenario=...`.
const KEY: &str = "scenario=";

/// base64url's alphabet (RFC 4648 §5).
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The longest link offered: under Firefox's 1 MiB (`network.standard-url.max-length`,
/// 1,048,576) and Chromium's 2 MiB (`url::kMaxURLChars`), the address bar's limits past
/// which a pasted link does not open. Longer scenarios go to a file (Export).
pub const MAX_LINK_CHARS: usize = 1_000_000;

/// Whether a link of `chars` characters is one browsers open.
pub fn link_opens(chars: usize) -> bool {
    chars <= MAX_LINK_CHARS
}

/// base64url (RFC 4648 §5, no padding) of the scenario JSON, as the fragment
/// `#scenario=...`.
pub fn encode_fragment(json: &str) -> String {
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(1 + KEY.len() + bytes.len().div_ceil(3) * 4);
    out.push('#');
    out.push_str(KEY);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        // 3 bytes give 4 characters; 2 give 3; 1 gives 2 (no padding).
        for i in 0..=chunk.len() {
            let sextet = (n >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(ALPHABET[sextet as usize]));
        }
    }
    out
}

/// The value of a base64 character, accepting both base64url's `-` `_` and standard
/// base64's `+` `/`.
fn sextet(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' | b'+' => 62,
        b'_' | b'/' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Accepts `#scenario=...` or `scenario=...` (also tolerates padding and standard base64
/// characters); returns the JSON text, or why not.
pub fn decode_fragment(fragment: &str) -> Result<String, String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(data) = fragment.strip_prefix(KEY) else {
        return Err("the link is not a scenario link".into());
    };
    // Padding is optional, but only at the end and only as much as base64 allows.
    let body = data.trim_end_matches('=');
    let padding = data.len() - body.len();
    if let Some(pos) = body.find('=') {
        return Err(format!("not valid base64url at character {}", pos + 1));
    }
    if padding > 0 && (padding > 2 || !(body.len() + padding).is_multiple_of(4)) {
        return Err(format!(
            "not valid base64url at character {}",
            body.len() + 1
        ));
    }
    let mut bytes = Vec::with_capacity(body.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (i, c) in body.bytes().enumerate() {
        let Some(v) = sextet(c) else {
            // Characters are counted from 1 as a person reading the link would.
            let position = body[..i].chars().count() + 1;
            return Err(format!("not valid base64url at character {position}"));
        };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A single character left over carries only 6 bits: no whole byte.
    if body.len() % 4 == 1 {
        return Err(format!("not valid base64url at character {}", body.len()));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8".to_string())
}

/// Parses and validates a scenario document with the engine's validator; on error, one
/// message per problem, `path: reason`.
pub fn load_scenario(json: &str) -> Result<Scenario, Vec<String>> {
    scenario::parse(json).map_err(|errors| errors.iter().map(ToString::to_string).collect())
}

crate::on_demand::on_demand!(
    scenario_reader,
    /// The engine's reader of scenario documents, with the JSON parser it alone needs.
    fn read(json: String) -> Result<Scenario, Vec<String>> {
        // A document may bring groups that use them.
        crate::session::assignors::install();
        load_scenario(&json)
    }
);

/// [`load_scenario`] for the first screen's callers (a link, a file, a preset): the
/// reader is fetched with the first document opened (the playground the page opens with
/// is built in, `presets::default_scenario`). A reader that did not load is said as the
/// document's one problem.
pub async fn read_scenario(json: String) -> Result<Scenario, Vec<String>> {
    read(json).await.map_err(|_| {
        vec!["the page's scenario reader did not load (is the network down?); try again".into()]
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_longer_than_browsers_open_is_not_offered() {
        assert!(link_opens(375));
        assert!(link_opens(MAX_LINK_CHARS));
        // The issue's 2.79 MB link, which Chromium refused to open.
        assert!(!link_opens(2_790_000));
        assert!(!link_opens(MAX_LINK_CHARS + 1));
    }

    fn payload(fragment: &str) -> &str {
        fragment.strip_prefix("#scenario=").expect("the prefix")
    }

    #[test]
    fn rfc_4648_vectors_encode_without_padding() {
        // RFC 4648 §10, with the padding removed.
        let cases = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(encode_fragment(plain), format!("#scenario={encoded}"));
            assert_eq!(
                decode_fragment(&format!("#scenario={encoded}")),
                Ok(plain.into())
            );
        }
    }

    #[test]
    fn uses_the_url_safe_alphabet() {
        // Standard base64 would write "fn5+" and "Pz8/".
        assert_eq!(encode_fragment("~~~"), "#scenario=fn5-");
        assert_eq!(encode_fragment("???"), "#scenario=Pz8_");
        assert_eq!(decode_fragment("#scenario=fn5-"), Ok("~~~".into()));
        assert_eq!(decode_fragment("#scenario=Pz8_"), Ok("???".into()));
        let all_ascii: String = (0u8..=127).map(char::from).collect();
        let f = encode_fragment(&all_ascii);
        assert!(
            payload(&f)
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'),
            "{f}"
        );
        assert_eq!(decode_fragment(&f), Ok(all_ascii));
    }

    #[test]
    fn round_trips_non_ascii_text() {
        let texts = [
            r#"{"key":"ключ","value":"значение"}"#,
            r#"{"key":"🦀 rust","value":"👍🏽 ok"}"#,
            "日本語のキー",
            "a",
            "ab",
            "abc",
            "\u{0}\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}",
        ];
        for text in texts {
            let f = encode_fragment(text);
            assert!(f.is_ascii(), "{f}");
            assert_eq!(decode_fragment(&f).as_deref(), Ok(text));
            // Without the '#', as URL.hash would give it after stripping, too.
            assert_eq!(decode_fragment(&f[1..]).as_deref(), Ok(text));
        }
    }

    #[test]
    fn tolerates_padding_and_the_standard_alphabet() {
        assert_eq!(decode_fragment("#scenario=Zg=="), Ok("f".into()));
        assert_eq!(decode_fragment("scenario=Zm8="), Ok("fo".into()));
        assert_eq!(decode_fragment("#scenario=Zm9v"), Ok("foo".into()));
        // "+/+/" in standard base64 is "-_-_" in base64url: the bytes fb ff bf.
        let standard = decode_fragment("#scenario=+/+/");
        let url = decode_fragment("#scenario=-_-_");
        assert_eq!(standard, url);
        // Those bytes are not UTF-8, so both say so.
        assert_eq!(url, Err("not UTF-8".into()));
        let json = r#"{"k":"ÿÿÿ>>>???"}"#;
        let standard = payload(&encode_fragment(json))
            .replace('-', "+")
            .replace('_', "/");
        assert_eq!(
            decode_fragment(&format!("#scenario={standard}")),
            Ok(json.into())
        );
    }

    #[test]
    fn rejects_links_that_are_not_scenario_links() {
        for f in [
            "",
            "#",
            "#lesson=abc",
            "#Scenario=Zg",
            "scenario",
            "#x#scenario=Zg",
        ] {
            assert_eq!(
                decode_fragment(f),
                Err("the link is not a scenario link".into()),
                "{f:?}"
            );
        }
    }

    #[test]
    fn names_the_first_bad_character() {
        assert_eq!(
            decode_fragment("#scenario=Zm9v!mFy"),
            Err("not valid base64url at character 5".into())
        );
        assert_eq!(
            decode_fragment("#scenario=Zm 9v"),
            Err("not valid base64url at character 3".into())
        );
        // A non-ASCII character counts as one character.
        assert_eq!(
            decode_fragment("#scenario=Zém9v"),
            Err("not valid base64url at character 2".into())
        );
        // Padding in the middle.
        assert_eq!(
            decode_fragment("#scenario=Zg==Zm9v"),
            Err("not valid base64url at character 3".into())
        );
        // Too much padding, or padding that does not complete a quantum.
        assert_eq!(
            decode_fragment("#scenario=Zg==="),
            Err("not valid base64url at character 3".into())
        );
        assert_eq!(
            decode_fragment("#scenario=Zm9v="),
            Err("not valid base64url at character 5".into())
        );
        // A lone trailing character holds no whole byte.
        assert_eq!(
            decode_fragment("#scenario=Zm9vY"),
            Err("not valid base64url at character 5".into())
        );
    }

    #[test]
    fn rejects_bytes_that_are_not_utf8() {
        // 0xff alone is never UTF-8: "_w" is its base64url.
        assert_eq!(decode_fragment("#scenario=_w"), Err("not UTF-8".into()));
        // A truncated two-byte sequence (the first byte of "é").
        assert_eq!(decode_fragment("#scenario=ww"), Err("not UTF-8".into()));
    }

    #[test]
    fn the_format_example_travels_in_a_link_and_loads() {
        let json = include_str!("../scenarios/examples/format-example.json");
        let fragment = encode_fragment(json);
        let decoded = decode_fragment(&fragment).expect("it decodes");
        assert_eq!(decoded, json);
        let loaded = load_scenario(&decoded).expect("it loads");
        let direct = scenario::parse(json).expect("the example is valid");
        assert_eq!(loaded, direct);
        // An exported document (the engine's own JSON) travels back unchanged too.
        let exported = loaded.to_json();
        let again = load_scenario(&decode_fragment(&encode_fragment(&exported)).expect("decodes"))
            .expect("it loads");
        assert_eq!(again, direct);
    }

    #[test]
    fn a_scenario_with_non_ascii_keys_round_trips_through_a_link() {
        let json = r#"{
          "version": 1,
          "cluster": { "brokers": 3 },
          "topics": [{ "name": "orders", "partitions": 3, "replication_factor": 3 }],
          "producers": [{ "id": "web-api", "client": "dotnet" }],
          "steps": [
            { "produce": { "producer": "web-api", "topic": "orders", "key": "ключ", "value": "🦀" } },
            { "advance_ms": 100 }
          ]
        }"#;
        let loaded = load_scenario(&decode_fragment(&encode_fragment(json)).expect("decodes"))
            .expect("loads");
        assert_eq!(loaded, scenario::parse(json).expect("valid"));
        let scenario::Step::Produce(p) = &loaded.steps[0] else {
            panic!("the first step is a produce: {:?}", loaded.steps[0]);
        };
        assert_eq!(p.key.as_deref(), Some("ключ"));
        assert_eq!(p.value.as_deref(), Some("🦀"));
    }

    #[test]
    fn load_reports_every_problem_with_its_path() {
        let json = r#"{
          "version": 1,
          "cluster": { "brokers": 3 },
          "topics": [{ "name": "orders", "partitions": 0, "replication_factor": 3 }],
          "colour": "blue"
        }"#;
        let messages = load_scenario(json).expect_err("it is invalid");
        let expected: Vec<String> = scenario::parse(json)
            .expect_err("the engine refuses it too")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(messages, expected);
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("topics[0].partitions: ")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.starts_with("colour: ")),
            "{messages:?}"
        );
    }

    #[test]
    fn load_reports_a_replication_factor_above_the_broker_count() {
        let json = r#"{
          "version": 1,
          "cluster": { "brokers": 3 },
          "topics": [{ "name": "orders", "partitions": 3, "replication_factor": 4 }]
        }"#;
        let messages = load_scenario(json).expect_err("it is invalid");
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].starts_with("topics[0].replication_factor: "),
            "{messages:?}"
        );
    }

    #[test]
    fn load_reports_broken_json() {
        let messages = load_scenario("{\"version\": 1,").expect_err("not JSON");
        assert_eq!(messages.len(), 1);
        assert!(messages[0].starts_with("not valid JSON"), "{messages:?}");
    }
}
