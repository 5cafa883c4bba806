use kafka_sim::*;
use kafka_sim::config::Acks;
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seed: u64 = args[0].parse().unwrap();
    let producer = |id: &str, client| { let mut config = ProducerConfig::defaults(client); config.acks = Acks::All; ProducerSpec { id: id.into(), config } };
    let setup = Setup { seed, latency_ms: 10, brokers: 3, config: ClusterConfig::default(),
        topics: vec![TopicSpec { name: "t".into(), partitions: 3, replication_factor: 3, min_insync_replicas: Some(2), unclean_leader_election_enable: Some(false), replica_assignment: None }],
        producers: vec![producer("java", Client::Java), producer("dotnet", Client::Dotnet)] };
    let mut sim = Simulation::new(&setup, SimOptions { trace_capacity: 100000, records_kept_per_log: u64::MAX, produced_kept: usize::MAX }).unwrap();
    let mut n = 0;
    for a in &args[1..] {
        let (c, rest) = a.split_at(1);
        match c {
            "P" => { n += 1; let who = if rest == "0" { "java" } else { "dotnet" }; sim.apply(Command::Produce { producer: who.into(), topic: "t".into(), key: None, value: Some(format!("v{n}")) }).unwrap(); }
            "A" => sim.advance(rest.parse().unwrap()).unwrap(),
            "S" => sim.apply(Command::StopBroker(BrokerId(rest.parse().unwrap()))).map(|_| ()).unwrap_or(()),
            "R" => sim.apply(Command::StartBroker(BrokerId(rest.parse().unwrap()))).map(|_| ()).unwrap_or(()),
            _ => panic!(),
        }
    }
    for b in 1..=3 { let _ = sim.apply(Command::StartBroker(BrokerId(b))); }
    sim.advance(400_000).unwrap();
    for e in sim.trace().entries() { let s = serde_json::to_string(e).unwrap(); if !s.contains("Queued") && !s.contains("RecordAppended") { println!("{s}"); } }
    let snap = sim.snapshot();
    for p in &snap.topics[0].partitions { println!("p{} leader {:?} isr {:?} hw {} epoch {}", p.partition, p.leader, p.isr, p.high_watermark, p.leader_epoch); for l in &p.logs { println!("   b{} {:?} leo {} hw {} recs {:?}", l.broker, l.role, l.log_end_offset, l.high_watermark, l.records.iter().map(|r| (r.offset.0, r.leader_epoch.0, r.value.clone())).collect::<Vec<_>>()); } }
}
