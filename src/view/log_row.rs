//! One replica's log: the latest records as cells (offset, and the key by colour and
//! text), the high watermark and log end offset, records above the high watermark drawn
//! as not committed yet, records lost to truncation struck through with the reason, and
//! on the leader the consumers' positions and the groups' committed offsets.
//!
//! Each row is a memo over the snapshot, and cells are keyed by offset and record, so a
//! refresh only touches the rows whose log changed.

use std::sync::Arc;

use kafka_sim::snapshot::LostRecord;
use kafka_sim::snapshot::RecordId;
use kafka_sim::snapshot::{ReplicaRole, Snapshot};
use kafka_sim::{BrokerId, TopicPartition};
use leptos::prelude::*;

use crate::session::Session;
use crate::text::{key_class, seconds};
use crate::view::cells::{Cell, CellsDom, Mark, RowState, clicked_record};

/// Lost records shown per log (the latest ones).
const LOST_SHOWN: usize = 3;

/// Width of the "N more" slot plus its gap, in pixels (CSS `.more`).
const MORE_PX: usize = 25;
/// Width of a cell plus its gap, in pixels (CSS `--cell-w` + `--cell-gap`).
pub const CELL_PX: usize = 33;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    role: ReplicaRole,
    leo: u64,
    hw: u64,
    in_isr: bool,
    offline: bool,
    cells: Vec<Cell>,
    /// How many of the cells shown are below the high watermark (where its bar goes).
    committed_shown: usize,
    hidden: u64,
    lost: Vec<LostRecord>,
    lost_more: usize,
    marks: Vec<Mark>,
}

fn build(
    s: &Snapshot,
    (topic, partition, broker): (&str, u32, BrokerId),
    fit: usize,
) -> Option<Row> {
    let t = s.topics.iter().find(|t| &*t.name == topic)?;
    let p = t.partitions.get(partition as usize)?;
    let log = p.logs.iter().find(|l| l.broker == broker)?;
    let skip = log.records.len().saturating_sub(fit);
    let lost_skip = log.lost.len().saturating_sub(LOST_SHOWN);
    let mut marks = Vec::new();
    if log.role == ReplicaRole::Leader {
        let tp = TopicPartition::new(topic, partition);
        for g in &s.groups {
            for m in &g.members {
                if let Some(o) = m.positions.get(&tp) {
                    marks.push(Mark {
                        offset: o,
                        who: m.consumer.to_string(),
                        committed: false,
                    });
                }
            }
            if let Some(o) = g.committed.get(&tp) {
                marks.push(Mark {
                    offset: o,
                    who: g.group.to_string(),
                    committed: true,
                });
            }
        }
    }
    let hw = log.high_watermark.0;
    let shown = &log.records[skip..];
    let committed_shown = shown.iter().filter(|r| r.offset.0 < hw).count();
    let cells = shown
        .iter()
        .map(|r| Cell {
            offset: r.offset.0,
            key: r.key.clone(),
            value: r.value.clone(),
            record: r.record.0,
            epoch: r.leader_epoch.0,
            marks: marks
                .iter()
                .filter(|m: &&Mark| m.offset == r.offset.0)
                .cloned()
                .collect(),
        })
        .collect();
    Some(Row {
        role: log.role,
        leo: log.log_end_offset.0,
        hw,
        in_isr: p.isr.contains(&broker),
        offline: p.leader.is_none(),
        cells,
        committed_shown,
        hidden: log.records_not_shown + skip as u64,
        lost: log.lost[lost_skip..].to_vec(),
        lost_more: lost_skip,
        marks,
    })
}

fn role_words(role: ReplicaRole) -> (&'static str, &'static str) {
    match role {
        ReplicaRole::Leader => ("★", "leader"),
        ReplicaRole::Follower => ("○", "follower"),
        ReplicaRole::Unknown => ("?", "unknown"),
    }
}

/// The `data-testid` of a replica's log row, also the name of its tick
/// ([`Session::bump_row`]).
pub fn row_id(topic: &str, partition: u32, broker: BrokerId) -> String {
    format!("log-{topic}-{partition}-b{broker}")
}

/// One replica's log row.
#[component]
pub fn LogRow(
    session: Session,
    topic: Arc<str>,
    partition: u32,
    broker: BrokerId,
) -> impl IntoView {
    let t = topic.clone();
    let id = row_id(&topic, partition, broker);
    // The row follows the snapshot when it or its broker ticks (see `Session::bump_row`,
    // `Session::bump_broker`), not at every snapshot: the playback loop spreads rows over
    // frames, and rows off screen follow only now and then.
    let tick = session.broker_tick(broker.0);
    let own_tick = session.row_tick(&id);
    let row = Memo::new(move |_| {
        tick.track();
        own_tick.track();
        let fit = session.cells.get();
        session
            .snap
            .with_untracked(|s| build(s, (&t, partition, broker), fit))
    });
    let name = format!("{topic}-{partition}");
    // Consumers' lines end at the leader replica of each partition they own.
    let anchor = TopicPartition::new(topic.clone(), partition).to_string();
    let role = move || row.with(|r| r.as_ref().map_or(ReplicaRole::Unknown, |r| r.role));
    let is_leader = move || role() == ReplicaRole::Leader;
    let num = move |f: fn(&Row) -> u64| move || row.with(|r| r.as_ref().map_or(0, f));
    let hw = num(|r| r.hw);
    let leo = num(|r| r.leo);
    let in_isr = move || row.with(|r| r.as_ref().is_some_and(|r| r.in_isr));
    let offline = move || row.with(|r| r.as_ref().is_some_and(|r| r.offline));
    let lost = move || row.with(|r| r.as_ref().map(|r| r.lost.clone()).unwrap_or_default());
    let hidden = num(|r| r.hidden);

    // The cells are kept in the DOM by hand (see `cells.rs`), following the row.
    let list_ref = NodeRef::<leptos::html::Ol>::new();
    let end_ref = NodeRef::<leptos::html::Li>::new();
    let dom = StoredValue::new_local(CellsDom::default());
    Effect::new(move |_| {
        let (Some(list), Some(end)) = (list_ref.get(), end_ref.get()) else {
            return;
        };
        let selected = session.selected.get().map(|r| r.0);
        row.with(|r| {
            let Some(r) = r.as_ref() else {
                return;
            };
            let state = RowState {
                cells: &r.cells,
                hw: r.hw,
                selected,
                tabbable: r.role == ReplicaRole::Leader,
            };
            dom.update_value(|d| d.reconcile(&list, &end, state));
        });
    });
    let on_cell_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(id) = clicked_record(&ev) {
            session.select_record(RecordId(id));
        }
    };

    // The high-watermark bar sits before the first cell that is not committed.
    let hw_left = move || {
        row.with(|r| {
            let px = r.as_ref().map_or(0, |r| {
                usize::from(r.hidden > 0) * MORE_PX + r.committed_shown * CELL_PX
            });
            let mut s = px.to_string();
            s.push_str("px");
            s
        })
    };

    let leo_marks = move || {
        row.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.marks
                        .iter()
                        .filter(|m| m.offset >= r.leo)
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let mark_words = move || {
        row.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.marks
                        .iter()
                        .map(|m| {
                            if m.committed {
                                format!("✓ group {} committed {}", m.who, m.offset)
                            } else {
                                format!("▲ {} reads next {}", m.who, m.offset)
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" · ")
                })
                .unwrap_or_default()
        })
    };

    view! {
        <div
            class="log"
            class:leader=is_leader
            class:offline=offline
            class:out-of-isr=move || !in_isr()
            data-testid=id
            data-role=move || role_words(role()).1
            data-leo=move || leo().to_string()
            data-hw=move || hw().to_string()
        >
            <span class="log-name">
                <span class="role-glyph" aria-hidden="true">{move || role_words(role()).0}</span>
                <span class="tp">{name.clone()}</span>
                <span class="pill role">{move || role_words(role()).1}</span>
                <span
                    class="pill isr"
                    class:out=move || !in_isr()
                    title="In-sync replicas: caught up with the leader"
                >
                    {move || if in_isr() { "ISR" } else { "not in ISR" }}
                </span>
                <Show when=offline>
                    <span class="pill bad">"offline"</span>
                </Show>
            </span>
            <span
                class="part-node"
                aria-hidden="true"
                data-partition=move || is_leader().then(|| anchor.clone())
            ></span>
            <span
                class="hwleo"
                title="HW: high watermark, records below it are committed. LEO: log end offset, where the next record goes."
            >
                {move || {
                    let mut s = String::from("HW ");
                    s.push_str(&hw().to_string());
                    s.push_str(" · LEO ");
                    s.push_str(&leo().to_string());
                    s
                }}
            </span>
            <ol
                class="cells"
                aria-label=format!("Log of {name} on broker {broker}")
                node_ref=list_ref
                on:click=on_cell_click
            >
                <li class="hw-bar" aria-hidden="true" style:left=hw_left hidden=move || leo() == 0></li>
                <Show when=move || { hidden() > 0 }>
                    <li class="more" title="older records not shown">
                        "+" {move || hidden().to_string()}
                    </li>
                </Show>
                <li class="cell leo-slot" node_ref=end_ref>
                    <span class="leo-label" title="log end offset: the next record goes here">
                        "next " {move || leo().to_string()}
                    </span>
                    <span class="marks" aria-hidden="true">
                        {move || crate::view::cells::marks_text(&leo_marks())}
                    </span>
                </li>
            </ol>
            <Show when=move || is_leader() && row.with(|r| r.as_ref().is_some_and(|r| !r.marks.is_empty()))>
                <p class="mark-words">{mark_words}</p>
            </Show>
            <Show when=move || row.with(|r| r.as_ref().is_some_and(|r| !r.lost.is_empty()))>
                <div class="lost-strip">
                    <span class="lost-label">"Lost"</span>
                    <For
                        each=lost
                        key=|l: &LostRecord| (l.offset.0, l.truncated_at_ms, l.record.map(|r| r.0))
                        children=move |l: LostRecord| lost_view(session, broker, l)
                    />
                    <Show when=move || row.with(|r| r.as_ref().is_some_and(|r| r.lost_more > 0))>
                        <span class="lost-more">
                            "+" {move || row.with(|r| r.as_ref().map_or(0, |r| r.lost_more)).to_string()} " more"
                        </span>
                    </Show>
                </div>
            </Show>
        </div>
    }
}

/// A record this replica lost to truncation: struck through, with why.
fn lost_view(session: Session, broker: BrokerId, l: LostRecord) -> impl IntoView {
    let why = format!(
        "truncated at {}: broker {broker} now follows leader {}, whose log does not have it",
        seconds(l.truncated_at_ms),
        l.leader
    );
    let record = l.record;
    view! {
        <button
            type="button"
            class=format!("rec lost {}", key_class(l.key.as_deref()))
            data-testid="record"
            data-lost="true"
            data-committed="false"
            data-offset=l.offset.0.to_string()
            data-key=l.key.as_deref().map(str::to_string)
            data-value=l.value.as_deref().map(str::to_string)
            data-record-id=record.map(|r| r.0.to_string())
            title=why.clone()
            aria-label=format!(
                "Lost record at offset {}, key {}, value {}: {why}",
                l.offset,
                l.key.as_deref().unwrap_or("none"),
                l.value.as_deref().unwrap_or("null"),
            )
            on:click=move |_| {
                if let Some(r) = record {
                    session.select_record(r);
                }
            }
        >
            <span class="off">{l.offset.0.to_string()}</span>
            <span class="key">{l.key.as_deref().unwrap_or("∅").to_string()}</span>
        </button>
    }
}
