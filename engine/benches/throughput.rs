//! Throughput benchmark: 1,000,000 records through RF 3, 3 brokers, 12 partitions.
//! Prints the median of several runs and the process's peak memory. Run with
//! `cargo bench -p kafka-sim --bench throughput`.

#[path = "workload.rs"]
mod workload;

use std::time::Instant;

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

fn main() {
    let records: u64 = std::env::var("RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let mut times = Vec::new();
    for run in 0..runs {
        let start = Instant::now();
        let outcome = workload::run(records, 10_000);
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(outcome.produced, records, "every record produced");
        assert_eq!(outcome.committed, records, "every record committed");
        println!(
            "run {run}: {:.3} s, {:.0} records/s, {} ms simulated",
            secs,
            records as f64 / secs,
            outcome.sim_ms
        );
        times.push(secs);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "median of {runs}: {median:.3} s = {:.0} records/s; peak memory {} MiB",
        records as f64 / median,
        peak_memory_kib().map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0))
    );
}
