//! Component tests: the page mounted in headless Chromium (wasm-bindgen-test-runner
//! through chromedriver), its DOM checked against what the engine itself computes.
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeSet;

use kafka_playground::presets::{self, PRESETS, Preset};
use kafka_playground::{App, Playground};
use kafka_sim::{SimTime, Snapshot};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the document's body to mount into.
fn container() -> HtmlElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let section = document.create_element("section").expect("an element");
    document
        .body()
        .expect("a body")
        .append_child(&section)
        .expect("appended");
    section.unchecked_into()
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn find_all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("a valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector)
        .text_content()
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn ids(list: &[kafka_sim::BrokerId]) -> String {
    list.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn expected_snapshot(preset: &Preset) -> Snapshot {
    preset
        .run()
        .unwrap_or_else(|e| panic!("{} does not run: {e:?}", preset.id))
}

/// Checks that the DOM under `root` shows `snap`: the simulated time, every broker,
/// and every partition's leader, epoch, replicas, ISR, high watermark and log end offsets.
fn assert_shows(root: &Element, snap: &Snapshot) {
    assert_eq!(text(root, "#sim-time"), SimTime(snap.time_ms).to_string());

    let rows = find_all(root, "#brokers tbody tr");
    assert_eq!(rows.len(), snap.brokers.len(), "one row per broker");
    for broker in &snap.brokers {
        let row = find(root, &format!("#brokers tr[data-broker=\"{}\"]", broker.id));
        assert_eq!(text(&row, "th"), format!("Broker {}", broker.id));
        let status = match broker.status {
            kafka_sim::snapshot::BrokerStatus::Running => "running",
            kafka_sim::snapshot::BrokerStatus::Stopped => "stopped",
        };
        assert_eq!(text(&row, "td.status"), status);
        let fenced = if broker.fenced {
            "fenced"
        } else {
            "not fenced"
        };
        assert_eq!(text(&row, "td.fenced"), fenced);
    }

    for topic in &snap.topics {
        let table = find(root, &format!("table[data-topic=\"{}\"]", topic.name));
        assert_eq!(
            find_all(&table, "tbody tr").len(),
            topic.partitions.len(),
            "one row per partition of {}",
            topic.name
        );
        for p in &topic.partitions {
            let row = find(&table, &format!("tr[data-partition=\"{}\"]", p.partition));
            let where_ = format!("{}-{}", topic.name, p.partition);
            let leader = match p.leader {
                Some(id) => id.to_string(),
                None => "none: offline".to_string(),
            };
            assert_eq!(text(&row, "td.leader"), leader, "{where_} leader");
            assert_eq!(
                text(&row, "td.leader-epoch"),
                p.leader_epoch.to_string(),
                "{where_} leader epoch"
            );
            assert_eq!(text(&row, "td.replicas"), ids(&p.replicas), "{where_}");
            assert!(
                text(&row, "td.isr").starts_with(&ids(&p.isr)),
                "{where_} ISR"
            );
            assert_eq!(
                text(&row, "td.high-watermark"),
                p.high_watermark.to_string(),
                "{where_} high watermark"
            );
            for log in &p.logs {
                let item = find(&row, &format!("li[data-broker=\"{}\"]", log.broker));
                assert_eq!(
                    text(&item, ".offset"),
                    log.log_end_offset.to_string(),
                    "{where_} log end offset on broker {}",
                    log.broker
                );
            }
        }
    }
}

#[wasm_bindgen_test]
async fn page_shows_the_brokers_and_leaders_the_default_preset_ends_with() {
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), App);
    leptos::task::tick().await;

    let preset = presets::default_preset();
    let doc = kafka_sim::scenario::parse(preset.source).expect("the default preset parses");
    let snap = expected_snapshot(preset);
    assert_eq!(snap.brokers.len(), doc.cluster.brokers as usize);
    assert_eq!(
        find_all(&root, "#brokers tbody tr").len(),
        doc.cluster.brokers as usize,
        "the page lists every broker of the scenario"
    );
    assert_shows(&root, &snap);
    assert!(text(&root, "[role=status]").contains(preset.title));
}

#[wasm_bindgen_test]
async fn running_another_preset_shows_where_it_ends() {
    let first = presets::default_preset();
    let first_snap = expected_snapshot(first);
    // A preset that ends elsewhere than the default, so the page visibly changes.
    let (other, other_snap) = PRESETS
        .iter()
        .map(|p| (p, expected_snapshot(p)))
        .find(|(_, s)| s.time_ms != first_snap.time_ms)
        .expect("a preset that ends at another time");

    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        view! { <Playground initial=first/> }
    });
    leptos::task::tick().await;
    assert_shows(&root, &first_snap);

    let select: HtmlSelectElement = find(&root, "select#preset").unchecked_into();
    select.set_value(other.id);
    let change = web_sys::Event::new("change").expect("an event");
    select.dispatch_event(&change).expect("dispatched");
    let run: HtmlElement = find(&root, "button#run").unchecked_into();
    run.click();
    leptos::task::tick().await;

    assert!(text(&root, "[role=status]").contains(other.title));
    assert_shows(&root, &other_snap);
}

#[wasm_bindgen_test]
fn every_preset_runs_and_is_found_by_its_id() {
    let mut seen = BTreeSet::new();
    for preset in PRESETS {
        assert!(seen.insert(preset.id), "{} is listed twice", preset.id);
        assert_eq!(presets::find(preset.id), Some(preset));
        let snap = expected_snapshot(preset);
        assert!(!snap.brokers.is_empty(), "{} has brokers", preset.id);
    }
    assert_eq!(presets::find("no-such-preset"), None);
}
