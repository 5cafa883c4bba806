//! `RangeAssignor` (`clients/.../consumer/RangeAssignor.java`), without racks.
//!
//! Per topic, independently: the members subscribed to it, in `MemberInfo` order, each take a
//! contiguous range of `P / C` partitions, and the first `P % C` of them one more
//! (`assignRanges` with `TopicAssignmentState.maxAssignable`). The rack-aware pre-pass
//! (`assignWithRackMatching`) only runs when consumers report racks, which this model has not.

use super::group::{Group, java_hash_map_order};

/// Runs the range assignor; the result is indexed by member.
pub(crate) fn assign(group: &Group<'_>) -> Vec<Vec<usize>> {
    // consumersPerTopic: each topic's members in subscription (HashMap) order...
    let mut consumers_per_topic = vec![Vec::new(); group.topics.len()];
    for &m in &group.subscription_order {
        for &t in &group.members[m].topics {
            consumers_per_topic[t].push(m);
        }
    }
    let mut assignment = vec![Vec::new(); group.members.len()];
    for topic in topic_order(group) {
        // ...sorted by MemberInfo in TopicAssignmentState.
        let consumers = group.member_info_order(&consumers_per_topic[topic]);
        if consumers.is_empty() {
            continue;
        }
        let partitions = group.topics[topic].partitions;
        let first = group.topics[topic].first;
        let per_consumer = partitions / consumers.len();
        let mut with_extra = partitions % consumers.len();
        let mut next = 0;
        for &consumer in &consumers {
            if next == partitions {
                break;
            }
            // maxAssignable: numPartitionsPerConsumer, plus one while extra partitions remain.
            let take = per_consumer + usize::from(with_extra > 0);
            if take == 0 {
                continue;
            }
            assignment[consumer].extend(first + next..first + next + take);
            next += take;
            if take > per_consumer {
                with_extra -= 1;
            }
        }
    }
    assignment
}

/// The iteration order of Kafka's `partitionsPerTopic` map, which decides the order of each
/// member's list: `AbstractPartitionAssignor.assign` fills a `HashSet` with every subscribed
/// topic (members in `HashMap` order, topics in subscription order), then a `HashMap` with the
/// ones that have metadata, in that set's order.
fn topic_order(group: &Group<'_>) -> Vec<usize> {
    let all_subscribed = java_hash_map_order(group.subscription_order.iter().flat_map(|&m| {
        group.members[m]
            .raw_topics
            .iter()
            .map(|&r| (r, group.raw_topics[r]))
    }));
    let with_metadata: Vec<usize> = all_subscribed
        .into_iter()
        .filter(|&r| group.known_topic(r).is_some())
        .collect();
    java_hash_map_order(with_metadata.iter().map(|&r| (r, group.raw_topics[r])))
        .into_iter()
        .filter_map(|r| group.known_topic(r))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::assignor::testing::{assignment_of, input, member, static_member};
    use crate::assignor::{AssignorName, assign};

    #[test]
    fn range_gives_first_members_the_extra_partition() {
        let input = input(
            &[("t", 7)],
            vec![
                member("c1", &["t"]),
                member("c2", &["t"]),
                member("c3", &["t"]),
            ],
        );
        let got = assignment_of(AssignorName::Range, &input);
        assert_eq!(got["c1"], ["t-0", "t-1", "t-2"]);
        assert_eq!(got["c2"], ["t-3", "t-4"]);
        assert_eq!(got["c3"], ["t-5", "t-6"]);
    }

    #[test]
    fn range_assigns_each_topic_independently() {
        // Two topics of 3 partitions: c1 gets the extra partition of both (RangeAssignor javadoc).
        let input = input(
            &[("t0", 3), ("t1", 3)],
            vec![member("C0", &["t0", "t1"]), member("C1", &["t0", "t1"])],
        );
        let got = assignment_of(AssignorName::Range, &input);
        let mut c0 = got["C0"].clone();
        c0.sort();
        assert_eq!(c0, ["t0-0", "t0-1", "t1-0", "t1-1"]);
        let mut c1 = got["C1"].clone();
        c1.sort();
        assert_eq!(c1, ["t0-2", "t1-2"]);
    }

    #[test]
    fn static_members_sort_first() {
        let input = input(
            &[("t", 3)],
            vec![
                member("a", &["t"]),
                static_member("z", "instance-2", &["t"]),
                static_member("y", "instance-1", &["t"]),
            ],
        );
        let got = assignment_of(AssignorName::Range, &input);
        assert_eq!(got["y"], ["t-0"]);
        assert_eq!(got["z"], ["t-1"]);
        assert_eq!(got["a"], ["t-2"]);
    }

    #[test]
    fn range_ignores_topics_without_metadata_and_lists_every_member() {
        let input = input(
            &[("t", 1)],
            vec![member("c1", &["t", "missing"]), member("c2", &["missing"])],
        );
        let out = assign(AssignorName::Range, &input).expect("valid input");
        assert_eq!(out.assignment.len(), 2);
        assert!(out.assignment["c2"].is_empty());
        assert_eq!(out.assignment["c1"].len(), 1);
        assert!(out.partitions_transferring_ownership.is_empty());
    }

    #[test]
    fn range_lists_topics_in_java_hash_map_order() {
        // "b" (hash 98) sits in a lower bin than "z" (hash 122 -> bin 10 of 16), and "a"
        // (97 -> bin 1) lower still; the output follows the bins, not the names.
        let input = input(
            &[("z", 1), ("b", 1), ("a", 1)],
            vec![member("c", &["z", "b", "a"])],
        );
        let got = assignment_of(AssignorName::Range, &input);
        assert_eq!(got["c"], ["a-0", "b-0", "z-0"]);
        // 16 + 'a' = 113 and 'a' = 97 share bin 1: the one inserted first comes first.
        let input2 = input2_colliding();
        let got2 = assignment_of(AssignorName::Range, &input2);
        assert_eq!(got2["c"], ["q-0", "a-0"]);
    }

    fn input2_colliding() -> crate::assignor::AssignmentInput {
        // "q" is 113 = 97 + 16: same bin as "a" in a 16-bin table, so insertion order decides.
        input(&[("a", 1), ("q", 1)], vec![member("c", &["q", "a"])])
    }
}
