//! Small text helpers shared by the views: simulated time, lists of ids, keys.
//!
//! Presentation only: nothing here decides anything about Kafka.

use kafka_sim::BrokerId;

/// Simulated milliseconds as seconds with three decimals: `12.345 s`.
pub fn seconds(ms: u64) -> String {
    let mut s = (ms / 1000).to_string();
    s.push('.');
    let frac = ms % 1000;
    if frac < 100 {
        s.push('0');
    }
    if frac < 10 {
        s.push('0');
    }
    s.push_str(&frac.to_string());
    s.push_str(" s");
    s
}

/// Broker ids as `1, 2, 3`, or `none`.
pub fn broker_list(ids: &[BrokerId]) -> String {
    if ids.is_empty() {
        return "none".into();
    }
    join(ids.iter().map(|b| b.0.to_string()), ", ")
}

/// Broker ids as `1,2,3` (for `data-*` attributes).
pub fn broker_csv(ids: &[BrokerId]) -> String {
    join(ids.iter().map(|b| b.0.to_string()), ",")
}

/// The items joined with `sep`.
pub fn join(items: impl IntoIterator<Item = impl AsRef<str>>, sep: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item.as_ref());
    }
    out
}

/// A key or value in quotes as a console prints it, or `null`.
pub fn quoted(s: Option<&str>) -> String {
    match s {
        Some(s) => {
            let mut out = String::with_capacity(s.len() + 2);
            out.push('\'');
            out.push_str(s);
            out.push('\'');
            out
        }
        None => "null".into(),
    }
}

/// The CSS class of a key's colour: one of the seven colours of the Okabe–Ito palette
/// (safe for colour-blind readers; its black is left out, it reads as "disabled" on a
/// cell), picked by a hash of the key so that equal keys look alike everywhere. The key
/// is always printed too: colour is never the only cue.
pub fn key_class(key: Option<&str>) -> &'static str {
    const CLASSES: [&str; 7] = ["k0", "k1", "k2", "k3", "k4", "k5", "k6"];
    let Some(key) = key else {
        return "knone";
    };
    // FNV-1a: a display hash only, unrelated to the partitioner's.
    let mut h: u32 = 0x811c_9dc5;
    for b in key.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    CLASSES[(h % 7) as usize]
}

/// `n` and the noun in the singular or the plural: `1 record`, `3 records`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    let mut s = n.to_string();
    s.push(' ');
    s.push_str(if n == 1 { one } else { many });
    s
}

/// The clients as pickers list them: the tutorial's .NET client first.
pub const CLIENTS: [kafka_sim::Client; 2] = [kafka_sim::Client::Dotnet, kafka_sim::Client::Java];

/// A client's short name: `Java`, `.NET`.
pub fn client_label(c: kafka_sim::Client) -> &'static str {
    match c {
        kafka_sim::Client::Java => "Java",
        kafka_sim::Client::Dotnet => ".NET",
    }
}

/// Non-negative `x` with `places` decimals, like `format!("{x:.2}")` but without Rust's
/// float formatting, which would add several KB of wasm for this console line alone.
pub fn fixed(x: f64, places: u32) -> String {
    let scale = 10u64.pow(places);
    // `as` saturates: a negative or NaN time prints as 0.
    let n = (x * scale as f64).round() as u64;
    let frac = (n % scale).to_string();
    let mut s = (n / scale).to_string();
    s.push('.');
    for _ in frac.len()..places as usize {
        s.push('0');
    }
    s.push_str(&frac);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_keep_three_decimals() {
        assert_eq!(seconds(0), "0.000 s");
        assert_eq!(seconds(12_345), "12.345 s");
        assert_eq!(seconds(1_005), "1.005 s");
        assert_eq!(seconds(60_050), "60.050 s");
    }

    #[test]
    fn equal_keys_share_a_colour_and_no_key_has_its_own() {
        assert_eq!(key_class(Some("user-42")), key_class(Some("user-42")));
        assert_eq!(key_class(None), "knone");
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(broker_list(&[]), "none");
        assert_eq!(broker_list(&[BrokerId(1), BrokerId(3)]), "1, 3");
        assert_eq!(broker_csv(&[BrokerId(1), BrokerId(3)]), "1,3");
        assert_eq!(quoted(Some("paid")), "'paid'");
        assert_eq!(quoted(None), "null");
        assert_eq!(count(1, "record", "records"), "1 record");
        assert_eq!(count(0, "record", "records"), "0 records");
    }
}
