//! The group leaders' assignors in the page. Range and round robin (the clients'
//! defaults) run from the first load; the sticky ones (`sticky`, `cooperative-sticky`:
//! most of the engine's assignor code, with its emulation of Java's `HashMap`) come with
//! whatever can first bring a group that uses one: a scenario read (a link, a file, a
//! preset), a lesson, the host page's `load`, the add-consumer form. Each of those is
//! fetched on demand and calls [`install`] from its own part before anything runs, so a
//! group leader never finds them missing.

use std::cell::Cell;

use kafka_sim::assignor::{
    self, AssignError, AssignFn, AssignmentInput, AssignmentOutput, AssignorName,
};

thread_local! {
    // The engine calls its assignor synchronously in the middle of a step, through a
    // function pointer: the page's one thread keeps the loaded one here.
    static STICKY: Cell<Option<AssignFn>> = const { Cell::new(None) };
}

/// Makes the sticky assignors available. Called only from parts fetched on demand, so
/// that their code is in those parts, not in the first load.
pub fn install() {
    STICKY.set(Some(assignor::assign));
}

/// The page's [`SimOptions::assign`](kafka_sim::SimOptions): the engine's assignors, the
/// sticky ones once [`install`]ed.
pub fn assign(
    name: AssignorName,
    input: &AssignmentInput,
) -> Result<AssignmentOutput, AssignError> {
    if let Some(eager) = assignor::assign_range_or_roundrobin(name, input) {
        return eager;
    }
    // Without the split build everything is in one module: nothing to fetch.
    #[cfg(not(feature = "split"))]
    install();
    match STICKY.get() {
        Some(sticky) => sticky(name, input),
        None => {
            // A way in that does not install them: a bug, said where the journeys look.
            web_sys::console::error_1(
                &format!("Kafka Playground: the {name} assignor was used before it was loaded")
                    .into(),
            );
            Err(AssignError::NotLoaded { assignor: name })
        }
    }
}
