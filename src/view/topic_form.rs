//! Creating a topic, as `kafka-topics --create`: name, partitions, replication factor,
//! `min.insync.replicas`. The engine validates; its error shows beside the field it names.

use kafka_sim::{Command, CommandError, TopicSpec};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::session::Session;
use crate::view::form::{ErrorFor, FormErrors, Input, labelled_input, whole_number};

/// The field of the form that an engine error concerns.
fn field_of(e: &CommandError) -> &'static str {
    match e.field() {
        Some("name" | "topics") => "name",
        Some("partitions") => "partitions",
        Some("replication_factor" | "replica_assignment") => "replication_factor",
        Some("min.insync.replicas") => "min_isr",
        _ => "",
    }
}

/// The create-topic form.
#[component]
pub fn TopicForm(session: Session) -> impl IntoView {
    let name = RwSignal::new(String::from("payments"));
    let partitions = RwSignal::new(String::from("3"));
    let rf = RwSignal::new(String::from("3"));
    let min_isr = RwSignal::new(String::from("2"));
    let errors = FormErrors::new();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let number = |text: String, field: &'static str, what: &str| -> Option<u32> {
            match whole_number(&text, what)
                .and_then(|n| u32::try_from(n).map_err(|_| format!("{what}: {n} is too large")))
            {
                Ok(n) => Some(n),
                Err(e) => {
                    errors.set(field, e);
                    None
                }
            }
        };
        let p = number(partitions.get_untracked(), "partitions", "Partitions");
        let r = number(
            rf.get_untracked(),
            "replication_factor",
            "Replication factor",
        );
        let m = if min_isr.with_untracked(|s| s.trim().is_empty()) {
            Some(None)
        } else {
            number(min_isr.get_untracked(), "min_isr", "min.insync.replicas").map(Some)
        };
        let (Some(p), Some(r), Some(m)) = (p, r, m) else {
            return;
        };
        let topic = name.get_untracked().trim().to_string();
        match session.apply(Command::CreateTopic(TopicSpec {
            name: topic.clone(),
            partitions: p,
            replication_factor: r,
            min_insync_replicas: m,
            unclean_leader_election_enable: None,
            replica_assignment: None,
        })) {
            Ok(_) => session.status.set(format!("Topic {topic} created.")),
            Err(e) => errors.set(field_of(&e), e.to_string()),
        }
    };

    let field = move |id, label, value, key, numeric: bool| {
        let input = if numeric {
            Input::Number { min: "1" }
        } else {
            Input::Text
        };
        labelled_input(errors, id, label, value, key, input)
    };

    view! {
        <form class="topic-form card" novalidate on:submit=submit aria-labelledby="topic-form-heading">
            <h3 id="topic-form-heading">"New topic"</h3>
            {field("topic-name", "Topic name", name, "name", false)}
            <div class="field-row">
                {field("topic-partitions", "Partitions", partitions, "partitions", true)}
                {field("topic-rf", "Replication factor", rf, "replication_factor", true)}
                {field("topic-min-isr", "min.insync.replicas", min_isr, "min_isr", true)}
            </div>
            <button type="submit" class="primary" aria-describedby="topic-form-error">
                "Create topic"
            </button>
            <ErrorFor errors field="" id="topic-form-error"/>
        </form>
    }
}
