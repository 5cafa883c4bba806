fn main() {
    let path = std::env::args().nth(1).expect("file");
    let trace = std::env::args().nth(2).is_some();
    let text = std::fs::read_to_string(path).expect("read");
    let doc = kafka_sim::scenario::parse(&text).expect("valid");
    let run = kafka_sim::scenario::run(&doc, kafka_sim::SimOptions { trace_capacity: 100000, records_kept_per_log: u64::MAX, produced_kept: usize::MAX }).expect("run");
    if trace { for e in run.sim.trace().entries() { println!("{}", serde_json::to_string(e).unwrap()); } }
    println!("{}", serde_json::to_string_pretty(&kafka_sim::scenario::run_output(&doc, &run)).unwrap());
}
