//! The workbench (docs/scenarios.md, "The workbench" and "Export"): sites and servers added and
//! removed, each refused with a sentence when it cannot be done; and an exported session, run
//! by the runner, ends in the same state as the session it came from.
use serde_json::{json, Value};
use usnlab::report;
use usnlab::scenario::builtins as lessons;
use usnlab::scenario::{parse_command, Scenario};
use usnlab::session::{self, Session};

fn act(s: &mut Session, cmd: Value) -> Option<String> {
    let cmd = parse_command(cmd).expect("a command");
    s.check(&cmd).expect("a checked command");
    s.act(cmd).refused.map(|r| format!("{}: {}", r.error, r.text))
}

/// The report without the stamps that say when in the history a message was recorded (the
/// runner counts its steps, the page counts the learner's actions).
fn state(s: &Session) -> Value {
    let mut r = report::report_json(s);
    for list in ["messages", "refused"] {
        for m in r[list].as_array_mut().unwrap() {
            let m = m.as_object_mut().unwrap();
            m.remove("action");
            m.remove("step");
        }
    }
    if let Some(at) = r.pointer_mut("/goal/met_at") {
        at.as_object_mut().unwrap().remove("step");
    }
    r
}

/// Export, write as JSON text, read back, run as `usnlab run` does: the same state.
fn round_trip(s: &Session) -> Scenario {
    let text = serde_json::to_string_pretty(&s.export()).unwrap();
    let sc = Scenario::from_json(&text).unwrap_or_else(|e| panic!("the export reads back: {e}\n{text}"));
    let ran = session::run_scenario(sc.clone());
    assert_eq!(state(&ran), state(s), "the exported file runs to the same state\n{text}");
    sc
}

#[test]
fn a_two_site_organization_built_in_the_workbench_exports_and_runs_to_the_same_state() {
    let mut s = Session::new(lessons::load("sandbox").unwrap());
    assert_eq!(act(&mut s, json!({"do": "add_site", "name": "Asia"})), None);
    assert_eq!(act(&mut s, json!({"do": "add_server", "site": "Asia", "name": "Tokyo01", "usn": 100})), None);
    assert_eq!(act(&mut s, json!({"do": "add_server", "site": "Asia", "name": "Osaka01"})), None);
    assert_eq!(act(&mut s, json!({"do": "add_connector", "kind": "x400", "sites": ["Europe", "Asia"], "cost": 3})), None);
    assert_eq!(act(&mut s, json!({"do": "add_drc", "sites": ["Europe", "Asia"], "bridgeheads": ["London01", "Tokyo01"]})), None);
    assert_eq!(act(&mut s, json!({"do": "set", "notify_pause_s": 60})), None);
    assert_eq!(act(&mut s, json!({"do": "create", "server": "Osaka01", "name": "Aiko"})), None);
    for _ in 0..7 {
        s.forward();
    }
    assert_eq!(act(&mut s, json!({"do": "modify", "server": "Osaka01", "name": "Aiko", "attrs": {"City": "Kyoto"}})), None);
    // A refused command is exported too (and refused again).
    assert!(act(&mut s, json!({"do": "modify", "server": "Paris01", "name": "Aiko"})).unwrap().starts_with("DS_E_NO_SUCH_OBJECT"));
    assert_eq!(act(&mut s, json!({"do": "run"})), None);
    // Aiko reached the other sites through the two connectors.
    let w = s.world();
    assert!(w.server("Boston01").object_count() > 0 && w.server("Tokyo01").object_count() > 0);
    let text = report::report_json(&s).to_string();
    assert!(text.contains("/o=Ferguson&Bardell/ou=Asia/cn=Recipients/cn=Aiko"));
    let sc = round_trip(&s);
    assert!(sc.steps.iter().all(|st| st.learner), "every step is the learner's");
    assert!(sc.steps.iter().any(|st| matches!(*st.command, usnlab::scenario::Command::Step(usnlab::commands::Step { count: Some(7) }))));
}

#[test]
fn a_challenge_played_with_a_command_in_the_middle_of_a_run_exports_exactly() {
    let sc = lessons::load("challenge-stall").unwrap();
    let mut s = Session::new(sc.clone());
    // Into the setup's first run, then a command of the learner's while it is under way.
    for _ in 0..4 {
        s.forward();
    }
    assert!(s.running_step().is_some(), "a run is under way");
    act(&mut s, json!({"do": "create", "server": "ServerB", "name": "Early"}));
    while !s.script_done() {
        s.forward();
    }
    for cmd in [json!({"do": "stop", "server": "ServerA"}), json!({"do": "authrest", "server": "ServerA", "objver": 0, "usn": 1000}), json!({"do": "start", "server": "ServerA"})] {
        assert_eq!(act(&mut s, cmd), None);
    }
    for _ in 0..3 {
        s.forward();
    }
    round_trip(&s);
    // Back a few actions: the export is of the playhead, not of the whole history.
    s.seek(s.playhead() - 2).unwrap();
    round_trip(&s);
    while !matches!(s.forward(), session::Stepped::Finished) {}
    let sc = round_trip(&s);
    assert!(usnlab::goal::evaluate(&session::run_scenario(sc)).unwrap().met, "the exported solution meets the goal");
}

#[test]
fn workbench_commands_are_refused_with_a_sentence() {
    let mut s = Session::new(lessons::load("sandbox").unwrap());
    let checked = |s: &Session, cmd: Value| s.check(&parse_command(cmd).unwrap()).err();
    assert!(checked(&s, json!({"do": "add_server", "site": "Mars", "name": "X"})).unwrap().contains("unknown site \"Mars\""));
    assert!(checked(&s, json!({"do": "add_server", "site": "Europe", "name": "london01"})).unwrap().contains("already a server"));
    assert!(checked(&s, json!({"do": "add_site", "name": "europe"})).unwrap().contains("already a site"));
    assert!(checked(&s, json!({"do": "set"})).unwrap().contains("set takes"));
    assert!(checked(&s, json!({"do": "set", "periodic_sync_s": 0})).unwrap().contains("interval"));
    assert_eq!(act(&mut s, json!({"do": "remove_server", "server": "Boston01"})).unwrap(), "BRIDGEHEAD: Boston01 is a bridgehead of a directory replication connector, which needs it.");
    assert_eq!(act(&mut s, json!({"do": "remove_site", "name": "Europe"})).unwrap(), "SITE_NOT_EMPTY: Europe still has servers: remove them first.");
    act(&mut s, json!({"do": "create", "server": "Chicago01", "name": "Busy"}));
    assert!(act(&mut s, json!({"do": "remove_server", "server": "Chicago01"})).unwrap().starts_with("REPLICATION_BUSY"));
    act(&mut s, json!({"do": "run"}));
    assert_eq!(act(&mut s, json!({"do": "remove_server", "server": "Chicago01"})), None);
    assert!(!s.world().has_server("Chicago01"));
    assert!(checked(&s, json!({"do": "stop", "server": "Chicago01"})).unwrap().contains("unknown server"));
    // Its partners forgot it, and replication goes on without it.
    assert!(s.world().servers.iter().all(|x| x.ncs.values().all(|r| !r.reps_from.contains_key("Chicago01"))));
    act(&mut s, json!({"do": "create", "server": "NewYork01", "name": "After"}));
    assert_eq!(act(&mut s, json!({"do": "run"})), None);
    round_trip(&s);
}

#[test]
fn a_scenario_file_may_name_a_server_an_earlier_step_added() {
    let mut doc = serde_json::to_value(lessons::load("sandbox").unwrap()).unwrap();
    doc["steps"] = json!([
        {"do": "add_server", "site": "Europe", "name": "Berlin01", "usn": 5000},
        {"do": "run"},
        {"do": "create", "server": "Berlin01", "name": "Klaus"},
        {"do": "run"}
    ]);
    let sc = Scenario::from_value(doc.clone()).expect("Berlin01 is known from step 0 on");
    let s = session::run_scenario(sc);
    assert!(s.world().server("Paris01").object_count() >= s.world().server("Berlin01").object_count());
    doc["steps"][0]["name"] = json!("Madrid01");
    let e = Scenario::from_value(doc).unwrap_err();
    assert_eq!(e.step, Some(2));
    assert!(e.message.contains("unknown server \"Berlin01\""));
}

#[test]
fn a_removed_server_may_be_added_again() {
    let mut s = Session::new(lessons::load("sandbox").unwrap());
    assert_eq!(act(&mut s, json!({"do": "remove_server", "server": "Chicago01"})), None);
    assert_eq!(act(&mut s, json!({"do": "add_server", "site": "Europe", "name": "Chicago01", "usn": 10})), None);
    assert_eq!(s.world().server("Chicago01").site, "Europe");
    // The exported file reads back: the checks know a removed name may be added again (as the
    // page's history check does when a saved lab or a link is replayed).
    let sc = round_trip(&s);
    assert!(Session::replay(sc, s.actions().to_vec(), s.playhead()).is_ok());
}

#[test]
fn set_changes_the_notify_pause_from_now_on_and_a_new_server_pulls_its_site() {
    let mut s = Session::new(lessons::load("workbench").unwrap());
    assert_eq!(act(&mut s, json!({"do": "create", "server": "ServerA", "name": "Ann"})), None);
    assert_eq!(act(&mut s, json!({"do": "set", "notify_pause_s": 60, "periodic_sync_s": 600})), None);
    assert_eq!(act(&mut s, json!({"do": "add_server", "site": "Redmond", "name": "ServerB", "usn": 5000})), None);
    assert_eq!(s.world().settings.notify_pause_s, 60);
    // ServerB's Init sync brings Ann at once.
    assert_eq!(act(&mut s, json!({"do": "run"})), None);
    assert!(s.world().server("ServerB").object_count() == 1);
    let t = s.world().time;
    assert_eq!(act(&mut s, json!({"do": "create", "server": "ServerA", "name": "Bob"})), None);
    s.forward();
    let notify = s.world().journal.messages.iter().rev().find(|m| m.kind == "notify").expect("a notify");
    assert_eq!(notify.time_s, t + 60, "the new pause");
    round_trip(&s);
}

/// `with_model` changes the session's own scenario in place (src/session.rs): the same history
/// under the other model, and back again to the very same state; a cloned session switches on
/// its own, leaving the one it came from as it was.
#[test]
fn a_model_switch_replays_the_history_and_a_cloned_session_switches_alone() {
    use usnlab::scenario::Model;
    let mut s = Session::new(lessons::load("restore-stall").unwrap());
    for _ in 0..40 {
        s.forward();
    }
    let before = state(&s);
    let mut copy = s.clone();
    copy.with_model(Model::ActiveDirectory).unwrap();
    assert_eq!(copy.scenario.settings.model, Model::ActiveDirectory);
    assert_eq!(copy.world().model(), Model::ActiveDirectory);
    assert_eq!(copy.actions(), s.actions(), "the same history");
    assert_eq!(s.scenario.settings.model, Model::Exchange55, "the session it was cloned from is unchanged");
    copy.with_model(Model::Exchange55).unwrap();
    assert_eq!(state(&copy), before, "switched back, the same state");
}
