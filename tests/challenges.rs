//! Goals and challenges (docs/scenarios.md, "Goals"): every built-in challenge is unmet as it
//! stands, naming what is missing, and met by its model solution through the runner; each
//! condition is met and unmet on small scenarios of its own.
use serde_json::json;
use usnlab::goal::{self, GoalReport};
use usnlab::scenario::{parse_command, Scenario};
use usnlab::session::{self, Session};
use usnlab::report;
use usnlab::scenario::builtins as lessons;

const CHALLENGES: [&str; 7] = ["challenge-stall", "challenge-keep-newer", "challenge-smallest-authrest", "challenge-import-only", "challenge-busy", "challenge-small-gap", "challenge-connector-down"];

fn run(sc: Scenario) -> GoalReport {
    goal::evaluate(&session::run_scenario(sc)).expect("the scenario has a goal")
}

/// The reasons of the unmet conditions, in order.
fn unmet(r: &GoalReport) -> Vec<String> {
    r.require.iter().filter(|c| !c.met).map(|c| c.why.clone().expect("an unmet condition says why")).collect()
}

/// A scenario's goal run with `moves` (steps, as files write them) after its setup.
fn with_moves(sc: &Scenario, moves: serde_json::Value) -> Scenario {
    let mut doc = serde_json::to_value(sc).unwrap();
    let steps = doc["steps"].as_array_mut().unwrap();
    for mut m in moves.as_array().unwrap().clone() {
        m["learner"] = json!(true);
        steps.push(m);
    }
    Scenario::from_value(doc).expect("a valid scenario")
}

#[test]
fn every_challenge_has_a_goal_three_hints_and_a_narrated_solution() {
    for id in CHALLENGES {
        let sc = lessons::load(id).unwrap();
        assert!(sc.goal.is_some(), "{id} has no goal");
        assert_eq!(sc.hints.len(), 3, "{id}: a hint ladder of three");
        assert!(!sc.solution.is_empty() && sc.solution.iter().all(|s| s.narration.is_some()), "{id}: a narrated solution");
        assert!(lessons::catalogue().iter().any(|e| e.id == id && e.challenge), "{id} is listed as a challenge");
    }
    assert!(lessons::catalogue().iter().filter(|e| e.challenge).count() == CHALLENGES.len());
}

#[test]
fn every_challenge_as_it_stands_is_not_met_and_says_why() {
    let expect = [
        ("challenge-stall", "ServerA's USN 1002 is below ServerB's watermark 1500 for it"),
        ("challenge-keep-newer", "DS_E_UNAVAILABLE: ServerA's directory service is stopped; start it first"),
        ("challenge-smallest-authrest", "ServerA's USN 1101 is below ServerB's watermark 2001 for it"),
        ("challenge-import-only", "ServerA's USN 1001 is below ServerB's watermark 1300 for it"),
        ("challenge-busy", "DS_E_BUSY: The directory is busy"),
        ("challenge-small-gap", "ServerA's USN 1001 is below ServerB's watermark 1004 for it"),
        ("challenge-connector-down", "ServerC does not hold Yuki Tanaka"),
    ];
    for (id, why) in expect {
        let r = run(lessons::load(id).unwrap());
        assert!(!r.met, "{id} is met untouched");
        let first = unmet(&r).remove(0);
        assert!(first.starts_with(why), "{id}: first unmet condition says {first:?}");
        let unmet_text = r.require.iter().find(|c| !c.met).unwrap();
        assert!(unmet_text.text.contains(". Not yet: "), "{id}: the text asks, then says why");
    }
}

#[test]
fn every_challenge_is_met_by_its_model_solution_through_the_runner() {
    for id in CHALLENGES {
        let sc = lessons::load(id).unwrap();
        let r = run(goal::with_solution(&sc));
        assert!(r.met, "{id}: the model solution leaves {:?}", unmet(&r));
        let at = r.met_at.expect("the moment it was met");
        assert!(at.step.is_none_or(|i| i >= sc.steps.len()), "{id} is met only after the setup");
    }
}

#[test]
fn the_connector_down_challenge_is_unmet_as_it_stands_and_met_by_its_solution() {
    let sc = Scenario::from_json(include_str!("../www/scenarios/challenge-connector-down.json")).expect("the connector step parses");
    let r = run(sc.clone());
    assert!(!r.met);
    assert!(unmet(&r)[0].starts_with("ServerC does not hold Yuki Tanaka"), "{:?}", unmet(&r));
    let r = run(goal::with_solution(&sc));
    assert!(r.met, "{:?}", unmet(&r));
}

/// Q201414's Authrest on ServerA: stop (unless it is stopped already), AUTHREST, start, run.
fn authrest(stop: bool, objver: u32, usn: u64) -> serde_json::Value {
    let mut moves = vec![json!({ "do": "stop", "server": "ServerA" })];
    moves.truncate(stop as usize);
    moves.push(json!({ "do": "authrest", "server": "ServerA", "objver": objver, "usn": usn }));
    moves.extend([json!({ "do": "start", "server": "ServerA" }), json!({ "do": "run" })]);
    json!(moves)
}

#[test]
fn an_authoritative_restore_is_caught_overwriting_newer_data() {
    let sc = lessons::load("challenge-keep-newer").unwrap();
    let r = run(with_moves(&sc, authrest(false, 2, 700)));
    assert_eq!(unmet(&r), vec!["ServerA holds Mailbox A as version 3 by ServerA at 0 s, not its newest change (made by ServerB at 600 s)"]);
    // Changing the overwritten mailbox again does not bring the lost change back.
    let mut moves = authrest(false, 2, 700).as_array().unwrap().clone();
    moves.extend([json!({ "do": "modify", "server": "ServerA", "name": "Mailbox A", "attrs": { "Title": "Manager" } }), json!({ "do": "run" })]);
    let r = run(with_moves(&sc, json!(moves)));
    assert_eq!(unmet(&r), vec!["the change to Mailbox A made by ServerB at 600 s is lost: the copy every server holds (made by ServerA at 11100 s) was made on a copy without it"]);
    // A later change made on the newer copy keeps it.
    let mut moves = authrest(false, 0, 700).as_array().unwrap().clone();
    moves.extend([json!({ "do": "modify", "server": "ServerA", "name": "Mailbox A", "attrs": { "Title": "Manager" } }), json!({ "do": "run" })]);
    assert!(run(with_moves(&sc, json!(moves))).met);
}

#[test]
fn the_smallest_authrest_is_exactly_the_one_that_moves_the_oldest_stuck_change_past_the_watermark() {
    let sc = lessons::load("challenge-smallest-authrest").unwrap();
    let attempt = |usn: u64| run(with_moves(&sc, authrest(true, 0, usn)));
    assert_eq!(unmet(&attempt(999)), vec!["ServerB does not hold New Hire 1 (ServerA does)"]);
    assert!(attempt(1000).met);
    assert_eq!(unmet(&attempt(1600)), vec!["ServerA's USN is 2701, 600 more than needed"]);
}

#[test]
fn import_only_refuses_authrest() {
    let sc = lessons::load("challenge-import-only").unwrap();
    let r = run(with_moves(&sc, authrest(true, 0, 1000)));
    assert_eq!(unmet(&r), vec!["the move \"stop\" is not one of them"]);
}

#[test]
fn waiting_out_the_backsync_is_too_late() {
    let sc = lessons::load("challenge-busy").unwrap();
    let r = run(with_moves(&sc, json!([{ "do": "run" }, { "do": "create", "server": "ServerA", "name": "New Hire" }, { "do": "start", "server": "ServerC" }, { "do": "run" }])));
    let why = unmet(&r);
    assert_eq!(why.len(), 1, "{why:?}");
    assert!(why[0].starts_with("the clock is at 16:"), "{why:?}");
}

// ----- each condition on a small scenario -----------------------------------------------------

/// Two servers in one site, the given steps, then the goal.
fn small(steps: serde_json::Value, require: serde_json::Value) -> Scenario {
    small_with(json!({}), steps, require)
}

fn small_with(settings: serde_json::Value, steps: serde_json::Value, require: serde_json::Value) -> Scenario {
    Scenario::from_value(json!({
        "org": "Contoso",
        "settings": settings,
        "sites": [{ "name": "Redmond", "servers": [{ "name": "ServerA", "usn": 999 }, { "name": "ServerB", "usn": 4999 }] }],
        "steps": steps,
        "goal": { "text": "test", "require": require },
    }))
    .expect("a valid scenario")
}

fn verdict(steps: serde_json::Value, require: serde_json::Value) -> (bool, Vec<String>) {
    let r = run(small(steps, require));
    (r.met, unmet(&r))
}

const STALL: &str = r#"[
  {"do": "create", "server": "ServerA", "name": "Mailbox A"}, {"do": "run"},
  {"do": "backup", "server": "ServerA", "label": "Monday"},
  {"do": "bump", "server": "ServerA", "to": 1500}, {"do": "update_now", "server": "ServerB"}, {"do": "run"},
  {"do": "restore", "server": "ServerA", "label": "Monday"}, {"do": "expire_backsync", "server": "ServerA"},
  {"do": "run"}
]"#;

#[test]
fn converged_compares_the_replicated_attributes_on_every_server() {
    let create = json!([{ "do": "create", "server": "ServerA", "name": "X", "attrs": { "City": "Oslo" } }]);
    assert_eq!(verdict(create.clone(), json!([{ "converged": true }])).1, vec!["ServerB does not hold X (ServerA does)"]);
    let mut replicated = create.as_array().unwrap().clone();
    replicated.push(json!({ "do": "run" }));
    assert!(verdict(json!(replicated), json!([{ "converged": true }])).0);
    // Cut off from each other, both change X: two different copies.
    let split = json!([
        { "do": "create", "server": "ServerA", "name": "X" }, { "do": "run" },
        { "do": "link", "between": ["ServerA", "ServerB"], "up": false },
        { "do": "modify", "server": "ServerB", "name": "X", "attrs": { "City": "Bergen" } },
        { "do": "run", "for_s": 60 },
    ]);
    let (met, why) = verdict(split, json!([{ "converged": true }]));
    assert!(!met);
    assert!(why[0].starts_with("ServerA holds X as version 1 by ServerA at 0 s, ServerB as version 2 by ServerB at"), "{why:?}");
}

#[test]
fn converged_ignores_usn_changed_which_is_each_servers_own() {
    let steps = json!([{ "do": "create", "server": "ServerA", "name": "X" }, { "do": "run" }]);
    let s = session::run_scenario(small(steps, json!([{ "converged": true }])));
    let usn = |server: &str| s.world().server(server).hot_potato().unwrap().usn_changed;
    assert_ne!(usn("ServerA"), usn("ServerB"));
    assert!(goal::evaluate(&s).unwrap().met);
}

#[test]
fn converged_waits_for_a_running_backsync() {
    let steps = json!([
        { "do": "create", "server": "ServerA", "name": "X" }, { "do": "run" },
        { "do": "backup", "server": "ServerA", "label": "Monday" },
        { "do": "stop", "server": "ServerB" },
        { "do": "restore", "server": "ServerA", "label": "Monday" },
    ]);
    assert_eq!(verdict(steps, json!([{ "converged": true }])).1, vec!["ServerA's backsync is still running"]);
}

#[test]
fn no_stall_names_the_server_the_partner_and_both_numbers() {
    let stall: serde_json::Value = serde_json::from_str(STALL).unwrap();
    assert_eq!(verdict(stall.clone(), json!([{ "no_stall": true }])).1, vec!["ServerA's USN 1000 is below ServerB's watermark 1500 for it"]);
    let mut fixed = stall.as_array().unwrap().clone();
    fixed.push(json!({ "do": "bump", "server": "ServerA", "to": 1500 }));
    assert!(verdict(json!(fixed), json!([{ "no_stall": true }])).0, "at the watermark, nothing stalls");
}

#[test]
fn no_stall_under_active_directory_ignores_a_watermark_for_an_old_invocation_id() {
    let stall: serde_json::Value = serde_json::from_str(&STALL.replace(r#", {"do": "expire_backsync", "server": "ServerA"}"#, "")).unwrap();
    let r = run(small_with(json!({ "model": "active_directory" }), stall, json!([{ "no_stall": true }])));
    assert!(r.met, "{:?}", unmet(&r));
}

#[test]
fn holds_checks_presence_deletion_and_attribute_values() {
    let base = json!([{ "do": "create", "server": "ServerA", "name": "X", "attrs": { "City": "Oslo" } }, { "do": "run" }]);
    let holds = |attrs: serde_json::Value| json!([{ "holds": { "server": "ServerB", "name": "X", "attrs": attrs } }]);
    assert!(verdict(base.clone(), holds(json!({ "City": "Oslo" }))).0);
    assert_eq!(verdict(base.clone(), holds(json!({ "City": "Bergen" }))).1, vec!["ServerB's copy of X has City = Oslo, not Bergen"]);
    assert_eq!(verdict(base.clone(), holds(json!({ "Fax": "1" }))).1, vec!["ServerB's copy of X has no Fax"]);
    assert_eq!(verdict(base.clone(), json!([{ "holds": { "server": "ServerB", "name": "Y" } }])).1, vec!["ServerB does not hold Y"]);
    let dn = json!([{ "holds": { "server": "ServerB", "dn": "/o=Contoso/ou=Redmond/cn=Recipients/cn=X" } }]);
    assert!(verdict(base.clone(), dn).0);
    let mut deleted = base.as_array().unwrap().clone();
    deleted.extend([json!({ "do": "delete", "server": "ServerA", "name": "X" }), json!({ "do": "run" })]);
    assert_eq!(verdict(json!(deleted), holds(json!({}))).1, vec!["X is deleted on ServerB"]);
}

#[test]
fn max_actions_counts_the_learners_moves_but_not_time_passing() {
    let sc = small(json!([]), json!([{ "max_actions": 1 }]));
    let cmd = |v: serde_json::Value| parse_command(v).unwrap();
    let mut s = Session::new(sc.clone());
    s.act(cmd(json!({ "do": "run" })));
    s.act(cmd(json!({ "do": "measure", "server": "ServerA" })));
    s.act(cmd(json!({ "do": "create", "server": "ServerA", "name": "X" })));
    assert!(goal::evaluate_now(&s).unwrap().met);
    s.act(cmd(json!({ "do": "create", "server": "ServerA", "name": "Y" })));
    assert_eq!(unmet(&goal::evaluate_now(&s).unwrap()), vec!["2 moves were made, more than 1"]);
    // Rewinding takes the move back.
    s.seek(3).unwrap();
    assert!(goal::evaluate_now(&s).unwrap().met);
    // The runner counts the steps marked "learner" (and a goal met once stays met, so the
    // condition that makes the moves count here is one met only by the second).
    let require = json!([{ "holds": { "server": "ServerA", "name": "Y" } }, { "max_actions": 1 }]);
    let sc = small(json!([]), require.clone());
    let r = run(with_moves(&sc, json!([{ "do": "create", "server": "ServerA", "name": "X" }, { "do": "create", "server": "ServerA", "name": "Y" }])));
    assert_eq!(unmet(&r), vec!["2 moves were made, more than 1"]);
    let unmarked = small(json!([{ "do": "create", "server": "ServerA", "name": "X" }, { "do": "create", "server": "ServerA", "name": "Y" }]), require);
    assert!(run(unmarked).met, "the scenario's own steps are not the learner's");
}

#[test]
fn only_allows_the_listed_actions_and_the_free_ones() {
    let sc = small(json!([]), json!([{ "only": ["create"] }]));
    assert!(run(with_moves(&sc, json!([{ "do": "create", "server": "ServerA", "name": "X" }, { "do": "run" }]))).met);
    let r = run(with_moves(&sc, json!([{ "do": "bump", "server": "ServerA", "by": 5 }])));
    assert_eq!(unmet(&r), vec!["the move \"bump\" is not one of them"]);
}

#[test]
fn before_s_reads_the_simulated_clock() {
    assert!(verdict(json!([{ "do": "run", "for_s": 600 }]), json!([{ "before_s": 600 }])).0);
    assert_eq!(verdict(json!([{ "do": "run", "for_s": 601 }]), json!([{ "before_s": 600 }])).1, vec!["the clock is at 00:10:01 (601 s), past 00:10:00"]);
}

#[test]
fn kept_is_met_when_the_newest_change_is_everywhere() {
    let steps = json!([
        { "do": "create", "server": "ServerA", "name": "X" }, { "do": "run" },
        { "do": "modify", "server": "ServerB", "name": "X", "attrs": { "City": "Oslo" } }, { "do": "run" },
    ]);
    assert!(verdict(steps, json!([{ "kept": ["X"] }])).0);
    assert_eq!(verdict(json!([]), json!([{ "kept": ["X"] }])).1, vec!["no change to X has been made"]);
    let not_yet = json!([{ "do": "create", "server": "ServerA", "name": "X" }]);
    assert_eq!(verdict(not_yet, json!([{ "kept": ["X"] }])).1, vec!["ServerB does not hold X, whose newest change was made by ServerA at 0 s"]);
}

#[test]
fn kept_counts_the_loser_of_a_conflict_as_lost() {
    let steps = json!([
        { "do": "create", "server": "ServerA", "name": "X" }, { "do": "run" },
        { "do": "link", "between": ["ServerA", "ServerB"], "up": false },
        { "do": "modify", "server": "ServerA", "name": "X", "attrs": { "City": "Oslo" } },
        { "do": "modify", "server": "ServerB", "name": "X", "attrs": { "City": "Bergen" } },
        { "do": "link", "between": ["ServerA", "ServerB"], "up": true }, { "do": "run" },
    ]);
    let (met, why) = verdict(steps, json!([{ "kept": ["X"] }]));
    assert!(!met);
    assert_eq!(why, vec!["the change to X made by ServerB at 600 s is lost: the copy every server holds (made by ServerA at 600 s) was made on a copy without it"]);
}

#[test]
fn kept_catches_the_authoritative_restore_scenario() {
    let mut sc = lessons::load("authoritative").unwrap();
    assert!(session::run_scenario(sc.clone()).world().journal.originated.is_empty(), "without a goal asking kept, nothing is recorded");
    // A goal asking `kept` turns the record on: first to learn every name changed.
    sc.goal = Some(goal::read(json!({ "text": "record", "require": [{ "kept": ["nobody"] }] })).unwrap());
    let names: Vec<String> = {
        let s = session::run_scenario(sc.clone());
        s.world().journal.originated.keys().map(|dn| dn.rsplit("cn=").next().unwrap().to_string()).collect()
    };
    sc.goal = Some(goal::read(json!({ "text": "keep everything", "require": [{ "kept": names }] })).unwrap());
    let r = run(sc);
    assert!(!r.met);
    assert!(unmet(&r)[0].contains("not its newest change"), "{:?}", unmet(&r));
}

#[test]
fn usn_at_most_and_writable() {
    assert!(verdict(json!([{ "do": "bump", "server": "ServerA", "to": 1200 }]), json!([{ "usn_at_most": { "server": "ServerA", "usn": 1200 } }])).0);
    assert_eq!(verdict(json!([{ "do": "bump", "server": "ServerA", "to": 1201 }]), json!([{ "usn_at_most": { "server": "ServerA", "usn": 1200 } }])).1, vec!["ServerA's USN is 1201, 1 more than needed"]);
    assert!(verdict(json!([]), json!([{ "writable": "ServerA" }])).0);
    let (met, why) = verdict(json!([{ "do": "stop", "server": "ServerA" }]), json!([{ "writable": "ServerA" }]));
    assert!(!met && why[0].starts_with("DS_E_UNAVAILABLE"));
}

#[test]
fn a_goal_once_met_stays_met_until_rewound_and_the_setup_cannot_meet_it() {
    // The setup creates X and deletes it: it held X on the way, but the goal starts after it.
    let sc = small(
        json!([{ "do": "create", "server": "ServerA", "name": "X" }, { "do": "delete", "server": "ServerA", "name": "X" }]),
        json!([{ "holds": { "server": "ServerA", "name": "Y" } }]),
    );
    let mut s = Session::new(sc);
    s.run_script();
    assert!(!goal::evaluate(&s).unwrap().met);
    let cmd = |v: serde_json::Value| parse_command(v).unwrap();
    s.act(cmd(json!({ "do": "create", "server": "ServerA", "name": "Y" })));
    let playhead = s.playhead();
    s.act(cmd(json!({ "do": "delete", "server": "ServerA", "name": "Y" })));
    let r = goal::evaluate(&s).unwrap();
    assert!(r.met, "met once, met for good");
    assert!(!goal::evaluate_now(&s).unwrap().met, "though not now");
    s.seek(playhead - 1).unwrap();
    assert!(!goal::evaluate(&s).unwrap().met, "rewound to before it was met");
}

#[test]
fn the_report_and_transcript_carry_the_goal_only_when_there_is_one() {
    let sc = lessons::load("challenge-stall").unwrap();
    let v = report::report_json(&session::run_scenario(sc.clone()));
    assert_eq!(v["goal"]["met"], json!(false));
    assert_eq!(v["goal"]["require"][0]["met"], json!(false));
    assert!(v["goal"]["require"][0]["text"].as_str().unwrap().starts_with("No server's USN is below a partner's watermark for it"));
    assert!(report::transcript(&sc).ends_with("Goal not met.\n"));
    assert!(report::transcript(&goal::with_solution(&sc)).lines().last().unwrap().starts_with("Goal met at "));
    let plain = lessons::load("restore-stall").unwrap();
    assert!(report::report_json(&session::run_scenario(plain.clone())).get("goal").is_none());
    assert!(!report::transcript(&plain).contains("\nGoal"));
}

#[test]
fn a_goal_that_cannot_be_understood_is_rejected_with_a_reason() {
    let bad = |require: serde_json::Value| Scenario::from_value(json!({
        "sites": [{ "name": "S", "servers": [{ "name": "A" }] }],
        "goal": { "text": "t", "require": require },
    })).unwrap_err().to_string();
    assert!(bad(json!([{ "converged": false }])).contains("\"converged\" takes true"));
    assert!(bad(json!([{ "tidy": true }])).contains("unknown condition \"tidy\""));
    assert!(bad(json!([{ "holds": { "server": "A" } }])).contains("\"name\" or its \"dn\""));
    assert!(bad(json!([{ "holds": { "server": "Nobody", "name": "X" } }])).contains("unknown server \"Nobody\""));
    assert!(bad(json!([{ "only": ["teleport"] }])).contains("unknown action \"teleport\""));
    assert!(bad(json!([])).contains("non-empty list"));
    let bad_solution = Scenario::from_value(json!({
        "sites": [{ "name": "S", "servers": [{ "name": "A" }] }],
        "solution": [{ "do": "create", "server": "Nobody", "name": "X" }],
    })).unwrap_err().to_string();
    assert!(bad_solution.contains("solution step 0: unknown server"), "{bad_solution}");
}

#[test]
fn a_small_gap_is_not_closed_by_changes_alone_if_new_hire_is_never_touched() {
    let sc = lessons::load("challenge-small-gap").unwrap();
    let r = run(with_moves(&sc, json!([{ "do": "create", "server": "ServerB", "name": "Temp", "count": 3 }, { "do": "run" }])));
    assert_eq!(unmet(&r), vec!["ServerB does not hold New Hire", "ServerB does not hold New Hire (ServerA does)"]);
}

#[test]
fn every_challenge_is_met_by_its_solution_given_as_the_learners_own_commands() {
    // The page's path: the setup played, then each move an `Action::Act` in a rewindable session.
    for id in CHALLENGES {
        let sc = lessons::load(id).unwrap();
        let mut s = Session::new(sc.clone());
        s.run_script();
        for step in &sc.solution {
            s.act(step.command.clone());
        }
        let r = goal::evaluate(&s).unwrap();
        assert!(r.met, "{id}: {:?}", unmet(&r));
        assert_eq!(r.met_at.unwrap().step, None, "{id}: met by a learner's command");
        s.seek(0).unwrap();
        assert!(!goal::evaluate(&s).unwrap().met, "{id}: rewound to the start");
    }
}
