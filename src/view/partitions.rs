//! Topics: per topic, each partition's leader, leader epoch, replicas, in-sync replicas,
//! high watermark, state and who reads it; and the form to create a topic.

use std::sync::Arc;

use kafka_sim::{BrokerId, TopicPartition};
use leptos::prelude::*;

use crate::on_demand::fetched;
use crate::session::{DockTab, Session};
use crate::text::{broker_csv, broker_list};
use crate::view::progressive::drawn_in_frames;

/// The topics panel.
#[component]
pub fn Topics(session: Session) -> impl IntoView {
    let names = Memo::new(move |_| {
        session.snap.with(|s| {
            s.topics
                .iter()
                .map(|t| t.name.clone())
                .collect::<Vec<Arc<str>>>()
        })
    });
    let form_shown = session.tab_ever_chosen(DockTab::Topics);
    view! {
        <section class="panel topics" aria-labelledby="topics-heading">
            <div class="panel-head">
                <h2 id="topics-heading">"Topics"</h2>
            </div>
            <div class="topics-body">
                <div class="topic-tables">
                    <For each=move || names.get() key=|n| n.clone() let:name>
                        <TopicTable session name/>
                    </For>
                    <Show when=move || names.with(Vec::is_empty)>
                        <p class="empty">"No topic yet. Create one to produce records."</p>
                    </Show>
                </div>
                // The table follows the cluster from the start (the page's tests read it);
                // the form is fetched when the tab is first shown (see on_demand).
                {move || {
                    form_shown
                        .get()
                        .then(|| fetched(move || topic_form(session)))
                }}
            </div>
        </section>
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Part {
    leader: Option<BrokerId>,
    epoch: u32,
    replicas: Vec<BrokerId>,
    isr: Vec<BrokerId>,
    hw: u64,
    under_min_isr: bool,
    readers: String,
}

/// Partition rows a table adds per animation frame. A topic of 256 partitions built its
/// 2,600 elements in one task of about 100 ms once a link had loaded (issue 14: no task
/// over 100 ms); 32 rows take about a tenth of that, and the table is whole 8 frames on.
pub const PARTITION_ROWS_PER_FRAME: usize = 32;

/// One topic's partitions.
#[component]
fn TopicTable(session: Session, name: Arc<str>) -> impl IntoView {
    let region = format!("Partitions of {name}");
    let n = name.clone();
    let meta = Memo::new(move |_| {
        session.snap.with(|s| {
            s.topics.iter().find(|t| t.name == n).map(|t| {
                (
                    t.partitions.len() as u32,
                    t.replication_factor,
                    t.min_insync_replicas,
                )
            })
        })
    });
    let count = move || meta.get().map_or(0, |m| m.0);
    let drawn = drawn_in_frames(move || count() as usize, PARTITION_ROWS_PER_FRAME);
    let caption_id = format!("topic-{name}-caption");
    view! {
        <div class="topic">
            <h3 id=caption_id.clone()>
                {name.to_string()}
                <span class="meta">
                    {move || {
                        meta.get()
                            .map(|(p, rf, min)| {
                                format!(
                                    "{p} partitions · replication factor {rf} · min.insync.replicas {min}",
                                )
                            })
                            .unwrap_or_default()
                    }}
                </span>
            </h3>
            // Scrolls sideways in a narrow dock: a keyboard user can scroll it too.
            <div class="table-scroll" tabindex="0" role="region" aria-label=region>
                <table aria-labelledby=caption_id>
                    <thead>
                        <tr>
                            <th scope="col">"Partition"</th>
                            <th scope="col">"Leader"</th>
                            <th scope="col">
                                <abbr title="leader epoch: bumped at every leader change">"Epoch"</abbr>
                            </th>
                            <th scope="col">"Replicas"</th>
                            <th scope="col">
                                <abbr title="in-sync replicas">"ISR"</abbr>
                            </th>
                            <th scope="col">
                                <abbr title="high watermark: offsets below it are committed">"HW"</abbr>
                            </th>
                            <th scope="col">"State"</th>
                            <th scope="col">"Read by"</th>
                        </tr>
                    </thead>
                    <tbody>
                        // A topic's partitions never change in number once it exists.
                        <For each=move || 0..(drawn.get() as u32).min(count()) key=|p| *p let:p>
                            <PartitionRow session topic=name.clone() partition=p/>
                        </For>
                    </tbody>
                </table>
            </div>
        </div>
    }
}

#[component]
fn PartitionRow(session: Session, topic: Arc<str>, partition: u32) -> impl IntoView {
    let t = topic.clone();
    let tick = session.tick(partition as usize);
    let part = Memo::new(move |_| {
        tick.track();
        session.snap.with_untracked(|s| {
            let topic = s.topics.iter().find(|x| x.name == t)?;
            let p = topic.partitions.get(partition as usize)?;
            let tp = TopicPartition::new(t.clone(), partition);
            let mut readers = Vec::new();
            for g in &s.groups {
                for m in &g.members {
                    if m.assignment.contains(&tp) {
                        readers.push(format!("{}: {}", g.group, m.consumer));
                    }
                }
            }
            Some(Part {
                leader: p.leader,
                epoch: p.leader_epoch.0,
                replicas: p.replicas.clone(),
                isr: p.isr.clone(),
                hw: p.high_watermark.0,
                under_min_isr: p.under_min_isr,
                readers: readers.join(", "),
            })
        })
    });
    let get =
        move |f: fn(&Part) -> String| move || part.with(|p| p.as_ref().map(f).unwrap_or_default());
    let offline = move || part.with(|p| p.as_ref().is_some_and(|p| p.leader.is_none()));
    let under = move || part.with(|p| p.as_ref().is_some_and(|p| p.under_min_isr));
    view! {
        <tr
            data-testid=format!("partition-{topic}-{partition}")
            data-leader=get(|p| p.leader.map(|l| l.0.to_string()).unwrap_or_default())
            data-epoch=get(|p| p.epoch.to_string())
            data-isr=get(|p| broker_csv(&p.isr))
            data-hw=get(|p| p.hw.to_string())
            class:offline=offline
        >
            <th scope="row">{format!("{topic}-{partition}")}</th>
            <td>
                {move || {
                    part.with(|p| match p.as_ref().and_then(|p| p.leader) {
                        Some(l) => format!("★ broker {l}"),
                        None => "none".to_string(),
                    })
                }}
            </td>
            <td>{get(|p| p.epoch.to_string())}</td>
            <td>{get(|p| broker_list(&p.replicas))}</td>
            <td>{get(|p| broker_list(&p.isr))}</td>
            <td>{get(|p| p.hw.to_string())}</td>
            <td>
                {move || {
                    if offline() {
                        view! { <span class="pill bad">"offline"</span> }.into_any()
                    } else if under() {
                        view! {
                            <span
                                class="pill warn"
                                title="fewer in-sync replicas than min.insync.replicas: acks=all produces are refused"
                            >
                                "under min ISR"
                            </span>
                        }
                            .into_any()
                    } else {
                        view! { <span class="pill ok">"online"</span> }.into_any()
                    }
                }}
            </td>
            <td class="readers">{get(|p| p.readers.clone())}</td>
        </tr>
    }
}

crate::on_demand::on_demand!(
    topic_form,
    /// The Topics tab's form to create a topic.
    fn topic_form(session: Session) -> AnyView {
        view! { <crate::view::topic_form::TopicForm session/> }.into_any()
    }
);
