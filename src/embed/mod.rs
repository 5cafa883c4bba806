//! The playground embedded in a course page (`index.html?embed`): its options, its thin
//! control bar, how it behaves as a guest (pausing out of view, reporting its height) and
//! the host-page API (`window.postMessage`, `docs/embedding.md`).

pub mod bar;
pub mod guest;
pub mod host;
pub mod options;
pub mod snippet;

pub use options::{Controls, EmbedOptions, Theme};
