//! How much memory the page's timeline holds while auto-producing, natively: the
//! process's resident memory and the size of a copy of the timeline and of the
//! simulation (a counting allocator) after each simulated minute of the `scripts/perf` load
//! (12 brokers, 64 partitions with RF 3, 500 records/s), advanced in 100 ms slices as the
//! playback loop does, with the page's options (`src/state.rs`; override with the
//! environment variables KEPT, TRACE and PRODUCED).
//!
//!   cargo run --release -p kafka-sim --example memory_probe [MINUTES] [RATE]

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    probe::main();
}

/// Native only: it reads /proc and counts allocations.
#[cfg(not(target_arch = "wasm32"))]
mod probe {
    use std::alloc::System;

    use kafka_sim::SimOptions;
    use kafka_sim::scenario::{Timeline, parse};
    use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

    #[global_allocator]
    static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

    /// Bytes allocated so far (never decreases): around a `clone`, the size of the copy.
    fn allocated() -> usize {
        GLOBAL.stats().bytes_allocated
    }

    /// The process's resident memory (Linux), in bytes.
    fn rss() -> usize {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmRSS:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
            })
            .map_or(0, |kb| kb * 1024)
    }

    fn env_or(name: &str, default: usize) -> usize {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }

    fn mib(b: usize) -> f64 {
        b as f64 / (1024.0 * 1024.0)
    }

    pub fn main() {
        let mut args = std::env::args().skip(1);
        let minutes: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
        let rate: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
        let doc = format!(
            r#"{{"version":1,"seed":1,"cluster":{{"brokers":12}},
            "topics":[{{"name":"orders","partitions":64,"replication_factor":3,"config":{{"min.insync.replicas":2}}}}],
            "producers":[{{"id":"load","client":"java","config":{{"acks":"all"}}}}],
            "steps":[{{"auto_produce":{{"producer":"load","topic":"orders","rate_per_sec":{rate},"keys":16}}}}]}}"#
        );
        let doc = parse(&doc).expect("the probe's scenario is valid");
        let options = SimOptions {
            records_kept_per_log: env_or("KEPT", 48) as u64,
            consumed_kept: 2_000,
            trace_capacity: env_or("TRACE", 4_000),
            produced_kept: env_or("PRODUCED", 4_000),
            ..SimOptions::default()
        };
        let mut t = Timeline::new(doc, options).expect("the probe's scenario runs");
        t.play_to_end().expect("set-up runs");
        // RSS: the whole process; timeline: a deep copy of the timeline (the simulation and
        // its checkpoints, without what they share); simulation: one copy of it alone.
        println!("minute  RSS MiB  timeline MiB  simulation MiB  batches  runs");
        for minute in 1..=minutes {
            for _ in 0..600 {
                t.advance(100).expect("advance");
            }
            let a = allocated();
            let copy = t.sim().clone();
            let one = allocated() - a;
            drop(copy);
            let a = allocated();
            let whole = t.clone();
            let timeline = allocated() - a;
            drop(whole);
            let (batches, runs) = kafka_sim::inspect::batches_held(t.sim());
            println!(
                "{minute:>6}  {:>7.1}  {:>12.1}  {:>14.1}  {batches:>7}  {runs:>4}",
                mib(rss()),
                mib(timeline),
                mib(one)
            );
        }
    }
}
