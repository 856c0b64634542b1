//! Between sites, exactly: the article's intersite rules on small scenarios (mail only, a site's
//! Reps-From lists its own servers, DRCs checked in files, Init sync over mail links, connectors
//! a learner can break, the clock stopping where the script ends), then properties over random
//! site graphs.
use serde_json::{json, Value};
use usnlab::model::messages::Message;
use usnlab::scenario::{parse_command, Scenario};
use usnlab::session::{run_scenario, Session};
use usnlab::model::world::{nc_of_site, World};

/// Two sites: P (P1 bridgehead, P2) and Q (Q1 bridgehead), a DRC P1–Q1, and `connectors`.
fn two_sites(connectors: Value, steps: Value) -> Value {
    json!({
        "org": "O",
        "sites": [
            { "name": "P", "servers": [ { "name": "P1", "usn": 100 }, { "name": "P2", "usn": 200 } ] },
            { "name": "Q", "servers": [ { "name": "Q1", "usn": 300 } ] }
        ],
        "connectors": connectors,
        "drcs": [ { "sites": ["P", "Q"], "bridgeheads": ["P1", "Q1"] } ],
        "steps": steps
    })
}

fn play(doc: Value) -> Session {
    run_scenario(Scenario::from_value(doc).expect("test scenario parses"))
}

fn holds(w: &World, server: &str, name: &str) -> bool {
    w.server(server).ncs.values().any(|r| r.iter().any(|o| o.name() == name))
}

fn site_of<'a>(w: &'a World, server: &str) -> &'a str {
    &w.server(server).site
}

/// Messages whose two ends are in different sites.
fn crossing(w: &World) -> Vec<&Message> {
    w.journal.messages.iter().filter(|m| m.kind != "write" && site_of(w, &m.from) != site_of(w, &m.to)).collect()
}

const X400: fn() -> Value = || json!([ { "kind": "x400", "sites": ["P", "Q"], "cost": 5 } ]);

// ----- 1. Between sites, only mail ------------------------------------------------------------

#[test]
fn every_message_between_sites_is_mail_on_a_route() {
    let s = play(two_sites(X400(), json!([ { "do": "create", "server": "Q1", "name": "Quinn" }, { "do": "run" } ])));
    let w = s.world();
    assert!(holds(w, "P2", "Quinn"), "the mailbox reaches the far server of the other site");
    let mail = crossing(w);
    assert!(!mail.is_empty());
    for m in mail {
        assert_eq!(m.kind, "mail", "{}", m.text);
        assert_eq!(m.route.as_deref(), Some(&[site_of(w, &m.from).to_string(), site_of(w, &m.to).to_string()][..]), "{}", m.text);
    }
}

/// A server that missed its site partner's notification gets the other site's naming context
/// at the next pull, once: the pull asks for it apart, and its request for its own naming context
/// is not answered with the same objects again.
#[test]
fn a_pull_fetches_a_missing_naming_context_once() {
    let steps = json!([
        { "do": "link", "between": ["P1", "P2"], "up": false },
        { "do": "create", "server": "Q1", "name": "Quinn" },
        { "do": "run", "for_s": 600 },
        { "do": "link", "between": ["P1", "P2"], "up": true },
        { "do": "run" }
    ]);
    let s = play(two_sites(X400(), steps));
    let w = s.world();
    assert!(holds(w, "P1", "Quinn") && holds(w, "P2", "Quinn"));
    let q_nc = nc_of_site("O", "Q");
    let sent: u64 = w.journal.messages.iter().filter(|m| m.kind == "response" && m.from == "P1" && m.to == "P2" && m.failed.is_none()).map(|m| m.objects).sum();
    assert_eq!(sent, 1, "Quinn crosses from P1 to P2 once");
    let asked = w.journal.messages.iter().filter(|m| m.kind == "request" && m.from == "P2" && m.to == "P1" && m.nc == q_nc && m.failed.is_none()).count();
    assert_eq!(asked, 1, "P2 asks for {q_nc} once");
}

#[test]
fn a_drc_without_a_messaging_connector_sends_nothing_by_rpc_and_says_why() {
    let steps = json!([ { "do": "create", "server": "Q1", "name": "Quinn" }, { "do": "run", "for_s": 11000 } ]);
    let s = play(two_sites(json!([]), steps));
    let w = s.world();
    assert!(!holds(w, "P1", "Quinn"));
    let mail = crossing(w);
    assert_eq!(mail.len(), 4, "each bridgehead's pull when the DRC is made and 3 hours later, nothing else");
    for m in mail {
        assert_eq!(m.kind, "mail");
        assert_eq!(m.route, None);
        let why = m.failed.as_deref().expect("it fails");
        assert!(why.contains("no route of messaging connectors") && why.contains("only mail"), "{why}");
        assert!(m.time_s == 0 || m.time_s == 10_800);
    }
}

#[test]
fn a_restored_bridgeheads_backsync_waits_for_the_connectors_schedule() {
    let conn = json!([ { "kind": "x400", "sites": ["P", "Q"], "cost": 5, "schedule": { "every_s": 3600, "open_s": 600 } } ]);
    let steps = json!([
        { "do": "create", "server": "Q1", "name": "Quinn" },
        { "do": "run" },
        { "do": "backup", "server": "P1", "label": "b" },
        { "do": "run", "for_s": 1000 },
        { "do": "restore", "server": "P1", "label": "b" },
        { "do": "run", "for_s": 7200 }
    ]);
    let s = play(two_sites(conn, steps));
    let w = s.world();
    let restored_at = w.journal.events.iter().find(|e| e.id == 1107).expect("backsync begins").time_s;
    let backsync: Vec<&Message> = w.journal.messages.iter().filter(|m| m.trigger == Some("backsync") && m.to == "Q1").collect();
    assert_eq!(backsync.len(), 1);
    let m = backsync[0];
    assert_eq!(m.kind, "mail");
    assert_eq!(m.sent_s, Some(restored_at));
    assert!(restored_at % 3600 >= 600, "the connector is closed when the restore happens");
    assert_eq!(m.time_s, (restored_at / 3600 + 1) * 3600 + 60, "it waits for the connector to open, then one hop");
    assert!(m.queued_s.unwrap() > 0);
}

// ----- 2. A site's Reps-From lists its own servers ----------------------------------------------

#[test]
fn a_sites_naming_context_lists_only_its_own_servers_and_the_gap_counts_only_them() {
    let steps = json!([
        { "do": "create", "server": "P2", "name": "Pat" },
        { "do": "create", "server": "Q1", "name": "Quinn" },
        { "do": "run" },
        { "do": "measure", "server": "P1" }
    ]);
    let s = play(two_sites(X400(), steps));
    let w = s.world();
    for srv in &w.servers {
        let own = nc_of_site(&w.org, &srv.site);
        for p in srv.ncs[&own].reps_from.keys() {
            assert_eq!(site_of(w, p), srv.site, "{}'s {} lists {p}", srv.name, own);
        }
    }
    assert!(holds(w, "Q1", "Pat") && holds(w, "P2", "Quinn"));
    let gap = &w.journal.measurements[0];
    let partners: Vec<&str> = gap.partners.iter().map(|p| p.partner.as_str()).collect();
    assert_eq!(partners, ["P2"]);
    // The other site's naming context still comes by mail.
    let q_nc = nc_of_site(&w.org, "Q");
    let link = &w.server("P1").ncs[&q_nc].reps_from["Q1"];
    assert_eq!(link.flags, 224);
}

// ----- 3. DRCs in a file are checked like add_drc -----------------------------------------------

fn three_sites(drcs: Value) -> Result<Scenario, String> {
    let doc = json!({
        "sites": [
            { "name": "S1", "servers": [ { "name": "A" }, { "name": "A2" } ] },
            { "name": "S2", "servers": [ { "name": "B" } ] },
            { "name": "S3", "servers": [ { "name": "C" } ] }
        ],
        "drcs": drcs
    });
    Scenario::from_value(doc).map_err(|e| e.to_string())
}

#[test]
fn a_loop_of_drcs_in_a_file_is_rejected_with_the_index_and_why() {
    let d = |a: &str, b: &str, x: &str, y: &str| json!({ "sites": [a, b], "bridgeheads": [x, y] });
    assert!(three_sites(json!([d("S1", "S2", "A", "B"), d("S2", "S3", "B", "C")])).is_ok());
    let e = three_sites(json!([d("S1", "S2", "A", "B"), d("S2", "S3", "B", "C"), d("S3", "S1", "C", "A2")])).unwrap_err();
    assert!(e.starts_with("drcs[2]: S3 and S1 are already joined"), "{e}");
    assert!(e.contains("N-1"), "{e}");
    let e = three_sites(json!([d("S1", "S2", "A", "B"), d("S2", "S1", "B", "A2")])).unwrap_err();
    assert!(e.starts_with("drcs[1]: it repeats drcs[0]"), "{e}");
    let e = three_sites(json!([d("S1", "S2", "B", "A")])).unwrap_err();
    assert!(e.contains("drcs[0]: bridgehead \"B\" is not in site \"S1\""), "{e}");
}

#[test]
fn a_rejected_file_exits_2_naming_the_drc() {
    let dir = std::env::temp_dir().join(format!("usnlab-drc-loop-{}.json", std::process::id()));
    let d = |a: &str, b: &str, x: &str, y: &str| json!({ "sites": [a, b], "bridgeheads": [x, y] });
    let doc = json!({
        "sites": [ { "name": "S1", "servers": [ { "name": "A" } ] }, { "name": "S2", "servers": [ { "name": "B" } ] }, { "name": "S3", "servers": [ { "name": "C" } ] } ],
        "drcs": [d("S1", "S2", "A", "B"), d("S2", "S3", "B", "C"), d("S3", "S1", "C", "A")]
    });
    std::fs::write(&dir, doc.to_string()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_usnlab")).arg("run").arg(&dir).output().unwrap();
    std::fs::remove_file(&dir).ok();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("drcs[2]"), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Organization O: sites P (P1 at USN 100, and P2 at 200 when `two_in_p`), Q (Q1 at 300) and R
/// (R1 at 400), joined by `connectors`, with `drcs` and `steps`.
fn sites_pqr(two_in_p: bool, connectors: Value, drcs: Value, steps: Value) -> Value {
    let mut p = vec![json!({ "name": "P1", "usn": 100 })];
    if two_in_p {
        p.push(json!({ "name": "P2", "usn": 200 }));
    }
    json!({
        "org": "O",
        "sites": [
            { "name": "P", "servers": p },
            { "name": "Q", "servers": [ { "name": "Q1", "usn": 300 } ] },
            { "name": "R", "servers": [ { "name": "R1", "usn": 400 } ] }
        ],
        "connectors": connectors,
        "drcs": drcs,
        "steps": steps
    })
}

/// P, Q and R, each pair joined by an X.400 connector, no DRC yet: `steps` add them.
fn three_unjoined(steps: Value) -> Value {
    let x400 = |a: &str, b: &str| json!({ "kind": "x400", "sites": [a, b], "cost": 1 });
    sites_pqr(false, json!([x400("P", "Q"), x400("Q", "R"), x400("P", "R")]), json!([]), steps)
}

fn add_drc(a: &str, b: &str, x: &str, y: &str) -> Value {
    json!({ "do": "add_drc", "sites": [a, b], "bridgeheads": [x, y] })
}

/// The article: "If you install all the directory replication connectors before Exchange knows
/// about all the replication paths, directory replication won't initialize." P has not pulled
/// from Q, so it does not know Q–R: P–R is installed, but no pull ever crosses it.
#[test]
fn a_drc_installed_before_its_site_knows_every_path_wont_initialize() {
    let steps = json!([add_drc("P", "Q", "P1", "Q1"), add_drc("Q", "R", "Q1", "R1"), add_drc("P", "R", "P1", "R1"),
        { "do": "create", "server": "R1", "name": "Rita" }, { "do": "run" }]);
    let doc = three_unjoined(steps);
    let text = usnlab::report::transcript(&Scenario::from_value(doc.clone()).unwrap());
    let s = play(doc);
    let w = s.world();
    assert_eq!(w.drcs.len(), 3);
    assert_eq!(w.drcs_idle.keys().copied().collect::<Vec<_>>(), [2], "only P–R is idle");
    assert!(w.journal.refused.is_empty(), "nothing refused: P was not aware of Q–R");
    assert!(text.contains("directory replication over it won't initialize: it was installed before Exchange in P knew about all the replication paths, and connectors already join the two sites through Q."), "{text}");
    let direct = |m: &&Message| [m.from.as_str(), m.to.as_str()] == ["P1", "R1"] || [m.from.as_str(), m.to.as_str()] == ["R1", "P1"];
    assert_eq!(w.journal.messages.iter().filter(direct).count(), 0, "no request or answer crosses the idle connector");
    assert!(holds(w, "P1", "Rita"), "Rita reaches P over the working chain, through Q");
}

/// Directory replication brings the connectors a site knows of: once P has pulled from Q, it
/// is aware of Q–R, and Exchange won't let you configure P–R.
#[test]
fn once_replication_brings_the_other_connectors_a_redundant_drc_is_refused() {
    let steps = json!([add_drc("P", "Q", "P1", "Q1"), add_drc("Q", "R", "Q1", "R1"), { "do": "create", "server": "R1", "name": "Rita" },
        { "do": "run" }, add_drc("P", "R", "P1", "R1")]);
    let s = play(three_unjoined(steps));
    let w = s.world();
    assert_eq!(w.drcs.len(), 2, "P–R was not installed");
    assert!(w.drcs_idle.is_empty());
    let refused: Vec<_> = w.journal.refused.iter().map(|r| (r.step, &r.error[..])).collect();
    assert_eq!(refused, [(Some(4), "DRC_REDUNDANT")]);
    assert_eq!(w.drc_known_by.iter().map(|k| k.contains("P")).collect::<Vec<_>>(), [true, true], "P knows both");
}

// ----- 4. Init sync on every Init link ---------------------------------------------------------

#[test]
fn a_starting_bridgehead_asks_its_remote_partner_by_mail_at_once() {
    let steps = json!([
        { "do": "create", "server": "Q1", "name": "Quinn" },
        { "do": "run" },
        { "do": "stop", "server": "P1" },
        { "do": "create", "server": "Q1", "name": "Quinn 2" },
        { "do": "run", "for_s": 60 },
        { "do": "start", "server": "P1" },
        { "do": "run", "for_s": 600 }
    ]);
    let s = play(two_sites(X400(), steps));
    let w = s.world();
    let init: Vec<&Message> = w.journal.messages.iter().filter(|m| m.step == Some(6) && m.trigger == Some("init") && m.to == "Q1").collect();
    assert_eq!(init.len(), 1, "one Init request over the mail link");
    assert_eq!(init[0].kind, "mail");
    assert!(init[0].text.contains("Init sync"), "{}", init[0].text);
    assert!(holds(w, "P1", "Quinn 2"), "the first pull across sites does not wait for the 3-hour schedule");
}

// ----- 5. Connectors a learner can break -------------------------------------------------------

/// P–Q direct (cost 5), and P–R–Q (2 + 2); R has one server.
fn triangle(steps: Value) -> Value {
    let connectors = json!([
        { "kind": "x400", "sites": ["P", "Q"], "cost": 5 },
        { "kind": "site", "sites": ["P", "R"], "cost": 2 },
        { "kind": "ras", "sites": ["R", "Q"], "cost": 2 }
    ]);
    sites_pqr(true, connectors, json!([ { "sites": ["P", "Q"], "bridgeheads": ["P1", "Q1"] } ]), steps)
}

fn routes_in_step(w: &World, step: usize) -> Vec<Vec<String>> {
    w.journal.messages.iter().filter(|m| m.step == Some(step) && m.kind == "mail").filter_map(|m| m.route.clone()).collect()
}

#[test]
fn with_the_cheapest_connector_down_the_mta_takes_the_backup_route() {
    let steps = json!([
        { "do": "run" },
        { "do": "connector", "sites": ["R", "Q"], "up": false },
        { "do": "create", "server": "Q1", "name": "Quinn" },
        { "do": "run" }
    ]);
    let s = play(triangle(steps));
    let w = s.world();
    assert!(routes_in_step(w, 0).iter().all(|r| r.len() == 3), "cost 4 via R while every connector is up");
    let later = routes_in_step(w, 3);
    assert!(!later.is_empty());
    assert!(later.iter().all(|r| r.len() == 2), "the direct cost-5 connector is the backup path: {later:?}");
    assert!(holds(w, "P2", "Quinn"));
}

#[test]
fn with_no_route_up_mail_waits_in_the_mta_queue_and_goes_when_a_connector_comes_up() {
    let steps = json!([
        { "do": "run" },
        { "do": "connector", "sites": ["P", "Q"], "up": false },
        { "do": "connector", "sites": ["P", "R"], "up": false },
        { "do": "create", "server": "Q1", "name": "Quinn" },
        { "do": "run", "for_s": 20000 },
        { "do": "connector", "sites": ["P", "Q"], "kind": "x400", "up": true },
        { "do": "run" }
    ]);
    let mut sc = Scenario::from_value(triangle(steps)).unwrap();
    let last = sc.steps.pop().unwrap();
    let up = sc.steps.pop().unwrap();
    let mut s = run_scenario(sc.clone());
    let w = s.world();
    assert!(!holds(w, "P1", "Quinn"));
    assert!(crossing(w).iter().all(|m| m.step != Some(4) || m.kind != "mail" || m.failed.is_none()));
    assert!(!w.mta_queue().is_empty(), "the scheduled pulls wait in the MTA queue");
    assert!(w.quiet(), "waiting mail does not keep `run` going");
    let report = usnlab::report::report_json(&s);
    assert!(report["mta_queue"].as_array().is_some_and(|q| q.iter().any(|m| m["from"] == "P1" && m["to"] == "Q1" && m["carries"] == "request")));
    let text = usnlab::report::transcript(&sc);
    assert!(text.contains("P1's request to Q1 waits in P's MTA queue: no route of messaging connectors from P to Q is up."), "{text}");
    assert!(text.contains("In the MTA queue, waiting for a route: P1's request to Q1"));
    let r = s.act(up.command.clone());
    assert!(r.refused.is_none(), "{:?}", r.refused);
    s.act(last.command.clone());
    let w = s.world();
    assert!(w.mta_queue().is_empty());
    assert!(holds(w, "P2", "Quinn"));
    let late: Vec<&Message> = w.journal.messages.iter().filter(|m| m.kind == "mail" && m.sent_s.is_some_and(|t| t < 20000) && m.time_s > 20000).collect();
    assert!(!late.is_empty(), "mail handed over while no route was up arrives after the connector comes up");
    assert!(late.iter().all(|m| m.route.as_ref().is_some_and(|r| r.len() == 2) && m.queued_s.unwrap() > 0));
}

#[test]
fn a_connector_step_names_connectors_that_exist_and_a_kind_when_there_are_several() {
    let both = |steps: Value| {
        let mut doc = triangle(steps);
        doc["connectors"].as_array_mut().unwrap().push(json!({ "kind": "site", "sites": ["Q", "P"], "cost": 1 }));
        Scenario::from_value(doc).map_err(|e| e.to_string())
    };
    let e = both(json!([ { "do": "connector", "sites": ["P", "Q"], "up": false } ])).unwrap_err();
    assert!(e.starts_with("step 0: P and Q share more than one kind of messaging connector (site, x400)"), "{e}");
    assert!(both(json!([ { "do": "connector", "sites": ["P", "Q"], "kind": "site", "up": false } ])).is_ok());
    let e = both(json!([ { "do": "connector", "sites": ["P", "Q"], "kind": "ims", "up": false } ])).unwrap_err();
    assert!(e.contains("no ims messaging connector joins P and Q"), "{e}");
    let e = both(json!([ { "do": "connector", "sites": ["P", "Z"], "up": false } ])).unwrap_err();
    assert!(e.contains("unknown site \"Z\""), "{e}");
    let sc = both(json!([])).unwrap();
    let cmd = parse_command(json!({ "do": "connector", "sites": ["R", "Q"], "up": false })).unwrap();
    assert_eq!(sc.known_after_script().check_live(&cmd), Ok(()));
    let mut s = Session::new(sc);
    assert!(s.act(cmd.clone()).refused.is_none());
    assert_eq!(s.act(cmd).refused.map(|r| r.error), Some("ALREADY_DOWN"));
    let r = s.act(parse_command(json!({ "do": "connector", "sites": ["P", "Q"], "up": false })).unwrap());
    assert_eq!(r.refused.map(|r| r.error), Some("CONNECTOR_AMBIGUOUS"));
}

#[test]
fn mail_in_transit_over_a_connector_that_goes_down_is_routed_again() {
    let steps = json!([
        { "do": "create", "server": "Q1", "name": "Quinn" },
        { "do": "step", "count": 1 },
        { "do": "connector", "sites": ["R", "Q"], "up": false },
        { "do": "run" }
    ]);
    let s = play(triangle(steps));
    let w = s.world();
    assert!(holds(w, "P2", "Quinn"));
    let mail: Vec<&Message> = w.journal.messages.iter().filter(|m| m.kind == "mail").collect();
    assert_eq!(mail[0].route.as_ref().map(Vec::len), Some(3), "delivered via R before the break");
    assert!(mail[1..].iter().all(|m| m.route.as_ref().is_some_and(|r| r.len() == 2)), "after the break only the direct route is used");
    let rerouted = &mail[1];
    assert_eq!((rerouted.from.as_str(), rerouted.sent_s, rerouted.time_s), ("Q1", Some(0), 120 + 60), "re-routed from its sender's site at the break");
}

// ----- 6. The clock stops where the script ends -------------------------------------------------

/// One site of two servers: a mailbox created on A, then the clock run for `for_s`.
fn create_then_run_for(for_s: u64) -> Session {
    play(json!({
        "sites": [ { "name": "S", "servers": [ { "name": "A" }, { "name": "B" } ] } ],
        "steps": [ { "do": "create", "server": "A", "name": "M" }, { "do": "run", "for_s": for_s } ]
    }))
}

#[test]
fn nothing_runs_after_the_last_steps_end() {
    let s = create_then_run_for(100);
    let w = s.world();
    assert_eq!(w.time, 100);
    assert!(w.journal.messages.is_empty(), "the notify pause (300 s) has not ended by 100 s");
    let s = create_then_run_for(310);
    let w = s.world();
    assert_eq!(w.time, 310);
    assert!(!w.journal.messages.is_empty());
    assert!(w.journal.messages.iter().all(|m| m.step == Some(1) && m.time_s <= 310));
}

// ----- The sites lesson's answers -------------------------------------------------------------

#[test]
fn the_sites_lesson_shows_the_backup_path_then_the_mta_queue() {
    let s = run_scenario(usnlab::scenario::builtins::load("sites").expect("built in"));
    let w = s.world();
    let route = |step: usize| -> Vec<Vec<String>> {
        w.journal.messages.iter().filter(|m| m.step == Some(step) && m.from == "ServerX" && m.to == "ServerA" && m.carries == Some("response")).filter_map(|m| m.route.clone()).collect()
    };
    let sites = |names: &[&str]| names.iter().map(|n| format!("Site {n}")).collect::<Vec<_>>();
    assert!(route(2).iter().all(|r| *r == sites(&["2", "5", "3", "4", "1"])), "cost 7 with every connector up");
    assert!(!route(6).is_empty() && route(6).iter().all(|r| *r == sites(&["2", "5", "4", "1"])), "cost 8 with the Site 3-Site 4 connector down");
    let between_1_and_2 = |step: usize| w.journal.messages.iter().filter(|m| m.step == Some(step) && m.kind == "mail" && [&m.from, &m.to].iter().any(|n| n.as_str() == "ServerA")).count();
    assert_eq!(between_1_and_2(10), 0, "the pulls wait in the MTA queue");
    assert!(between_1_and_2(12) > 0);
    assert!(holds(w, "ServerB", "Zara Lin"));
    assert!(w.mta_queue().is_empty());
}

// ----- 8. Choices written down: Refresh All Items, and how far a storm spreads -------------------

/// One site A (restored), B, C: B's and C's watermarks for A are 1500, A's USN is 1002.
fn stalled_site(extra: Value) -> Value {
    let mut steps = vec![
        json!({ "do": "create", "server": "A", "name": "Mailbox A" }),
        json!({ "do": "run" }),
        json!({ "do": "backup", "server": "A", "label": "Monday" }),
        json!({ "do": "bump", "server": "A", "to": 1500 }),
        json!({ "do": "update_now", "server": "B" }),
        json!({ "do": "update_now", "server": "C" }),
        json!({ "do": "run" }),
        json!({ "do": "restore", "server": "A", "label": "Monday", "backsync": false }),
        json!({ "do": "run" }),
    ];
    steps.extend(extra.as_array().cloned().unwrap_or_default());
    json!({
        "org": "O",
        "sites": [ { "name": "S", "servers": [ { "name": "A", "usn": 1000 }, { "name": "B", "usn": 5000 }, { "name": "C", "usn": 7000 } ] } ],
        "steps": steps
    })
}

#[test]
fn refresh_all_items_resets_that_one_partners_watermark_and_ends_its_stall_only() {
    let s = play(stalled_site(json!([
        { "do": "update_now", "server": "B", "from": "A", "refresh_all": true },
        { "do": "run" },
        { "do": "create", "server": "A", "name": "New Hire" },
        { "do": "run" }
    ])));
    let w = s.world();
    let nc = nc_of_site(&w.org, "S");
    assert_eq!(w.server("B").ncs[&nc].reps_from["A"].usn, 1002, "B's watermark for A is A's highest USN after the refresh");
    assert!(holds(w, "B", "New Hire"), "B's stall has ended");
    assert_eq!(w.server("C").ncs[&nc].reps_from["A"].usn, 1500, "C's watermark for A is untouched: its stall goes on");
    assert!(w.journal.events.iter().any(|e| e.id == 1224 && e.time_s > 0 && e.text.contains("C asked")));
    let relayed = w.journal.messages.iter().any(|m| m.kind == "write" && m.from == "B" && m.to == "C" && m.objects == 1);
    assert!(relayed && holds(w, "C", "New Hire"), "C gets New Hire only through B");
}

#[test]
fn an_authrest_storm_reaches_the_servers_that_pull_from_the_restored_one_and_stops_there() {
    // A is Site 1's bridgehead to Site 2 (X); Site 2's Y pulls only from X.
    let doc = json!({
        "org": "O",
        "sites": [
            { "name": "S1", "servers": [ { "name": "A", "usn": 1000 }, { "name": "B", "usn": 5000 } ] },
            { "name": "S2", "servers": [ { "name": "X", "usn": 7000 }, { "name": "Y", "usn": 9000 } ] }
        ],
        "connectors": [ { "kind": "site", "sites": ["S1", "S2"], "cost": 1 } ],
        "drcs": [ { "sites": ["S1", "S2"], "bridgeheads": ["A", "X"] } ],
        "steps": [
            { "do": "create", "server": "A", "name": "Staff", "count": 5 },
            { "do": "create", "server": "Y", "name": "Remote", "count": 5 },
            { "do": "run" },
            { "do": "stop", "server": "A" },
            { "do": "authrest", "server": "A", "objver": 0, "usn": 100000 },
            { "do": "start", "server": "A" },
            { "do": "run" }
        ]
    });
    let s = play(doc);
    let w = s.world();
    let sent_to = |who: &str| w.journal.messages.iter().filter(|m| m.step == Some(6) && m.from == "A" && m.to == who && (m.kind == "response" || m.carries == Some("response"))).map(|m| m.objects).sum::<u64>();
    assert_eq!(sent_to("B"), 10, "every object A holds, to its site partner");
    assert_eq!(sent_to("X"), 5, "its own site's objects to the remote bridgehead (X's own site's come from X's site)");
    let later: Vec<&Message> = w.journal.messages.iter().filter(|m| m.step == Some(6) && m.kind == "write" && m.objects > 0).collect();
    assert!(later.is_empty(), "every copy is discarded (same Object-Version): nothing is written, so nothing spreads further");
    assert!(!w.journal.messages.iter().any(|m| m.step == Some(6) && m.to == "Y" && m.objects > 0), "Y, two hops away, receives nothing");
}

// ----- Properties over random site graphs --------------------------------------------------------
//
// The seed changes every run (the clock), or comes from USNLAB_INTERSITE_SEED; it is printed
// first, so a failing run shows it (the test harness prints a failing test's output).

mod graphs {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed, TestRunner};

    const KINDS: [&str; 4] = ["site", "x400", "ras", "ims"];

    #[derive(Clone, Debug)]
    pub struct Graph {
        /// Servers per site.
        sizes: Vec<usize>,
        /// (parent site, bridgehead in parent, bridgehead in child) for sites 1..
        drcs: Vec<(usize, usize, usize)>,
        /// (site a, site b, kind, cost, one way, scheduled)
        connectors: Vec<(usize, usize, usize, u32, bool, bool)>,
    }

    #[derive(Clone, Debug)]
    pub enum Op {
        Create(usize, usize),
        Modify(usize, usize, u8),
        Run,
        RunFor(u16),
        Connector(usize, bool),
        Stop(usize),
        Start(usize),
        Backup(usize),
        Restore(usize),
    }

    fn graph() -> impl Strategy<Value = Graph> {
        (2usize..=6).prop_flat_map(|n| {
            let sizes = prop::collection::vec(1usize..=3, n);
            let tree = prop::collection::vec((any::<prop::sample::Index>(), 0usize..3, 0usize..3), n - 1);
            let conn_tree = prop::collection::vec((any::<prop::sample::Index>(), 0usize..4, 1u32..=20, any::<bool>()), n - 1);
            let extra = prop::collection::vec((0..n, 0..n, 0usize..4, 1u32..=20, any::<bool>(), any::<bool>()), 0..4);
            (sizes, tree, conn_tree, extra).prop_map(move |(sizes, tree, conn_tree, extra)| {
                let drcs = tree.iter().enumerate().map(|(i, (p, a, b))| (p.index(i + 1), a % sizes[p.index(i + 1)], b % sizes[i + 1])).collect();
                let mut connectors: Vec<_> = conn_tree.iter().enumerate().map(|(i, (p, k, c, sched))| (p.index(i + 1), i + 1, *k, *c, false, *sched)).collect();
                connectors.extend(extra.into_iter().filter(|(a, b, ..)| a != b).map(|(a, b, k, c, one_way, sched)| (a, b, k, c, one_way, sched && !one_way)));
                Graph { sizes, drcs, connectors }
            })
        })
    }

    /// Faults: 0 none, 1 connectors down and servers stopped, 2 also backups and restores.
    fn op(faults: u8) -> BoxedStrategy<Op> {
        let s = 0usize..15;
        let base = prop_oneof![
            4 => (s.clone(), 0usize..4).prop_map(|(a, b)| Op::Create(a, b)),
            2 => (s.clone(), 0usize..4, any::<u8>()).prop_map(|(a, b, c)| Op::Modify(a, b, c)),
            2 => Just(Op::Run),
            1 => (1u16..12_000).prop_map(Op::RunFor),
        ];
        if faults == 0 {
            return base.boxed();
        }
        let faulty = prop_oneof![
            6 => base,
            3 => (0usize..8, any::<bool>()).prop_map(|(c, up)| Op::Connector(c, up)),
            1 => s.clone().prop_map(Op::Stop),
            1 => s.clone().prop_map(Op::Start),
        ];
        if faults == 1 {
            return faulty.boxed();
        }
        prop_oneof![9 => faulty, 1 => s.clone().prop_map(Op::Backup), 1 => s.prop_map(Op::Restore)].boxed()
    }

    fn site(i: usize) -> String {
        format!("S{i}")
    }

    fn servers(g: &Graph) -> Vec<String> {
        g.sizes.iter().enumerate().flat_map(|(i, n)| (0..*n).map(move |j| format!("H{i}{j}"))).collect()
    }

    /// The scenario: every site, the DRC tree, the connectors, the ops, then (with `heal`) every
    /// connector up, every server started, and a run until quiet.
    pub fn scenario(g: &Graph, ops: &[Op], heal: bool) -> Scenario {
        let all = servers(g);
        let sites: Vec<Value> = g.sizes.iter().enumerate().map(|(i, n)| json!({ "name": site(i), "servers": (0..*n).map(|j| json!({ "name": format!("H{i}{j}"), "usn": 1000 * (i * 3 + j + 1) })).collect::<Vec<_>>() })).collect();
        let drcs: Vec<Value> = g.drcs.iter().enumerate().map(|(i, (p, a, b))| json!({ "sites": [site(*p), site(i + 1)], "bridgeheads": [format!("H{p}{a}"), format!("H{}{b}", i + 1)] })).collect();
        let connectors: Vec<Value> = g.connectors.iter().map(|(a, b, k, c, one_way, sched)| {
            let mut v = json!({ "kind": KINDS[*k], "sites": [site(*a), site(*b)], "cost": c, "one_way": one_way });
            if *sched {
                v["schedule"] = json!({ "every_s": 3600, "open_s": 900 });
            }
            v
        }).collect();
        let connector_step = |c: usize, up: bool| {
            let (a, b, k, ..) = g.connectors[c % g.connectors.len()];
            json!({ "do": "connector", "sites": [site(a), site(b)], "kind": KINDS[k], "up": up })
        };
        let mut backed_up = std::collections::BTreeSet::new();
        let mut steps: Vec<Value> = ops.iter().filter_map(|o| Some(match o {
            Op::Create(s, m) => json!({ "do": "create", "server": all[s % all.len()], "name": format!("M{m}") }),
            Op::Modify(s, m, v) => json!({ "do": "modify", "server": all[s % all.len()], "name": format!("M{m}"), "attrs": { "Phone": v.to_string() } }),
            Op::Run => json!({ "do": "run" }),
            Op::RunFor(t) => json!({ "do": "run", "for_s": t }),
            Op::Connector(c, up) => connector_step(*c, *up),
            Op::Stop(s) => json!({ "do": "stop", "server": all[s % all.len()] }),
            Op::Start(s) => json!({ "do": "start", "server": all[s % all.len()] }),
            Op::Backup(s) => {
                backed_up.insert(s % all.len());
                json!({ "do": "backup", "server": all[s % all.len()], "label": "L" })
            }
            Op::Restore(s) if backed_up.contains(&(s % all.len())) => json!({ "do": "restore", "server": all[s % all.len()], "label": "L" }),
            Op::Restore(_) => return None,
        })).collect();
        if heal {
            steps.extend((0..g.connectors.len()).map(|c| connector_step(c, true)));
            steps.extend(all.iter().map(|s| json!({ "do": "start", "server": s })));
            steps.push(json!({ "do": "run" }));
        }
        let doc = json!({ "org": "O", "sites": sites, "connectors": connectors, "drcs": drcs, "steps": steps });
        Scenario::from_value(doc).expect("generated scenarios are valid")
    }

    /// The least total cost from site `a` to site `b` over `up` connectors (Floyd–Warshall), an
    /// independent check of the MTA's choice.
    fn least_cost(w: &World, up: &[bool], a: &str, b: &str) -> Option<u32> {
        let names: Vec<&str> = w.sites.iter().map(|(n, _)| n.as_str()).collect();
        let ix = |s: &str| names.iter().position(|n| *n == s).unwrap();
        let n = names.len();
        let mut d = vec![vec![u32::MAX; n]; n];
        (0..n).for_each(|i| d[i][i] = 0);
        for (c, on) in w.connectors.iter().zip(up) {
            let (x, y) = (ix(&c.sites[0]), ix(&c.sites[1]));
            if *on {
                d[x][y] = d[x][y].min(c.cost);
                if !c.one_way {
                    d[y][x] = d[y][x].min(c.cost);
                }
            }
        }
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    if d[i][k] != u32::MAX && d[k][j] != u32::MAX {
                        d[i][j] = d[i][j].min(d[i][k] + d[k][j]);
                    }
                }
            }
        }
        (d[ix(a)][ix(b)] != u32::MAX).then(|| d[ix(a)][ix(b)])
    }

    /// The cost of a path of sites, each hop over the cheapest `up` connector that carries it.
    fn path_cost(w: &World, up: &[bool], path: &[String]) -> Option<u32> {
        path.windows(2)
            .map(|h| {
                w.connectors.iter().zip(up)
                    .filter(|(c, on)| **on && ((c.sites[0] == h[0] && c.sites[1] == h[1]) || (!c.one_way && c.sites[1] == h[0] && c.sites[0] == h[1])))
                    .map(|(c, _)| c.cost)
                    .min()
            })
            .sum()
    }

    /// Plays `sc` one advance at a time; returns the world and the connector states seen, as
    /// (time, which connectors are up), and checks that no site's naming context lists a server
    /// of another site after any advance.
    pub fn play_watching(sc: Scenario) -> (World, Vec<(u64, Vec<bool>)>) {
        let mut s = Session::one_way(sc);
        let ups = |w: &World| (0..w.connectors.len()).map(|i| !w.connectors_down.contains(&i)).collect::<Vec<bool>>();
        let mut states = vec![(0, ups(s.world()))];
        let mut guard = 0;
        while !s.script_done() {
            if s.advance().is_none() {
                break;
            }
            let w = s.world();
            states.push((w.time, ups(w)));
            for srv in &w.servers {
                let own = nc_of_site(&w.org, &srv.site);
                for p in srv.ncs[&own].reps_from.keys() {
                    assert_eq!(w.server(p).site, srv.site, "{}'s own naming context lists {p}, of another site", srv.name);
                }
            }
            guard += 1;
            assert!(guard < 100_000, "a scenario of this size goes quiet");
        }
        (s.world().clone(), states)
    }

    /// Every message between sites is mail on a route from the sender's site to the receiver's,
    /// and each route is least-cost among the connectors up at some moment between hand-off and
    /// delivery (when it was routed: at hand-off, or when a break or a connector coming up routed it again).
    pub fn check_routes(w: &World, states: &[(u64, Vec<bool>)]) -> Result<(), String> {
        for m in &w.journal.messages {
            let (fs, ts) = (&w.server(&m.from).site, &w.server(&m.to).site);
            if fs == ts || m.kind == "write" {
                continue;
            }
            let route = match (&m.kind, &m.route) {
                (&"mail", Some(r)) => r,
                _ => return Err(format!("message {} crosses from {fs} to {ts} without a route: {}", m.index, m.text)),
            };
            if route.first() != Some(fs) || route.last() != Some(ts) {
                return Err(format!("message {}'s route {route:?} does not join {fs} to {ts}", m.index));
            }
            let sent = m.sent_s.unwrap_or(m.time_s);
            // Several actions can happen at one second: every state from the one in force just
            // before the sending second on counts.
            let t0 = states.iter().map(|(t, _)| *t).filter(|t| *t <= sent).max().unwrap_or(0);
            let in_force = states.iter().rposition(|(t, _)| *t < t0).unwrap_or(0);
            let window = states[in_force..].iter().take_while(|(t, _)| *t <= m.time_s);
            let ok = window.clone().any(|(_, up)| path_cost(w, up, route).is_some() && path_cost(w, up, route) == least_cost(w, up, fs, ts));
            if !ok {
                return Err(format!("message {}'s route {route:?} (sent {sent}, delivered {}) is not least-cost among the connectors up meanwhile", m.index, m.time_s));
            }
        }
        Ok(())
    }

    /// Every server holds the same copy of every mailbox.
    pub fn converged(w: &World) -> Result<(), String> {
        let copies = |s: &usnlab::model::server::Server| {
            let mut v: Vec<_> = s.ncs.values().flat_map(|r| r.iter()).map(|o| (o.dn.clone(), o.object_version, o.dsa_signature.clone(), o.attrs.clone())).collect();
            v.sort();
            v
        };
        let first = copies(&w.servers[0]);
        for s in &w.servers[1..] {
            if copies(s) != first {
                return Err(format!("{} and {} differ: {:?} against {:?}", w.servers[0].name, s.name, first, copies(s)));
            }
        }
        Ok(())
    }

    /// A runner whose seed changes every run unless USNLAB_INTERSITE_SEED fixes it; prints it.
    pub fn runner(name: &str, cases: u32) -> TestRunner {
        let seed = std::env::var("USNLAB_INTERSITE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
        });
        eprintln!("{name}: seed {seed} (USNLAB_INTERSITE_SEED={seed} cargo test --test intersite {name} replays it)");
        TestRunner::new(Config { cases, max_shrink_iters: 100, rng_seed: RngSeed::Fixed(seed), failure_persistence: None, ..Config::default() })
    }

    pub fn run_property(name: &str, cases: u32, faults: u8, heal: bool, check: impl Fn(&World, &[(u64, Vec<bool>)]) -> Result<(), String>) {
        let mut runner = runner(name, cases);
        let strategy = (graph(), prop::collection::vec(op(faults), 0..40));
        let result = runner.run(&strategy, |(g, ops)| {
            let (w, states) = play_watching(scenario(&g, &ops, heal));
            check(&w, &states).map_err(proptest::test_runner::TestCaseError::fail)
        });
        if let Err(e) = result {
            panic!("{name} failed: {e}");
        }
    }
}

#[test]
fn property_with_every_connector_up_each_change_reaches_every_server() {
    graphs::run_property("property_with_every_connector_up_each_change_reaches_every_server", 200, 0, true, |w, _| graphs::converged(w));
}

#[test]
fn property_once_connectors_are_up_again_and_servers_started_every_change_reaches_every_server() {
    let name = "property_once_connectors_are_up_again_and_servers_started_every_change_reaches_every_server";
    graphs::run_property(name, 200, 1, true, |w, _| graphs::converged(w));
}

#[test]
fn property_every_mail_route_is_least_cost_and_nothing_crosses_sites_without_one() {
    graphs::run_property("property_every_mail_route_is_least_cost_and_nothing_crosses_sites_without_one", 200, 2, false, graphs::check_routes);
}

#[test]
fn property_a_sites_naming_context_never_lists_a_server_of_another_site() {
    // play_watching asserts it after every event; healing adds the restarts and a final run.
    graphs::run_property("property_a_sites_naming_context_never_lists_a_server_of_another_site", 200, 2, true, graphs::check_routes);
}

/// Figure 4: a mail's `via` names the connector it took, not its parallel neighbour, in the
/// message and in the step's report; the report of a refused DRC says what joins the sites.
#[test]
fn a_mail_names_the_connector_it_took_and_a_refused_drc_what_joins_its_sites() {
    let x400_and_site = json!([ { "kind": "x400", "sites": ["P", "Q"], "cost": 2 }, { "kind": "site", "sites": ["P", "Q"], "cost": 1 } ]);
    let s = play(two_sites(x400_and_site.clone(), json!([ { "do": "create", "server": "Q1", "name": "Ann" }, { "do": "run" } ])));
    let mail: Vec<&Message> = crossing(s.world());
    assert!(!mail.is_empty());
    assert!(mail.iter().all(|m| m.via == [1]), "every mail takes the Site Connector (cost 1)");
    // With the Site Connector down, the X.400 connector; a step's report carries it.
    let mut s = Session::new(Scenario::from_value(two_sites(x400_and_site, json!([]))).unwrap());
    s.act(parse_command(json!({ "do": "connector", "sites": ["P", "Q"], "kind": "site", "up": false })).unwrap());
    s.act(parse_command(json!({ "do": "create", "server": "Q1", "name": "Ann" })).unwrap());
    let mut via = Vec::new();
    while let usnlab::session::Stepped::Moved(_) = s.forward() {
        let r = s.live.last.as_ref().unwrap();
        if r.message.as_ref().is_some_and(|m| m.kind == "mail") {
            via.push(r.via.clone());
        }
    }
    assert!(!via.is_empty() && via.iter().all(|v| *v == [0]), "{via:?}");
    // A fourth DRC between sites already joined through two others.
    let chain = json!({ "org": "O", "sites": [
            { "name": "A", "servers": [ { "name": "A1" } ] }, { "name": "B", "servers": [ { "name": "B1" } ] },
            { "name": "C", "servers": [ { "name": "C1" } ] }, { "name": "D", "servers": [ { "name": "D1" } ] } ],
        "drcs": [ { "sites": ["A", "B"], "bridgeheads": ["A1", "B1"] }, { "sites": ["B", "C"], "bridgeheads": ["B1", "C1"] },
                  { "sites": ["C", "D"], "bridgeheads": ["C1", "D1"] } ],
        "steps": [] });
    let mut s = Session::new(Scenario::from_value(chain).unwrap());
    s.act(parse_command(json!({ "do": "add_drc", "sites": ["A", "D"], "bridgeheads": ["A1", "D1"] })).unwrap());
    let r = s.live.last.as_ref().unwrap();
    assert_eq!(r.refused.as_ref().unwrap().error, "DRC_REDUNDANT");
    let d = r.drc_refused.as_ref().unwrap();
    assert_eq!((d.sites.clone(), d.through.clone()), (["A".to_string(), "D".to_string()], vec!["B".to_string(), "C".to_string()]));
    s.act(parse_command(json!({ "do": "create", "server": "A1", "name": "Ann" })).unwrap());
    assert!(s.live.last.as_ref().unwrap().drc_refused.is_none(), "gone at the next step");
}
