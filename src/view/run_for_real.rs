//! "Run this on a real cluster" (issue 12): the scenario as it is now, written out for a
//! real Kafka and real clients in the formats of `kafka-sim export`, by the same engine
//! code, each file shown with Copy and Download.

use kafka_sim::export::{self, ExportFile, Format};
use leptos::prelude::*;

use crate::browser;
use crate::session::Session;

/// Each format as the picker offers it: its `--to` name, what it is, and how to run it.
const FORMATS: [(Format, &str, &str); 5] = [
    (
        Format::Compose,
        "Docker Compose: a KRaft cluster of the scenario's brokers",
        "Run docker compose up -d, then the topics commands.",
    ),
    (
        Format::Topics,
        "kafka-topics.sh commands that create the topics",
        "Run them once the cluster is up (from Kafka's bin/ folder, or in a broker's container).",
    ),
    (
        Format::Java,
        "A Java producer and consumer (kafka-clients)",
        "One file: put kafka-clients on the class path and run it with java.",
    ),
    (
        Format::Dotnet,
        "A .NET Web API producer and console consumer (Confluent.Kafka)",
        "Each file goes where its name says; dotnet run in each folder.",
    ),
    (
        Format::Librdkafka,
        "librdkafka properties (JSON), for confluent-kafka",
        "Pass each object to a Producer or Consumer as its configuration.",
    ),
];

fn name_of(format: Format) -> &'static str {
    Format::ALL
        .iter()
        .find(|(_, f)| *f == format)
        .map_or("", |(n, _)| n)
}

/// A file's download name: browsers take no folder, so `Producer/Program.cs` becomes
/// `Producer-Program.cs`.
fn download_name(path: &str) -> String {
    path.replace(['/', '\\'], "-")
}

fn mime_of(path: &str) -> &'static str {
    if path.ends_with(".json") {
        "application/json"
    } else {
        "text/plain"
    }
}

/// The section of the share menu.
#[component]
pub fn RunForReal(session: Session) -> impl IntoView {
    let format = RwSignal::new(Format::Compose);
    let open = RwSignal::new(false);
    let files: RwSignal<Result<Vec<ExportFile>, String>> = RwSignal::new(Ok(Vec::new()));
    // The scenario as it is when the section opens, when another format is picked, or when
    // the learner asks again.
    let take_state = move || {
        let rendered = session
            .with_tl(|tl| export::render(&tl.scenario_until_now(), format.get_untracked()))
            .map(|r| r.map_err(|e| e.to_string()));
        files.set(rendered.unwrap_or_else(|| Err("The playground is not running.".into())));
    };
    let about = move || {
        FORMATS
            .iter()
            .find(|(f, _, _)| *f == format.get())
            .map_or("", |(_, _, how)| how)
    };
    view! {
        <details
            class="fold run-for-real"
            on:toggle:target=move |ev| {
                let now = ev.target().open();
                if now {
                    take_state();
                }
                open.set(now);
            }
        >
            <summary><span class="fold-title">"Run this on a real cluster"</span></summary>
            <div class="fold-body">
                <div class="field">
                    <label for="export-format">"Write it out as"</label>
                    <select
                        id="export-format"
                        on:change:target=move |ev| {
                            if let Some(f) = Format::parse(&ev.target().value()) {
                                format.set(f);
                                take_state();
                            }
                        }
                    >
                        {FORMATS
                            .iter()
                            .map(|(f, label, _)| {
                                let f = *f;
                                view! {
                                    <option value=name_of(f) selected=move || format.get() == f>
                                        {*label}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <p class="hint">
                    {about} " The same as " <code>{move || format!("kafka-sim export --to {}", name_of(format.get()))}</code> "."
                </p>
                <Show when=move || open.get()>
                    {move || match files.get() {
                        Err(why) => view! { <p class="export-refused" role="status">{why}</p> }.into_any(),
                        Ok(list) => list
                            .into_iter()
                            .map(|f| view! { <ExportedFile session file=f/> })
                            .collect_view()
                            .into_any(),
                    }}
                </Show>
                <div class="actions">
                    <button type="button" class="quiet" on:click=move |_| take_state()>
                        "Use the state of now"
                    </button>
                </div>
            </div>
        </details>
    }
}

/// One file of an export: its text, and buttons to copy or save it.
#[component]
fn ExportedFile(session: Session, file: ExportFile) -> impl IntoView {
    let ExportFile { path, contents } = file;
    let rows = contents.lines().count().clamp(3, 12).to_string();
    let text = StoredValue::new(contents.clone());
    let name = StoredValue::new(path.clone());
    let copy = move |_| {
        let path = name.get_value();
        browser::copy_text(text.get_value(), move |ok| {
            session.status.set(if ok {
                format!("{path} copied.")
            } else {
                format!("Select the text of {path} and copy it.")
            });
        })
    };
    let save = move |_| {
        let path = name.get_value();
        let as_name = download_name(&path);
        if text.with_value(|t| browser::download(&as_name, mime_of(&path), t)) {
            session.status.set(format!("{path} saved as {as_name}."));
        }
    };
    view! {
        <div class="exported-file" data-path=path.clone()>
            <p class="file-name"><code>{path.clone()}</code></p>
            <textarea
                class="code"
                readonly
                wrap="off"
                rows=rows
                aria-label=path.clone()
                prop:value=contents
            ></textarea>
            <div class="actions">
                <button type="button" class="small" aria-label=format!("Copy {path}") on:click=copy>
                    "Copy"
                </button>
                <button type="button" class="small" aria-label=format!("Download {path}") on:click=save>
                    "Download"
                </button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_export_format_is_offered_once_under_its_cli_name() {
        let mut names: Vec<&str> = FORMATS.iter().map(|(f, _, _)| name_of(*f)).collect();
        names.sort_unstable();
        let mut cli: Vec<&str> = Format::ALL.iter().map(|(n, _)| *n).collect();
        cli.sort_unstable();
        assert_eq!(names, cli);
    }

    #[test]
    fn a_file_in_a_folder_downloads_under_a_flat_name() {
        assert_eq!(download_name("Producer/Program.cs"), "Producer-Program.cs");
        assert_eq!(download_name("compose.yaml"), "compose.yaml");
        assert_eq!(mime_of("librdkafka.json"), "application/json");
        assert_eq!(mime_of("KafkaPlayground.java"), "text/plain");
    }
}
