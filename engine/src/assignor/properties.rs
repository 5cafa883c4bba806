//! Property tests: random groups through all four assignors.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::{
    AssignError, AssignmentInput, AssignmentOutput, AssignorName, MemberSubscription,
    TopicPartition, assign,
};

/// Topic names, with dashes and equal `String.hashCode`s ("Aa" and "BB") among them.
const TOPICS: [&str; 6] = ["a", "orders", "x-y", "Aa", "BB", "b"];

/// One member before its topics and partitions are resolved against the group's topics.
#[derive(Clone, Debug)]
struct MemberShape {
    topic_bits: u8,
    unknown_topic: bool,
    is_static: bool,
    owned: Vec<(usize, u32)>,
    generation: Option<i32>,
}

fn member_shape() -> impl Strategy<Value = MemberShape> {
    (
        any::<u8>(),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.2),
        prop::collection::vec((0usize..TOPICS.len(), 0u32..12), 0..8),
        prop::option::weighted(0.8, 1i32..4),
    )
        .prop_map(
            |(topic_bits, unknown_topic, is_static, owned, generation)| MemberShape {
                topic_bits,
                unknown_topic,
                is_static,
                owned,
                generation,
            },
        )
}

fn member_id(style: u8, i: usize) -> String {
    match style {
        0 => format!("consumer{}", i + 1),
        1 => format!("c-{i}-{:08x}", (i as u32).wrapping_mul(2_654_435_761)),
        // Sixteen ids with one String.hashCode: crowded HashMap bins.
        _ => {
            (0..4)
                .map(|k| if (i >> k) & 1 == 0 { "Aa" } else { "BB" })
                .collect::<String>()
                + &"z".repeat(i / 16)
        }
    }
}

prop_compose! {
    /// A random group. With `claims_follow_subscriptions`, members only claim partitions of
    /// topics they subscribe to, as after an ordinary rebalance; with `all_identical`, every
    /// member subscribes to every topic.
    fn group_input(claims_follow_subscriptions: bool, all_identical: bool)(
        counts in prop::collection::vec(1u32..=12, 1..=4),
        shapes in prop::collection::vec(member_shape(), 1..=9),
        identical in any::<bool>(),
        style in 0u8..3,
    ) -> AssignmentInput {
        let identical = identical || all_identical;
        let topics: Vec<(&str, u32)> = TOPICS.iter().copied().zip(counts).collect();
        let members = shapes
            .iter()
            .enumerate()
            .map(|(i, shape)| {
                let mut subscribed: Vec<String> = topics
                    .iter()
                    .enumerate()
                    .filter(|&(t, _)| identical || shape.topic_bits & (1 << t) != 0)
                    .map(|(_, (name, _))| name.to_string())
                    .collect();
                if subscribed.is_empty() {
                    subscribed.push(topics[0].0.to_string());
                }
                if shape.unknown_topic && !identical {
                    subscribed.push("missing".to_string());
                }
                let mut owned = BTreeSet::new();
                for &(t, p) in &shape.owned {
                    if let Some(&(name, count)) = topics.get(t)
                        && (!claims_follow_subscriptions || subscribed.iter().any(|s| s == name))
                    {
                        owned.insert(TopicPartition::new(name, p % count));
                    }
                }
                MemberSubscription {
                    member_id: member_id(style, i),
                    topics: subscribed,
                    group_instance_id: shape.is_static.then(|| format!("instance-{}", i * 7 % 5 + i)),
                    owned_partitions: owned.into_iter().collect(),
                    generation: shape.generation,
                }
            })
            .collect();
        AssignmentInput {
            partitions_per_topic: topics.iter().map(|&(t, n)| (t.to_string(), n)).collect(),
            members,
        }
    }
}

/// Checks the invariants every assignor keeps; returns the output when it ran.
///
/// One exception is Kafka's own: the sticky general builder hands a partition back to its
/// previous owner (a claim from an older generation) without checking that the member still
/// subscribes to the topic. So a partition may go to a non-subscriber only if that member
/// claimed it.
fn check(assignor: AssignorName, input: &AssignmentInput) -> Option<AssignmentOutput> {
    let out = match assign(assignor, input) {
        Ok(out) => out,
        // Kafka's sticky builders can throw on some ownership histories; so does the port.
        Err(AssignError::KafkaAssignorThrows { .. })
            if matches!(
                assignor,
                AssignorName::Sticky | AssignorName::CooperativeSticky
            ) =>
        {
            return None;
        }
        Err(e) => panic!("{assignor} rejected a valid input: {e}"),
    };
    let subscriptions: BTreeMap<&str, &Vec<String>> = input
        .members
        .iter()
        .map(|m| (m.member_id.as_str(), &m.topics))
        .collect();
    let claims: BTreeMap<&str, &Vec<TopicPartition>> = input
        .members
        .iter()
        .map(|m| (m.member_id.as_str(), &m.owned_partitions))
        .collect();
    let sticky = matches!(
        assignor,
        AssignorName::Sticky | AssignorName::CooperativeSticky
    );
    let may_hold = |member: &str, tp: &TopicPartition| {
        subscriptions[member].iter().any(|t| **t == *tp.topic)
            || (sticky && claims[member].contains(tp))
    };
    assert_eq!(
        out.assignment.len(),
        input.members.len(),
        "every member is listed"
    );

    let mut seen = BTreeSet::new();
    for (member, partitions) in &out.assignment {
        for tp in partitions {
            assert!(seen.insert(tp.clone()), "{assignor}: {tp} assigned twice");
            assert!(
                may_hold(member, tp),
                "{assignor}: {tp} given to {member}, who is not subscribed to it"
            );
        }
    }
    let all: BTreeSet<TopicPartition> = input
        .partitions_per_topic
        .iter()
        .filter(|(t, _)| input.members.iter().any(|m| m.topics.contains(t)))
        .flat_map(|(t, &n)| (0..n).map(move |p| TopicPartition::new(t.clone(), p)))
        .collect();
    if assignor.is_cooperative() {
        for (tp, member) in &out.partitions_transferring_ownership {
            assert!(!seen.contains(tp), "{tp} is both assigned and withheld");
            assert!(may_hold(member, tp), "{tp} withheld for {member}");
        }
        let withheld: BTreeSet<TopicPartition> = out
            .partitions_transferring_ownership
            .keys()
            .cloned()
            .collect();
        let covered: BTreeSet<TopicPartition> = seen.union(&withheld).cloned().collect();
        assert_eq!(covered, all, "assigned plus withheld is every partition");
    } else {
        assert_eq!(
            seen, all,
            "{assignor}: every subscribed partition exactly once"
        );
    }
    Some(out)
}

fn spread(out: &AssignmentOutput) -> usize {
    let sizes = out.assignment.values().map(Vec::len);
    sizes.clone().max().unwrap_or(0) - sizes.min().unwrap_or(0)
}

/// Whether every member holds only partitions of topics it subscribes to.
fn only_subscribers_hold(input: &AssignmentInput, out: &AssignmentOutput) -> bool {
    input.members.iter().all(|m| {
        out.assignment[&m.member_id]
            .iter()
            .all(|tp| m.topics.iter().any(|t| **t == *tp.topic))
    })
}

proptest! {
    #[test]
    fn assignors_hand_out_each_partition_at_most_once_to_subscribers(input in group_input(true, false)) {
        for assignor in AssignorName::ALL {
            let first = check(assignor, &input);
            if let Some(out) = &first {
                prop_assert!(only_subscribers_hold(&input, out), "{}: {:?}", assignor, out);
            }
            // Deterministic: the same input gives the same output.
            prop_assert_eq!(first, check(assignor, &input));
        }
    }

    #[test]
    fn assignors_never_panic_on_arbitrary_ownership_claims(input in group_input(false, false)) {
        for assignor in AssignorName::ALL {
            check(assignor, &input);
        }
    }

    #[test]
    fn sticky_balances_within_one_when_subscriptions_are_identical(input in group_input(false, true)) {
        if let Some(out) = check(AssignorName::Sticky, &input) {
            prop_assert!(spread(&out) <= 1, "sizes differ by more than one: {:?}", out.assignment);
        }
        let nothing_owned = input.members.iter().all(|m| m.owned_partitions.is_empty());
        if nothing_owned && let Some(out) = check(AssignorName::CooperativeSticky, &input) {
            prop_assert!(spread(&out) <= 1);
        }
    }
}
