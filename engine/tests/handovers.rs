//! Partitions waiting for an owner in a rebalance, as the view model shows them: an
//! eager member gives up everything it owns before it rejoins
//! (`ConsumerCoordinator.onJoinPrepare`), a cooperative one only what moves (KIP-429,
//! `ConsumerCoordinator.onJoinComplete` revoking the difference).
#![cfg(not(target_arch = "wasm32"))]

use kafka_sim::SimOptions;
use kafka_sim::scenario::{Moment, parse, run_observed};

#[test]
fn eager_members_give_up_everything_cooperative_ones_only_what_moves() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scenarios/groups/eager-versus-cooperative-rebalance.json"
    ))
    .expect("the scenario");
    let doc = parse(&text).expect("valid");
    // Most partitions seen waiting for an owner at once, per group.
    let (mut eager, mut coop) = (0, 0);
    let mut last = None;
    run_observed(&doc, SimOptions::default(), &mut |moment, sim| {
        if moment != Moment::Event {
            return;
        }
        let snap = sim.snapshot();
        for g in &snap.groups {
            let waiting: usize = g.members.iter().map(|m| m.awaiting_owner.len()).sum();
            let most = if &*g.group == "eager" {
                &mut eager
            } else {
                &mut coop
            };
            *most = (*most).max(waiting);
            // What waits is owned by no running member.
            for m in &g.members {
                for tp in &m.awaiting_owner {
                    assert!(
                        !g.members.iter().any(|o| o.assignment.contains(tp)
                            && o.status == kafka_sim::snapshot::ConsumerStatus::Running),
                        "{tp} waits for an owner but {} has it",
                        m.consumer
                    );
                }
            }
        }
        last = Some(snap);
    })
    .expect("runs");
    // Six partitions over two members, then a third joins.
    assert_eq!(eager, 6, "the eager members gave up all six partitions");
    assert!(
        (1..=2).contains(&coop),
        "the cooperative members gave up only the partitions that move: {coop}"
    );
    let end = last.expect("events happened");
    assert!(
        end.groups
            .iter()
            .all(|g| g.members.iter().all(|m| m.awaiting_owner.is_empty())),
        "after the rebalance every partition has an owner"
    );
}
