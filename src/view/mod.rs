//! The views: each reads the playground's signals and turns clicks into commands. None
//! computes a Kafka rule; what they show comes from engine snapshots, journeys and events.

pub mod broker;
pub mod cells;
pub mod cluster;
pub mod console;
pub mod dock;
pub mod flights;
pub mod form;
pub mod groups;
pub mod header;
pub mod journey;
pub mod lag_chart;
pub mod log_row;
pub mod narration;
pub mod partitions;
pub mod producer_options;
pub mod producer_panel;
pub mod progressive;
pub mod run_for_real;
pub mod settings;
pub mod topic_form;
