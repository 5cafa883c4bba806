//! The record cells of one replica's log, kept in the DOM by hand.
//!
//! Why not a keyed `<For>`: a busy cluster appends a record to most of its logs at every
//! snapshot, and a framework-built cell (an owner, three effects, a dozen attributes)
//! costs a large share of a frame when hundreds are made per second. Logs only grow at
//! the end and lose their oldest cell from view, so a small reconciler does the same with
//! a handful of DOM calls per new cell and touches old cells only when their committed
//! state or selection changes. Clicks are handled once per row, on the list.

use std::sync::Arc;

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use crate::text::key_class;

/// A consumer's position or a group's committed offset, marked on the leader's log.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Mark {
    /// The offset marked.
    pub offset: u64,
    /// The consumer or group.
    pub who: String,
    /// A group's committed offset (else a consumer's position).
    pub committed: bool,
}

/// What a cell shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// Its offset.
    pub offset: u64,
    /// Its key.
    pub key: Option<Arc<str>>,
    /// Its value.
    pub value: Option<Arc<str>>,
    /// The produced record it is a copy of.
    pub record: u64,
    /// The leader epoch it was written in.
    pub epoch: u32,
    /// Marks at this offset (leader rows only).
    pub marks: Vec<Mark>,
}

/// One cell on screen.
#[derive(Debug)]
struct Item {
    offset: u64,
    record: u64,
    li: Element,
    button: Element,
    marks_el: Option<Element>,
    marks: Vec<Mark>,
    committed: Option<bool>,
    selected: bool,
    tabbable: Option<bool>,
    label: String,
}

/// The cells of one row as they are in the DOM.
#[derive(Debug, Default)]
pub struct CellsDom {
    items: Vec<Item>,
}

/// What the cells of a row should show now.
#[derive(Clone, Copy, Debug)]
pub struct RowState<'a> {
    /// The cells, in offset order.
    pub cells: &'a [Cell],
    /// The replica's high watermark: cells below it are committed.
    pub hw: u64,
    /// The record whose journey is shown.
    pub selected: Option<u64>,
    /// Whether the cells take part in the tab order (the leader's row).
    pub tabbable: bool,
}

fn set(el: &Element, name: &str, value: &str) {
    let _ = el.set_attribute(name, value);
}

fn create(doc: &Document, c: &Cell) -> Option<Item> {
    let li = doc.create_element("li").ok()?;
    li.set_class_name("cell");
    let button = doc.create_element("button").ok()?;
    let key = c.key.as_deref();
    let value = c.value.as_deref();
    let mut class = String::from("rec ");
    class.push_str(key_class(key));
    button.set_class_name(&class);
    set(&button, "type", "button");
    set(&button, "data-testid", "record");
    set(&button, "data-offset", &c.offset.to_string());
    if let Some(k) = key {
        set(&button, "data-key", k);
    }
    if let Some(v) = value {
        set(&button, "data-value", v);
    }
    set(&button, "data-record-id", &c.record.to_string());
    let mut title = String::from("offset ");
    title.push_str(&c.offset.to_string());
    title.push_str(" · key ");
    title.push_str(key.unwrap_or("none"));
    title.push_str(" · value ");
    title.push_str(value.unwrap_or("null"));
    title.push_str(" · leader epoch ");
    title.push_str(&c.epoch.to_string());
    set(&button, "title", &title);
    let off = doc.create_element("span").ok()?;
    off.set_class_name("off");
    off.set_text_content(Some(&c.offset.to_string()));
    let k = doc.create_element("span").ok()?;
    k.set_class_name("key");
    k.set_text_content(Some(key.unwrap_or("∅")));
    button.append_child(&off).ok()?;
    // A space between them, so that the visible text reads "3 bob" and the accessible
    // name can begin with it (a name must contain what is seen: WCAG 2.5.3).
    button.append_child(&doc.create_text_node(" ")).ok()?;
    button.append_child(&k).ok()?;
    li.append_child(&button).ok()?;
    let mut label = c.offset.to_string();
    label.push(' ');
    label.push_str(key.unwrap_or("∅"));
    label.push_str(": offset ");
    label.push_str(&c.offset.to_string());
    label.push_str(match key {
        Some(_) => ", key ",
        None => ", no key",
    });
    label.push_str(key.unwrap_or(""));
    label.push_str(", value ");
    label.push_str(value.unwrap_or("null"));
    label.push_str(", ");
    Some(Item {
        offset: c.offset,
        record: c.record,
        li,
        button,
        marks_el: None,
        marks: Vec::new(),
        committed: None,
        selected: false,
        tabbable: None,
        label,
    })
}

/// Marks as short text, one per line: `▲c1` for a consumer's position, `✓` for a
/// group's commit.
pub fn marks_text(marks: &[Mark]) -> String {
    let mut s = String::new();
    for m in marks {
        if !s.is_empty() {
            s.push('\n');
        }
        if m.committed {
            s.push('✓');
        } else {
            s.push('▲');
            s.push_str(&m.who);
        }
    }
    s
}

fn update(doc: &Document, it: &mut Item, c: &Cell, row: RowState<'_>) {
    let committed = c.offset < row.hw;
    if it.committed != Some(committed) {
        set(
            &it.button,
            "data-committed",
            if committed { "true" } else { "false" },
        );
        let mut label = it.label.clone();
        label.push_str(if committed {
            "committed"
        } else {
            "not committed yet"
        });
        set(&it.button, "aria-label", &label);
        it.committed = Some(committed);
    }
    let selected = row.selected == Some(c.record);
    if it.selected != selected || it.tabbable.is_none() {
        set(
            &it.button,
            "aria-pressed",
            if selected { "true" } else { "false" },
        );
        it.selected = selected;
    }
    if it.tabbable != Some(row.tabbable) {
        // Only the leader's copy is in the tab order: the same records are on every
        // replica, and a keyboard user should not tab through each copy.
        set(
            &it.button,
            "tabindex",
            if row.tabbable { "0" } else { "-1" },
        );
        it.tabbable = Some(row.tabbable);
    }
    if it.marks != c.marks {
        if c.marks.is_empty() {
            if let Some(el) = it.marks_el.take() {
                el.remove();
            }
        } else {
            if it.marks_el.is_none()
                && let Ok(el) = doc.create_element("span")
            {
                el.set_class_name("marks");
                set(&el, "aria-hidden", "true");
                let _ = it.li.append_child(&el);
                it.marks_el = Some(el);
            }
            if let Some(el) = &it.marks_el {
                el.set_text_content(Some(&marks_text(&c.marks)));
            }
        }
        it.marks = c.marks.clone();
    }
}

impl CellsDom {
    /// Makes the children of `list` before `end` show `row.cells`: cells that left are
    /// removed, new ones created in place, the rest kept and updated only where their
    /// state changed.
    pub fn reconcile(&mut self, list: &Element, end: &Element, row: RowState<'_>) {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let wanted = |it: &Item| {
            row.cells
                .iter()
                .any(|c| c.offset == it.offset && c.record == it.record)
        };
        self.items.retain(|it| {
            let keep = wanted(it);
            if !keep {
                it.li.remove();
            }
            keep
        });
        // Both lists are in offset order: walk them together.
        let mut old = std::mem::take(&mut self.items).into_iter().peekable();
        let mut items = Vec::with_capacity(row.cells.len());
        for c in row.cells {
            let same = old
                .peek()
                .is_some_and(|it| it.offset == c.offset && it.record == c.record);
            let mut it = if same {
                old.next()
            } else {
                create(&doc, c).inspect(|it| {
                    let before = old.peek().map_or(end, |o| &o.li);
                    let _ = list.insert_before(&it.li, Some(before));
                })
            };
            if let Some(it) = it.as_mut() {
                update(&doc, it, c, row);
            }
            items.extend(it);
        }
        for it in old {
            it.li.remove();
        }
        self.items = items;
    }
}

/// The record id of the cell a click landed in, if any.
pub fn clicked_record(ev: &web_sys::Event) -> Option<u64> {
    let target = ev.target()?.dyn_into::<Element>().ok()?;
    let button = target.closest("button[data-record-id]").ok()??;
    button.get_attribute("data-record-id")?.parse().ok()
}
