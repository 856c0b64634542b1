//! Between sites, exactly: the article's intersite rules on small scenarios.
use serde_json::{json, Value};
use usnlab::scenario::Scenario;
use usnlab::session::{run_scenario, Session};

fn play(doc: Value) -> Session {
    run_scenario(Scenario::from_value(doc).expect("test scenario parses"))
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
