//! What a document costs to run, estimated before it runs, in Kafka's terms: the records
//! its producers send, and the replica fetches that keep followers in sync while time
//! passes (each follower replica is fetched about twice a second when idle:
//! `replica.fetch.wait.max.ms` is 500). Past `limits::MAX_RECORDS_PER_DOCUMENT` or
//! `limits::MAX_REPLICA_FETCHES_PER_DOCUMENT` a document is refused, with the field that
//! makes it expensive, so no link or file can keep the page or the CLI busy for long.

use super::{Scenario, ScenarioError, Step};
use crate::collections::Map;
use crate::limits;

/// Replica fetches per follower replica per simulated second when idle.
const FETCHES_PER_FOLLOWER_PER_SEC: u64 = 2;

/// The walk over a document's steps, adding up what they cost.
#[derive(Clone, Debug, Default)]
pub struct CostWalker {
    brokers: u64,
    /// Per topic: its follower replicas (partitions x (replication factor - 1)).
    followers: Map<String, u64>,
    /// Per producer auto-producing: its rate and the step that set it.
    rates: Map<String, (u64, usize)>,
    /// Records so far (thousandths, so that short advances at low rates add up).
    milli_records: u128,
    /// Replica fetches so far (thousandths).
    milli_fetches: u128,
    /// Per `auto_produce` step: the records it caused (thousandths).
    by_step: Map<usize, u128>,
    steps: usize,
}

/// A limit crossed: where, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expensive(pub ScenarioError);

impl CostWalker {
    /// The cost of a document's set-up, before its steps.
    pub fn new(doc: &Scenario) -> CostWalker {
        let mut w = CostWalker {
            brokers: u64::from(doc.cluster.brokers),
            ..CostWalker::default()
        };
        for t in &doc.topics {
            w.topic(&t.name, t.partitions, t.replication_factor);
        }
        w
    }

    fn topic(&mut self, name: &str, partitions: u32, rf: u32) {
        let followers = u64::from(partitions) * u64::from(rf.saturating_sub(1));
        self.followers.insert(name.to_string(), followers);
    }

    /// Records the producers would send in all.
    pub fn records(&self) -> u64 {
        u64::try_from(self.milli_records / 1000).unwrap_or(u64::MAX)
    }

    /// Replica fetches in all.
    pub fn replica_fetches(&self) -> u64 {
        u64::try_from(self.milli_fetches / 1000).unwrap_or(u64::MAX)
    }

    /// Adds step `steps[i]`; an error if it makes the document too expensive.
    pub fn step(&mut self, step: &Step) -> Result<(), Expensive> {
        let i = self.steps;
        self.steps += 1;
        match step {
            Step::Produce(_) => self.milli_records += 1000,
            Step::AddBroker(_) => self.brokers += 1,
            Step::CreateTopic(t) => self.topic(&t.name, t.partitions, t.replication_factor),
            Step::AutoProduce(a) => {
                if a.rate_per_sec == 0 {
                    self.rates.remove(a.producer.as_str());
                } else {
                    self.rates
                        .insert(a.producer.clone(), (u64::from(a.rate_per_sec), i));
                }
            }
            Step::AdvanceMs(ms) => self.advance(*ms),
            _ => {}
        }
        self.check(i)
    }

    fn advance(&mut self, ms: u64) {
        let ms = u128::from(ms);
        for (rate, at) in self.rates.values() {
            let added = u128::from(*rate) * ms;
            self.milli_records += added;
            match self.by_step.get_mut(at) {
                Some(n) => *n += added,
                None => {
                    self.by_step.insert(*at, added);
                }
            }
        }
        let followers: u64 = self.followers.values().sum();
        self.milli_fetches += u128::from(followers * FETCHES_PER_FOLLOWER_PER_SEC) * ms;
    }

    fn check(&self, i: usize) -> Result<(), Expensive> {
        if self.records() > limits::MAX_RECORDS_PER_DOCUMENT {
            let (at, _) = self
                .by_step
                .iter()
                .max_by_key(|(_, n)| **n)
                .map_or((i, &0), |(a, n)| (*a, n));
            let path = if at == i {
                format!("steps[{i}]")
            } else {
                format!("steps[{at}].auto_produce.rate_per_sec")
            };
            return Err(Expensive(ScenarioError {
                path,
                message: format!(
                    "by steps[{i}] the producers would send {} records; a document may send at \
                     most {} (the playground's limit, so that it runs in under a minute)",
                    self.records(),
                    limits::MAX_RECORDS_PER_DOCUMENT
                ),
            }));
        }
        if self.replica_fetches() > limits::MAX_REPLICA_FETCHES_PER_DOCUMENT {
            let followers: u64 = self.followers.values().sum();
            return Err(Expensive(ScenarioError {
                path: format!("steps[{i}].advance_ms"),
                message: format!(
                    "{followers} follower replicas kept in sync this long take about {} replica \
                     fetches; a document may take at most {} (the playground's limit, so that \
                     it runs in under a minute): fewer partitions, a smaller \
                     replication_factor or less time",
                    self.replica_fetches(),
                    limits::MAX_REPLICA_FETCHES_PER_DOCUMENT
                ),
            }));
        }
        Ok(())
    }
}

/// Every step of `doc` walked; the first limit crossed, as an error with its field.
pub(crate) fn check(doc: &Scenario, errors: &mut Vec<ScenarioError>) {
    let mut w = CostWalker::new(doc);
    for step in &doc.steps {
        if let Err(Expensive(e)) = w.step(step) {
            errors.push(e);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse;

    fn refused(text: &str) -> Vec<ScenarioError> {
        parse(text).expect_err("refused")
    }

    #[test]
    fn a_day_of_ten_thousand_records_a_second_is_refused_at_its_rate() {
        // The issue's 187-byte document: 864,000,000 records.
        let e = refused(
            r#"{"version":1,"cluster":{"brokers":1},"topics":[{"name":"t"}],
                "producers":[{"id":"p"}],
                "steps":[{"auto_produce":{"producer":"p","topic":"t","rate_per_sec":10000}},
                         {"advance_ms":86400000}]}"#,
        );
        assert_eq!(e[0].path, "steps[0].auto_produce.rate_per_sec");
        assert!(
            e[0].message.contains("864000000 records"),
            "{}",
            e[0].message
        );
        // The same for half an hour passes: 18,000,000 records.
        assert!(
            parse(
                r#"{"version":1,"cluster":{"brokers":1},"topics":[{"name":"t"}],
                "producers":[{"id":"p"}],
                "steps":[{"auto_produce":{"producer":"p","topic":"t","rate_per_sec":10000}},
                         {"advance_ms":1800000}]}"#
            )
            .is_ok()
        );
    }

    #[test]
    fn idle_time_is_cheap_but_a_huge_replicated_cluster_for_a_day_is_refused() {
        // Three brokers and a replicated topic idle for 30 days: 31 million fetches.
        assert!(
            parse(
                r#"{"version":1,"cluster":{"brokers":3},
                "topics":[{"name":"t","partitions":3,"replication_factor":3}],
                "steps":[{"advance_ms":86400000},{"advance_ms":86400000},{"advance_ms":86400000}]}"#
            )
            .is_ok()
        );
        // The issue's 64 brokers, 256 partitions of 64 replicas: a minute passes, a day not.
        let big = |ms: u64| {
            format!(
                r#"{{"version":1,"cluster":{{"brokers":64}},
                "topics":[{{"name":"w","partitions":256,"replication_factor":64}}],
                "steps":[{{"advance_ms":{ms}}}]}}"#
            )
        };
        assert!(parse(&big(60_000)).is_ok());
        let e = refused(&big(86_400_000));
        assert_eq!(e[0].path, "steps[0].advance_ms");
        assert!(
            e[0].message.contains("16128 follower replicas"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn auto_produce_stopped_costs_nothing_more() {
        let mut w = CostWalker::default();
        for s in [
            Step::AutoProduce(crate::scenario::AutoProduceDoc {
                producer: "p".into(),
                topic: "t".into(),
                rate_per_sec: 100,
                keys: 0,
            }),
            Step::AdvanceMs(1_000),
            Step::AutoProduce(crate::scenario::AutoProduceDoc {
                producer: "p".into(),
                topic: "t".into(),
                rate_per_sec: 0,
                keys: 0,
            }),
            Step::AdvanceMs(1_000_000),
        ] {
            w.step(&s).expect("within limits");
        }
        assert_eq!(w.records(), 100);
    }
}
