//! `RoundRobinAssignor` (`clients/.../consumer/RoundRobinAssignor.java`).
//!
//! The members, sorted by `MemberInfo`, stand in a circle (`CircularIterator`). Every partition of
//! every subscribed topic, topics by name and partitions ascending (`allPartitionsSorted`), goes
//! to the next member in the circle that subscribes to its topic; the pointer then moves past
//! that member.

use super::group::Group;

/// Runs the round-robin assignor; the result is indexed by member.
pub(crate) fn assign(group: &Group<'_>) -> Vec<Vec<usize>> {
    let mut assignment = vec![Vec::new(); group.members.len()];
    let circle = group.member_info_order(&group.subscription_order);
    if circle.is_empty() {
        return assignment;
    }
    let mut next = 0;
    // Partition indices already run over topics in String.compareTo order, then partition
    // number: exactly allPartitionsSorted over the topics Kafka passes in.
    for partition in 0..group.total_partitions() {
        let topic = group.partition_topic[partition];
        // Every topic known to the assignors has a subscriber, so this stops within one lap.
        while !group.members[circle[next]].subscribes(topic) {
            next = (next + 1) % circle.len();
        }
        assignment[circle[next]].push(partition);
        next = (next + 1) % circle.len();
    }
    assignment
}

#[cfg(test)]
mod tests {
    use crate::assignor::AssignorName;
    use crate::assignor::testing::{assignment_of, input, member, static_member};

    #[test]
    fn roundrobin_deals_partitions_around_the_circle() {
        let input = input(
            &[("t0", 3), ("t1", 3)],
            vec![member("C0", &["t0", "t1"]), member("C1", &["t0", "t1"])],
        );
        let got = assignment_of(AssignorName::RoundRobin, &input);
        assert_eq!(got["C0"], ["t0-0", "t0-2", "t1-1"]);
        assert_eq!(got["C1"], ["t0-1", "t1-0", "t1-2"]);
    }

    #[test]
    fn roundrobin_skips_members_not_subscribed_to_the_topic() {
        let input = input(
            &[("t0", 1), ("t1", 2), ("t2", 3)],
            vec![
                member("C0", &["t0"]),
                member("C1", &["t0", "t1"]),
                member("C2", &["t0", "t1", "t2"]),
            ],
        );
        let got = assignment_of(AssignorName::RoundRobin, &input);
        assert_eq!(got["C0"], ["t0-0"]);
        assert_eq!(got["C1"], ["t1-0"]);
        assert_eq!(got["C2"], ["t1-1", "t2-0", "t2-1", "t2-2"]);
    }

    #[test]
    fn roundrobin_puts_static_members_first_by_instance_id() {
        let input = input(
            &[("t", 3)],
            vec![
                member("a", &["t"]),
                static_member("c", "i2", &["t"]),
                static_member("b", "i1", &["t"]),
            ],
        );
        let got = assignment_of(AssignorName::RoundRobin, &input);
        assert_eq!(got["b"], ["t-0"]);
        assert_eq!(got["c"], ["t-1"]);
        assert_eq!(got["a"], ["t-2"]);
    }
}
