//! Times each assignor on 1,000 partitions (10 topics × 100) over 100 consumers that all subscribe
//! to every topic, fresh and (for the sticky assignors) with previous ownership, plus one case
//! with differing subscriptions for the sticky general builder. Prints the median and the
//! maximum per case.
//!
//! A plain `main` (Cargo `harness = false`): `cargo bench -p kafka-sim --bench assignors`.
//! The requirement is a median under 50 ms per assignor on a native build.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use kafka_sim::assignor::{AssignmentInput, AssignorName, MemberSubscription, assign};

const TOPICS: usize = 10;
const PARTITIONS_PER_TOPIC: u32 = 100;
const CONSUMERS: usize = 100;
const RUNS: usize = 15;

fn topic(t: usize) -> String {
    format!("topic-{t}")
}

fn consumer(c: usize) -> MemberSubscription {
    MemberSubscription {
        member_id: format!("consumer-{c}-6f1d2c0e-8a4b-4f3e-9d2a-{c:012x}"),
        topics: (0..TOPICS).map(topic).collect(),
        group_instance_id: None,
        owned_partitions: Vec::new(),
        generation: None,
    }
}

/// 100 consumers, all subscribed to all 10 topics, nobody owning anything.
fn fresh() -> AssignmentInput {
    AssignmentInput {
        partitions_per_topic: (0..TOPICS)
            .map(|t| (topic(t), PARTITIONS_PER_TOPIC))
            .collect(),
        members: (0..CONSUMERS).map(consumer).collect(),
    }
}

/// The group after a rebalance in which 10 of the 100 consumers left and 10 new ones joined:
/// the 90 survivors report what `assignor` gave them, in generation 1.
fn with_ownership(assignor: AssignorName) -> AssignmentInput {
    let before = fresh();
    let previous = match assign(assignor, &before) {
        Ok(out) => out.assignment,
        Err(e) => panic!("the fresh assignment failed: {e}"),
    };
    let mut members: Vec<MemberSubscription> = before
        .members
        .into_iter()
        .skip(10)
        .map(|mut m| {
            m.owned_partitions = previous.get(&m.member_id).cloned().unwrap_or_default();
            m.generation = Some(1);
            m
        })
        .collect();
    members.extend((CONSUMERS..CONSUMERS + 10).map(|c| MemberSubscription {
        generation: Some(1),
        ..consumer(c)
    }));
    AssignmentInput {
        partitions_per_topic: before.partitions_per_topic,
        members,
    }
}

/// Differing subscriptions (each consumer takes 5 of the 10 topics), so the sticky assignors
/// take the general builder; previous ownership from a first run with 10 fewer consumers.
fn general(assignor: AssignorName) -> AssignmentInput {
    let subscription =
        |c: usize| -> Vec<String> { (0..5).map(|k| topic((c + 2 * k) % TOPICS)).collect() };
    let mut input = fresh();
    for (c, m) in input.members.iter_mut().enumerate() {
        m.topics = subscription(c);
    }
    let mut first = input.clone();
    first.members.truncate(CONSUMERS - 10);
    let previous = match assign(assignor, &first) {
        Ok(out) => out.assignment,
        Err(e) => panic!("the first general assignment failed: {e}"),
    };
    for m in &mut input.members {
        m.owned_partitions = previous.get(&m.member_id).cloned().unwrap_or_default();
        m.generation = Some(1);
    }
    input
}

fn time(assignor: AssignorName, input: &AssignmentInput) -> Vec<Duration> {
    let mut samples = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        let out = assign(assignor, black_box(input));
        samples.push(start.elapsed());
        if let Err(e) = black_box(out) {
            panic!("{assignor} failed: {e}");
        }
    }
    samples.sort();
    samples
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

#[cfg_attr(test, allow(dead_code))]
fn main() {
    let mut cases: Vec<(String, AssignorName, AssignmentInput)> = Vec::new();
    for assignor in AssignorName::ALL {
        cases.push((format!("{assignor} fresh"), assignor, fresh()));
    }
    for assignor in [AssignorName::Sticky, AssignorName::CooperativeSticky] {
        cases.push((
            format!("{assignor} with ownership"),
            assignor,
            with_ownership(assignor),
        ));
        cases.push((
            format!("{assignor} general builder"),
            assignor,
            general(assignor),
        ));
    }

    println!(
        "{} partitions over {} consumers, {RUNS} runs each",
        TOPICS * PARTITIONS_PER_TOPIC as usize,
        CONSUMERS
    );
    let mut worst = BTreeMap::new();
    for (name, assignor, input) in &cases {
        let samples = time(*assignor, input);
        let median = samples[samples.len() / 2];
        let max = samples[samples.len() - 1];
        println!(
            "{name:<40} median {:>8.3} ms   max {:>8.3} ms",
            ms(median),
            ms(max)
        );
        worst.insert(name.clone(), median);
    }
    let over: Vec<&String> = worst
        .iter()
        .filter(|(_, m)| **m > Duration::from_millis(50))
        .map(|(n, _)| n)
        .collect();
    if over.is_empty() {
        println!("every median is under 50 ms");
    } else {
        println!("over 50 ms: {over:?}");
    }
}
