//! Messages in flight: drawn as small elements over the page, from the engine's
//! `Simulation::in_flight()` only (never invented). A message sits at
//! `(now − sent) / (arrives − sent)` of the way between the elements that stand for its
//! sender and receiver (`data-node="broker:1"`, `producer:NAME`, `consumer:NAME`,
//! `controller`: a [`NodeId`] as the engine writes it). With `prefers-reduced-motion`
//! each message stays still halfway along its edge. The list below the cluster says the
//! same in words.

use kafka_sim::collections::Map;
use kafka_sim::snapshot::{ConsumerStatus, InFlightMessage, MessageFamily, NodeId, Snapshot};
use kafka_sim::{BrokerId, TopicPartition};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser;
use crate::session::Session;
use crate::text::seconds;

/// A short label drawn beside a message when few are in flight.
fn short_label(m: &InFlightMessage) -> String {
    let name = m.kind.name();
    let base = name
        .strip_suffix("Request")
        .or_else(|| name.strip_suffix("Response"))
        .unwrap_or(name);
    let mut s = String::from(base);
    if m.response {
        s.push_str(" ✓");
    }
    if m.records > 0 {
        s.push_str(" ×");
        s.push_str(&m.records.to_string());
    }
    s
}

/// `broker 1`, `producer web`, `controller`: a node in words.
pub fn node_words(node: &NodeId) -> String {
    match node {
        NodeId::Controller => "controller".into(),
        NodeId::Broker(b) => format!("broker {b}"),
        NodeId::Producer(p) => format!("producer {p}"),
        NodeId::Consumer(c) => format!("consumer {c}"),
    }
}

/// Where the elements that stand for each node and each partition's leader replica are,
/// in viewport pixels, and which brokers and panels are on screen.
#[derive(Clone, Debug, Default)]
pub struct Anchors {
    nodes: Map<NodeId, (f64, f64)>,
    partitions: Map<TopicPartition, (f64, f64)>,
    /// Brokers whose box is at least partly on screen.
    pub visible_brokers: Vec<u32>,
    /// The log rows (their `data-testid`) at least partly on screen.
    pub visible_rows: Vec<String>,
    /// Every broker shown.
    pub brokers: Vec<u32>,
    /// Whether the topics panel is at least partly on screen.
    pub topics_visible: bool,
    /// The viewport's width and height.
    pub viewport: (f64, f64),
}

/// The id of a broker's box (`data-testid="broker-3"`).
fn broker_of(el: &web_sys::Element) -> Option<u32> {
    el.get_attribute("data-testid")?
        .strip_prefix("broker-")?
        .parse()
        .ok()
}

fn on_screen(el: &web_sys::Element, height: f64) -> bool {
    let r = el.get_bounding_client_rect();
    r.bottom() > 0.0 && r.top() < height
}

impl Anchors {
    /// Measures the `[data-node]` elements (their centres) that messages fly between and
    /// the partitions that `links` end at, and which brokers and panels are on screen.
    ///
    /// Partitions are measured only when a line ends there: their rows sit in brokers that
    /// may be scrolled out of view, whose content the browser skips (`content-visibility`),
    /// and measuring in there makes it lay all of that out first. A line to a partition
    /// on such a broker ends at the broker instead, out of view either way.
    pub fn measure(links: &[Link]) -> Anchors {
        let mut out = Anchors::default();
        let Some(w) = web_sys::window() else {
            return out;
        };
        let Some(doc) = w.document() else {
            return out;
        };
        let size = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64());
        let height = size(w.inner_height()).unwrap_or(0.0);
        out.viewport = (size(w.inner_width()).unwrap_or(0.0), height);
        let elements = |selector: &str| {
            let list = doc.query_selector_all(selector).ok();
            (0..list.as_ref().map_or(0, |l| l.length())).filter_map(move |i| {
                list.as_ref()?
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            })
        };
        for el in elements("article.broker") {
            let Some(id) = broker_of(&el) else {
                continue;
            };
            out.brokers.push(id);
            if !on_screen(&el, height) {
                continue;
            }
            out.visible_brokers.push(id);
            // Only inside brokers on screen: rows of the others are not laid out.
            let rows = el.query_selector_all(".log").ok();
            for i in 0..rows.as_ref().map_or(0, |l| l.length()) {
                let row = rows
                    .as_ref()
                    .and_then(|l| l.item(i))
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok());
                if let Some(row) = row.filter(|r| on_screen(r, height))
                    && let Some(id) = row.get_attribute("data-testid")
                {
                    out.visible_rows.push(id);
                }
            }
        }
        out.topics_visible = doc
            .query_selector("section.topics")
            .ok()
            .flatten()
            .is_some_and(|el| on_screen(&el, height));
        let centre = |el: &web_sys::Element| {
            let r = el.get_bounding_client_rect();
            (r.width() > 0.0 || r.height() > 0.0)
                .then(|| (r.left() + r.width() / 2.0, r.top() + r.height() / 2.0))
        };
        for el in elements("[data-node]") {
            let node = el.get_attribute("data-node").and_then(|n| n.parse().ok());
            if let (Some(node), Some(c)) = (node, centre(&el)) {
                out.nodes.insert(node, c);
            }
        }
        for link in links {
            if out.partitions.contains_key(&link.to) {
                continue;
            }
            let found = doc
                .query_selector(&format!("[data-partition=\"{}\"]", link.to))
                .ok()
                .flatten();
            let c = match found {
                Some(el) => {
                    let broker = el.closest("article.broker").ok().flatten();
                    match broker.as_ref().and_then(broker_of) {
                        Some(b) if !out.visible_brokers.contains(&b) => {
                            out.nodes.get(&NodeId::Broker(BrokerId(b))).copied()
                        }
                        _ => centre(&el),
                    }
                }
                // The leader's row is not drawn (beyond a broker's first rows).
                None => link
                    .leader
                    .and_then(|b| out.nodes.get(&NodeId::Broker(b)).copied()),
            };
            if let Some(c) = c {
                out.partitions.insert(link.to.clone(), c);
            }
        }
        out
    }

    fn node(&self, node: &NodeId) -> Option<(f64, f64)> {
        self.nodes.get(node).copied()
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

/// Labels are drawn only when at most this many messages (heartbeats aside) fly between
/// nodes on the page, scrolled into view or not: a busy cluster gets none.
const LABEL_LIMIT: usize = 14;
/// Most messages drawn at once (the list in words has them all): beyond this, routine
/// chatter (heartbeats, empty fetches) is left out first. Each drawn message costs style
/// work every frame.
const MAX_DOTS: usize = 120;

/// One drawn message: a small element moved by `transform`. It stays with its message
/// for the whole flight, so that a frame changes only the transforms of the dots that
/// moved: handing the pool out in list order instead would give most dots another
/// message (a new class, a new style) whenever one message lands.
#[derive(Debug)]
struct Dot {
    el: web_sys::HtmlElement,
    label: web_sys::HtmlElement,
    class: String,
    text: String,
    /// The position and turn last written (`None`: to be written).
    at: Option<(i32, i32, i32)>,
    shown: bool,
    /// The message drawn (`None`: free).
    msg: Option<MsgKey>,
}

/// What tells one message in flight from another across frames.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MsgKey {
    kind: kafka_sim::snapshot::MessageKind,
    from: NodeId,
    to: NodeId,
    sent_at_ms: u64,
    arrives_at_ms: u64,
}

impl MsgKey {
    fn of(m: &InFlightMessage) -> MsgKey {
        MsgKey {
            kind: m.kind,
            from: m.from.clone(),
            to: m.to.clone(),
            sent_at_ms: m.sent_at_ms,
            arrives_at_ms: m.arrives_at_ms,
        }
    }

    fn is(&self, m: &InFlightMessage) -> bool {
        self.sent_at_ms == m.sent_at_ms
            && self.arrives_at_ms == m.arrives_at_ms
            && self.kind == m.kind
            && self.from == m.from
            && self.to == m.to
    }
}

/// How far outside the viewport a dot (with its tail and label) can be without showing,
/// in pixels: messages beyond it are not drawn.
const OFF_SCREEN_PX: i32 = 160;

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

/// A running consumer reads a partition: a line from the consumer to the partition's
/// leader replica.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The consumer.
    pub from: NodeId,
    /// The partition, drawn at its leader replica's row (`data-partition`).
    pub to: TopicPartition,
    /// The leader's broker, where the line ends when the leader's row is not drawn.
    pub leader: Option<BrokerId>,
}

/// Which partitions each running consumer owns, as lines to draw.
pub fn assignment_links(s: &Snapshot) -> Vec<Link> {
    let leader = |tp: &TopicPartition| {
        s.topics
            .iter()
            .find(|t| t.name == tp.topic)?
            .partitions
            .iter()
            .find(|p| p.partition.0 == tp.partition)?
            .leader
    };
    let mut links = Vec::new();
    for g in &s.groups {
        for m in &g.members {
            if m.status != ConsumerStatus::Running {
                continue;
            }
            for tp in &m.assignment {
                links.push(Link {
                    from: NodeId::Consumer(m.consumer.clone()),
                    to: tp.clone(),
                    leader: leader(tp),
                });
            }
        }
    }
    links
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// Routine chatter that is drawn small: heartbeats, metadata and fetches that carry
/// nothing.
fn quiet(m: &InFlightMessage) -> bool {
    m.routine || (m.records == 0 && m.family == MessageFamily::Replicate)
}

fn css_class(m: &InFlightMessage) -> String {
    let mut c = String::from("msg ");
    c.push_str(family_class(m.family));
    c.push_str(if m.response { " resp" } else { " req" });
    if m.records > 0 {
        c.push_str(" carries");
    }
    if quiet(m) {
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
                at: None,
                shown: true,
                msg: None,
            });
        }
        self.dots.get_mut(i)
    }

    /// Draws a line from each running consumer to the leader replica of each partition
    /// it owns. The DOM is touched only when a line moved.
    pub fn draw_links(&mut self, root: &web_sys::HtmlElement, links: &[Link], anchors: &Anchors) {
        let mut d = String::new();
        for link in links {
            let (Some(a), Some(b)) = (
                anchors.node(&link.from),
                anchors.partitions.get(&link.to).copied(),
            ) else {
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
        let (w, h) = anchors.viewport;
        let margin = f64::from(OFF_SCREEN_PX);
        let mut placed = Vec::with_capacity(msgs.len().min(MAX_DOTS));
        // Messages in flight between nodes shown, on screen or not.
        let mut told = 0;
        for m in msgs {
            if !opts.show_heartbeats && m.routine {
                continue;
            }
            let (Some(a), Some(b)) = (anchors.node(&m.from), anchors.node(&m.to)) else {
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
            if !m.routine {
                told += 1;
            }
            // Most of a large cluster is scrolled out of view, and so are most messages:
            // those get no dot at all.
            if x < -margin || y < -margin || x > w + margin || y > h + margin {
                continue;
            }
            placed.push(Placed {
                m,
                x,
                y,
                angle: ty.atan2(tx).to_degrees(),
            });
        }
        if placed.len() > MAX_DOTS {
            // Routine chatter (heartbeats, empty fetches) is left out first.
            placed.retain(|p| !quiet(p.m));
            placed.truncate(MAX_DOTS);
        }
        let labels = told <= LABEL_LIMIT;
        // Messages still in flight keep their dot; the others take a free one, preferably
        // one already showing that kind of message.
        let mut taken = vec![false; self.dots.len()];
        let mut slots: Vec<Option<usize>> = placed
            .iter()
            .map(|p| {
                let j =
                    self.dots.iter().enumerate().position(|(j, d)| {
                        !taken[j] && d.msg.as_ref().is_some_and(|k| k.is(p.m))
                    })?;
                taken[j] = true;
                Some(j)
            })
            .collect();
        for (p, slot) in placed.iter().zip(slots.iter_mut()) {
            if slot.is_some() {
                continue;
            }
            let class = css_class(p.m);
            let best = (0..self.dots.len())
                .filter(|&j| !taken.get(j).copied().unwrap_or(false))
                .max_by_key(|&j| {
                    let d = &self.dots[j];
                    (d.shown, d.class == class, std::cmp::Reverse(j))
                });
            let j = match best {
                Some(j) => j,
                None => {
                    let j = self.dots.len();
                    if self.dot(root, j).is_none() {
                        return;
                    }
                    j
                }
            };
            if taken.len() <= j {
                taken.resize(j + 1, false);
            }
            taken[j] = true;
            self.dots[j].msg = Some(MsgKey::of(p.m));
            *slot = Some(j);
        }
        for (p, slot) in placed.iter().zip(&slots) {
            let Some(dot) = slot.and_then(|j| self.dots.get_mut(j)) else {
                continue;
            };
            let quiet = quiet(p.m);
            let class = css_class(p.m);
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
                dot.at = None;
            }
            // Whole pixels and degrees (integer formatting only), and one style write per
            // dot: the element turns with the direction of travel so its tail trails it.
            let at = (
                p.x.round() as i32,
                p.y.round() as i32,
                p.angle.round() as i32,
            );
            if dot.at != Some(at) {
                let _ = dot.el.style().set_property("transform", &transform(at));
                if !dot.text.is_empty() {
                    // Labels stay upright.
                    let _ = dot.label.style().set_property("transform", &rotate(-at.2));
                }
                dot.at = Some(at);
            }
            if !dot.shown {
                dot.el.set_hidden(false);
                dot.shown = true;
            }
        }
        for (j, dot) in self.dots.iter_mut().enumerate() {
            if taken.get(j).copied().unwrap_or(false) {
                continue;
            }
            dot.msg = None;
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
pub fn InFlightList(session: Session) -> impl IntoView {
    const SHOWN: usize = 40;
    // Built only while the list is open: closed, it costs nothing per snapshot.
    let open = RwSignal::new(browser::prefers_reduced_motion());
    let items = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        let show_hb = session.show_heartbeats.get();
        session.snap.with(|s| {
            s.in_flight
                .iter()
                .filter(|m| show_hb || !m.routine)
                .map(|m| {
                    let mut line = String::from(m.kind.name());
                    line.push_str(": ");
                    line.push_str(&node_words(&m.from));
                    line.push_str(" → ");
                    line.push_str(&node_words(&m.to));
                    if !m.partitions.is_empty() {
                        line.push_str(", ");
                        let names = m.partitions.iter().take(4).map(ToString::to_string);
                        line.push_str(&crate::text::join(names, ", "));
                        if m.partitions.len() > 4 {
                            line.push_str(", …");
                        }
                    }
                    if m.records > 0 {
                        line.push_str(", ");
                        line.push_str(&crate::text::count(m.records as usize, "record", "records"));
                    }
                    line.push_str(", arrives at ");
                    line.push_str(&seconds(m.arrives_at_ms));
                    (family_class(m.family), line)
                })
                .collect::<Vec<_>>()
        })
    });
    let count = Memo::new(move |_| {
        let show_hb = session.show_heartbeats.get();
        session
            .snap
            .with(|s| s.in_flight.iter().filter(|m| show_hb || !m.routine).count())
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

/// The CSS class of a family's colour.
fn family_class(f: MessageFamily) -> &'static str {
    match f {
        MessageFamily::Produce => "produce",
        MessageFamily::Replicate => "replicate",
        MessageFamily::Consume => "consume",
        MessageFamily::Control => "control",
        MessageFamily::Group => "group",
        MessageFamily::Closed => "closed",
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

#[cfg(test)]
mod tests {
    use kafka_sim::SimOptions;
    use kafka_sim::scenario::{self, Timeline};

    use super::*;

    #[test]
    fn each_line_knows_the_broker_of_its_partitions_leader() {
        // A topic whose name ends like a partition of another: `orders-1-0` is partition 0
        // of `orders-1`, `orders-1` partition 1 of `orders`.
        let doc = scenario::parse(
            r#"{"version":1,"seed":1,"cluster":{"brokers":3},
                "topics":[{"name":"orders","partitions":2,"replication_factor":1},
                          {"name":"orders-1","partitions":1,"replication_factor":1}],
                "steps":[{"join_group":{"group":"g","consumer":"c1","topics":["orders","orders-1"]}},
                         {"advance_ms":15000}]}"#,
        )
        .expect("a valid scenario");
        let mut tl = Timeline::new(doc, SimOptions::default()).expect("a timeline");
        tl.play_to_end().expect("it runs");
        let snap = tl.sim().snapshot();
        let leader = |topic: &str, p: u32| {
            let t = snap.topics.iter().find(|t| &*t.name == topic)?;
            t.partitions.iter().find(|x| x.partition.0 == p)?.leader
        };
        let mut links = assignment_links(&snap);
        links.sort_by(|a, b| a.to.cmp(&b.to));
        let expected: Vec<Link> = [("orders", 0), ("orders", 1), ("orders-1", 0)]
            .into_iter()
            .map(|(t, p)| Link {
                from: NodeId::Consumer("c1".into()),
                to: TopicPartition::new(t, p),
                leader: leader(t, p),
            })
            .collect();
        assert_eq!(links, expected);
        assert!(links.iter().all(|l| l.leader.is_some()), "{links:?}");
    }
}
