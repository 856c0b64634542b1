//! Hostile input (issue 12): no scenario, link or command can hang the lab, exhaust its memory or
//! wrap a counter; what exceeds a limit is refused, or stopped with a sentence naming the step
//! and the limit.
// `.err().expect(..)` rather than `expect_err`: a failure then shows the message, not a whole
// scenario's Debug dump.
#![allow(clippy::err_expect)]
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use usnlab::model::budget::{grouped, MAX_COPIES, MAX_IN_FLIGHT, STEP_WORK, TOTAL_WORK};
use usnlab::scenario::Scenario;
use usnlab::session::{run_scenario, Action, Session};

fn read(doc: &Value) -> Result<Scenario, String> {
    Scenario::from_json(&doc.to_string()).map_err(|e| e.to_string())
}

fn servers(n: usize) -> Vec<Value> {
    (0..n).map(|i| json!({ "name": format!("S{i}") })).collect()
}

/// Runs `f`, failing if it takes longer than `secs` (a debug build, shared cores: generous).
fn within<T>(secs: u64, what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < Duration::from_secs(secs), "{what} took {took:?}");
    out
}

fn budget_refusals(s: &Session) -> Vec<String> {
    s.world().journal.refused.iter().filter(|r| r.error == "WORK_BUDGET").map(|r| r.text.clone()).collect()
}

// ----- bounded work ----------------------------------------------------------------------------

/// A 1 s periodic interval is below what the lab accepts; five servers' 60 s timers for ten
/// years are stopped by the step's budget, counting timer events, and say so.
#[test]
fn timers_count_toward_the_steps_budget() {
    let fast = json!({ "settings": { "periodic_sync_s": 1 }, "sites": [ { "name": "A", "servers": servers(1) } ],
        "steps": [ { "do": "run", "for_s": 315_360_000u64 } ] });
    let e = read(&fast).err().expect("refused");
    assert!(e.contains("periodic_sync_s"), "{e}");
    let sites: Vec<Value> = (0..5).map(|i| json!({ "name": format!("Site{i}"), "servers": [ { "name": format!("S{i}") } ] })).collect();
    let doc = json!({ "settings": { "periodic_sync_s": 60 }, "sites": sites, "steps": [ { "do": "run", "for_s": 315_360_000u64 } ] });
    let s = within(120, "ten years of five servers' 60 s timers", || run_scenario(read(&doc).unwrap()));
    let why = budget_refusals(&s);
    assert_eq!(why.len(), 1, "{why:?}");
    assert!(why[0].starts_with("Step 0 stopped") && why[0].contains(&grouped(STEP_WORK)), "{}", why[0]);
    assert!(s.world().work.total <= STEP_WORK + 10);
}

/// 200 one-server sites with a 60 s periodic interval: one Step of the page is bounded.
#[test]
fn one_advance_is_bounded_however_many_timers_are_due() {
    let sites: Vec<Value> = (0..200).map(|i| json!({ "name": format!("Site{i}"), "servers": [ { "name": format!("S{i}") } ] })).collect();
    let doc = json!({ "settings": { "periodic_sync_s": 60 }, "sites": sites, "steps": [ { "do": "run", "for_s": 315_360_000u64 } ] });
    let mut s = Session::new(read(&doc).unwrap());
    // The bound is the work budget, counted in units (deterministic); the clock only guards
    // against a hang, generously, since a debug build on loaded shared cores is slow.
    let r = within(300, "one advance", || s.advance()).expect("a report of the stop");
    assert!(s.world().work.total <= STEP_WORK + 10, "one advance did {} units", s.world().work.total);
    assert_eq!(r.kind, "limit");
    assert!(r.text.contains("Step 0 stopped"), "{}", r.text);
    assert_eq!(s.budget_stop(), Some(r.text.as_str()));
    assert!(s.script_done(), "the run ended where the budget ended");
}

/// 100 × "run for ten years" asks for more simulated time than the lab gives a session.
#[test]
fn runs_adding_up_past_a_century_are_refused_when_read() {
    let steps: Vec<Value> = (0..100).map(|_| json!({ "do": "run", "for_s": 315_360_000u64 })).collect();
    let doc = json!({ "sites": [ { "name": "A", "servers": servers(1) } ], "steps": steps });
    let e = read(&doc).err().expect("refused");
    assert!(e.starts_with("step 10:") && e.contains("100 years"), "{e}");
}

/// Creates whose objects × servers exceed what the lab holds are refused when read.
#[test]
fn creates_beyond_the_copies_the_lab_holds_are_refused_when_read() {
    let doc = json!({ "sites": [ { "name": "A", "servers": servers(2) } ],
        "steps": [ { "do": "create", "server": "S0", "name": "M", "count": 200_000 } ] });
    let e = read(&doc).err().expect("refused");
    assert!(e.starts_with("step 0:") && e.contains(&format!("{} object copies", grouped(MAX_COPIES))), "{e}");
}

/// 200 servers, 1,000 mailboxes, no notify pause: replication work is bounded (stopped at the
/// budget, or quiet before it), and so is what the queue carries.
#[test]
fn a_storm_of_two_hundred_servers_is_stopped_at_the_budget() {
    let doc = json!({ "settings": { "notify_pause_s": 0, "notify_stagger_s": 0 }, "sites": [ { "name": "A", "servers": servers(200) } ],
        "steps": [ { "do": "create", "server": "S0", "name": "M", "count": 1000 }, { "do": "run", "until": "quiet" } ] });
    let s = within(120, "the storm", || run_scenario(read(&doc).unwrap()));
    let why = budget_refusals(&s);
    assert!(why.is_empty() || why[0].starts_with("Step 1 stopped"), "{why:?}");
    let run_limit = s.world().journal.refused.iter().any(|r| r.error == "RUN_LIMIT");
    assert!(why.len() == 1 || run_limit || s.world().quiet(), "stopped at the budget or the run's event limit, or quiet");
    assert!(s.world().work.total <= TOTAL_WORK + 1_000_000);
    // What the queue carries is bounded too: past the limit a request is answered "busy".
    assert!(s.world().work.in_flight_copies <= MAX_IN_FLIGHT + 1000);
    assert!(s.world().journal.messages.iter().any(|m| m.failed.as_deref().is_some_and(|f| f.contains("in flight"))));
}

/// 200 one-server sites chained by DRCs, run until quiet: looking whether all is quiet costs
/// work too (every server's naming contexts against its partners), so the step stays bounded.
#[test]
fn two_hundred_sites_joined_by_drcs_are_bounded() {
    let sites: Vec<Value> = (0..200).map(|i| json!({ "name": format!("Site{i}"), "servers": [ { "name": format!("S{i}") } ] })).collect();
    let link = |i: usize| [format!("Site{i}"), format!("Site{}", i + 1)];
    let connectors: Vec<Value> = (0..199).map(|i| json!({ "kind": "site", "sites": link(i), "cost": 1 })).collect();
    let drcs: Vec<Value> = (0..199).map(|i| json!({ "sites": link(i), "bridgeheads": [format!("S{i}"), format!("S{}", i + 1)] })).collect();
    let mut steps: Vec<Value> = (0..200).map(|i| json!({ "do": "create", "server": format!("S{i}"), "name": "M" })).collect();
    steps.push(json!({ "do": "run", "until": "quiet" }));
    let doc = json!({ "settings": { "periodic_sync_s": 60 }, "sites": sites, "connectors": connectors, "drcs": drcs, "steps": steps });
    let s = within(180, "200 sites", || run_scenario(read(&doc).unwrap()));
    assert!(s.world().work.step <= STEP_WORK + 1000);
}

/// A link whose history creates 200,000 mailboxes twelve times: refused with the entry named.
#[test]
fn a_history_is_bounded_too() {
    let doc = json!({ "sites": [ { "name": "A", "servers": servers(1) } ], "steps": [] });
    let sc = read(&doc).unwrap();
    let create = |i: usize| {
        Action::from_value(json!({ "kind": "act", "cmd": { "do": "create", "server": "S0", "name": format!("M{i}"), "count": 200_000 } })).unwrap()
    };
    let s = within(120, "the replay", || Session::replay(sc.clone(), (0..12).map(create).collect(), 12)).expect("refusals are not errors");
    let why = budget_refusals(&s);
    assert_eq!(why.len(), 11, "the first create fits, the other eleven are refused: {why:?}");
    assert!(why[0].contains(&format!("{} object copies", grouped(MAX_COPIES))), "{}", why[0]);
    assert!(s.world().work.created <= MAX_COPIES);
    let long: Vec<Action> = (0..200_000).map(|_| Action::Advance).collect();
    let e = Session::replay(sc, long, 0).unwrap_err();
    assert!(e.contains("at most 100,000"), "{e}");
}

// ----- arithmetic ------------------------------------------------------------------------------

fn one_server(steps: Vec<Value>) -> Session {
    let doc = json!({ "sites": [ { "name": "A", "servers": servers(1) } ], "steps": steps });
    run_scenario(read(&doc).unwrap())
}

fn refusals(s: &Session, code: &str) -> Vec<String> {
    s.world().journal.refused.iter().filter(|r| r.error == code).map(|r| r.text.clone()).collect()
}

/// 65,536 bumps of 2^48 once took a USN back to 0: the ceiling refuses them from 2^60 on.
#[test]
fn bumps_stop_at_the_usn_ceiling() {
    let mut steps = vec![json!({ "do": "create", "server": "S0", "name": "M" })];
    // 8,192 of them would reach 2^61: enough to cross the ceiling, and quick in a debug build.
    steps.extend((0..8_192).map(|_| json!({ "do": "bump", "server": "S0", "by": 1u64 << 48 })));
    steps.push(json!({ "do": "modify", "server": "S0", "name": "M", "attrs": { "City": "Rome" } }));
    let s = one_server(steps);
    let usn = s.world().server("S0").usn;
    assert_eq!(usn, 1 + 4095 * (1 << 48) + 1, "raised up to the ceiling, then one write");
    let why = refusals(&s, "USN_CEILING");
    assert_eq!(why.len(), 8_192 - 4095);
    assert!(why[0].contains("1,152,921,504,606,846,976"), "{}", why[0]);
}

/// 65,536 Authrests of 2^48 once wrapped the counter; 4,300 of objver 10^6 wrapped Object-Version.
#[test]
fn authrests_stop_at_the_ceilings() {
    let mut steps = vec![json!({ "do": "create", "server": "S0", "name": "M" }), json!({ "do": "stop", "server": "S0" })];
    steps.extend((0..8_192).map(|_| json!({ "do": "authrest", "server": "S0", "objver": 0, "usn": 1u64 << 48 })));
    steps.extend((0..4_300).map(|_| json!({ "do": "authrest", "server": "S0", "objver": 1_000_000, "usn": 0 })));
    let s = one_server(steps);
    let w = s.world();
    assert!(w.server("S0").usn <= 1 << 60);
    let o = w.server("S0").ncs.values().flat_map(|r| r.iter()).next().unwrap();
    assert!(o.object_version <= 1 << 31 && o.object_version > 2_000_000_000, "{}", o.object_version);
    assert!(o.usn_changed <= 1 << 60);
    assert!(!refusals(&s, "USN_CEILING").is_empty() && !refusals(&s, "OBJVER_CEILING").is_empty());
}

/// Import of a million, again and again: refused before Object-Version or the USN would wrap.
#[test]
fn imports_stop_at_the_ceilings() {
    let steps: Vec<Value> = (0..2_200).map(|_| json!({ "do": "import", "server": "S0", "name": "M", "times": 1_000_000 })).collect();
    let s = one_server(steps);
    let o = s.world().server("S0").ncs.values().flat_map(|r| r.iter()).next().unwrap();
    assert!(o.object_version <= 1 << 31);
    assert!(!refusals(&s, "OBJVER_CEILING").is_empty());
}

/// A schedule with every_s near 2^64 once reported mail queued for 18 quintillion seconds.
#[test]
fn a_schedule_near_two_to_the_64_is_refused() {
    let doc = json!({ "sites": [ { "name": "A", "servers": servers(1) }, { "name": "B", "servers": [ { "name": "T0" } ] } ],
        "connectors": [ { "kind": "x400", "sites": ["A", "B"], "cost": 1, "schedule": { "every_s": u64::MAX - 5, "open_s": 1 } } ] });
    let e = read(&doc).err().expect("refused");
    assert!(e.contains("connectors[0]") && e.contains("30 days"), "{e}");
}

// ----- names and messages ----------------------------------------------------------------------

fn refused(doc: Value) -> String {
    read(&doc).err().expect("refused")
}

/// An organization or site name with '/' was accepted, then every write refused.
#[test]
fn names_that_would_break_a_distinguished_name_are_refused_when_read() {
    let e = refused(json!({ "org": "Acme/Evil", "sites": [ { "name": "A", "servers": servers(1) } ] }));
    assert!(e.contains("organization name \"Acme/Evil\"") && e.contains("'/'"), "{e}");
    let e = refused(json!({ "sites": [ { "name": "North/South", "servers": servers(1) } ] }));
    assert!(e.contains("site name \"North/South\""), "{e}");
    let e = refused(json!({ "sites": [ { "name": "A", "servers": [ { "name": "S\u{202e}1" } ] } ] }));
    assert!(e.contains("site \"A\": the server name \"S\\u{202e}1\""), "{e}");
}

/// A message quotes at most a short excerpt of a bad value, escaped.
#[test]
fn a_ten_megabyte_value_is_quoted_as_an_excerpt() {
    let huge = "9".repeat(10_000_000);
    for step in [
        json!({ "do": "bump", "server": "S0", "by": huge }),
        json!({ "do": "bump", "server": huge, "by": 1 }),
        json!({ "do": huge }),
        json!({ "do": "create", "server": "S0", "name": "M", "attrs": { "City": huge } }),
        json!({ "do": "run", "until": huge }),
        json!({ "do": "create", "server": "S0", "name": "M", huge.clone(): 1 }),
    ] {
        let e = refused(json!({ "sites": [ { "name": "A", "servers": servers(1) } ], "steps": [ step ] }));
        assert!(e.len() < 600 && e.starts_with("step 0:"), "{} characters: {}", e.len(), &e[..200.min(e.len())]);
    }
}

/// An ESC sequence in a backup label once retitled the terminal: it is refused, escaped.
#[test]
fn control_characters_are_refused_and_escaped_in_messages() {
    let e = refused(json!({ "sites": [ { "name": "A", "servers": servers(1) } ],
        "steps": [ { "do": "backup", "server": "S0", "label": "x\u{1b}]0;owned\u{7}" } ] }));
    assert!(!e.contains('\u{1b}') && e.contains("\\u{1b}"), "{e}");
}

/// Every message names where: which site, server, setting or step.
#[test]
fn messages_name_where() {
    let e = refused(json!({ "sites": [ { "name": "A", "servers": [ { "name": "S", "invocation_id": 5 } ] } ] }));
    assert!(e.contains("sites[0]") && e.contains("servers[0]") && e.contains("\"invocation_id\" must be text"), "{e}");
    let e = refused(json!({ "sites": [ { "name": "A", "servers": "S" } ] }));
    assert!(e.contains("sites[0] (\"A\")") && e.contains("\"servers\" must be a list"), "{e}");
    let e = refused(json!({ "settings": { "mail_hop_s": -1 }, "sites": [ { "name": "A", "servers": servers(1) } ] }));
    assert!(e.starts_with("settings: \"mail_hop_s\""), "{e}");
}

/// The CLI reading a file that is not UTF-8 names the byte, and refuses without a panic.
#[test]
fn the_cli_names_the_byte_where_utf8_breaks() {
    let path = std::env::temp_dir().join(format!("usnlab-hostile-{}.json", std::process::id()));
    std::fs::write(&path, b"{\"title\": \"caf\xe9\"}").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_usnlab")).arg("run").arg(&path).output().unwrap();
    let _ = std::fs::remove_file(&path);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not UTF-8") && err.contains("byte 14 (line 1) is 0xE9"), "{err}");
}
