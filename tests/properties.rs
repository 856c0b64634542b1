//! Property tests over random scenarios on 2–6 servers: the invariants of the replication model.
//! Each scenario is written as JSON and read like a real file, then played event by event.
use proptest::prelude::*;
use serde_json::{json, Value};
use usnlab::model::messages::StepReport;
use usnlab::scenario::{Command, Scenario};
use usnlab::session::{run_scenario, Session};
use usnlab::model::world::World;

#[derive(Clone, Debug)]
enum Op {
    Create(usize, usize),
    Modify(usize, usize, u8),
    Delete(usize, usize),
    Bump(usize, u16),
    Cut(usize, usize),
    Mend(usize, usize),
    Stop(usize),
    Start(usize),
    UpdateNow(usize, bool),
    Run,
    RunFor(u16),
    Backup(usize, u8),
    Restore(usize, u8, bool),
    Expire(usize),
    Authrest(usize, u16),
}

fn op(restores: bool) -> impl Strategy<Value = Op> {
    let s = 0usize..6;
    let base = prop_oneof![
        3 => (s.clone(), 0usize..5).prop_map(|(a, b)| Op::Create(a, b)),
        3 => (s.clone(), 0usize..5, any::<u8>()).prop_map(|(a, b, c)| Op::Modify(a, b, c)),
        1 => (s.clone(), 0usize..5).prop_map(|(a, b)| Op::Delete(a, b)),
        1 => (s.clone(), 1u16..400).prop_map(|(a, b)| Op::Bump(a, b)),
        1 => (s.clone(), s.clone()).prop_map(|(a, b)| Op::Cut(a, b)),
        1 => (s.clone(), s.clone()).prop_map(|(a, b)| Op::Mend(a, b)),
        1 => s.clone().prop_map(Op::Stop),
        1 => s.clone().prop_map(Op::Start),
        1 => (s.clone(), any::<bool>()).prop_map(|(a, b)| Op::UpdateNow(a, b)),
        2 => Just(Op::Run),
        1 => (1u16..4000).prop_map(Op::RunFor),
    ];
    if !restores {
        return base.boxed();
    }
    prop_oneof![
        8 => base,
        1 => (s.clone(), 0u8..2).prop_map(|(a, b)| Op::Backup(a, b)),
        1 => (s.clone(), 0u8..2, any::<bool>()).prop_map(|(a, b, c)| Op::Restore(a, b, c)),
        1 => s.clone().prop_map(Op::Expire),
        1 => (s, 1u16..3000).prop_map(|(a, b)| Op::Authrest(a, b)),
    ]
    .boxed()
}

/// A one-site scenario of `n` servers playing `ops`; restores name only earlier backups.
fn scenario(n: usize, usns: &[u16], model: &str, ops: &[Op], heal: bool) -> Scenario {
    let name = |i: usize| format!("S{}", i % n);
    let servers: Vec<Value> = (0..n).map(|i| json!({ "name": name(i), "usn": usns[i] })).collect();
    let mut steps = Vec::new();
    let mut backups = std::collections::BTreeSet::new();
    for o in ops {
        let step = match o {
            Op::Create(s, m) => json!({ "do": "create", "server": name(*s), "name": format!("M{m}") }),
            Op::Modify(s, m, v) => json!({ "do": "modify", "server": name(*s), "name": format!("M{m}"), "attrs": { "Phone": v.to_string() } }),
            Op::Delete(s, m) => json!({ "do": "delete", "server": name(*s), "name": format!("M{m}") }),
            Op::Bump(s, by) => json!({ "do": "bump", "server": name(*s), "by": by }),
            Op::Cut(a, b) | Op::Mend(a, b) if a % n == b % n => continue,
            Op::Cut(a, b) => json!({ "do": "link", "between": [name(*a), name(*b)], "up": false }),
            Op::Mend(a, b) => json!({ "do": "link", "between": [name(*a), name(*b)], "up": true }),
            Op::Stop(s) => json!({ "do": "stop", "server": name(*s) }),
            Op::Start(s) => json!({ "do": "start", "server": name(*s) }),
            Op::UpdateNow(s, all) => json!({ "do": "update_now", "server": name(*s), "refresh_all": all }),
            Op::Run => json!({ "do": "run" }),
            Op::RunFor(t) => json!({ "do": "run", "for_s": t }),
            Op::Backup(s, l) => {
                backups.insert((s % n, *l));
                json!({ "do": "backup", "server": name(*s), "label": format!("L{l}") })
            }
            Op::Restore(s, l, _) if !backups.contains(&(s % n, *l)) => continue,
            Op::Restore(s, l, bs) => json!({ "do": "restore", "server": name(*s), "label": format!("L{l}"), "backsync": bs }),
            Op::Expire(s) => json!({ "do": "expire_backsync", "server": name(*s) }),
            Op::Authrest(s, u) => json!({ "do": "authrest", "server": name(*s), "objver": 0, "usn": u }),
        };
        steps.push(step);
    }
    if heal {
        for a in 0..n {
            for b in a + 1..n {
                steps.push(json!({ "do": "link", "between": [name(a), name(b)], "up": true }));
            }
            steps.push(json!({ "do": "start", "server": name(a) }));
        }
        steps.push(json!({ "do": "run" }));
    }
    let doc = json!({ "org": "P", "settings": { "model": model }, "sites": [ { "name": "Site", "servers": servers } ], "steps": steps });
    Scenario::from_json(&doc.to_string()).expect("generated scenarios are well formed")
}

fn usns() -> impl Strategy<Value = Vec<u16>> {
    prop::collection::vec(0u16..5000, 6)
}

/// Plays the whole script event by event, calling `check` after each step.
fn play(sc: Scenario, mut check: impl FnMut(&World, &World, &StepReport, &Scenario)) -> Session {
    let mut s = Session::one_way(sc.clone());
    let mut before = s.world().clone();
    let mut guard = 0;
    while !s.script_done() {
        let Some(r) = s.advance() else { break };
        check(&before, s.world(), &r, &sc);
        before = s.world().clone();
        guard += 1;
        assert!(guard < 200_000, "a scenario of this size goes quiet");
    }
    s
}

/// Every server's copy of every object in the site's naming context, by server.
fn replicas(w: &World) -> Vec<Vec<(String, u32, String, u64, bool, Vec<(String, String)>)>> {
    w.servers
        .iter()
        .map(|s| {
            let mut v: Vec<_> = s.ncs.values().flat_map(|r| r.iter()).map(|o| {
                (o.dn.clone(), o.object_version, o.dsa_signature.clone(), o.when_changed, o.deleted, o.attrs.clone().into_iter().collect())
            }).collect();
            v.sort();
            v
        })
        .collect()
}

fn is_restore_of(r: &StepReport, sc: &Scenario, server: &str) -> bool {
    r.kind == "action" && r.script_step.is_some_and(|i| matches!(&sc.steps[i].command, Command::Restore { server: s, .. } if s == server))
}

proptest! {
    // A fixed seed: CI runs the same 128 cases every time (a new random draw each run once found
    // a case slow enough to stall CI in a debug build). Change the seed to explore new cases.
    #![proptest_config(ProptestConfig {
        cases: 128,
        max_shrink_iters: 200,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x05A1_AB12),
        ..ProptestConfig::default()
    })]

    /// A server's USN counter never decreases, except when that server is restored.
    #[test]
    fn usn_counters_never_decrease_except_by_a_restore(n in 2usize..=6, u in usns(), ops in prop::collection::vec(op(true), 0..40)) {
        play(scenario(n, &u, "exchange55", &ops, false), |before, after, r, sc| {
            for (b, a) in before.servers.iter().zip(&after.servers) {
                assert!(a.usn >= b.usn || is_restore_of(r, sc, &a.name), "{}'s USN fell from {} to {} at {:?}", a.name, b.usn, a.usn, r.text);
            }
        });
    }

    /// With no faults left and the clock run until quiet, every replica of every object is the same.
    #[test]
    fn with_no_faults_every_replica_converges(n in 2usize..=6, u in usns(), ops in prop::collection::vec(op(false), 0..40)) {
        let s = run_scenario(scenario(n, &u, "exchange55", &ops, true));
        let w = s.world();
        prop_assert!(w.quiet());
        let all = replicas(w);
        for (i, r) in all.iter().enumerate().skip(1) {
            prop_assert_eq!(r, &all[0], "{} differs from {}", w.servers[i].name, w.servers[0].name);
        }
    }

    /// Without restores, no Reps-From watermark is ever above its source's USN.
    #[test]
    fn no_watermark_is_above_its_sources_usn(n in 2usize..=6, u in usns(), ops in prop::collection::vec(op(false), 0..40)) {
        play(scenario(n, &u, "exchange55", &ops, true), |_, w, r, _| {
            for s in &w.servers {
                for rep in s.ncs.values() {
                    for (p, link) in &rep.reps_from {
                        assert!(link.usn <= w.server(p).usn, "{}'s watermark for {p} is {} > {} after {:?}", s.name, link.usn, w.server(p).usn, r.text);
                    }
                }
            }
        });
    }

    /// Event 1224 is logged exactly when a request's watermark is above its source's USN.
    #[test]
    fn event_1224_is_logged_exactly_when_a_request_is_above_the_sources_usn(n in 2usize..=6, u in usns(), ops in prop::collection::vec(op(true), 0..40)) {
        let mut stalls = 0;
        play(scenario(n, &u, "exchange55", &ops, true), |_, w, r, _| {
            if let Some(m) = r.message.as_ref().filter(|m| m.kind == "request" && m.failed.is_none()) {
                let above = m.usn > w.server(&m.to).usn;
                let logged = r.events.iter().any(|e| e.id == 1224 && e.server == m.to);
                assert_eq!(above, logged, "request {:?}: above={above} logged={logged}", m.text);
                stalls += above as usize;
            } else {
                assert!(!r.events.iter().any(|e| e.id == 1224), "1224 without a request: {:?}", r.text);
            }
        });
        let _ = stalls;
    }

    /// Under Active Directory every replica converges after any supported restore.
    #[test]
    fn under_active_directory_replicas_converge_after_supported_restores(n in 2usize..=6, u in usns(), ops in prop::collection::vec(op(true), 0..40)) {
        let ops: Vec<Op> = ops.into_iter().filter(|o| !matches!(o, Op::Authrest(..))).collect();
        let s = run_scenario(scenario(n, &u, "active_directory", &ops, true));
        let w = s.world();
        prop_assert!(w.quiet());
        prop_assert!(w.servers.iter().all(|s| s.state.as_str() == "running"), "no supported restore is mistaken for a rollback");
        prop_assert!(!w.journal.events.iter().any(|e| e.id == 1224 || e.id == 2095));
        let all = replicas(w);
        for (i, r) in all.iter().enumerate().skip(1) {
            prop_assert_eq!(r, &all[0], "{} differs from {}", w.servers[i].name, w.servers[0].name);
        }
    }

    /// The same scenario gives byte-identical JSON every run.
    #[test]
    fn the_same_scenario_gives_the_same_report(n in 2usize..=6, u in usns(), ops in prop::collection::vec(op(true), 0..30)) {
        let sc = scenario(n, &u, "exchange55", &ops, true);
        let a = serde_json::to_string(&usnlab::report::report_json(&run_scenario(sc.clone()))).unwrap();
        let b = serde_json::to_string(&usnlab::report::report_json(&run_scenario(sc))).unwrap();
        prop_assert_eq!(a, b);
    }
}
