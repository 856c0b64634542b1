//! Between sites, exactly: the article's intersite rules on small scenarios.
use serde_json::{json, Value};
use usnlab::scenario::Scenario;
use usnlab::session::{run_scenario, Session};

fn play(doc: Value) -> Session {
    run_scenario(Scenario::from_value(doc).expect("test scenario parses"))
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
