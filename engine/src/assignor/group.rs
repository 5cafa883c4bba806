//! Validates an [`AssignmentInput`] and indexes it the way Kafka's assignors see the group.
//!
//! Two steps of Kafka's leader shape what the assignors get:
//!
//! - `ConsumerCoordinator.onLeaderElected` puts the members into a `HashMap<String, Subscription>`
//!   in JoinGroup order: its iteration order ([`Group::subscription_order`]) is emulated.
//! - `AbstractPartitionAssignor.assign(Cluster, GroupSubscription)` passes on only the topics
//!   that some member subscribes to and that have metadata ([`Group::topics`]); everything
//!   else (unknown topics, topics nobody wants, owned partitions of such topics) is dropped.
//!
//! Partitions are numbered globally ("partition index") in the order Kafka sorts them: topics in
//! `String.compareTo` order, then partition number.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::error::AssignError;
use super::java::{JavaString, string_compare, string_hash_code};
use super::java_hashmap::{JavaHashSet, JavaKey};
use super::types::AssignmentInput;
use super::{MAX_ASSIGN_MEMBERS, MAX_ASSIGN_PARTITIONS, MAX_ASSIGN_TOPICS};
use crate::collections::{sort, sort_by};
use crate::ids::TopicPartition;

/// A topic as the assignors see it.
#[derive(Clone, Debug)]
pub(crate) struct Topic<'a> {
    /// The topic's name.
    pub(crate) name: &'a str,
    /// Its partition count.
    pub(crate) partitions: usize,
    /// Partition index of its partition 0.
    pub(crate) first: usize,
    /// `name.hashCode()`.
    pub(crate) hash: i32,
}

/// A member as the assignors see it.
#[derive(Clone, Debug)]
pub(crate) struct Member<'a> {
    /// `member.id`.
    pub(crate) id: &'a str,
    /// `group.instance.id`, for static members.
    pub(crate) group_instance_id: Option<&'a str>,
    /// The subscription exactly as sent (`Subscription.topics()`), unknown topics included, as
    /// indices into [`Group::raw_topics`].
    pub(crate) raw_topics: Vec<usize>,
    /// The same, sorted, for comparing subscriptions as sets.
    pub(crate) raw_topic_set: Vec<usize>,
    /// Subscribed topics known to the assignors, as topic indices, in subscription order.
    pub(crate) topics: Vec<usize>,
    /// The same, sorted, for membership tests.
    sorted_topics: Vec<usize>,
    /// Owned partitions of topics known to the assignors, as partition indices, as reported.
    pub(crate) owned: Vec<usize>,
    /// The generation the member reported (`MemberData.generation`).
    pub(crate) generation: Option<i32>,
}

impl Member<'_> {
    /// `subscription.topics().contains(topic)` for a topic known to the assignors.
    pub(crate) fn subscribes(&self, topic: usize) -> bool {
        self.sorted_topics.binary_search(&topic).is_ok()
    }
}

/// A validated group with the orders Kafka's assignors depend on.
#[derive(Clone, Debug)]
pub(crate) struct Group<'a> {
    /// Members in input (JoinGroup) order; a member's index is its position here.
    pub(crate) members: Vec<Member<'a>>,
    /// Kafka's `partitionsPerTopic`: subscribed topics with metadata, in `String.compareTo` order.
    pub(crate) topics: Vec<Topic<'a>>,
    /// Every topic name any member subscribes to, known or not, in order of first appearance.
    pub(crate) raw_topics: Vec<JavaString<'a>>,
    /// Index into [`Group::raw_topics`] to the topic index, for topics with metadata.
    known_of_raw: Vec<Option<usize>>,
    /// Partition index to topic index.
    pub(crate) partition_topic: Vec<usize>,
    /// Members in the iteration order of Java's `HashMap<String, Subscription>`.
    pub(crate) subscription_order: Vec<usize>,
    /// Member index to the rank of its id in `String.compareTo` order.
    pub(crate) id_rank: Vec<usize>,
    /// Rank in `String.compareTo` order to member index.
    pub(crate) by_id_rank: Vec<usize>,
    /// Member index to its rank in `AbstractPartitionAssignor.MemberInfo` order.
    member_info_rank: Vec<usize>,
}

impl<'a> Group<'a> {
    /// Validates `input` and indexes it.
    pub(crate) fn new(input: &'a AssignmentInput) -> Result<Group<'a>, AssignError> {
        let metadata = validate_metadata(input)?;
        validate_members(input)?;

        // Name every subscribed topic once; lookups only, so a HashMap is safe here.
        let mut raw_index: HashMap<&str, usize> = HashMap::new();
        let mut raw_topics: Vec<JavaString<'a>> = Vec::new();
        let mut member_raw: Vec<Vec<usize>> = Vec::with_capacity(input.members.len());
        for m in &input.members {
            let ids = m
                .topics
                .iter()
                .map(|t| {
                    *raw_index.entry(t.as_str()).or_insert_with(|| {
                        raw_topics.push(JavaString::new(t));
                        raw_topics.len() - 1
                    })
                })
                .collect();
            member_raw.push(ids);
        }

        // AbstractPartitionAssignor.assign: every subscribed topic that has metadata.
        let mut names: Vec<&str> = raw_topics
            .iter()
            .map(|t| t.text())
            .filter(|t| metadata.contains_key(t))
            .collect();
        // Topic names are unique: an unstable sort gives the same order with less code.
        sort_by(&mut names, |a, b| string_compare(a, b).is_lt());
        let mut topics = Vec::with_capacity(names.len());
        let mut known_of_raw: Vec<Option<usize>> = vec![None; raw_topics.len()];
        let mut partition_topic = Vec::new();
        for (t, name) in names.into_iter().enumerate() {
            let partitions = metadata.get(name).copied().unwrap_or(0) as usize;
            topics.push(Topic {
                name,
                partitions,
                first: partition_topic.len(),
                hash: string_hash_code(name),
            });
            if let Some(&raw) = raw_index.get(name) {
                known_of_raw[raw] = Some(t);
            }
            partition_topic.extend(std::iter::repeat_n(t, partitions));
        }
        let mut topic_index: BTreeMap<&str, usize> = BTreeMap::new();
        for (t, topic) in topics.iter().enumerate() {
            topic_index.insert(topic.name, t);
        }

        let members: Vec<Member<'a>> = input
            .members
            .iter()
            .zip(member_raw)
            .map(|(m, raw)| {
                let known: Vec<usize> = raw.iter().filter_map(|&r| known_of_raw[r]).collect();
                let mut sorted_topics = known.clone();
                sort(&mut sorted_topics);
                let mut raw_topic_set = raw.clone();
                sort(&mut raw_topic_set);
                let owned = m
                    .owned_partitions
                    .iter()
                    .filter_map(|tp| {
                        topic_index
                            .get(&*tp.topic)
                            .map(|&t| topics[t].first + tp.partition as usize)
                    })
                    .collect();
                Member {
                    id: m.member_id.as_str(),
                    group_instance_id: m.group_instance_id.as_deref(),
                    raw_topics: raw,
                    raw_topic_set,
                    topics: known,
                    sorted_topics,
                    owned,
                    generation: m.generation,
                }
            })
            .collect();

        let subscription_order = java_hash_map_order(
            members
                .iter()
                .enumerate()
                .map(|(i, m)| (i, JavaString::new(m.id))),
        );
        let mut by_id_rank: Vec<usize> = (0..members.len()).collect();
        sort_by(&mut by_id_rank, |&a, &b| {
            string_compare(members[a].id, members[b].id).is_lt()
        });
        let mut id_rank = vec![0; members.len()];
        for (rank, &m) in by_id_rank.iter().enumerate() {
            id_rank[m] = rank;
        }
        // MemberInfo.compareTo is a total order here (member ids and instance ids are
        // unique), so ranking every member once gives the same order as each stable sort.
        let mut by_member_info: Vec<usize> = (0..members.len()).collect();
        sort_by(&mut by_member_info, |&a, &b| {
            member_info_compare(&members[a], &members[b]).is_lt()
        });
        let mut member_info_rank = vec![0; members.len()];
        for (rank, &m) in by_member_info.iter().enumerate() {
            member_info_rank[m] = rank;
        }

        Ok(Group {
            members,
            topics,
            raw_topics,
            known_of_raw,
            partition_topic,
            subscription_order,
            id_rank,
            by_id_rank,
            member_info_rank,
        })
    }

    /// The topic index of subscribed topic `raw` (an index into [`Group::raw_topics`]), if the
    /// topic has metadata.
    pub(crate) fn known_topic(&self, raw: usize) -> Option<usize> {
        self.known_of_raw.get(raw).copied().flatten()
    }

    /// Number of partitions over all topics known to the assignors.
    pub(crate) fn total_partitions(&self) -> usize {
        self.partition_topic.len()
    }

    /// The partition number of partition index `p` within its topic.
    pub(crate) fn partition_number(&self, p: usize) -> usize {
        p - self.topics[self.partition_topic[p]].first
    }

    /// Partition index `p` as a [`TopicPartition`].
    pub(crate) fn topic_partition(&self, p: usize) -> TopicPartition {
        let topic = &self.topics[self.partition_topic[p]];
        TopicPartition::new(topic.name, (p - topic.first) as u32)
    }

    /// `AbstractPartitionAssignor.MemberInfo` order (static members first, by
    /// `group.instance.id`, then the others by `member.id`), as `Utils.sorted` /
    /// `Collections.sort` give it.
    pub(crate) fn member_info_order(&self, members: &[usize]) -> Vec<usize> {
        let mut sorted = members.to_vec();
        sort_by(&mut sorted, |&a, &b| {
            self.member_info_rank[a] < self.member_info_rank[b]
        });
        sorted
    }
}

/// `MemberInfo.compareTo`.
fn member_info_compare(a: &Member<'_>, b: &Member<'_>) -> Ordering {
    match (a.group_instance_id, b.group_instance_id) {
        (Some(x), Some(y)) => string_compare(x, y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => string_compare(a.id, b.id),
    }
}

/// A `String` key of an emulated `HashMap`, tagged with an id that is equal exactly when the
/// strings are.
#[derive(Clone, Copy, Debug)]
struct TaggedString<'a> {
    id: usize,
    text: JavaString<'a>,
}

impl PartialEq for TaggedString<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for TaggedString<'_> {}

impl JavaKey for TaggedString<'_> {
    fn java_hash_code(&self) -> i32 {
        self.text.java_hash_code()
    }

    fn java_compare_to(&self, other: &Self) -> Option<Ordering> {
        self.text.java_compare_to(&other.text)
    }

    fn identity_tie_break(&self, other: &Self) -> Ordering {
        self.text.identity_tie_break(&other.text)
    }
}

/// The iteration order of a `HashMap` (or `HashSet`) of strings filled by `put` / `add` in the
/// given order, as the ids of the keys. Each id must stand for one distinct string; a repeated
/// key keeps its first position, as in Java.
pub(crate) fn java_hash_map_order<'k>(
    keys: impl IntoIterator<Item = (usize, JavaString<'k>)>,
) -> Vec<usize> {
    let mut set = JavaHashSet::new();
    for (id, text) in keys {
        set.insert(TaggedString { id, text });
    }
    set.keys().into_iter().map(|k| k.id).collect()
}

fn validate_metadata(input: &AssignmentInput) -> Result<BTreeMap<&str, u32>, AssignError> {
    if input.partitions_per_topic.len() > MAX_ASSIGN_TOPICS {
        return Err(AssignError::TooManyTopics {
            count: input.partitions_per_topic.len(),
            max: MAX_ASSIGN_TOPICS,
        });
    }
    let mut total: u64 = 0;
    let mut metadata = BTreeMap::new();
    for (topic, &count) in &input.partitions_per_topic {
        if topic.is_empty() {
            return Err(AssignError::EmptyTopicName);
        }
        if count == 0 {
            return Err(AssignError::NoPartitions {
                topic: topic.clone(),
            });
        }
        total += u64::from(count);
        metadata.insert(topic.as_str(), count);
    }
    if total > MAX_ASSIGN_PARTITIONS {
        return Err(AssignError::TooManyPartitions {
            total,
            max: MAX_ASSIGN_PARTITIONS,
        });
    }
    Ok(metadata)
}

fn validate_members(input: &AssignmentInput) -> Result<(), AssignError> {
    if input.members.len() > MAX_ASSIGN_MEMBERS {
        return Err(AssignError::TooManyMembers {
            count: input.members.len(),
            max: MAX_ASSIGN_MEMBERS,
        });
    }
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    let mut instances: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, m) in input.members.iter().enumerate() {
        if m.member_id.is_empty() {
            return Err(AssignError::EmptyMemberId { index });
        }
        if let Some(&first) = ids.get(m.member_id.as_str()) {
            return Err(AssignError::DuplicateMemberId {
                index,
                member_id: m.member_id.clone(),
                first,
            });
        }
        ids.insert(&m.member_id, index);
        if let Some(instance) = &m.group_instance_id {
            if instance.is_empty() {
                return Err(AssignError::EmptyGroupInstanceId {
                    index,
                    member_id: m.member_id.clone(),
                });
            }
            if let Some(&first) = instances.get(instance.as_str()) {
                return Err(AssignError::DuplicateGroupInstanceId {
                    index,
                    group_instance_id: instance.clone(),
                    first,
                });
            }
            instances.insert(instance, index);
        }
        validate_topics(index, m)?;
        validate_owned(index, m, input)?;
    }
    Ok(())
}

fn validate_topics(index: usize, m: &super::MemberSubscription) -> Result<(), AssignError> {
    if m.topics.len() > MAX_ASSIGN_TOPICS {
        return Err(AssignError::TooManySubscribedTopics {
            index,
            count: m.topics.len(),
            max: MAX_ASSIGN_TOPICS,
        });
    }
    if m.topics.iter().any(String::is_empty) {
        return Err(AssignError::EmptySubscribedTopic {
            index,
            member_id: m.member_id.clone(),
        });
    }
    let mut sorted: Vec<&str> = m.topics.iter().map(String::as_str).collect();
    sort(&mut sorted);
    if let Some(pair) = sorted.windows(2).find(|w| w[0] == w[1]) {
        return Err(AssignError::DuplicateSubscribedTopic {
            index,
            member_id: m.member_id.clone(),
            topic: pair[0].to_string(),
        });
    }
    Ok(())
}

fn validate_owned(
    index: usize,
    m: &super::MemberSubscription,
    input: &AssignmentInput,
) -> Result<(), AssignError> {
    if m.owned_partitions.len() as u64 > MAX_ASSIGN_PARTITIONS {
        return Err(AssignError::TooManyOwnedPartitions {
            index,
            count: m.owned_partitions.len(),
            max: MAX_ASSIGN_PARTITIONS,
        });
    }
    let mut seen = BTreeSet::new();
    for tp in &m.owned_partitions {
        if !seen.insert(tp) {
            return Err(AssignError::DuplicateOwnedPartition {
                index,
                member_id: m.member_id.clone(),
                partition: tp.clone(),
            });
        }
        // Partitions of unknown topics are dropped by Kafka, like the topics themselves.
        if let Some(&count) = input.partitions_per_topic.get(&*tp.topic)
            && tp.partition >= count
        {
            return Err(AssignError::OwnedPartitionOutOfRange {
                index,
                member_id: m.member_id.clone(),
                partition: tp.clone(),
                partitions: count,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assignor::testing::{input, member, owning, parse, static_member};
    use crate::assignor::{AssignorName, assign};

    fn error_of(input: &AssignmentInput) -> AssignError {
        match assign(AssignorName::Range, input) {
            Err(e) => e,
            Ok(out) => panic!("expected an error, got {out:?}"),
        }
    }

    #[test]
    fn duplicate_member_ids_are_rejected() {
        let err = error_of(&input(
            &[("t", 1)],
            vec![member("c", &["t"]), member("c", &["t"])],
        ));
        assert_eq!(
            err,
            AssignError::DuplicateMemberId {
                index: 1,
                member_id: "c".to_string(),
                first: 0
            }
        );
        assert!(err.to_string().starts_with("members[1].member_id"));
    }

    #[test]
    fn a_topic_without_partitions_is_rejected() {
        let err = error_of(&input(&[("t", 0)], vec![member("c", &["t"])]));
        assert_eq!(
            err,
            AssignError::NoPartitions {
                topic: "t".to_string()
            }
        );
        assert!(err.to_string().contains("partitions_per_topic"));
    }

    #[test]
    fn malformed_members_are_rejected_naming_the_field() {
        let cases = [
            (member("", &["t"]), "members[0].member_id"),
            (member("c", &["t", "t"]), "members[0].topics"),
            (member("c", &[""]), "members[0].topics"),
            (
                owning("c", &["t"], &["t-1", "t-1"], None),
                "members[0].owned_partitions",
            ),
            (
                owning("c", &["t"], &["t-5"], None),
                "members[0].owned_partitions",
            ),
            (
                static_member("c", "", &["t"]),
                "members[0].group_instance_id",
            ),
        ];
        for (m, field) in cases {
            let err = error_of(&input(&[("t", 2)], vec![m]));
            assert!(
                err.to_string().starts_with(field),
                "{err} should name {field}"
            );
        }
        let err = error_of(&input(
            &[("t", 2)],
            vec![
                static_member("a", "i", &["t"]),
                static_member("b", "i", &["t"]),
            ],
        ));
        assert!(matches!(
            err,
            AssignError::DuplicateGroupInstanceId {
                index: 1,
                first: 0,
                ..
            }
        ));
        assert_eq!(
            error_of(&input(&[("", 2)], vec![])),
            AssignError::EmptyTopicName
        );
    }

    #[test]
    fn inputs_beyond_the_limits_are_rejected() {
        let many = vec![("t", u32::MAX)];
        assert!(matches!(
            error_of(&input(&many, vec![])),
            AssignError::TooManyPartitions { .. }
        ));
        let members = (0..=MAX_ASSIGN_MEMBERS)
            .map(|i| member(&format!("m{i}"), &[]))
            .collect();
        assert!(matches!(
            error_of(&input(&[], members)),
            AssignError::TooManyMembers { .. }
        ));
    }

    #[test]
    fn unknown_topics_and_their_claims_are_ignored_not_rejected() {
        let input = input(
            &[("t", 2)],
            vec![owning(
                "c",
                &["t", "missing"],
                &["missing-7", "t-0"],
                Some(1),
            )],
        );
        let group = Group::new(&input).expect("valid input");
        assert_eq!(group.topics.len(), 1);
        assert_eq!(group.members[0].topics, [0]);
        assert_eq!(group.members[0].owned, [0]);
        assert_eq!(group.members[0].raw_topics.len(), 2);
    }

    #[test]
    fn topics_are_numbered_in_java_string_order() {
        let input = input(
            &[("b", 2), ("B", 1), ("a", 1)],
            vec![member("c", &["b", "a", "B"])],
        );
        let group = Group::new(&input).expect("valid input");
        let names: Vec<&str> = group.topics.iter().map(|t| t.name).collect();
        assert_eq!(names, ["B", "a", "b"]);
        assert_eq!(group.topic_partition(3), parse("b-1"));
        assert_eq!(group.partition_number(3), 1);
    }

    #[test]
    fn subscription_order_follows_java_hash_map() {
        let input = input(
            &[("t", 1)],
            ["consumer1", "consumer2", "consumer3", "consumer4"]
                .iter()
                .map(|id| member(id, &["t"]))
                .collect(),
        );
        let group = Group::new(&input).expect("valid input");
        assert_eq!(group.subscription_order, [3, 2, 1, 0]);
    }
}
