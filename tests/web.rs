//! Component tests: the page's components mounted in headless Chromium
//! (wasm-bindgen-test-runner through chromedriver), clicked, and their DOM checked
//! against what the engine itself computes for the same actions.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use kafka_playground::session::{Session, producer_config, producer_id};
use kafka_playground::view::broker::{ROWS_AT_ONCE, rows_at_once};
use kafka_playground::view::cluster::Cluster;
use kafka_playground::view::flights::FlightsLegend;
use kafka_playground::view::groups::Groups;
use kafka_playground::view::header::Header;
use kafka_playground::view::partitions::{PARTITION_ROWS_PER_FRAME, Topics};
use kafka_playground::view::producer_panel::ProducerPanel;
use kafka_playground::{App, Opening, presets, share};
use kafka_sim::scenario::{self, Scenario, Timeline};
use kafka_sim::snapshot::{BrokerStatus, Snapshot};
use kafka_sim::{BrokerId, Command, ProducerSpec, SimOptions};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

// ---- the document -------------------------------------------------------------------

fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

fn document() -> web_sys::Document {
    window().document().expect("a document")
}

/// A fresh element in the document's body to mount into.
fn container() -> HtmlElement {
    let section = document().create_element("section").expect("an element");
    document()
        .body()
        .expect("a body")
        .append_child(&section)
        .expect("appended");
    section.unchecked_into()
}

/// A component on its own page state with `doc` loaded (`shared`: loaded as a share link
/// or an imported file is), mounted in a fresh container and rendered once: the state, the
/// container and a handle that unmounts the component when dropped.
async fn mount<N: IntoView + 'static>(
    doc: Scenario,
    shared: bool,
    component: impl FnOnce(Session) -> N + 'static,
) -> (Session, HtmlElement, Box<dyn std::any::Any>) {
    let session = Session::new();
    session
        .load(doc, shared, |_| {})
        .expect("the scenario loads");
    // Played to its end (as a link is), the load runs in slices between tasks.
    while session.is_working() {
        sleep_ms(5).await;
    }
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || component(session));
    leptos::task::tick().await;
    (session, root, Box::new(handle))
}

/// Waits `ms` of wall time (timers run meanwhile).
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The page's own style sheets, once, so that computed styles are the page's.
fn with_page_styles() {
    let doc = document();
    if doc.get_element_by_id("page-styles").is_some() {
        return;
    }
    let style = doc.create_element("style").expect("a style element");
    style.set_id("page-styles");
    style.set_text_content(Some(concat!(
        include_str!("../style/main.css"),
        include_str!("../style/cluster.css"),
        include_str!("../style/panels.css"),
    )));
    doc.head()
        .expect("a head")
        .append_child(&style)
        .expect("appended");
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

fn attr(el: &Element, name: &str) -> String {
    el.get_attribute(name)
        .unwrap_or_else(|| panic!("no {name} on <{}>", el.tag_name()))
}

/// The button a user would call `name`: its aria-label, or else its text.
fn button(root: &Element, name: &str) -> HtmlElement {
    find_all(root, "button")
        .into_iter()
        .find(|b| {
            b.get_attribute("aria-label").as_deref() == Some(name)
                || b.get_attribute("aria-label").is_none()
                    && b.text_content().unwrap_or_default().trim() == name
        })
        .unwrap_or_else(|| panic!("no button named {name:?}"))
        .unchecked_into()
}

/// Whether a button a user would call `name` is there.
fn has_button(root: &Element, name: &str) -> bool {
    find_all(root, "button").iter().any(|b| {
        b.get_attribute("aria-label").as_deref() == Some(name)
            || b.get_attribute("aria-label").is_none()
                && b.text_content().unwrap_or_default().trim() == name
    })
}

/// Types `text` into an input as a user does (the value, then an `input` event).
fn type_into(root: &Element, selector: &str, text: &str) {
    let input: HtmlInputElement = find(root, selector).unchecked_into();
    input.set_value(text);
    let event = web_sys::Event::new_with_event_init_dict("input", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .expect("an event");
    input.dispatch_event(&event).expect("dispatched");
}

/// Puts `fragment` into the address without a `hashchange` (as opening a link does).
fn set_fragment(fragment: &str) {
    let loc = window().location();
    let url = format!(
        "{}{}{}",
        loc.pathname().expect("a path"),
        loc.search().expect("a query"),
        fragment
    );
    window()
        .history()
        .expect("a history")
        .replace_state_with_url(&JsValue::NULL, "", Some(&url))
        .expect("replaced");
}

/// The data-* attributes a partition summary shows, from an engine snapshot.
fn partition_attrs(snap: &Snapshot, topic: &str, p: u32) -> (String, String, Vec<String>, String) {
    let t = snap
        .topics
        .iter()
        .find(|t| &*t.name == topic)
        .expect("the topic");
    let part = &t.partitions[p as usize];
    let mut isr: Vec<String> = part.isr.iter().map(ToString::to_string).collect();
    isr.sort();
    (
        part.leader.map(|l| l.to_string()).unwrap_or_default(),
        part.leader_epoch.to_string(),
        isr,
        part.high_watermark.to_string(),
    )
}

fn shown_partition_attrs(
    root: &Element,
    topic: &str,
    p: u32,
) -> (String, String, Vec<String>, String) {
    let el = find(root, &format!("[data-testid=\"partition-{topic}-{p}\"]"));
    let mut isr: Vec<String> = attr(&el, "data-isr")
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    isr.sort();
    (
        attr(&el, "data-leader"),
        attr(&el, "data-epoch"),
        isr,
        attr(&el, "data-hw"),
    )
}

fn playground_scenario() -> Scenario {
    presets::default_scenario()
}

fn status_word(s: BrokerStatus) -> &'static str {
    match s {
        BrokerStatus::Running => "running",
        BrokerStatus::Stopped => "stopped",
    }
}

// ---- tests --------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn produce_adds_a_record_cell_with_the_key_in_the_partition_the_engine_picks() {
    let doc = playground_scenario();
    let (session, root, _mounted) = mount(doc.clone(), false, move |session| {
        view! {
            <ProducerPanel session/>
            <Cluster session/>
        }
    })
    .await;
    assert!(
        find_all(&root, "[data-testid=record]").is_empty(),
        "no record yet"
    );

    let (key, value) = ("user-7", "ключ → 🦀");
    type_into(&root, "#p-key", key);
    type_into(&root, "#p-value", value);
    button(&root, "Produce").click();
    leptos::task::tick().await;
    // Time passes (as the playback loop would let it): the record reaches the leader
    // and is replicated.
    const MS: u64 = 3_000;
    session.advance(MS);
    session.refresh();
    leptos::task::tick().await;

    // The engine, told the same: the producer the page started, the record, the time.
    let producer = session
        .snap
        .with_untracked(|s| s.producers.first().cloned())
        .expect("Produce started a producer");
    let config = producer_config(producer.client, producer.acks, producer.partitioner)
        .expect("the page's producer settings are valid");
    let id = producer_id(&config);
    assert_eq!(*producer.id, *id);
    let mut tl = Timeline::new(doc, SimOptions::default()).expect("a timeline");
    tl.apply(Command::AddProducer(ProducerSpec {
        id: id.clone(),
        config,
    }))
    .expect("the producer starts");
    tl.apply(Command::Produce {
        producer: id,
        topic: "orders".into(),
        key: Some(Arc::from(key)),
        value: Some(Arc::from(value)),
    })
    .expect("the record is sent");
    tl.advance(MS).expect("time passes");
    let snap = tl.sim().snapshot();
    let (p, leader, offset) = snap
        .topics
        .iter()
        .filter(|t| &*t.name == "orders")
        .flat_map(|t| &t.partitions)
        .find_map(|p| {
            let leader = p.leader?;
            let log = p.logs.iter().find(|l| l.broker == leader)?;
            let r = log.records.iter().find(|r| r.key.as_deref() == Some(key))?;
            Some((p.partition.0, leader, r.offset))
        })
        .expect("the engine puts the record in a leader's log");

    let cells = find_all(
        &root,
        &format!("[data-testid=\"log-orders-{p}-b{leader}\"] [data-testid=record]"),
    );
    assert_eq!(
        cells.len(),
        1,
        "one record cell in orders-{p} on its leader {leader}"
    );
    assert_eq!(attr(&cells[0], "data-key"), key);
    assert_eq!(attr(&cells[0], "data-value"), value);
    assert_eq!(attr(&cells[0], "data-offset"), offset.to_string());
    // Every replica log of that partition has it (RF 3, all in sync), no other
    // partition's log does.
    for cell in find_all(&root, "[data-testid^=log-] [data-testid=record]") {
        let log = cell
            .closest("[data-testid^=log-]")
            .ok()
            .flatten()
            .expect("in a log");
        assert!(
            attr(&log, "data-testid").starts_with(&format!("log-orders-{p}-b")),
            "the record is only in orders-{p}, not in {}",
            attr(&log, "data-testid")
        );
    }
}

#[wasm_bindgen_test]
async fn stop_broker_greys_its_box() {
    with_page_styles();
    let doc = playground_scenario();
    let (_, root, _mounted) = mount(
        doc.clone(),
        false,
        move |session| view! { <Cluster session/> },
    )
    .await;

    let victim = BrokerId(2);
    let mut tl = Timeline::new(doc, SimOptions::default()).expect("a timeline");
    tl.apply(Command::StopBroker(victim)).expect("it stops");
    let expected = tl.sim().snapshot();

    let replicas_filter = |id: BrokerId| -> String {
        let el = find(&root, &format!("[data-testid=\"broker-{id}\"] .replicas"));
        window()
            .get_computed_style(&el)
            .ok()
            .flatten()
            .and_then(|s| s.get_property_value("filter").ok())
            .unwrap_or_default()
    };
    assert!(
        !replicas_filter(victim).contains("grayscale"),
        "not grey while running"
    );

    button(&root, &format!("Stop broker {victim}")).click();
    leptos::task::tick().await;

    for b in &expected.brokers {
        let el = find(&root, &format!("[data-testid=\"broker-{}\"]", b.id));
        assert_eq!(
            attr(&el, "data-status"),
            status_word(b.status),
            "broker {}",
            b.id
        );
        assert_eq!(
            el.class_list().contains("stopped"),
            b.status == BrokerStatus::Stopped,
            "broker {} is drawn as {}",
            b.id,
            status_word(b.status)
        );
        let grey = replicas_filter(b.id).contains("grayscale");
        assert_eq!(
            grey,
            b.status == BrokerStatus::Stopped,
            "broker {} grey",
            b.id
        );
    }
    // The button now starts it again.
    assert!(has_button(&root, &format!("Start broker {victim}")));
    assert!(!has_button(&root, &format!("Stop broker {victim}")));
}

#[wasm_bindgen_test]
async fn a_share_fragment_opens_the_scenario_at_its_end() {
    let json = include_str!("../scenarios/examples/format-example.json");
    let doc = scenario::parse(json).expect("a valid scenario");
    let expected = scenario::run(&doc, SimOptions::default())
        .expect("it runs")
        .sim
        .snapshot();

    set_fragment(&share::encode_fragment(json));
    let root = container();
    let opening = Opening::from_address().await;
    let mounted = leptos::mount::mount_to(root.clone(), move || view! { <App opening/> });
    leptos::task::tick().await;
    set_fragment("");

    let clock = find(&root, "[data-testid=clock]");
    assert_eq!(attr(&clock, "data-time-ms"), expected.time_ms.to_string());
    assert!(
        has_button(&root, "Play") && !has_button(&root, "Pause"),
        "a shared scenario opens paused"
    );
    for b in &expected.brokers {
        let el = find(&root, &format!("[data-testid=\"broker-{}\"]", b.id));
        assert_eq!(
            attr(&el, "data-status"),
            status_word(b.status),
            "broker {}",
            b.id
        );
    }
    for t in &expected.topics {
        for p in &t.partitions {
            assert_eq!(
                shown_partition_attrs(&root, &t.name, p.partition.0),
                partition_attrs(&expected, &t.name, p.partition.0),
                "{}-{}",
                t.name,
                p.partition
            );
            for log in &p.logs {
                let el = find(
                    &root,
                    &format!(
                        "[data-testid=\"log-{}-{}-b{}\"]",
                        t.name, p.partition, log.broker
                    ),
                );
                assert_eq!(attr(&el, "data-leo"), log.log_end_offset.to_string());
            }
        }
    }
    assert!(
        find_all(&root, "[role=alert]").is_empty(),
        "no error for a valid link"
    );
    drop(mounted);
}

#[wasm_bindgen_test]
async fn a_broken_share_fragment_shows_the_validators_messages_and_opens_the_playground() {
    let json = r#"{ "version": 1, "cluster": { "brokers": 2 },
        "topics": [{ "name": "orders", "partitions": 0, "replication_factor": 3 }], "colour": 1 }"#;
    let messages: Vec<String> = scenario::parse(json)
        .expect_err("an invalid scenario")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(messages.len() >= 2, "{messages:?}");
    let playground = playground_scenario();

    set_fragment(&share::encode_fragment(json));
    let root = container();
    let opening = Opening::from_address().await;
    let mounted = leptos::mount::mount_to(root.clone(), move || view! { <App opening/> });
    leptos::task::tick().await;
    set_fragment("");

    let alerts: String = find_all(&root, "[role=alert]")
        .iter()
        .filter_map(|a| a.text_content())
        .collect();
    for m in &messages {
        assert!(alerts.contains(m.as_str()), "{m:?} is shown in {alerts:?}");
    }
    // The playground opened instead: its brokers and topics.
    assert_eq!(
        find_all(&root, "[data-testid^=broker-][data-status]").len(),
        playground.cluster.brokers as usize
    );
    for t in &playground.topics {
        for p in 0..t.partitions {
            find(
                &root,
                &format!("[data-testid=\"partition-{}-{p}\"]", t.name),
            );
        }
    }
    drop(mounted);
}

// ---- rebalances ---------------------------------------------------------------------

/// What consumer `name`'s card shows: partitions it owns, partitions it gave up that
/// nobody owns yet (drawn grey).
fn chips_of(root: &Element, name: &str) -> (usize, usize) {
    let card = format!("[data-testid=\"consumer-{name}\"]");
    let owned = find_all(root, &format!("{card} li.chip:not(.revoked):not(.none)")).len();
    let revoked = find_all(root, &format!("{card} li.chip.revoked")).len();
    (owned, revoked)
}

/// c1 owns the four partitions of `orders`; c2 joins with the same assignor. Plays the
/// rebalance in 50 ms frames and returns c1's (owned, given up) chips at every frame,
/// until both own two.
async fn rebalance_frames(assignor: &str) -> Vec<(usize, usize)> {
    with_page_styles();
    let json = format!(
        r#"{{"version": 1, "seed": 3, "cluster": {{"brokers": 3}},
        "topics": [{{"name": "orders", "partitions": 4, "replication_factor": 3}}],
        "steps": [
          {{"join_group": {{"group": "g", "consumer": "c1", "topics": ["orders"],
                           "config": {{"partition.assignment.strategy": "{assignor}"}}}}}},
          {{"advance_ms": 15000}},
          {{"join_group": {{"group": "g", "consumer": "c2", "topics": ["orders"],
                           "config": {{"partition.assignment.strategy": "{assignor}"}}}}}}
        ]}}"#
    );
    let doc = scenario::parse(&json).expect("a valid scenario");
    let (session, root, mounted) =
        mount(doc, true, move |session| view! { <Groups session/> }).await;
    assert_eq!(
        chips_of(&root, "c1"),
        (4, 0),
        "c1 owns all four before c2 joins"
    );

    let mut frames = Vec::new();
    for _ in 0..600 {
        session.advance(50);
        session.refresh();
        leptos::task::tick().await;
        let c1 = chips_of(&root, "c1");
        frames.push(c1);
        if c1 == (2, 0) && chips_of(&root, "c2") == (2, 0) {
            break;
        }
    }
    drop(mounted);
    assert_eq!(
        frames.last(),
        Some(&(2, 0)),
        "{assignor}: c1 and c2 end with two partitions each: {frames:?}"
    );
    frames
}

#[wasm_bindgen_test]
async fn an_eager_rebalance_takes_every_partition_back_first() {
    let frames = rebalance_frames("range").await;
    assert!(
        frames.contains(&(0, 4)),
        "range (eager): at some moment c1 owns nothing and all four are grey: {frames:?}"
    );
}

#[wasm_bindgen_test]
async fn a_cooperative_rebalance_keeps_what_does_not_move() {
    let frames = rebalance_frames("cooperative-sticky").await;
    assert!(
        frames.iter().all(|&(owned, _)| owned >= 2),
        "cooperative-sticky: c1 never gives up the two it keeps: {frames:?}"
    );
    assert!(
        frames.contains(&(2, 2)),
        "cooperative-sticky: the two that move are grey until c2 owns them: {frames:?}"
    );
}

#[wasm_bindgen_test]
async fn consoles_print_what_each_consumer_read_and_flag_redeliveries() {
    with_page_styles();
    let doc = scenario::parse(include_str!(
        "../scenarios/groups/redelivery-after-a-crash-without-commit.json"
    ))
    .expect("a valid scenario");
    let mut tl = Timeline::new(doc.clone(), SimOptions::default()).expect("a timeline");
    tl.play_to_end().expect("it runs");
    let consumed: Vec<_> = tl.sim().consumed().iter().cloned().collect();
    assert!(
        consumed.iter().any(|c| c.redelivered),
        "the scenario redelivers"
    );

    let (_, root, mounted) = mount(doc, true, move |session| view! { <Groups session/> }).await;

    for name in ["c1", "c2"] {
        let lines = find_all(
            &root,
            &format!("[aria-label=\"Console of {name}\"] li:not(.muted)"),
        );
        let mut expected: Vec<_> = consumed
            .iter()
            .filter(|c| &*c.consumer == name)
            .map(|c| {
                (
                    format!(
                        "Consumed '{}' from {} [{}] @ {}",
                        c.value.as_deref().unwrap_or(""),
                        c.topic,
                        c.partition.0,
                        c.offset.0
                    ),
                    c.redelivered,
                )
            })
            .collect();
        // Newest last on screen; the DOM holds them reversed (CSS flips them back).
        expected.reverse();
        let shown: Vec<_> = lines
            .iter()
            .map(|li| {
                let text = li.text_content().unwrap_or_default();
                (
                    text.trim_end_matches("redelivered").trim().to_string(),
                    li.class_list().contains("redelivered"),
                )
            })
            .collect();
        assert_eq!(shown, expected, "console of {name}");
    }
    drop(mounted);
}

#[wasm_bindgen_test]
async fn the_auto_produce_fields_show_the_rate_and_keys_that_run() {
    let doc: Scenario = scenario::parse(
        r#"{"version":1,"seed":3,"cluster":{"brokers":3},
            "topics":[{"name":"orders","partitions":3,"replication_factor":3},
                      {"name":"payments","partitions":2,"replication_factor":3}],
            "producers":[{"id":"load","client":"java"}],
            "steps":[{"advance_ms":500},
                     {"auto_produce":{"producer":"load","topic":"payments","rate_per_sec":250,"keys":16}},
                     {"advance_ms":1000}]}"#,
    )
    .expect("a valid scenario");
    let (session, root, _mounted) =
        mount(doc, true, move |session| view! { <ProducerPanel session/> }).await;
    let value = |sel: &str| {
        find(&root, sel)
            .unchecked_into::<HtmlInputElement>()
            .value()
    };
    let auto_on = || {
        find(&root, ".auto-produce input[type=checkbox]")
            .unchecked_into::<HtmlInputElement>()
            .checked()
    };
    // Both folds' fields are made when each is first opened.
    for fold in [".auto-produce", ".producer-options"] {
        find(&root, &format!("{fold} summary"))
            .unchecked_into::<HtmlElement>()
            .click();
    }
    until(|| find_all(&root, "#p-rate, #p-topic").len() == 2).await;
    assert!(auto_on(), "auto-produce is on");
    assert_eq!(value("#p-rate"), "250");
    assert_eq!(value("#p-keys"), "16");
    assert_eq!(
        find(&root, "#p-topic")
            .unchecked_into::<web_sys::HtmlSelectElement>()
            .value(),
        "payments"
    );

    // Back before auto-produce started, nothing runs and the fields keep the last values.
    session.seek(100);
    leptos::task::tick().await;
    assert!(!auto_on(), "nothing auto-produces at 100 ms");
    assert_eq!(value("#p-rate"), "250");
}

#[wasm_bindgen_test]
async fn log_rows_of_a_newly_loaded_scenario_follow_every_refresh() {
    let first = playground_scenario();
    let (session, root, _mounted) =
        mount(first, false, move |session| view! { <Cluster session/> }).await;
    assert!(!find_all(&root, "[data-testid^=\"log-orders-\"]").is_empty());

    // Another set-up replaces the rows that were there first.
    let second: Scenario = scenario::parse(
        r#"{"version":1,"seed":5,"cluster":{"brokers":3},
            "topics":[{"name":"payments","partitions":1,"replication_factor":3}],
            "producers":[{"id":"p","client":"java","config":{"acks":"all"}}]}"#,
    )
    .expect("a valid scenario");
    session
        .load(second, false, |_| {})
        .expect("the second scenario loads");
    leptos::task::tick().await;
    assert!(find_all(&root, "[data-testid^=\"log-orders-\"]").is_empty());

    session
        .apply(Command::Produce {
            producer: "p".into(),
            topic: "payments".into(),
            key: None,
            value: Some(Arc::from("v")),
        })
        .expect("the record is sent");
    session.advance(3_000);
    session.refresh();
    leptos::task::tick().await;
    // Every replica's row shows the record committed, as the engine has it.
    let rows = find_all(&root, "[data-testid^=\"log-payments-0-\"]");
    assert_eq!(rows.len(), 3);
    for row in rows {
        assert_eq!(attr(&row, "data-leo"), "1", "{}", attr(&row, "data-testid"));
        assert_eq!(attr(&row, "data-hw"), "1", "{}", attr(&row, "data-testid"));
    }
}

#[wasm_bindgen_test]
async fn pausing_shows_the_moment_it_paused_at_at_once() {
    let (session, root, _mounted) = mount(
        playground_scenario(),
        false,
        move |session| view! { <Header session/> },
    )
    .await;
    session.playing.set(true);
    leptos::task::tick().await;
    // Time passed while playing, and no snapshot was taken since (as between two of the
    // playback loop's snapshots).
    session.advance(1_234);
    leptos::task::tick().await;
    let clock = || attr(&find(&root, "[data-testid=clock]"), "data-time-ms");
    assert_eq!(clock(), "0", "the clock follows snapshots while playing");

    button(&root, "Pause").click();
    leptos::task::tick().await;
    assert_eq!(clock(), "1234");
    assert!(has_button(&root, "Play"));
}

#[wasm_bindgen_test]
async fn every_message_kind_in_the_legend_has_a_swatch_of_one_size() {
    with_page_styles();
    // The legend lives in the dock's Messages tab.
    let (_, root, _mounted) = mount(playground_scenario(), false, move |_| {
        view! { <FlightsLegend/> }
    })
    .await;
    let sizes: Vec<(String, f64, f64)> = find_all(&root, ".flights-legend .swatch")
        .into_iter()
        .map(|s| {
            let r = s.get_bounding_client_rect();
            (s.class_name(), r.width(), r.height())
        })
        .collect();
    assert_eq!(sizes.len(), 5, "{sizes:?}");
    for (class, w, h) in &sizes {
        assert_eq!((*w, *h), (sizes[0].1, sizes[0].2), "{class}: {sizes:?}");
    }
}

#[wasm_bindgen_test]
async fn the_scenario_picker_names_a_shared_scenario_as_such_until_a_preset_is_loaded() {
    // As a share link or an imported file loads.
    let (session, root, _mounted) = mount(
        playground_scenario(),
        true,
        move |session| view! { <Header session/> },
    )
    .await;
    let picker = || find(&root, "#preset").unchecked_into::<web_sys::HtmlSelectElement>();
    let load = || button(&root, "Load").unchecked_into::<web_sys::HtmlButtonElement>();
    assert_eq!(picker().value(), "", "no preset is named");
    assert!(load().disabled(), "nothing to load yet");

    // The built-in one: the others are fetched from beside the page, which the test
    // runner does not serve (the journeys load every one of them).
    let id = presets::default_preset().id;
    picker().set_value(id);
    let change = web_sys::Event::new("change").expect("an event");
    picker().dispatch_event(&change).expect("dispatched");
    leptos::task::tick().await;
    assert!(!load().disabled());
    load().click();
    until(|| session.preset.get_untracked() == Some(id)).await;
    assert_eq!(session.preset.get_untracked(), Some(id));
    assert_eq!(picker().value(), id);
    assert_eq!(
        session.clock.get_untracked(),
        0,
        "a preset loads at time zero"
    );
}

/// `brokers` brokers and one topic "wide" of `partitions` partitions, replication factor 3.
fn wide_topic(brokers: u32, partitions: u32) -> Scenario {
    scenario::parse(&format!(
        r#"{{"version":1,"seed":1,"cluster":{{"brokers":{brokers}}},
            "topics":[{{"name":"wide","partitions":{partitions},"replication_factor":3}}]}}"#
    ))
    .expect("a valid scenario")
}

/// Waits (up to two seconds of wall time) until `done()` holds: lists drawn frame by frame.
async fn until(done: impl Fn() -> bool) {
    let mut waited = 0;
    while !done() && waited < 2_000 {
        sleep_ms(20).await;
        waited += 20;
    }
}

#[wasm_bindgen_test]
async fn a_wide_topic_table_fills_in_over_a_few_frames_in_partition_order() {
    let doc = wide_topic(3, 80);
    let (_, root, _mounted) = mount(doc, false, move |session| view! { <Topics session/> }).await;
    let rows = || find_all(&root, "[data-testid^=\"partition-wide-\"]");
    let first = rows().len();
    assert!(
        (PARTITION_ROWS_PER_FRAME..80).contains(&first),
        "the first frame draws a part of the table, not all 80 rows: {first}"
    );
    until(|| rows().len() >= 80).await;
    let ids: Vec<String> = rows().iter().map(|r| attr(r, "data-testid")).collect();
    let expected: Vec<String> = (0..80).map(|p| format!("partition-wide-{p}")).collect();
    assert_eq!(ids, expected, "every partition once, in order");
}

#[wasm_bindgen_test]
async fn in_a_cluster_of_64_brokers_each_broker_draws_its_share_of_the_rows() {
    let doc = wide_topic(64, 256);
    let (_, root, _mounted) = mount(doc, false, move |session| view! { <Cluster session/> }).await;
    let page = rows_at_once(64);
    assert_eq!(page, 4);
    let rows = || find_all(&root, "[data-testid=broker-1] [data-testid^=\"log-wide-\"]").len();
    assert_eq!(rows(), page);
    let brokers = || find_all(&root, "article.broker").len();
    assert!(
        brokers() < 64,
        "the brokers are drawn over a few frames: {}",
        brokers()
    );
    until(|| brokers() >= 64).await;
    let all = find_all(&root, "article.broker [data-testid^=\"log-wide-\"]").len();
    assert_eq!(all, 64 * page, "256 rows in all, not 64 x 32");
    button(&root, "Show 4 more replicas of broker 1").click();
    leptos::task::tick().await;
    assert_eq!(rows(), 2 * page);
}

#[wasm_bindgen_test]
async fn a_broker_draws_a_bounded_number_of_log_rows_and_shows_more_on_request() {
    let doc = wide_topic(3, 80);
    let (_, root, _mounted) = mount(doc, false, move |session| view! { <Cluster session/> }).await;
    let rows = || find_all(&root, "[data-testid=broker-1] [data-testid^=\"log-wide-\"]").len();
    let more = || find_all(&root, "[data-testid=broker-1-more]");
    // RF 3 on 3 brokers: broker 1 holds all 80 replicas.
    assert_eq!(rows(), ROWS_AT_ONCE);
    let line = more()
        .first()
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    assert!(line.contains("48 more replicas not drawn"), "{line}");

    button(&root, "Show 32 more replicas of broker 1").click();
    leptos::task::tick().await;
    assert_eq!(rows(), 2 * ROWS_AT_ONCE);
    let show_rest = button(&root, "Show 16 more replicas of broker 1");
    show_rest.focus().expect("focused");
    show_rest.click();
    leptos::task::tick().await;
    assert_eq!(rows(), 80);
    let line = more()
        .first()
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    assert!(line.contains("All 80 replicas drawn"), "{line}");
    // The same button, still focused, now goes back to the first rows.
    let active = document().active_element().map(|e| attr(&e, "aria-label"));
    assert_eq!(
        active.as_deref(),
        Some("Show only the first 32 replicas of broker 1")
    );
    // The rows drawn are the topic's partitions in order.
    let last = find_all(&root, "[data-testid=broker-1] [data-testid^=\"log-wide-\"]")
        .last()
        .map(|r| attr(r, "data-testid"))
        .unwrap_or_default();
    assert_eq!(last, "log-wide-79-b1");

    button(&root, "Show only the first 32 replicas of broker 1").click();
    leptos::task::tick().await;
    assert_eq!(rows(), ROWS_AT_ONCE);
}
