//! Messages in flight: drawn as small elements over the page, from the engine's
//! `Simulation::in_flight()` only (never invented). A message sits at
//! `(now − sent) / (arrives − sent)` of the way between the elements that stand for its
//! sender and receiver (`data-node="broker:1"`, `producer:NAME`, `consumer:NAME`,
//! `controller`). With `prefers-reduced-motion` each message stays still halfway along
//! its edge. The list below the cluster says the same in words.

use std::collections::BTreeMap;

use kafka_sim::consumer::ConsumerStatus;
use kafka_sim::message::MessageKind;
use kafka_sim::snapshot::InFlightMessage;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser;
use crate::state::Pg;
use crate::text::seconds;

/// What a message is about, for its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Produce,
    Replicate,
    Consume,
    Control,
    Group,
    Closed,
}

fn family(m: &InFlightMessage) -> Family {
    use MessageKind as K;
    match m.kind {
        K::ProduceRequest | K::ProduceResponse => Family::Produce,
        K::FetchRequest | K::FetchResponse => {
            if m.from.starts_with("consumer:") || m.to.starts_with("consumer:") {
                Family::Consume
            } else {
                Family::Replicate
            }
        }
        K::ListOffsetsRequest | K::ListOffsetsResponse => Family::Consume,
        K::FindCoordinatorRequest
        | K::FindCoordinatorResponse
        | K::JoinGroupRequest
        | K::JoinGroupResponse
        | K::SyncGroupRequest
        | K::SyncGroupResponse
        | K::HeartbeatRequest
        | K::HeartbeatResponse
        | K::LeaveGroupRequest
        | K::OffsetCommitRequest
        | K::OffsetCommitResponse
        | K::OffsetFetchRequest
        | K::OffsetFetchResponse => Family::Group,
        K::ConnectionClosed => Family::Closed,
        _ => Family::Control,
    }
}

/// Routine chatter that the "Show heartbeats" switch hides.
pub fn is_heartbeat(kind: MessageKind) -> bool {
    use MessageKind as K;
    matches!(
        kind,
        K::BrokerHeartbeatRequest
            | K::BrokerHeartbeatResponse
            | K::HeartbeatRequest
            | K::HeartbeatResponse
            | K::MetadataRequest
            | K::MetadataResponse
    )
}

fn is_response(kind: MessageKind) -> bool {
    use MessageKind as K;
    matches!(
        kind,
        K::MetadataResponse
            | K::ProduceResponse
            | K::FetchResponse
            | K::BrokerRegistrationResponse
            | K::BrokerHeartbeatResponse
            | K::AlterPartitionResponse
            | K::FindCoordinatorResponse
            | K::JoinGroupResponse
            | K::SyncGroupResponse
            | K::HeartbeatResponse
            | K::OffsetCommitResponse
            | K::OffsetFetchResponse
            | K::ListOffsetsResponse
    )
}

/// Kafka's name of the message kind.
pub fn kind_name(kind: MessageKind) -> &'static str {
    use MessageKind as K;
    match kind {
        K::MetadataRequest => "MetadataRequest",
        K::MetadataResponse => "MetadataResponse",
        K::ProduceRequest => "ProduceRequest",
        K::ProduceResponse => "ProduceResponse",
        K::FetchRequest => "FetchRequest",
        K::FetchResponse => "FetchResponse",
        K::BrokerRegistrationRequest => "BrokerRegistrationRequest",
        K::BrokerRegistrationResponse => "BrokerRegistrationResponse",
        K::BrokerHeartbeatRequest => "BrokerHeartbeatRequest",
        K::BrokerHeartbeatResponse => "BrokerHeartbeatResponse",
        K::AlterPartitionRequest => "AlterPartitionRequest",
        K::AlterPartitionResponse => "AlterPartitionResponse",
        K::UpdateMetadata => "UpdateMetadata",
        K::ConnectionClosed => "ConnectionClosed",
        K::FindCoordinatorRequest => "FindCoordinatorRequest",
        K::FindCoordinatorResponse => "FindCoordinatorResponse",
        K::JoinGroupRequest => "JoinGroupRequest",
        K::JoinGroupResponse => "JoinGroupResponse",
        K::SyncGroupRequest => "SyncGroupRequest",
        K::SyncGroupResponse => "SyncGroupResponse",
        K::HeartbeatRequest => "HeartbeatRequest",
        K::HeartbeatResponse => "HeartbeatResponse",
        K::LeaveGroupRequest => "LeaveGroupRequest",
        K::OffsetCommitRequest => "OffsetCommitRequest",
        K::OffsetCommitResponse => "OffsetCommitResponse",
        K::OffsetFetchRequest => "OffsetFetchRequest",
        K::OffsetFetchResponse => "OffsetFetchResponse",
        K::ListOffsetsRequest => "ListOffsetsRequest",
        K::ListOffsetsResponse => "ListOffsetsResponse",
    }
}

/// A short label drawn beside a message when few are in flight.
fn short_label(m: &InFlightMessage) -> String {
    let name = kind_name(m.kind);
    let base = name
        .strip_suffix("Request")
        .or_else(|| name.strip_suffix("Response"))
        .unwrap_or(name);
    let mut s = String::from(base);
    if is_response(m.kind) {
        s.push_str(" ✓");
    }
    if m.records > 0 {
        s.push_str(" ×");
        s.push_str(&m.records.to_string());
    }
    s
}

/// `broker:1` → `broker 1`, `producer:web` → `producer web`.
fn node_words(node: &str) -> String {
    node.replacen(':', " ", 1)
}

/// Where the elements that stand for each node are, in viewport pixels, and which
/// brokers and panels are on screen.
#[derive(Clone, Debug, Default)]
pub struct Anchors {
    at: BTreeMap<String, (f64, f64)>,
    /// Brokers whose box is at least partly on screen.
    pub visible_brokers: Vec<u32>,
    /// Every broker shown.
    pub brokers: Vec<u32>,
    /// Whether the topics panel is at least partly on screen.
    pub topics_visible: bool,
}

fn on_screen(el: &web_sys::Element, height: f64) -> bool {
    let r = el.get_bounding_client_rect();
    r.bottom() > 0.0 && r.top() < height
}

impl Anchors {
    /// Measures every `[data-node]` element (its centre), and which brokers and panels
    /// are on screen.
    pub fn measure() -> Anchors {
        let mut at = BTreeMap::new();
        let mut out = Anchors::default();
        let Some(w) = web_sys::window() else {
            return out;
        };
        let Some(doc) = w.document() else {
            return out;
        };
        let height = w
            .inner_height()
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0);
        if let Ok(list) = doc.query_selector_all("article.broker") {
            for i in 0..list.length() {
                let Some(el) = list
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                else {
                    continue;
                };
                let Some(id) = el
                    .get_attribute("data-testid")
                    .and_then(|t| t.strip_prefix("broker-").and_then(|n| n.parse().ok()))
                else {
                    continue;
                };
                out.brokers.push(id);
                if on_screen(&el, height) {
                    out.visible_brokers.push(id);
                }
            }
        }
        out.topics_visible = doc
            .query_selector("section.topics")
            .ok()
            .flatten()
            .is_some_and(|el| on_screen(&el, height));
        let Ok(list) = doc.query_selector_all("[data-node]") else {
            return out;
        };
        for i in 0..list.length() {
            let Some(el) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let Some(name) = el.get_attribute("data-node") else {
                continue;
            };
            let r = el.get_bounding_client_rect();
            if r.width() > 0.0 || r.height() > 0.0 {
                at.insert(
                    name,
                    (r.left() + r.width() / 2.0, r.top() + r.height() / 2.0),
                );
            }
        }
        out.at = at;
        out
    }

    fn get(&self, node: &str) -> Option<(f64, f64)> {
        self.at.get(node).copied()
    }
}

/// How to draw.
#[derive(Clone, Copy, Debug)]
pub struct DrawOptions {
    /// Messages stay halfway along their edge.
    pub reduced_motion: bool,
    /// Heartbeats and metadata are drawn.
    pub show_heartbeats: bool,
}

/// Labels are drawn only when at most this many messages are on screen.
const LABEL_LIMIT: usize = 14;
/// Most messages drawn at once (the list in words has them all): beyond this, routine
/// chatter (heartbeats, empty fetches) is left out first. Each drawn message costs style
/// work every frame.
const MAX_DOTS: usize = 120;

/// One drawn message: a small element moved by `transform`, reused frame after frame.
#[derive(Debug)]
struct Dot {
    el: web_sys::HtmlElement,
    label: web_sys::HtmlElement,
    class: String,
    text: String,
    at: (i32, i32, i32),
    shown: bool,
}

/// The layer of flying messages: a pool of small elements over the page. Only the dots
/// move, so a frame repaints a few small areas instead of a whole canvas (which in
/// software compositing costs a frame's budget by itself).
#[derive(Debug, Default)]
pub struct FlightLayer {
    dots: Vec<Dot>,
    /// The SVG path of consumer-to-partition lines, and the `d` it shows.
    links: Option<web_sys::Element>,
    links_d: String,
}

/// A running consumer reads a partition: `("consumer:c1", "partition:orders-0")`, in
/// the names of `data-node` anchors.
pub type Link = (String, String);

/// Which partitions each running consumer owns, as lines to draw.
pub fn assignment_links(s: &kafka_sim::snapshot::Snapshot) -> Vec<Link> {
    let mut links = Vec::new();
    for g in &s.groups {
        for m in &g.members {
            if m.status != ConsumerStatus::Running {
                continue;
            }
            for tp in &m.assignment {
                links.push((
                    format!("consumer:{}", m.consumer),
                    format!("partition:{tp}"),
                ));
            }
        }
    }
    links
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";

fn css_class(m: &InFlightMessage, quiet: bool) -> String {
    let mut c = String::from("msg ");
    c.push_str(family_class(m));
    c.push_str(if is_response(m.kind) { " resp" } else { " req" });
    if m.records > 0 {
        c.push_str(" carries");
    }
    if quiet {
        c.push_str(" quiet");
    }
    c
}

impl FlightLayer {
    fn dot(&mut self, root: &web_sys::HtmlElement, i: usize) -> Option<&mut Dot> {
        while self.dots.len() <= i {
            let doc = web_sys::window()?.document()?;
            let el: web_sys::HtmlElement = doc.create_element("span").ok()?.dyn_into().ok()?;
            let tail = doc.create_element("i").ok()?;
            tail.set_class_name("tail");
            let label: web_sys::HtmlElement = doc.create_element("b").ok()?.dyn_into().ok()?;
            el.append_child(&tail).ok()?;
            el.append_child(&label).ok()?;
            root.append_child(&el).ok()?;
            self.dots.push(Dot {
                el,
                label,
                class: String::new(),
                text: String::new(),
                at: (i32::MIN, 0, 0),
                shown: true,
            });
        }
        self.dots.get_mut(i)
    }

    /// Draws a line from each running consumer to the leader replica of each partition
    /// it owns. The DOM is touched only when a line moved.
    pub fn draw_links(&mut self, root: &web_sys::HtmlElement, links: &[Link], anchors: &Anchors) {
        let mut d = String::new();
        for (from, to) in links {
            let (Some(a), Some(b)) = (anchors.get(from), anchors.get(to)) else {
                continue;
            };
            for (cmd, (x, y)) in [("M", a), ("L", b)] {
                d.push_str(cmd);
                d.push_str(&(x.round() as i32).to_string());
                d.push(' ');
                d.push_str(&(y.round() as i32).to_string());
            }
        }
        if d == self.links_d {
            return;
        }
        if self.links.is_none() {
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            let (Ok(svg), Ok(path)) = (
                doc.create_element_ns(Some(SVG_NS), "svg"),
                doc.create_element_ns(Some(SVG_NS), "path"),
            ) else {
                return;
            };
            svg.set_attribute("class", "links").ok();
            path.set_attribute("class", "link").ok();
            svg.append_child(&path).ok();
            // Before the dots, so that messages fly over the lines.
            root.prepend_with_node_1(&svg).ok();
            self.links = Some(path);
        }
        if let Some(path) = &self.links {
            path.set_attribute("d", &d).ok();
        }
        self.links_d = d;
    }

    /// Draws `msgs` at simulated time `now` (fractional: frames fall between
    /// milliseconds) inside `root`.
    pub fn draw(
        &mut self,
        root: &web_sys::HtmlElement,
        msgs: &[InFlightMessage],
        now: f64,
        anchors: &Anchors,
        opts: DrawOptions,
    ) {
        struct Placed<'a> {
            m: &'a InFlightMessage,
            x: f64,
            y: f64,
            angle: f64,
        }
        let quiet = |m: &InFlightMessage| {
            is_heartbeat(m.kind) || (m.records == 0 && family(m) == Family::Replicate)
        };
        let mut placed = Vec::with_capacity(msgs.len().min(MAX_DOTS));
        let busy = msgs.len() > MAX_DOTS;
        for m in msgs {
            if busy && quiet(m) {
                continue;
            }
            if placed.len() == MAX_DOTS {
                break;
            }
            if !opts.show_heartbeats && is_heartbeat(m.kind) {
                continue;
            }
            let (Some(a), Some(b)) = (anchors.get(&m.from), anchors.get(&m.to)) else {
                continue;
            };
            let (sent, arrives) = (m.sent_at_ms as f64, m.arrives_at_ms as f64);
            if now >= arrives || now < sent {
                continue;
            }
            let t = if opts.reduced_motion {
                0.5
            } else {
                ((now - sent) / (arrives - sent).max(1.0)).clamp(0.0, 1.0)
            };
            // Bend the path sideways so that a request and its answer (opposite
            // directions) travel on different sides instead of on top of each other.
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let len = (dx * dx + dy * dy).sqrt().max(1.0);
            let bend = (len * 0.12).min(60.0);
            let c = (
                (a.0 + b.0) / 2.0 - dy / len * bend,
                (a.1 + b.1) / 2.0 + dx / len * bend,
            );
            let u = 1.0 - t;
            let x = u * u * a.0 + 2.0 * u * t * c.0 + t * t * b.0;
            let y = u * u * a.1 + 2.0 * u * t * c.1 + t * t * b.1;
            // The direction of travel (the curve's tangent), for the tail.
            let tx = 2.0 * u * (c.0 - a.0) + 2.0 * t * (b.0 - c.0);
            let ty = 2.0 * u * (c.1 - a.1) + 2.0 * t * (b.1 - c.1);
            placed.push(Placed {
                m,
                x,
                y,
                angle: ty.atan2(tx).to_degrees(),
            });
        }
        let labels = placed.iter().filter(|p| !is_heartbeat(p.m.kind)).count() <= LABEL_LIMIT;
        for (i, p) in placed.iter().enumerate() {
            let quiet = quiet(p.m);
            let Some(dot) = self.dot(root, i) else {
                return;
            };
            let class = css_class(p.m, quiet);
            if dot.class != class {
                dot.el.set_class_name(&class);
                dot.class = class;
            }
            let text = if labels && !quiet {
                short_label(p.m)
            } else {
                String::new()
            };
            if dot.text != text {
                dot.label.set_text_content(Some(&text));
                dot.text = text;
                // Re-place it so that a new label is turned upright too.
                dot.at = (i32::MIN, 0, 0);
            }
            // Whole pixels and degrees (integer formatting only), and one style write per
            // dot: the element turns with the direction of travel so its tail trails it.
            let at = (
                p.x.round() as i32,
                p.y.round() as i32,
                p.angle.round() as i32,
            );
            if dot.at != at {
                let _ = dot.el.style().set_property("transform", &transform(at));
                if !dot.text.is_empty() {
                    // Labels stay upright.
                    let _ = dot.label.style().set_property("transform", &rotate(-at.2));
                }
                dot.at = at;
            }
            if !dot.shown {
                dot.el.set_hidden(false);
                dot.shown = true;
            }
        }
        for dot in self.dots.iter_mut().skip(placed.len()) {
            if dot.shown {
                dot.el.set_hidden(true);
                dot.shown = false;
            }
        }
    }
}

fn transform((x, y, deg): (i32, i32, i32)) -> String {
    let mut s = String::from("translate(");
    s.push_str(&x.to_string());
    s.push_str("px,");
    s.push_str(&y.to_string());
    s.push_str("px) ");
    s.push_str(&rotate(deg));
    s
}

fn rotate(deg: i32) -> String {
    let mut s = String::from("rotate(");
    s.push_str(&deg.to_string());
    s.push_str("deg)");
    s
}

/// The layer the playback loop draws messages in. It lets clicks through and is hidden
/// from assistive technology; [`InFlightList`] is the accessible version.
#[component]
pub fn FlightsLayer(node_ref: NodeRef<leptos::html::Div>) -> impl IntoView {
    view! { <div class="flights" node_ref=node_ref aria-hidden="true"></div> }
}

/// Messages in flight, in words (from the latest snapshot).
#[component]
pub fn InFlightList(pg: Pg) -> impl IntoView {
    const SHOWN: usize = 40;
    // Built only while the list is open: closed, it costs nothing per snapshot.
    let open = RwSignal::new(browser::prefers_reduced_motion());
    let items = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        let show_hb = pg.show_heartbeats.get();
        pg.snap.with(|s| {
            s.in_flight
                .iter()
                .filter(|m| show_hb || !is_heartbeat(m.kind))
                .map(|m| {
                    let mut line = String::from(kind_name(m.kind));
                    line.push_str(": ");
                    line.push_str(&node_words(&m.from));
                    line.push_str(" → ");
                    line.push_str(&node_words(&m.to));
                    if !m.partitions.is_empty() {
                        line.push_str(", ");
                        line.push_str(&crate::text::join(m.partitions.iter().take(4), ", "));
                        if m.partitions.len() > 4 {
                            line.push_str(", …");
                        }
                    }
                    if m.records > 0 {
                        line.push_str(", ");
                        line.push_str(&m.records.to_string());
                        line.push_str(if m.records == 1 {
                            " record"
                        } else {
                            " records"
                        });
                    }
                    line.push_str(", arrives at ");
                    line.push_str(&seconds(m.arrives_at_ms));
                    (family_class(m), line)
                })
                .collect::<Vec<_>>()
        })
    });
    let count = Memo::new(move |_| {
        let show_hb = pg.show_heartbeats.get();
        pg.snap.with(|s| {
            s.in_flight
                .iter()
                .filter(|m| show_hb || !is_heartbeat(m.kind))
                .count()
        })
    });
    view! {
        <details
            class="inflight"
            prop:open=move || open.get()
            on:toggle:target=move |ev| open.set(ev.target().open())
        >
            <summary>"Messages in flight (" {move || count.get().to_string()} ")"</summary>
            <ul class="inflight-list">
                {move || {
                    items
                        .with(|v| {
                            let more = v.len().saturating_sub(SHOWN);
                            let mut out: Vec<_> = v
                                .iter()
                                .take(SHOWN)
                                .map(|(class, line)| {
                                    view! {
                                        <li>
                                            <span class=format!("swatch {class}") aria-hidden="true"></span>
                                            {line.clone()}
                                        </li>
                                    }
                                        .into_any()
                                })
                                .collect();
                            if more > 0 {
                                out.push(
                                    view! { <li class="more">{format!("… and {more} more")}</li> }
                                        .into_any(),
                                );
                            }
                            out
                        })
                }}
            </ul>
        </details>
    }
}

fn family_class(m: &InFlightMessage) -> &'static str {
    match family(m) {
        Family::Produce => "produce",
        Family::Replicate => "replicate",
        Family::Consume => "consume",
        Family::Control => "control",
        Family::Group => "group",
        Family::Closed => "closed",
    }
}

/// The key to the colours and shapes of messages.
#[component]
pub fn FlightsLegend() -> impl IntoView {
    view! {
        <ul class="legend flights-legend" aria-label="Messages in flight">
            <li><span class="swatch produce" aria-hidden="true"></span>"Produce"</li>
            <li><span class="swatch replicate" aria-hidden="true"></span>"Replication fetch"</li>
            <li><span class="swatch consume" aria-hidden="true"></span>"Consumer fetch"</li>
            <li><span class="swatch group" aria-hidden="true"></span>"Group protocol"</li>
            <li><span class="swatch control" aria-hidden="true"></span>"Controller & metadata"</li>
            <li><span class="ring" aria-hidden="true"></span>"ring = response"</li>
        </ul>
    }
}
