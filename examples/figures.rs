//! The core's figures for `make bench`, native (docs/performance.md):
//!   figures                      bytes per step, throughput, memory of stepping against running
//!   figures count S M            the messages it takes to set that scenario up (for wasm throughput)
//!   figures scenario S M         print the bench scenario: S servers in one site, M mailboxes
//!                                (each server creates M / S, then replication runs until quiet,
//!                                then 20 single changes a learner can step through)
//! Memory is counted by a global allocator that keeps the bytes in use.
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;
use usnlab::frame::{frame, Look};
use usnlab::scenario::Scenario;
use usnlab::session::{run_scenario, Session, Stepped};

struct Counting;
static IN_USE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        IN_USE.fetch_add(l.size(), Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        IN_USE.fetch_sub(l.size(), Relaxed);
        System.dealloc(p, l)
    }
}

#[global_allocator]
static A: Counting = Counting;

/// The bench scenario as JSON text.
fn scenario(servers: usize, mailboxes: usize) -> String {
    let names: Vec<String> = (1..=servers).map(|i| format!("S{i:02}")).collect();
    let list: Vec<String> = names.iter().map(|n| format!(r#"{{ "name": "{n}", "usn": 1000 }}"#)).collect();
    let mut steps: Vec<String> = names.iter().map(|n| format!(r#"{{ "do": "create", "server": "{n}", "name": "{n} user", "count": {} }}"#, mailboxes / servers)).collect();
    steps.push(r#"{ "do": "run" }"#.into());
    for i in 0..20 {
        let n = &names[i % servers];
        steps.push(format!(r#"{{ "do": "modify", "server": "{n}", "name": "{n} user 1", "attrs": {{ "Phone": "555-{i:04}" }} }}"#));
    }
    format!(
        r#"{{ "title": "Bench: {servers} servers, {mailboxes} mailboxes", "org": "Bench", "sites": [ {{ "name": "Main", "servers": [ {} ] }} ], "steps": [ {} ] }}"#,
        list.join(", "),
        steps.join(",\n ")
    )
}

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Opens the scenario at its first learner step, then measures ten steps.
fn figures(servers: usize, mailboxes: usize) {
    let sc = Scenario::from_json(&scenario(servers, mailboxes)).expect("the bench scenario reads");
    let before = IN_USE.load(Relaxed);
    let t = Instant::now();
    let ran = run_scenario(sc.clone());
    let run_s = t.elapsed().as_secs_f64();
    let events = ran.world().journal.messages.len();
    let running = IN_USE.load(Relaxed) - before;
    drop(ran);

    let before = IN_USE.load(Relaxed);
    let mut s = Session::new(sc.clone());
    let t = Instant::now();
    while !matches!(s.forward(), Stepped::Finished | Stepped::Question(_)) {}
    let step_s = t.elapsed().as_secs_f64();
    let stepping = IN_USE.load(Relaxed) - before;
    drop(s);

    let mut s = Session::new(sc);
    s.play_to(servers + 1, usize::MAX);
    let look = Look { selected: Some("S01".into()), ..Look::default() };
    let mut bytes = Vec::new();
    let t = Instant::now();
    for _ in 0..10 {
        s.forward();
        bytes.push(serde_json::to_string(&frame(&s, &look)).expect("plain JSON").len());
    }
    let per_step_ms = t.elapsed().as_secs_f64() * 100.0;
    println!("{servers} servers x {mailboxes} mailboxes:");
    println!("  a step and its frame: {per_step_ms:.2} ms native; frame {} bytes (JSON), {} to {}", bytes.iter().sum::<usize>() / bytes.len(), bytes.iter().min().unwrap(), bytes.iter().max().unwrap());
    println!("  throughput: {events} messages, run in {run_s:.2} s ({:.0} messages/s), stepped in {step_s:.2} s", events as f64 / run_s);
    println!("  memory: running {}, stepping {} ({:.2}x)", mib(running), mib(stepping), stepping as f64 / running.max(1) as f64);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, s, m] if cmd == "scenario" => print!("{}", scenario(s.parse().expect("servers"), m.parse().expect("mailboxes"))),
        [cmd, s, m] if cmd == "count" => {
            let servers: usize = s.parse().expect("servers");
            let mut session = Session::new(Scenario::from_json(&scenario(servers, m.parse().expect("mailboxes"))).expect("reads"));
            session.play_to(servers + 1, usize::MAX);
            println!("{}", session.world().journal.messages.len());
        }
        [] => {
            figures(2, 100);
            figures(20, 2500);
            figures(40, 5000);
        }
        _ => eprintln!("usage: figures [scenario SERVERS MAILBOXES]"),
    }
}
