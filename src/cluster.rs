//! Tables of a snapshot: the brokers, and each topic's partitions.
//!
//! These components only show what the engine's [`Snapshot`](kafka_sim::Snapshot)
//! carries; they compute no Kafka rule.

use kafka_sim::BrokerId;
use kafka_sim::snapshot::{
    BrokerSnapshot, BrokerStatus, LogSnapshot, PartitionSnapshot, ReplicaRole, TopicSnapshot,
};
use leptos::prelude::*;

/// Broker ids as `1, 2, 3`; `none` for an empty list.
fn broker_list(ids: &[BrokerId]) -> String {
    if ids.is_empty() {
        return "none".into();
    }
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The brokers: whether each process runs and whether the controller fenced it.
#[component]
pub fn BrokerTable(
    /// The snapshot's brokers.
    brokers: Vec<BrokerSnapshot>,
) -> impl IntoView {
    let rows = brokers
        .into_iter()
        .map(|b| {
            let (status, status_class) = match b.status {
                BrokerStatus::Running => ("running", "badge badge-ok"),
                BrokerStatus::Stopped => ("stopped", "badge badge-bad"),
            };
            let (fenced, fenced_class) = if b.fenced {
                ("fenced", "badge badge-warn")
            } else {
                ("not fenced", "badge badge-quiet")
            };
            view! {
                <tr data-broker=b.id.to_string()>
                    <th scope="row">{format!("Broker {}", b.id)}</th>
                    <td class="status"><span class=status_class>{status}</span></td>
                    <td class="fenced"><span class=fenced_class>{fenced}</span></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" role="region" aria-labelledby="brokers-caption" tabindex="0">
            <table id="brokers">
                <caption id="brokers-caption">"Broker processes and the controller's view of them"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Broker"</th>
                        <th scope="col">"Process"</th>
                        <th scope="col">"Fenced by the controller"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// One replica's log end offset, the leader's marked.
fn log_end_offset_item(log: LogSnapshot) -> impl IntoView {
    // The outline shows the leader; screen readers hear it.
    let leader_note = (log.role == ReplicaRole::Leader)
        .then(|| view! { <span class="visually-hidden">" (leader)"</span> });
    let role = match log.role {
        ReplicaRole::Leader => "leader",
        ReplicaRole::Follower => "follower",
        ReplicaRole::Unknown => "unknown",
    };
    view! {
        <li data-broker=log.broker.to_string() data-role=role>
            <span class="replica">{format!("broker {}", log.broker)}</span>
            {leader_note}
            ": "
            <span class="offset">{log.log_end_offset.to_string()}</span>
        </li>
    }
}

fn partition_row(p: PartitionSnapshot) -> impl IntoView {
    let leader = match p.leader {
        Some(id) => view! { <span>{id.to_string()}</span> }.into_any(),
        None => view! { <span class="badge badge-bad">"none: offline"</span> }.into_any(),
    };
    let under_min_isr = p
        .under_min_isr
        .then(|| view! { " " <span class="badge badge-warn">"under min.insync.replicas"</span> });
    let logs = p.logs.into_iter().map(log_end_offset_item).collect_view();
    view! {
        <tr data-partition=p.partition.to_string()>
            <th scope="row">{p.partition.to_string()}</th>
            <td class="leader">{leader}</td>
            <td class="leader-epoch num">{p.leader_epoch.to_string()}</td>
            <td class="replicas">{broker_list(&p.replicas)}</td>
            <td class="isr">{broker_list(&p.isr)} {under_min_isr}</td>
            <td class="high-watermark num">{p.high_watermark.to_string()}</td>
            <td class="log-end-offsets"><ul class="leo-list">{logs}</ul></td>
        </tr>
    }
}

/// A topic's partitions: leader, leader epoch, replicas, in-sync replicas, high
/// watermark and every replica's log end offset.
#[component]
pub fn PartitionTable(
    /// The topic.
    topic: TopicSnapshot,
) -> impl IntoView {
    let heading_id = format!("topic-{}-heading", topic.name);
    let caption_id = format!("topic-{}-caption", topic.name);
    let (section_labelled_by, region_labelled_by) = (heading_id.clone(), caption_id.clone());
    let caption = format!(
        "Partitions of {}: replication factor {}, min.insync.replicas {}. \
         The leader's replica is outlined.",
        topic.name, topic.replication_factor, topic.min_insync_replicas
    );
    let rows = topic
        .partitions
        .into_iter()
        .map(partition_row)
        .collect_view();
    view! {
        <section class="topic" aria-labelledby=section_labelled_by>
            <h3 id=heading_id>
                "Topic " <code>{topic.name.to_string()}</code>
            </h3>
            <div class="table-scroll" role="region" aria-labelledby=region_labelled_by tabindex="0">
                <table class="partitions" data-topic=topic.name.to_string()>
                    <caption id=caption_id>{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Partition"</th>
                            <th scope="col">"Leader"</th>
                            <th scope="col" class="num">"Leader epoch"</th>
                            <th scope="col">"Replicas"</th>
                            <th scope="col">"In-sync replicas"</th>
                            <th scope="col" class="num">"High watermark"</th>
                            <th scope="col">"Log end offset per replica"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
