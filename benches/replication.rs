//! Benchmarks: stepping with dozens of servers and thousands of objects, the cost of one
//! replication request as the directory grows (it should not) and as the changes sent grow (it
//! should), and rewinding a long history.
//!
//!   cargo bench --bench replication -- --warm-up-time 1 --measurement-time 2
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use serde_json::json;
use usnlab::commands::{Bump, Modify, UpdateNow};
use usnlab::scenario::{Command, Scenario};
use usnlab::session::Session;
use usnlab::frame as views;

/// `servers` servers in two sites joined by a DRC; the first holds `objects` mailboxes and all
/// of them have replicated everywhere.
fn big(servers: usize, objects: u64) -> Session {
    let site = |s: &str, from: usize, to: usize| json!({ "name": s, "servers": (from..to).map(|i| json!({ "name": format!("S{i:02}"), "usn": 1000 * i })).collect::<Vec<_>>() });
    let half = servers / 2;
    let doc = json!({
        "org": "Bench",
        "sites": [site("East", 0, half), site("West", half, servers)],
        "connectors": [{ "kind": "site", "sites": ["East", "West"], "cost": 1 }],
        "drcs": [{ "sites": ["East", "West"], "bridgeheads": ["S00", format!("S{half:02}")] }],
        "steps": [{ "do": "create", "server": "S01", "name": "User", "count": objects }, { "do": "run" }],
    });
    let mut s = Session::new(Scenario::from_json(&doc.to_string()).unwrap());
    s.run_script();
    s
}

/// Two servers, `objects` mailboxes replicated, then `changes` new modifications on A.
fn pair(objects: u64, changes: u64) -> Session {
    let doc = json!({
        "org": "Bench",
        "sites": [{ "name": "S", "servers": [{ "name": "A", "usn": 1 }, { "name": "B", "usn": 1 }] }],
        "steps": [{ "do": "create", "server": "A", "name": "User", "count": objects }, { "do": "run" }],
    });
    let mut s = Session::new(Scenario::from_json(&doc.to_string()).unwrap());
    s.run_script();
    for i in 1..=changes {
        let cmd = Command::Modify(Modify { server: "A".into(), name: Some(format!("User {i}")), dn: None, attrs: [("Phone".into(), "555".into())].into_iter().collect() });
        s.act(cmd);
    }
    s
}

fn stepping(c: &mut Criterion) {
    let mut g = c.benchmark_group("stepping: 40 servers, 5000 objects each");
    g.sample_size(20); // each sample copies a 200,000-object session first
    let base = big(40, 5000);
    g.bench_function("advance (one Notify, Request, Response or Write)", |b| {
        b.iter_batched(
            || {
                let mut s = base.clone();
                s.act(Command::Modify(Modify { server: "S03".into(), name: None, dn: Some("/o=Bench/ou=East/cn=Recipients/cn=User 7".into()), attrs: Default::default() }));
                s
            },
            |mut s| {
                for _ in 0..4 {
                    s.advance();
                }
                s
            },
            criterion::BatchSize::LargeInput,
        )
    });
    let look = views::Look { selected: Some("S05".into()), ..Default::default() };
    g.bench_function("frame (what the page draws each step)", |b| b.iter(|| views::frame(&base, &look)));
    g.bench_function("a page of 50 objects", |b| b.iter(|| views::objects(base.world().server("S05"), 0, 50)));
    g.finish();
}

/// One Update Now from B: a Request, a Response and a Write. (Routines return the session so
/// that dropping a large directory is not part of what is timed.)
fn one_pull(s: &mut Session) -> u64 {
    s.act(Command::UpdateNow(UpdateNow { server: "B".into(), from: Some("A".into()), refresh_all: false }));
    let mut objects = 0;
    while let Some(r) = s.advance() {
        if r.kind == "response" {
            objects = r.objects;
        }
        if r.kind == "write" {
            break;
        }
    }
    objects
}

fn request_cost(c: &mut Criterion) {
    let mut g = c.benchmark_group("one request carrying 10 changes, by directory size");
    for objects in [1_000u64, 10_000, 100_000] {
        let base = pair(objects, 10);
        g.bench_with_input(BenchmarkId::from_parameter(objects), &base, |b, base| {
            b.iter_batched(|| base.clone(), |mut s| { assert_eq!(one_pull(&mut s), 10); s }, criterion::BatchSize::LargeInput)
        });
    }
    g.finish();
    let mut g = c.benchmark_group("one request on 10000 objects, by changes sent");
    for changes in [10u64, 100, 1_000] {
        let base = pair(10_000, changes);
        g.bench_with_input(BenchmarkId::from_parameter(changes), &base, |b, base| {
            b.iter_batched(|| base.clone(), |mut s| { assert_eq!(one_pull(&mut s), changes); s }, criterion::BatchSize::LargeInput)
        });
    }
    g.finish();
}

fn rewinding(c: &mut Criterion) {
    let mut s = big(10, 200);
    for i in 0..2000 {
        s.act(Command::Bump(Bump { server: format!("S{:02}", i % 10), to: None, by: Some(1) }));
        s.advance();
    }
    let end = s.actions().len();
    c.bench_function("seek back 1000 actions in a 4000-action history", |b| {
        b.iter(|| {
            s.seek(end - 1000).unwrap();
            s.seek(end).unwrap();
        })
    });
}

criterion_group!(benches, stepping, request_cost, rewinding);
criterion_main!(benches);
