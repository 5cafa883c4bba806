//! Hostile input (issue 14): generated scenario documents near and past each limit (huge
//! and repeated keys, control characters, long names, big numbers, documents at and past
//! 4 MiB, deep nesting) never panic the validator; every refusal names its field (or the
//! document); no error line holds a control character or runs past 300 characters; a
//! repeated key is always refused; and what the validator accepts runs.
#![cfg(not(target_arch = "wasm32"))]

use kafka_sim::SimOptions;
use kafka_sim::limits;
use kafka_sim::scenario::{self, ScenarioError, Step};
use proptest::prelude::*;
use proptest::sample::select;

/// JSON written by hand, so that a key may repeat and a number may be any text.
#[derive(Clone, Debug)]
enum J {
    /// A number, `true`, `false`, `null`, or JSON text written beforehand.
    Raw(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    fn raw(s: &str) -> J {
        J::Raw(s.to_string())
    }

    fn write(&self, out: &mut String) {
        match self {
            J::Raw(t) => out.push_str(t),
            J::Str(s) => out.push_str(&serde_json::to_string(s).expect("a string")),
            J::Arr(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
                }
                out.push(']');
            }
            J::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(k).expect("a string"));
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }

    /// Whether some object (outside text written beforehand) has a key twice.
    fn repeats_a_key(&self) -> bool {
        match self {
            J::Raw(_) | J::Str(_) => false,
            J::Arr(items) => items.iter().any(J::repeats_a_key),
            J::Obj(fields) => {
                fields
                    .iter()
                    .enumerate()
                    .any(|(i, (k, _))| fields[..i].iter().any(|(other, _)| other == k))
                    || fields.iter().any(|(_, v)| v.repeats_a_key())
            }
        }
    }
}

/// Lengths at and around every limit on text: the excerpt (40), suggestions (64), client
/// names (64), topic names, groups and instance ids (249), keys and values (4096).
const LENGTHS: &[usize] = &[
    0, 1, 39, 40, 41, 63, 64, 65, 124, 125, 248, 249, 250, 4095, 4096, 4097, 70_000,
];

/// Numbers at and around every limit on numbers, and past what JSON readers hold.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "3",
    "1.5",
    "-0",
    "1e3",
    "63",
    "64",
    "65",
    "256",
    "257",
    "10000",
    "10001",
    "59999",
    "60000",
    "60001",
    "86400000",
    "86400001",
    "2592000001",
    "4294967295",
    "4294967296",
    "9007199254740993",
    "18446744073709551615",
    "18446744073709551616",
    "123456789012345678901234567890",
    "1e308",
];

fn hostile_string() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[a-z0-9._-]{1,8}",
        2 => "[\\x00-\\x1f\\x7f-\\x9f\u{2028}\u{202e}\u{feff} a-z\"\\\\é𝄞<>.]{0,50}",
        2 => (select(LENGTHS), select(vec!['a', '.', '_', ' ', '\u{1b}', '\n', 'é', '𝄞', '"']))
            .prop_map(|(n, c)| c.to_string().repeat(n)),
    ]
    .boxed()
}

fn leaf() -> BoxedStrategy<J> {
    prop_oneof![
        3 => select(NUMBERS).prop_map(J::raw),
        3 => hostile_string().prop_map(J::Str),
        1 => Just(J::raw("null")),
        1 => Just(J::raw("true")),
        1 => Just(J::Arr(Vec::new())),
        1 => Just(J::Obj(Vec::new())),
    ]
    .boxed()
}

/// How hostile a document is: a hostile one has values past the limits, of the wrong
/// type and extra keys anywhere; a near one keeps every value within the limits (at them,
/// often), so that most are accepted and run.
#[derive(Clone, Copy, Debug)]
struct Mode {
    hostile: bool,
}

impl Mode {
    /// Mostly `good`; in a hostile document, sometimes anything.
    fn or_leaf(self, good: BoxedStrategy<J>) -> BoxedStrategy<J> {
        if self.hostile {
            prop_oneof![10 => good, 1 => leaf()].boxed()
        } else {
            good
        }
    }

    /// A number among `valid` (at and near its limits) or, in a hostile document, among
    /// `past` (just past them) or any.
    fn num(self, valid: &[&'static str], past: &[&'static str]) -> BoxedStrategy<J> {
        let valid = select(valid.to_vec()).prop_map(J::raw);
        if self.hostile && !past.is_empty() {
            self.or_leaf(
                prop_oneof![
                    6 => valid,
                    2 => select(past.to_vec()).prop_map(J::raw),
                    1 => select(NUMBERS).prop_map(J::raw),
                ]
                .boxed(),
            )
        } else {
            self.or_leaf(valid.boxed())
        }
    }

    fn boolean(self) -> BoxedStrategy<J> {
        self.or_leaf(select(vec!["true", "false"]).prop_map(J::raw).boxed())
    }

    /// One of `names` (or a name at a length limit: `long` characters is the most the
    /// field allows); in a hostile document, sometimes anything.
    fn name(self, names: &[&'static str], long: usize) -> BoxedStrategy<J> {
        let valid = prop_oneof![
            8 => select(names.to_vec()).prop_map(|s| J::Str(s.into())),
            1 => Just(J::Str("n".repeat(long))),
        ];
        if self.hostile {
            self.or_leaf(
                prop_oneof![
                    8 => valid,
                    1 => Just(J::Str("n".repeat(long + 1))),
                    1 => hostile_string().prop_map(J::Str),
                ]
                .boxed(),
            )
        } else {
            valid.boxed()
        }
    }

    /// An object with the fields given (each maybe left out) and, in a hostile document,
    /// maybe extra keys: a field's own name again (a repeated key), a near-typo of one,
    /// or anything.
    fn object(self, fields: Vec<(&'static str, BoxedStrategy<J>)>) -> BoxedStrategy<J> {
        let names: Vec<&'static str> = fields.iter().map(|(k, _)| *k).collect();
        let present: Vec<BoxedStrategy<Option<(String, J)>>> = fields
            .into_iter()
            .map(|(k, v)| {
                let p = if self.hostile { 0.93 } else { 0.98 };
                proptest::option::weighted(p, v.prop_map(move |v| (k.to_string(), v))).boxed()
            })
            .collect();
        if !self.hostile {
            return present
                .prop_map(|p| J::Obj(p.into_iter().flatten().collect()))
                .boxed();
        }
        let key = if names.is_empty() {
            hostile_string()
        } else {
            prop_oneof![
                2 => select(names.clone()).prop_map(String::from),
                1 => select(names).prop_map(|k| format!("{}x", &k[..k.len() - 1])),
                2 => hostile_string(),
            ]
            .boxed()
        };
        let extra = proptest::collection::vec((key, leaf()), 0..3);
        (present, prop_oneof![8 => Just(Vec::new()), 1 => extra])
            .prop_map(|(present, extra)| {
                J::Obj(present.into_iter().flatten().chain(extra).collect())
            })
            .boxed()
    }

    fn topic(self) -> BoxedStrategy<J> {
        let m = self;
        m.object(vec![
            ("name", m.name(&["t", "u", "a.b", "a_b"], 249)),
            ("partitions", m.num(&["1", "2", "256"], &["0", "257"])),
            (
                "replication_factor",
                m.num(&["1", "2", "3"], &["0", "4", "65"]),
            ),
            (
                "config",
                m.object(vec![
                    (
                        "min.insync.replicas",
                        m.num(&["1", "2", "64"], &["0", "65"]),
                    ),
                    ("unclean.leader.election.enable", m.boolean()),
                ]),
            ),
            (
                "replica_assignment",
                m.or_leaf(
                    prop_oneof![6 => Just(J::raw("null")), 1 => Just(J::raw("[[1,2],[2,1]]"))]
                        .boxed(),
                ),
            ),
        ])
    }

    fn producer(self) -> BoxedStrategy<J> {
        let m = self;
        m.object(vec![
            ("id", m.name(&["p", "q"], 64)),
            (
                "client",
                m.or_leaf(
                    select(vec!["java", "dotnet"])
                        .prop_map(|c| J::Str(c.into()))
                        .boxed(),
                ),
            ),
            (
                "config",
                m.object(vec![
                    (
                        "acks",
                        m.num(&["\"all\"", "\"1\"", "0", "-1"], &["2", "\"-2\""]),
                    ),
                    (
                        "partitioner",
                        m.num(&["\"default\"", "\"round_robin\""], &["\"fair\""]),
                    ),
                    ("enable.idempotence", m.boolean()),
                    ("retries", m.num(&["1", "3", "2147483647"], &["2147483648"])),
                    ("linger.ms", m.num(&["0", "5", "1000"], &["86400001"])),
                    ("retry.backoff.ms", m.num(&["0", "1", "100"], &["86400001"])),
                    ("request.timeout.ms", m.num(&["1000", "30000"], &["0"])),
                    (
                        "delivery.timeout.ms",
                        m.num(&["120000", "86400000"], &["86400001"]),
                    ),
                ]),
            ),
        ])
    }

    fn step(self) -> BoxedStrategy<J> {
        let m = self;
        let one = |k: &'static str, v: BoxedStrategy<J>| {
            v.prop_map(move |v| J::Obj(vec![(k.into(), v)])).boxed()
        };
        let value = prop_oneof![
            4 => m.name(&["v", ""], 4096),
            1 => Just(J::raw("null")),
        ]
        .boxed();
        let consumer_config = m.object(vec![
            ("group.instance.id", m.name(&["i-1", "i.2"], 249)),
            (
                "fetch.max.wait.ms",
                m.num(&["0", "1", "500"], &["86400001"]),
            ),
            (
                "session.timeout.ms",
                m.num(&["6000", "45000", "1800000"], &["5999", "1800001"]),
            ),
            (
                "heartbeat.interval.ms",
                m.num(&["1", "3000"], &["0", "1800000"]),
            ),
            (
                "partition.assignment.strategy",
                m.num(&["\"range\"", "\"cooperative-sticky\""], &["\"fair\""]),
            ),
        ]);
        let mut steps = vec![
            one(
                "produce",
                m.object(vec![
                    ("producer", m.name(&["p"], 64)),
                    ("topic", m.name(&["t"], 249)),
                    ("key", value.clone()),
                    ("value", value),
                ]),
            ),
            one(
                "advance_ms",
                m.num(&["0", "1", "1000", "86400000"], &["86400001", "-1"]),
            ),
            one("stop_broker", m.num(&["1", "2", "3"], &["0", "65"])),
            one("start_broker", m.num(&["1", "2", "3"], &["0", "65"])),
            one("add_broker", m.object(Vec::new())),
            one("create_topic", m.topic()),
            one(
                "auto_produce",
                m.object(vec![
                    ("producer", m.name(&["p"], 64)),
                    ("topic", m.name(&["t"], 249)),
                    ("rate_per_sec", m.num(&["0", "100", "10000"], &["10001"])),
                    ("keys", m.num(&["0", "10", "1000000"], &["1000001"])),
                ]),
            ),
            one(
                "join_group",
                m.object(vec![
                    ("group", m.name(&["g", "my group"], 249)),
                    ("consumer", m.name(&["c", "d"], 64)),
                    (
                        "topics",
                        m.or_leaf(
                            proptest::collection::vec(m.name(&["t"], 249), 1..3)
                                .prop_map(J::Arr)
                                .boxed(),
                        ),
                    ),
                    (
                        "client",
                        m.or_leaf(
                            select(vec!["java", "dotnet"])
                                .prop_map(|c| J::Str(c.into()))
                                .boxed(),
                        ),
                    ),
                    ("config", consumer_config),
                ]),
            ),
            one("leave_group", m.name(&["c", "d"], 64)),
            one("stop_consumer", m.name(&["c", "d"], 64)),
            one("commit", m.name(&["c", "d"], 64)),
        ];
        if m.hostile {
            steps.push(
                (hostile_string(), leaf())
                    .prop_map(|(k, v)| J::Obj(vec![(k, v)]))
                    .boxed(),
            );
        }
        proptest::strategy::Union::new(steps).boxed()
    }
}

/// Lists near and past their limits, written beforehand (they are long).
fn long_list(item: fn(usize) -> String, lengths: Vec<usize>) -> BoxedStrategy<J> {
    select(lengths)
        .prop_map(move |n| {
            J::Raw(format!(
                "[{}]",
                (0..n).map(item).collect::<Vec<_>>().join(",")
            ))
        })
        .boxed()
}

fn document() -> impl Strategy<Value = (J, usize)> {
    any::<bool>().prop_flat_map(|hostile| {
        let m = Mode { hostile };
        let past = |n: usize| if hostile { vec![n, n + 1] } else { vec![n] };
        // The names steps use exist: a topic "t" and a producer "p" come first.
        let topics = prop_oneof![
            6 => proptest::collection::vec(m.topic(), 0..3).prop_map(|mut t| {
                t.insert(0, J::Obj(vec![("name".into(), J::Str("t".into()))]));
                J::Arr(t)
            }),
            1 => long_list(|i| if i == 0 { r#"{"name":"t"}"#.into() } else { format!(r#"{{"name":"t{i}"}}"#) }, past(limits::MAX_TOPICS)),
        ];
        let producers = prop_oneof![
            6 => proptest::collection::vec(m.producer(), 0..2).prop_map(|mut p| {
                p.insert(0, J::Obj(vec![("id".into(), J::Str("p".into()))]));
                J::Arr(p)
            }),
            1 => long_list(|i| if i == 0 { r#"{"id":"p"}"#.into() } else { format!(r#"{{"id":"p{i}"}}"#) }, past(limits::MAX_PRODUCERS)),
        ];
        let steps = prop_oneof![
            12 => proptest::collection::vec(m.step(), 0..12).prop_map(J::Arr),
            1 => long_list(|_| r#"{"advance_ms":0}"#.to_string(), past(limits::MAX_STEPS)),
            1 => long_list(|i| format!(r#"{{"join_group":{{"group":"g","consumer":"c{i}","topics":["t"]}}}}"#), past(limits::MAX_CONSUMERS)),
        ];
        let doc = m.object(vec![
            ("version", m.num(&["1"], &["2", "\"1\""])),
            ("seed", m.num(&["0", "18446744073709551615"], &["-1", "18446744073709551616"])),
            ("network", m.object(vec![("latency_ms", m.num(&["1", "10", "60000"], &["0", "60001"]))])),
            (
                "cluster",
                m.object(vec![
                    ("brokers", m.num(&["1", "2", "3", "64"], &["0", "65"])),
                    (
                        "config",
                        m.object(vec![
                            ("replica.fetch.wait.max.ms", m.num(&["0", "1", "500"], &["86400001"])),
                            ("replica.lag.time.max.ms", m.num(&["30000", "86400000"], &["1"])),
                            ("replica.fetch.backoff.ms", m.num(&["0", "1000"], &["86400001"])),
                            ("broker.session.timeout.ms", m.num(&["9000", "18000"], &["0"])),
                            ("min.insync.replicas", m.num(&["1", "2", "64"], &["0", "65"])),
                        ]),
                    ),
                ]),
            ),
            ("topics", topics.boxed()),
            ("producers", producers.boxed()),
            ("steps", steps.boxed()),
        ]);
        // Now and then: nesting at and past serde_json's recursion limit (128), a number
        // past what a double holds, padding to the document limit and one byte past it.
        let poison = if hostile {
            prop_oneof![
                12 => Just(None),
                1 => (126usize..=129).prop_map(|d| Some(("deep".to_string(), J::Raw(format!("{}1{}", "[".repeat(d), "]".repeat(d)))))),
                1 => Just(Some(("seed".to_string(), J::raw("1e400")))),
            ]
            .boxed()
        } else {
            Just(None).boxed()
        };
        let pad = if hostile {
            prop_oneof![12 => Just(0usize), 1 => Just(1), 1 => Just(2)].boxed()
        } else {
            prop_oneof![12 => Just(0usize), 1 => Just(1)].boxed()
        };
        (doc, poison, pad).prop_map(|(doc, poison, pad)| {
            let J::Obj(mut fields) = doc else {
                unreachable!("a document is an object")
            };
            fields.extend(poison);
            (J::Obj(fields), pad)
        })
    })
}

/// Error lines as the CLI and the page show them: each names its field or the document,
/// is short and holds no control character.
fn check_refusal(errors: &[ScenarioError]) -> Result<(), TestCaseError> {
    const DOCUMENT: &[&str] = &[
        "not valid JSON: ",
        "the document ",
        "expected an object, found ",
    ];
    prop_assert!(!errors.is_empty());
    prop_assert!(
        errors.len() <= limits::MAX_REPORTED_ERRORS + 1,
        "{} errors",
        errors.len()
    );
    for e in errors {
        let line = e.to_string();
        prop_assert!(!e.message.is_empty(), "{:?}", e);
        prop_assert!(
            !e.path.is_empty() || DOCUMENT.iter().any(|d| e.message.starts_with(d)),
            "a refusal that names no field: {:?}",
            e
        );
        prop_assert!(
            !line.chars().any(char::is_control),
            "a control character in {:?}",
            line
        );
        prop_assert!(
            line.chars().count() <= 300,
            "{} characters: {}",
            line.chars().count(),
            line
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn hostile_documents_are_refused_cleanly_or_run((doc, pad) in document()) {
        let mut text = String::new();
        doc.write(&mut text);
        match pad {
            1 => text.push_str(&" ".repeat(limits::MAX_DOCUMENT_BYTES.saturating_sub(text.len()))),
            2 => text.push_str(&" ".repeat((limits::MAX_DOCUMENT_BYTES + 1).saturating_sub(text.len()))),
            _ => {}
        }
        match scenario::parse(&text) {
            Err(errors) => {
                check_refusal(&errors)?;
                if text.len() > limits::MAX_DOCUMENT_BYTES {
                    prop_assert_eq!(errors.len(), 1);
                    prop_assert!(errors[0].message.starts_with("the document is"), "{:?}", errors);
                } else if doc.repeats_a_key() && serde_json::from_str::<serde_json::Value>(&text).is_ok() {
                    prop_assert!(
                        errors.iter().any(|e| e.message.starts_with("this key appears")),
                        "a repeated key passed: {:?}",
                        errors
                    );
                }
            }
            Ok(s) => {
                prop_assert!(text.len() <= limits::MAX_DOCUMENT_BYTES);
                prop_assert!(!doc.repeats_a_key(), "a repeated key passed");
                // What validate accepts, run runs (its first steps, with time and rates
                // kept small so that the test stays quick).
                let steps = s.steps.iter().take(20).map(|step| match step {
                    Step::AdvanceMs(ms) => Step::AdvanceMs(*ms.min(&2_000)),
                    Step::AutoProduce(a) => Step::AutoProduce(scenario_rate(a)),
                    other => other.clone(),
                });
                let short = scenario::Scenario { steps: steps.collect(), ..s };
                if let Err(errors) = scenario::run(&short, SimOptions { trace_capacity: 0, ..SimOptions::default() }) {
                    return Err(TestCaseError::fail(format!("validate passed what run refused: {errors:?}")));
                }
            }
        }
    }
}

fn scenario_rate(a: &kafka_sim::scenario::AutoProduceDoc) -> kafka_sim::scenario::AutoProduceDoc {
    kafka_sim::scenario::AutoProduceDoc {
        rate_per_sec: a.rate_per_sec.min(50),
        ..a.clone()
    }
}
