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
use std::collections::{BTreeMap, BTreeSet};

use super::error::AssignError;
use super::java::{JavaString, string_compare, string_hash_code};
use super::java_hashmap::JavaHashSet;
use super::types::{AssignmentInput, TopicPartition};
use super::{MAX_ASSIGN_MEMBERS, MAX_ASSIGN_PARTITIONS, MAX_ASSIGN_TOPICS};

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
    /// The subscription exactly as sent (`Subscription.topics()`), unknown topics included.
    pub(crate) raw_topics: &'a [String],
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
    /// Partition index to topic index.
    pub(crate) partition_topic: Vec<usize>,
    /// Members in the iteration order of Java's `HashMap<String, Subscription>`.
    pub(crate) subscription_order: Vec<usize>,
    /// Member index to the rank of its id in `String.compareTo` order.
    pub(crate) id_rank: Vec<usize>,
    /// Rank in `String.compareTo` order to member index.
    pub(crate) by_id_rank: Vec<usize>,
}

impl<'a> Group<'a> {
    /// Validates `input` and indexes it.
    pub(crate) fn new(input: &'a AssignmentInput) -> Result<Group<'a>, AssignError> {
        let metadata = validate_metadata(input)?;
        validate_members(input)?;

        // AbstractPartitionAssignor.assign: every subscribed topic that has metadata.
        let subscribed: BTreeSet<&str> = input
            .members
            .iter()
            .flat_map(|m| m.topics.iter().map(String::as_str))
            .filter(|t| metadata.contains_key(t))
            .collect();
        let mut names: Vec<&str> = subscribed.into_iter().collect();
        names.sort_by(|a, b| string_compare(a, b));
        let mut topics = Vec::with_capacity(names.len());
        let mut topic_index = BTreeMap::new();
        let mut partition_topic = Vec::new();
        for (t, name) in names.into_iter().enumerate() {
            let partitions = metadata.get(name).copied().unwrap_or(0) as usize;
            topics.push(Topic {
                name,
                partitions,
                first: partition_topic.len(),
                hash: string_hash_code(name),
            });
            topic_index.insert(name, t);
            partition_topic.extend(std::iter::repeat_n(t, partitions));
        }

        let members: Vec<Member<'a>> = input
            .members
            .iter()
            .map(|m| {
                let known: Vec<usize> = m
                    .topics
                    .iter()
                    .filter_map(|t| topic_index.get(t.as_str()).copied())
                    .collect();
                let mut sorted_topics = known.clone();
                sorted_topics.sort_unstable();
                let owned = m
                    .owned_partitions
                    .iter()
                    .filter_map(|tp| {
                        topic_index
                            .get(tp.topic.as_str())
                            .map(|&t| topics[t].first + tp.partition as usize)
                    })
                    .collect();
                Member {
                    id: m.member_id.as_str(),
                    group_instance_id: m.group_instance_id.as_deref(),
                    raw_topics: &m.topics,
                    topics: known,
                    sorted_topics,
                    owned,
                    generation: m.generation,
                }
            })
            .collect();

        let subscription_order = java_hash_map_order(members.iter().map(|m| m.id));
        let mut by_id_rank: Vec<usize> = (0..members.len()).collect();
        by_id_rank.sort_by(|&a, &b| string_compare(members[a].id, members[b].id));
        let mut id_rank = vec![0; members.len()];
        for (rank, &m) in by_id_rank.iter().enumerate() {
            id_rank[m] = rank;
        }

        Ok(Group {
            members,
            topics,
            partition_topic,
            subscription_order,
            id_rank,
            by_id_rank,
        })
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
    /// `group.instance.id`, then the others by `member.id`), applied with Java's stable sort to
    /// the members in `HashMap` iteration order, as `Utils.sorted` / `Collections.sort` do.
    pub(crate) fn member_info_order(&self, members: &[usize]) -> Vec<usize> {
        let mut sorted = members.to_vec();
        sorted.sort_by(|&a, &b| self.member_info_compare(a, b));
        sorted
    }

    /// `MemberInfo.compareTo`.
    fn member_info_compare(&self, a: usize, b: usize) -> Ordering {
        let (ma, mb) = (&self.members[a], &self.members[b]);
        match (ma.group_instance_id, mb.group_instance_id) {
            (Some(x), Some(y)) => string_compare(x, y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => string_compare(ma.id, mb.id),
        }
    }
}

/// The iteration order of a `HashMap` (or `HashSet`) filled with `keys` in order, as indices
/// into `keys`. Later duplicates are ignored, as `put` keeps the first position.
pub(crate) fn java_hash_map_order<'k>(keys: impl IntoIterator<Item = &'k str>) -> Vec<usize> {
    let mut position = BTreeMap::new();
    let mut set = JavaHashSet::new();
    for (i, key) in keys.into_iter().enumerate() {
        if set.insert(JavaString::new(key)) {
            position.insert(key, i);
        }
    }
    set.keys()
        .into_iter()
        .filter_map(|k| position.get(k.text()).copied())
        .collect()
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
    let mut seen = BTreeSet::new();
    for topic in &m.topics {
        if topic.is_empty() {
            return Err(AssignError::EmptySubscribedTopic {
                index,
                member_id: m.member_id.clone(),
            });
        }
        if !seen.insert(topic.as_str()) {
            return Err(AssignError::DuplicateSubscribedTopic {
                index,
                member_id: m.member_id.clone(),
                topic: topic.clone(),
            });
        }
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
        if let Some(&count) = input.partitions_per_topic.get(&tp.topic) {
            if tp.partition >= count {
                return Err(AssignError::OwnedPartitionOutOfRange {
                    index,
                    member_id: m.member_id.clone(),
                    partition: tp.clone(),
                    partitions: count,
                });
            }
        }
    }
    Ok(())
}
