//! Helpers for the assignor unit tests.

use std::collections::BTreeMap;

use super::{AssignmentInput, AssignorName, MemberSubscription, TopicPartition, assign};

/// An input with the given topics and members.
pub(crate) fn input(topics: &[(&str, u32)], members: Vec<MemberSubscription>) -> AssignmentInput {
    AssignmentInput {
        partitions_per_topic: topics.iter().map(|&(t, n)| (t.to_string(), n)).collect(),
        members,
    }
}

/// A dynamic member subscribed to `topics`, owning nothing.
pub(crate) fn member(id: &str, topics: &[&str]) -> MemberSubscription {
    MemberSubscription {
        member_id: id.to_string(),
        topics: topics.iter().map(|t| t.to_string()).collect(),
        group_instance_id: None,
        owned_partitions: Vec::new(),
        generation: None,
    }
}

/// A static member.
pub(crate) fn static_member(id: &str, instance: &str, topics: &[&str]) -> MemberSubscription {
    MemberSubscription {
        group_instance_id: Some(instance.to_string()),
        ..member(id, topics)
    }
}

/// A member owning `owned` ("t-0" strings) in `generation`.
pub(crate) fn owning(
    id: &str,
    topics: &[&str],
    owned: &[&str],
    generation: Option<i32>,
) -> MemberSubscription {
    MemberSubscription {
        owned_partitions: owned.iter().map(|tp| parse(tp)).collect(),
        generation,
        ..member(id, topics)
    }
}

/// Parses a `"t-0"` test literal.
pub(crate) fn parse(tp: &str) -> TopicPartition {
    tp.parse().expect("test topic partition")
}

/// Runs `assignor` and returns each member's list as strings.
pub(crate) fn assignment_of(
    assignor: AssignorName,
    input: &AssignmentInput,
) -> BTreeMap<String, Vec<String>> {
    assign(assignor, input)
        .expect("valid input")
        .assignment
        .into_iter()
        .map(|(m, list)| (m, list.iter().map(ToString::to_string).collect()))
        .collect()
}
