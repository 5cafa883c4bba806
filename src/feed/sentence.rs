//! Each engine event told as a plain past-tense sentence, with its tone. The first match
//! sorts the events by what they are about; each group has its own sentences.

use kafka_sim::event::{ElectionReason, Event, IsrShrinkReason};

use super::Tone::{self, Bad, Good, Info};
use crate::text::{broker_list, join, quoted};

fn tp(topic: &str, partition: impl std::fmt::Display) -> String {
    format!("{topic}-{partition}")
}

/// The sentence for `e`, with its tone.
pub fn sentence(e: &Event) -> (Tone, String) {
    use Event as E;
    let told = match e {
        E::BrokerAdded { .. }
        | E::BrokerStopped { .. }
        | E::BrokerStarted { .. }
        | E::BrokerRegistrationTimedOut { .. }
        | E::BrokerFenced { .. }
        | E::BrokerUnfenced { .. }
        | E::TopicCreated { .. }
        | E::TopicCreationFailed { .. } => cluster(e),
        E::RecordQueued { .. }
        | E::RecordAppended { .. }
        | E::ProduceRejected { .. }
        | E::ProduceAcked { .. }
        | E::ProduceRetried { .. }
        | E::ProduceFailed { .. } => producing(e),
        E::RecordsReplicated { .. }
        | E::HighWatermarkAdvanced { .. }
        | E::ReplicaLeftIsr { .. }
        | E::ReplicaJoinedIsr { .. }
        | E::LeaderElected { .. }
        | E::PartitionWentOffline { .. }
        | E::RecordTruncated { .. } => replication(e),
        E::MemberJoined { .. }
        | E::StaticMemberReplaced { .. }
        | E::RebalanceStarted { .. }
        | E::MemberRemoved { .. }
        | E::GroupJoinCompleted { .. }
        | E::GroupStabilized { .. }
        | E::GroupEmptied { .. } => group(e),
        E::PartitionsAssigned { .. }
        | E::PartitionsRevoked { .. }
        | E::PartitionsLost { .. }
        | E::OffsetsCommitted { .. }
        | E::OffsetReset { .. }
        | E::RecordConsumed { .. }
        | E::ConsumerStopped { .. }
        | E::ConsumerLeft { .. } => consumer(e),
    };
    // Each group tells every event sorted into it.
    told.unwrap_or((Info, String::new()))
}

fn cluster(e: &Event) -> Option<(Tone, String)> {
    Some(match e {
        Event::BrokerAdded { broker } => (Good, format!("broker {broker} joined the cluster")),
        Event::BrokerStopped {
            broker,
            messages_lost,
        } => (
            Bad,
            if *messages_lost > 0 {
                format!("broker {broker} stopped; {messages_lost} messages on the way were lost")
            } else {
                format!("broker {broker} stopped")
            },
        ),
        Event::BrokerStarted { broker } => {
            (Good, format!("broker {broker} started again with its log"))
        }
        Event::BrokerRegistrationTimedOut { broker, timeout_ms } => (
            Bad,
            format!(
                "broker {broker} shut down: the controller refused its registration for {} (initial.broker.registration.timeout.ms) while its previous run's session was still valid",
                crate::text::seconds(*timeout_ms)
            ),
        ),
        Event::BrokerFenced { broker } => (
            Bad,
            format!("the controller fenced broker {broker}: it may lead nothing now"),
        ),
        Event::BrokerUnfenced { broker } => {
            (Good, format!("the controller unfenced broker {broker}"))
        }
        Event::TopicCreated { topic, assignment } => (
            Good,
            format!(
                "topic {topic} was created with {} partitions (replicas {})",
                assignment.len(),
                replica_lists(assignment)
            ),
        ),
        Event::TopicCreationFailed { topic, error } => (
            Bad,
            format!("topic {topic} could not be created: {}", error.name()),
        ),
        _ => return None,
    })
}

fn producing(e: &Event) -> Option<(Tone, String)> {
    Some(match e {
        Event::RecordQueued {
            producer,
            topic,
            partition,
            ..
        } => (
            Info,
            format!(
                "producer {producer} queued a record for {}",
                tp(topic, partition)
            ),
        ),
        Event::RecordAppended {
            broker,
            topic,
            partition,
            offset,
            key,
            ..
        } => (
            Info,
            format!(
                "broker {broker} appended key {} to {} at offset {offset}",
                quoted(key.as_deref()),
                tp(topic, partition)
            ),
        ),
        Event::ProduceRejected {
            broker,
            topic,
            partition,
            error,
        } => (
            Bad,
            format!(
                "broker {broker} refused a produce to {}: {}",
                tp(topic, partition),
                error.name()
            ),
        ),
        Event::ProduceAcked {
            producer,
            topic,
            partition,
            offset,
            ..
        } => (
            Good,
            match offset {
                Some(o) => format!(
                    "producer {producer} got an acknowledgement: {} offset {o}",
                    tp(topic, partition)
                ),
                None => format!(
                    "producer {producer} sent a record to {} without waiting (acks=0)",
                    tp(topic, partition)
                ),
            },
        ),
        Event::ProduceRetried {
            producer,
            topic,
            partition,
            records,
            error,
            attempt,
        } => (
            Bad,
            format!(
                "producer {producer} will retry {records} records for {} (attempt {attempt}) after {}",
                tp(topic, partition),
                error.name()
            ),
        ),
        Event::ProduceFailed {
            producer,
            topic,
            partition,
            error,
            ..
        } => (
            Bad,
            format!(
                "producer {producer} gave up on a record for {}: {}",
                match partition {
                    Some(p) => tp(topic, p),
                    None => topic.to_string(),
                },
                error.name()
            ),
        ),
        _ => return None,
    })
}

fn replication(e: &Event) -> Option<(Tone, String)> {
    Some(match e {
        Event::RecordsReplicated {
            broker,
            leader,
            topic,
            partition,
            from_offset,
            to_offset,
        } => (
            Info,
            format!(
                "broker {broker} copied {} offsets {from_offset}–{} from leader {leader}",
                tp(topic, partition),
                to_offset.0.saturating_sub(1)
            ),
        ),
        Event::HighWatermarkAdvanced {
            broker,
            topic,
            partition,
            high_watermark,
        } => (
            Info,
            format!(
                "{} high watermark moved to {high_watermark} on broker {broker}: records below it are committed",
                tp(topic, partition)
            ),
        ),
        Event::ReplicaLeftIsr {
            topic,
            partition,
            broker,
            isr,
            reason,
        } => (
            Bad,
            format!(
                "broker {broker} left the in-sync replicas of {} ({}); ISR now {}",
                tp(topic, partition),
                match reason {
                    IsrShrinkReason::BrokerFenced => "its broker was fenced",
                    IsrShrinkReason::LaggingFollower =>
                        "it fell behind for replica.lag.time.max.ms",
                },
                broker_list(isr)
            ),
        ),
        Event::ReplicaJoinedIsr {
            topic,
            partition,
            broker,
            isr,
        } => (
            Good,
            format!(
                "broker {broker} caught up and rejoined the in-sync replicas of {}; ISR now {}",
                tp(topic, partition),
                broker_list(isr)
            ),
        ),
        Event::LeaderElected { .. } => election(e)?,
        Event::PartitionWentOffline {
            topic,
            partition,
            leader_epoch,
            isr,
            ..
        } => (
            Bad,
            format!(
                "{} went offline (epoch {leader_epoch}): no replica may lead; ISR kept {}",
                tp(topic, partition),
                broker_list(isr)
            ),
        ),
        Event::RecordTruncated {
            broker,
            topic,
            partition,
            offset,
            key,
            value,
            leader,
            ..
        } => (
            Bad,
            format!(
                "broker {broker} truncated {} offset {offset} (key {}, value {}) because leader {leader} does not have it",
                tp(topic, partition),
                quoted(key.as_deref()),
                quoted(value.as_deref())
            ),
        ),
        _ => return None,
    })
}

fn election(e: &Event) -> Option<(Tone, String)> {
    let Event::LeaderElected {
        topic,
        partition,
        leader,
        previous,
        leader_epoch,
        unclean,
        reason,
    } = e
    else {
        return None;
    };
    let p = tp(topic, partition);
    let mut s = match previous {
        Some(prev) if prev != leader => {
            format!("{p} leader moved from broker {prev} to broker {leader}, epoch {leader_epoch}")
        }
        _ => format!("{p} has leader broker {leader} again, epoch {leader_epoch}"),
    };
    s.push_str(match reason {
        ElectionReason::LeaderFenced => " (its leader was fenced)",
        ElectionReason::BrokerUnfenced => " (an in-sync replica came back)",
        ElectionReason::PreferredReplica => " (the preferred replica took it back)",
    });
    if *unclean {
        s.push_str(" — an unclean election: the new leader was not in sync, records may be lost");
        Some((Bad, s))
    } else {
        Some((Info, s))
    }
}

fn group(e: &Event) -> Option<(Tone, String)> {
    Some(match e {
        Event::MemberJoined { group, member } => (Info, format!("{member} joined group {group}")),
        Event::StaticMemberReplaced {
            group,
            old_member,
            member,
        } => (
            Info,
            format!("{member} took the place of static member {old_member} in group {group}"),
        ),
        Event::RebalanceStarted {
            group,
            generation,
            reason,
        } => (
            Info,
            format!("group {group} started a rebalance after generation {generation}: {reason}"),
        ),
        Event::MemberRemoved {
            group,
            member,
            reason,
        } => (Bad, format!("group {group} removed {member}: {reason}")),
        Event::GroupJoinCompleted {
            group,
            generation,
            leader,
            members,
        } => (
            Info,
            format!(
                "group {group} formed generation {generation} with {}; {leader} computes the assignment",
                join(members.iter(), ", ")
            ),
        ),
        Event::GroupStabilized { group, generation } => (
            Good,
            format!("group {group} is stable at generation {generation}"),
        ),
        Event::GroupEmptied { group, .. } => (Info, format!("group {group} has no members left")),
        _ => return None,
    })
}

fn consumer(e: &Event) -> Option<(Tone, String)> {
    Some(match e {
        Event::PartitionsAssigned {
            consumer,
            partitions,
        } => (
            Good,
            if partitions.is_empty() {
                format!("{consumer} was assigned no partitions")
            } else {
                format!("{consumer} was assigned {}", join(partitions.iter(), ", "))
            },
        ),
        Event::PartitionsRevoked {
            consumer,
            partitions,
        } => (
            Info,
            format!("{consumer} gave up {}", join(partitions.iter(), ", ")),
        ),
        Event::PartitionsLost {
            consumer,
            partitions,
        } => (
            Bad,
            format!(
                "{consumer} lost {} without committing",
                join(partitions.iter(), ", ")
            ),
        ),
        Event::OffsetsCommitted {
            consumer,
            group,
            offsets,
        } => (
            Info,
            format!(
                "{consumer} committed for group {group}: {}",
                join(offsets.iter().map(|(tp, o)| format!("{tp} → {o}")), ", ")
            ),
        ),
        Event::OffsetReset {
            consumer,
            partition,
            offset,
            reason,
        } => (
            Info,
            format!("{consumer} starts reading {partition} at offset {offset} ({reason})"),
        ),
        Event::RecordConsumed {
            consumer,
            topic,
            partition,
            offset,
            redelivered,
        } => (
            Info,
            format!(
                "{consumer} read {} offset {offset}{}",
                tp(topic, partition),
                if *redelivered {
                    " again (redelivered)"
                } else {
                    ""
                }
            ),
        ),
        Event::ConsumerStopped { consumer } => (Bad, format!("consumer {consumer} crashed")),
        Event::ConsumerLeft { consumer } => (
            Info,
            format!("consumer {consumer} closed and left its group"),
        ),
        _ => return None,
    })
}

/// Partitions' replicas as `1, 2, 3 | 2, 3, 1`; a big topic's first few only, each cut
/// short (a line of 16,384 broker ids helps no one; the Topics tab has them all).
fn replica_lists(assignment: &[Vec<kafka_sim::BrokerId>]) -> String {
    const PARTITIONS: usize = 6;
    const REPLICAS: usize = 8;
    let cut = |r: &Vec<kafka_sim::BrokerId>| {
        if r.len() <= REPLICAS {
            broker_list(r)
        } else {
            format!("{}, … ({} in all)", broker_list(&r[..REPLICAS]), r.len())
        }
    };
    let mut out = join(assignment.iter().take(PARTITIONS).map(cut), " | ");
    if assignment.len() > PARTITIONS {
        out.push_str(&format!(" | … {} more", assignment.len() - PARTITIONS));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_sim::BrokerId;

    #[test]
    fn a_big_topic_is_told_in_a_line_that_stays_short() {
        let small = vec![
            vec![BrokerId(1), BrokerId(2)],
            vec![BrokerId(2), BrokerId(1)],
        ];
        assert_eq!(replica_lists(&small), "1, 2 | 2, 1");
        let big: Vec<Vec<BrokerId>> = (0..256)
            .map(|p| (0..64).map(|b| BrokerId((p + b) % 64 + 1)).collect())
            .collect();
        let line = replica_lists(&big);
        assert!(line.len() < 300, "{} characters: {line}", line.len());
        assert!(line.starts_with("1, 2, 3, 4, 5, 6, 7, 8, … (64 in all) | 2, 3"));
        assert!(line.ends_with("| … 250 more"));
    }

    #[test]
    fn a_broker_that_gave_up_registering_is_told_with_the_setting_and_why() {
        let (tone, text) = sentence(&Event::BrokerRegistrationTimedOut {
            broker: BrokerId(3),
            timeout_ms: 60_000,
        });
        assert_eq!(tone, Bad);
        assert!(text.starts_with("broker 3 shut down"), "{text}");
        assert!(
            text.contains("60.000 s (initial.broker.registration.timeout.ms)"),
            "{text}"
        );
    }
}
