//! The embed options of the address (`index.html?embed&controls=none&speed=2`), each
//! documented in `docs/embedding.md`. Parsing never fails: an unknown option or value is
//! reported (one line in the frame, once in the console) and its default is used.

/// How much of the page's controls an embedded playground shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Controls {
    /// The stage alone.
    None,
    /// The stage and a thin bar: play/pause, step, speed, time, "Open in the playground".
    Minimal,
    /// The whole page inside the frame.
    Full,
}

/// The colour theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// The system's.
    Auto,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

impl Theme {
    /// Its name in the address; `None` for the system's.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::Auto => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }
}

/// The playback speeds offered: the value as written, its label, simulated ms per wall
/// ms. (A table rather than parsing keeps float parsing out of the bundle.)
pub const SPEEDS: [(&str, &str, f64); 7] = [
    ("0.1", "0.1×", 0.1),
    ("0.25", "0.25×", 0.25),
    ("0.5", "0.5×", 0.5),
    ("1", "1×", 1.0),
    ("2", "2×", 2.0),
    ("5", "5×", 5.0),
    ("10", "10×", 10.0),
];

/// What the address asks of the page.
#[derive(Clone, Debug, PartialEq)]
pub struct EmbedOptions {
    /// Whether the page is embedded (`embed`, with any value).
    pub embed: bool,
    /// `controls`: `none`, `minimal` (default), `full`.
    pub controls: Controls,
    /// `autoplay`: `1` (default) or `0`.
    pub autoplay: bool,
    /// `theme`: `auto` (default), `light`, `dark`.
    pub theme: Theme,
    /// `speed`: one of [`SPEEDS`] (default `1`).
    pub speed: &'static str,
    /// `lesson`: the lesson to open (a file of `scenarios/lessons/`), in the full page
    /// too.
    pub lesson: Option<String>,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        EmbedOptions {
            embed: false,
            controls: Controls::Minimal,
            autoplay: true,
            theme: Theme::Auto,
            speed: "1",
            lesson: None,
        }
    }
}

/// The options every value of which is listed, for the messages.
const CONTROLS: [(&str, Controls); 3] = [
    ("none", Controls::None),
    ("minimal", Controls::Minimal),
    ("full", Controls::Full),
];
const THEMES: [(&str, Theme); 3] = [
    ("auto", Theme::Auto),
    ("light", Theme::Light),
    ("dark", Theme::Dark),
];
const SWITCH: [(&str, bool); 2] = [("0", false), ("1", true)];

/// Longest value echoed in a message: the rest of an address is not the learner's to read.
const ECHO: usize = 24;

fn echo(v: &str) -> String {
    let mut s: String = v
        .chars()
        .take(ECHO)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if v.chars().count() > ECHO {
        s.push('…');
    }
    s
}

fn pick<T: Copy>(
    name: &str,
    value: &str,
    table: &[(&'static str, T)],
    problems: &mut Vec<String>,
) -> Option<T> {
    let found = table.iter().find(|(k, _)| *k == value).map(|(_, t)| *t);
    if found.is_none() {
        let allowed: Vec<&str> = table.iter().map(|(k, _)| *k).collect();
        problems.push(format!(
            "{name}: '{}' is not one of {}",
            echo(value),
            allowed.join(", ")
        ));
    }
    found
}

impl EmbedOptions {
    /// The options of an address's query, as its decoded `(name, value)` pairs (the
    /// browser decodes them: `URLSearchParams`), and one line per option or value it
    /// does not know.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (EmbedOptions, Vec<String>) {
        let mut o = EmbedOptions::default();
        let mut problems = Vec::new();
        for (name, value) in pairs {
            match name {
                "embed" => o.embed = true,
                "controls" => {
                    o.controls =
                        pick("controls", value, &CONTROLS, &mut problems).unwrap_or(o.controls)
                }
                "autoplay" => {
                    o.autoplay =
                        pick("autoplay", value, &SWITCH, &mut problems).unwrap_or(o.autoplay)
                }
                "theme" => {
                    o.theme = pick("theme", value, &THEMES, &mut problems).unwrap_or(o.theme)
                }
                "speed" => {
                    let speeds = SPEEDS.map(|(v, _, _)| (v, v));
                    o.speed = pick("speed", value, &speeds, &mut problems).unwrap_or(o.speed)
                }
                "lesson" if crate::lesson::valid_slug(value) => o.lesson = Some(value.to_string()),
                "lesson" => problems.push(format!(
                    "lesson '{}' is not a lesson's name (lowercase letters, digits and '-')",
                    echo(value)
                )),
                other => problems.push(format!(
                    "'{}' is not an option; known: embed, controls, autoplay, theme, speed, lesson",
                    echo(other)
                )),
            }
        }
        (o, problems)
    }

    /// The query that gives these options (`?embed&controls=none`), defaults left out.
    pub fn to_query(&self) -> String {
        let d = EmbedOptions::default();
        let mut q = String::from("?embed");
        fn name<T: PartialEq>(table: &[(&'static str, T)], v: T) -> &'static str {
            table.iter().find(|(_, t)| *t == v).map_or("", |(k, _)| *k)
        }
        if self.controls != d.controls {
            q.push_str("&controls=");
            q.push_str(name(&CONTROLS, self.controls));
        }
        if self.autoplay != d.autoplay {
            q.push_str("&autoplay=0");
        }
        if self.theme != d.theme {
            q.push_str("&theme=");
            q.push_str(name(&THEMES, self.theme));
        }
        if self.speed != d.speed {
            q.push_str("&speed=");
            q.push_str(self.speed);
        }
        if let Some(slug) = &self.lesson {
            q.push_str("&lesson=");
            q.push_str(slug);
        }
        q
    }

    /// Simulated ms per wall ms of `speed`.
    pub fn speed_factor(&self) -> f64 {
        SPEEDS
            .iter()
            .find(|(v, _, _)| *v == self.speed)
            .map_or(1.0, |(_, _, f)| *f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A query's pairs, as a browser decodes them (these tests' queries need no decoding).
    fn pairs(query: &str) -> Vec<(&str, &str)> {
        query
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').unwrap_or((p, "")))
            .collect()
    }

    #[test]
    fn the_address_gives_the_options_and_defaults_fill_the_rest() {
        let (o, problems) = EmbedOptions::parse(pairs("?embed&controls=none&speed=2&theme=dark"));
        assert!(problems.is_empty(), "{problems:?}");
        assert!(o.embed && o.autoplay);
        assert_eq!(
            (o.controls, o.theme, o.speed),
            (Controls::None, Theme::Dark, "2")
        );
        assert_eq!(o.speed_factor(), 2.0);
        let (o, _) = EmbedOptions::parse(pairs(""));
        assert_eq!(o, EmbedOptions::default());
        assert!(!o.embed);
    }

    #[test]
    fn an_unknown_option_or_value_is_reported_and_its_default_kept() {
        let (o, problems) = EmbedOptions::parse(pairs(
            "embed=yes&speed=3&controls=all&colour=red&autoplay=0",
        ));
        assert!(o.embed, "embed takes any value");
        assert_eq!(o.speed, "1");
        assert_eq!(o.controls, Controls::Minimal);
        assert!(!o.autoplay);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].starts_with("speed: '3' is not one of 0.1, 0.25"),
            "{problems:?}"
        );
        assert!(problems[1].starts_with("controls: 'all'"), "{problems:?}");
        assert!(
            problems[2].starts_with("'colour' is not an option"),
            "{problems:?}"
        );
    }

    #[test]
    fn echoed_values_are_short_and_have_no_control_characters() {
        let long = format!("{}\n\u{1b}[2J", "x".repeat(500));
        let (_, problems) = EmbedOptions::parse([("theme", long.as_str())]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].chars().count() < 80, "{}", problems[0]);
        assert!(
            !problems[0].chars().any(char::is_control),
            "{:?}",
            problems[0]
        );
    }

    #[test]
    fn options_written_to_a_query_read_back_the_same() {
        let o = EmbedOptions {
            embed: true,
            controls: Controls::Full,
            autoplay: false,
            theme: Theme::Light,
            speed: "0.5",
            lesson: Some("04-keys-pick-the-partition".into()),
        };
        assert_eq!(
            o.to_query(),
            "?embed&controls=full&autoplay=0&theme=light&speed=0.5&lesson=04-keys-pick-the-partition"
        );
        assert_eq!(EmbedOptions::parse(pairs(&o.to_query())), (o, Vec::new()));
        assert_eq!(
            EmbedOptions {
                embed: true,
                ..EmbedOptions::default()
            }
            .to_query(),
            "?embed"
        );
    }
}
