//! Consumers and groups: add a consumer to a group; per group its state, generation,
//! assignor, coordinator, each partition's owner, position, committed offset and lag, and
//! a lag chart; per consumer its partitions (the ones it gave up in a rebalance drawn grey
//! until someone owns them again), buttons to stop, crash or commit, and its console.

use std::sync::Arc;

use kafka_sim::assignor::AssignorName;
use kafka_sim::scenario::ConsumerConfigDoc;
use kafka_sim::snapshot::GroupPhase;
use kafka_sim::snapshot::{ConsumerStatus, MemberPhase, NodeId};
use kafka_sim::{Client, Command, CommandError, OffsetReset, TopicPartition};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::on_demand::{fetched, on_first_open};
use crate::session::Session;
use crate::text::{CLIENTS, client_label};
use crate::view::console::ConsolePane;
use crate::view::form::{ErrorFor, FormErrors, Input, labelled_input, whole_number};
use crate::view::lag_chart::LagChart;

/// The consumers and groups panel.
#[component]
pub fn Groups(session: Session) -> impl IntoView {
    let names = Memo::new(move |_| {
        session.snap.with(|s| {
            s.groups
                .iter()
                .map(|g| g.group.clone())
                .collect::<Vec<Arc<str>>>()
        })
    });
    view! {
        <section class="lane groups" aria-labelledby="groups-heading">
            <div class="lane-head">
                <h2 id="groups-heading">"Consumers"</h2>
            </div>
            <For each=move || names.get() key=|n| n.clone() let:name>
                <GroupCard session name/>
            </For>
            <Show when=move || names.with(Vec::is_empty)>
                <p class="empty">
                    "No consumer yet. Add one: the group's coordinator assigns it partitions, and its console prints what it reads."
                </p>
            </Show>
            <AddConsumer session/>
        </section>
    }
}

fn phase_words(p: GroupPhase) -> (&'static str, &'static str) {
    match p {
        GroupPhase::Empty => ("quiet", "Empty"),
        GroupPhase::PreparingRebalance => ("warn", "Preparing rebalance"),
        GroupPhase::CompletingRebalance => ("warn", "Completing rebalance"),
        GroupPhase::Stable => ("ok", "Stable"),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct PartLine {
    tp: TopicPartition,
    owner: String,
    position: Option<u64>,
    committed: Option<u64>,
    lag: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct GroupView {
    phase: GroupPhase,
    generation: i32,
    assignor: AssignorName,
    coordinator: Option<u32>,
    leader: Option<Arc<str>>,
    members: Vec<Arc<str>>,
    parts: Vec<PartLine>,
}

#[component]
fn GroupCard(session: Session, name: Arc<str>) -> impl IntoView {
    let n = name.clone();
    let view_of = Memo::new(move |_| {
        session.snap.with(|s| {
            let g = s.groups.iter().find(|g| g.group == n)?;
            let mut tps: Vec<&TopicPartition> = Vec::new();
            for m in &g.members {
                tps.extend(&m.assignment);
            }
            tps.extend(g.committed.0.iter().map(|(tp, _)| tp));
            kafka_sim::collections::sort(&mut tps);
            tps.dedup();
            let parts = tps
                .into_iter()
                .map(|tp| {
                    let owner = g.members.iter().find(|m| m.assignment.contains(tp));
                    PartLine {
                        tp: tp.clone(),
                        owner: owner.map(|m| m.consumer.to_string()).unwrap_or_default(),
                        position: owner.and_then(|m| m.positions.get(tp)),
                        committed: g.committed.get(tp),
                        lag: g.lag.get(tp),
                    }
                })
                .collect();
            Some(GroupView {
                phase: g.phase,
                generation: g.generation,
                assignor: g.assignor,
                coordinator: g.coordinator.map(|b| b.0),
                leader: g.leader.clone(),
                members: g.members.iter().map(|m| m.consumer.clone()).collect(),
                parts,
            })
        })
    });
    let get = move |f: fn(&GroupView) -> String| {
        move || view_of.with(|v| v.as_ref().map(f).unwrap_or_default())
    };
    let rebalancing = move || {
        view_of.with(|v| {
            v.as_ref().is_some_and(|v| {
                matches!(
                    v.phase,
                    GroupPhase::PreparingRebalance | GroupPhase::CompletingRebalance
                )
            })
        })
    };
    let cooperative =
        move || view_of.with(|v| v.as_ref().is_some_and(|v| v.assignor.is_cooperative()));
    let members =
        move || view_of.with(|v| v.as_ref().map(|v| v.members.clone()).unwrap_or_default());
    let parts = move || view_of.with(|v| v.as_ref().map(|v| v.parts.clone()).unwrap_or_default());
    let heading = format!("group-{name}-heading");
    let group_name = name.clone();
    view! {
        <article
            class="group-card"
            class:rebalancing=rebalancing
            class:cooperative=cooperative
            data-testid=format!("group-{name}")
            data-generation=get(|v| v.generation.to_string())
            aria-labelledby=heading.clone()
        >
            <header class="group-head">
                <h3 id=heading.clone()>"Group " {name.to_string()}</h3>
                <span class=move || {
                    format!("pill {}", view_of.with(|v| v.as_ref().map_or("quiet", |v| phase_words(v.phase).0)))
                }>
                    {move || view_of.with(|v| v.as_ref().map_or("", |v| phase_words(v.phase).1))}
                </span>
            </header>
            <p class="group-meta">
                "generation " {get(|v| v.generation.to_string())}
                " · " {get(|v| v.assignor.name().to_string())}
                {move || if cooperative() { " (cooperative rebalancing)" } else { " (eager rebalancing)" }}
                {get(|v| v.coordinator.map(|b| format!(" · coordinator broker {b}")).unwrap_or_default())}
                {get(|v| v.leader.as_ref().map(|l| format!(" · leader {l}")).unwrap_or_default())}
            </p>
            <div class="members">
                <For each=members key=|m| m.clone() let:m>
                    <ConsumerCard session name=m/>
                </For>
            </div>
            <details class="fold group-details">
                <summary>
                    <span class="fold-title">"Partitions, offsets and lag"</span>
                </summary>
                <div class="fold-body">
            <LagChart session group=group_name/>
            <div class="table-scroll" tabindex="0" role="region" aria-label=format!("Partitions of group {name}")>
                <table class="group-parts">
                    <thead>
                        <tr>
                            <th scope="col">"Partition"</th>
                            <th scope="col">"Consumer"</th>
                            <th scope="col">"Position"</th>
                            <th scope="col">"Commit"</th>
                            <th scope="col">"Lag"</th>
                        </tr>
                    </thead>
                    <tbody>
                        // Rows are rebuilt when a number in them changes, as a list keyed
                        // by the whole row would rebuild them too.
                        {move || {
                            parts()
                                .into_iter()
                                .map(|p| {
                                    view! {
                                        <tr
                                            data-tp=p.tp.to_string()
                                            data-committed=p.committed.map(|v| v.to_string())
                                            data-lag=p.lag.map(|v| v.to_string())
                                        >
                                            <th scope="row">{p.tp.to_string()}</th>
                                            <td>{if p.owner.is_empty() { "—".to_string() } else { p.owner }}</td>
                                            <td>{p.position.map_or("—".to_string(), |v| v.to_string())}</td>
                                            <td>{p.committed.map_or("—".to_string(), |v| v.to_string())}</td>
                                            <td class:lagging=p.lag.is_some_and(|l| l > 0)>
                                                {p.lag.map_or("—".to_string(), |v| v.to_string())}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <p class="hint">
                "Lag = high watermark − committed offset (what kafka-consumer-groups shows)."
            </p>
                </div>
            </details>
        </article>
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct MemberView {
    status: ConsumerStatus,
    phase: MemberPhase,
    assignment: Vec<TopicPartition>,
    awaiting_owner: Vec<TopicPartition>,
    client: Client,
    leader: bool,
    static_member: bool,
}

#[component]
fn ConsumerCard(session: Session, name: Arc<str>) -> impl IntoView {
    let n = name.clone();
    let member = Memo::new(move |_| {
        session.snap.with(|s| {
            s.groups.iter().find_map(|g| {
                g.members
                    .iter()
                    .find(|m| m.consumer == n)
                    .map(|m| MemberView {
                        status: m.status,
                        phase: m.phase,
                        assignment: m.assignment.clone(),
                        awaiting_owner: m.awaiting_owner.clone(),
                        client: m.client,
                        leader: g.leader.as_ref() == Some(&m.consumer),
                        static_member: m.group_instance_id.is_some(),
                    })
            })
        })
    });
    let status = move || member.with(|m| m.as_ref().map_or(ConsumerStatus::Left, |m| m.status));
    let running = move || status() == ConsumerStatus::Running;
    let status_word = move || match status() {
        ConsumerStatus::Running => "running",
        ConsumerStatus::Stopped => "stopped",
        ConsumerStatus::Left => "left",
    };
    let phase_word = move || {
        member.with(|m| match m.as_ref().map(|m| (m.status, m.phase)) {
            Some((ConsumerStatus::Running, MemberPhase::Joining)) => "joining the group…",
            Some((ConsumerStatus::Running, MemberPhase::Syncing)) => "waiting for its assignment…",
            Some((ConsumerStatus::Running, MemberPhase::Unjoined)) => "finding its coordinator…",
            Some((ConsumerStatus::Running, MemberPhase::Stable)) => "reading",
            _ => "",
        })
    };
    let assignment =
        move || member.with(|m| m.as_ref().map(|m| m.assignment.clone()).unwrap_or_default());
    let errors = FormErrors::new();
    let act = move |cmd: Command| {
        errors.clear();
        if let Err(e) = session.apply(cmd) {
            errors.set("", e.to_string());
        }
    };
    let (a, b, c) = (name.to_string(), name.to_string(), name.to_string());
    let err_id = format!("consumer-{name}-error");
    view! {
        <div
            class="consumer"
            class:stopped=move || !running()
            class:rebalancing=move || {
                running() && member.with(|m| m.as_ref().is_some_and(|m| m.phase != MemberPhase::Stable))
            }
            data-testid=format!("consumer-{name}")
            data-status=status_word
            data-assignment=move || {
                crate::text::join(assignment().iter().map(ToString::to_string), ",")
            }
        >
            <div class="consumer-head">
                <span class="node consumer-node" data-node=NodeId::Consumer(name.clone()).to_string() aria-hidden="true">
                    "C"
                </span>
                <h4>{name.to_string()}</h4>
                <span class="pill" class:bad=move || !running()>{status_word}</span>
                <span class="muted small-text">
                    {move || member.with(|m| m.as_ref().map_or("", |m| client_label(m.client)))}
                    {move || if member.with(|m| m.as_ref().is_some_and(|m| m.leader)) { " · group leader" } else { "" }}
                    {move || if member.with(|m| m.as_ref().is_some_and(|m| m.static_member)) { " · static" } else { "" }}
                </span>
            </div>
            <p class="phase">{phase_word}</p>
            <ul class="chips" aria-label=format!("Partitions of {name}")>
                // A few chips that change at rebalances only: drawn again whole when they
                // change (a keyed list would cost its own diffing code in the bundle).
                {move || {
                    let chips = member.with(|m| {
                        m.as_ref().map(|m| (m.assignment.clone(), m.awaiting_owner.clone()))
                    });
                    let (owned, waiting) = chips.unwrap_or_default();
                    if owned.is_empty() && waiting.is_empty() {
                        return view! { <li class="chip none">"no partitions"</li> }.into_any();
                    }
                    let owned = owned.iter().map(|p| view! { <li class="chip">{p.to_string()}</li> });
                    let waiting = waiting.iter().map(|p| {
                        view! {
                            <li class="chip revoked" title="given up in the rebalance, not owned by anyone yet">
                                {p.to_string()} <span class="visually-hidden">" (revoked)"</span>
                            </li>
                        }
                    });
                    (owned.collect_view(), waiting.collect_view()).into_any()
                }}
            </ul>
            <div class="consumer-actions">
                <button
                    type="button"
                    class="small"
                    aria-label=format!("Stop consumer {name}")
                    title="Close cleanly: commit and leave the group (rebalances at once)"
                    disabled=move || !running()
                    aria-describedby=err_id.clone()
                    on:click=move |_| act(Command::LeaveGroup(a.clone()))
                >
                    "Stop"
                </button>
                <button
                    type="button"
                    class="small danger"
                    aria-label=format!("Crash consumer {name}")
                    title="The process dies: the group notices after session.timeout.ms"
                    disabled=move || !running()
                    on:click=move |_| act(Command::StopConsumer(b.clone()))
                >
                    "Crash"
                </button>
                <button
                    type="button"
                    class="small"
                    aria-label=format!("Commit {name}")
                    title="Commit the positions it has consumed"
                    disabled=move || !running()
                    on:click=move |_| act(Command::Commit(c.clone()))
                >
                    "Commit"
                </button>
            </div>
            <ErrorFor errors field="" id=err_id/>
            <ConsolePane session consumer=name.clone()/>
        </div>
    }
}

/// The field of the form an engine error names.
fn field_of(e: &CommandError) -> &'static str {
    match e.field() {
        Some("consumer" | "consumers") => "consumer",
        Some("topic" | "topics") => "topics",
        Some("group") => "group",
        _ => "",
    }
}

/// The fold that adds a consumer to a group; its form is fetched when first opened.
#[component]
fn AddConsumer(session: Session) -> impl IntoView {
    let opened = RwSignal::new(false);
    view! {
        <details
            class="fold add-consumer"
            on:toggle:target=on_first_open(opened)
        >
            <summary>
                <span class="fold-title" id="consumer-form-heading">"+ Add a consumer"</span>
            </summary>
            {move || opened.get().then(|| fetched(move || consumer_form(session)))}
        </details>
    }
}

crate::on_demand::on_demand!(
    consumer_form,
    /// The add-consumer form.
    fn consumer_form(session: Session) -> AnyView {
        // The form offers them.
        crate::session::assignors::install();
        view! { <ConsumerForm session/> }.into_any()
    }
);

/// The form that adds a consumer to a group.
#[component]
fn ConsumerForm(session: Session) -> impl IntoView {
    let group = RwSignal::new(String::from("billing"));
    let name = RwSignal::new(String::from("c1"));
    let picked: RwSignal<Option<Vec<String>>> = RwSignal::new(None);
    let client = RwSignal::new(Client::Dotnet);
    let assignor = RwSignal::new(AssignorName::Range);
    let reset = RwSignal::new(OffsetReset::Earliest);
    let session_timeout = RwSignal::new(String::from("10000"));
    let errors = FormErrors::new();
    let topics = Memo::new(move |_| {
        session.snap.with(|s| {
            s.topics
                .iter()
                .map(|t| t.name.to_string())
                .collect::<Vec<_>>()
        })
    });
    // The topics ticked; by default the first topic.
    let chosen = move || {
        picked
            .get()
            .unwrap_or_else(|| topics.with(|t| t.first().cloned().into_iter().collect()))
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let session_ms = match whole_number(&session_timeout.get_untracked(), "session.timeout.ms")
        {
            Ok(v) => v,
            Err(e) => {
                errors.set("session", e);
                return;
            }
        };
        let config = kafka_sim::scenario::consumer_config(
            client.get_untracked(),
            &ConsumerConfigDoc {
                assignor: Some(assignor.get_untracked()),
                auto_offset_reset: Some(reset.get_untracked()),
                session_timeout_ms: Some(session_ms),
                ..ConsumerConfigDoc::default()
            },
        );
        let config = match config {
            Ok(c) => c,
            Err((field, message)) => {
                let f = if field == "session.timeout.ms" {
                    "session"
                } else {
                    ""
                };
                errors.set(f, format!("{field}: {message}"));
                return;
            }
        };
        let consumer = name.get_untracked().trim().to_string();
        let cmd = Command::JoinGroup {
            group: group.get_untracked().trim().to_string(),
            consumer: consumer.clone(),
            topics: chosen(),
            config,
        };
        match session.apply(cmd) {
            Ok(_) => {
                session
                    .status
                    .set(format!("{consumer} is joining the group."));
                // Suggest the next free name.
                let next = session.snap.with_untracked(|s| {
                    (1..).map(|i| format!("c{i}")).find(|c| {
                        !s.groups
                            .iter()
                            .any(|g| g.members.iter().any(|m| *m.consumer == **c))
                    })
                });
                if let Some(next) = next {
                    name.set(next);
                }
            }
            Err(e) => errors.set(field_of(&e), e.to_string()),
        }
    };
    let text_field =
        move |id, label, value, key| labelled_input(errors, id, label, value, key, Input::Text);
    view! {
        <form class="consumer-form fold-body" novalidate on:submit=submit aria-labelledby="consumer-form-heading">
            <div class="field-row">
                {text_field("c-group", "Group", group, "group")}
                {text_field("c-name", "Consumer name", name, "consumer")}
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="c-client">"Consumer client"</label>
                    <select
                        id="c-client"
                        on:change:target=move |ev| {
                            client.set(Client::parse(&ev.target().value()).unwrap_or(Client::Dotnet));
                        }
                    >
                        {CLIENTS.map(|c| view! { <option value=c.name()>{client_label(c)}</option> })}
                    </select>
                </div>
                <div class="field">
                    <label for="c-assignor">"Assignor"</label>
                    <select
                        id="c-assignor"
                        on:change:target=move |ev| {
                            if let Some(a) = AssignorName::parse(&ev.target().value()) {
                                assignor.set(a);
                            }
                        }
                    >
                        {AssignorName::ALL
                            .iter()
                            .map(|a| view! { <option value=a.name()>{a.name()}</option> })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="c-reset">"auto.offset.reset"</label>
                    <select
                        id="c-reset"
                        on:change:target=move |ev| {
                            reset.set(if ev.target().value() == "latest" { OffsetReset::Latest } else { OffsetReset::Earliest });
                        }
                    >
                        <option value="earliest">"earliest"</option>
                        <option value="latest">"latest (Kafka's default)"</option>
                    </select>
                </div>
                {text_field("c-session", "session.timeout.ms", session_timeout, "session")}
            </div>
            <div class="field-row">
                <fieldset class="field topics-field" aria-describedby="c-topics-error">
                    <legend>"Topics"</legend>
                    <For each=move || topics.get() key=|t| t.clone() let:t>
                        {
                            let t2 = t.clone();
                            let t3 = t.clone();
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || chosen().contains(&t2)
                                        on:change:target=move |ev| {
                                            let mut now = chosen();
                                            now.retain(|x| *x != t3);
                                            if ev.target().checked() {
                                                now.push(t3.clone());
                                            }
                                            picked.set(Some(now));
                                        }
                                    />
                                    {t.clone()}
                                </label>
                            }
                        }
                    </For>
                    <ErrorFor errors field="topics" id="c-topics-error"/>
                </fieldset>
            </div>
            <p class="hint">
                "Eager assignors (range, roundrobin, sticky) take every partition back at a rebalance; cooperative-sticky moves only what must move. Kafka's session.timeout.ms default: 45000."
            </p>
            <button type="submit" class="primary" aria-describedby="c-form-error">"Add consumer"</button>
            <ErrorFor errors field="" id="c-form-error"/>
        </form>
    }
}
