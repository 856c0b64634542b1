//! A step's page-only fields (docs/scenarios.md): `focus` and `narration_for` are checked when
//! the scenario is read, kept as written, and change nothing the directory does.
use usnlab::scenario::Scenario;

fn with_step(extra: &str) -> Result<Scenario, String> {
    let json = format!(
        r#"{{"title": "T", "org": "O", "sites": [{{"name": "S", "servers": [{{"name": "A", "usn": 1}}]}}],
            "steps": [{{"do": "create", "server": "A", "name": "M"{extra}}}]}}"#
    );
    Scenario::from_json(&json).map_err(|e| e.to_string())
}

#[test]
fn focus_and_narration_per_model_are_read_and_kept() {
    let sc = with_step(r#", "focus": {"servers": ["A"], "panels": ["numberline"]}, "narration_for": {"active_directory": "AD says"}"#).unwrap();
    let st = &sc.steps[0];
    assert_eq!(st.focus.as_ref().unwrap()["servers"][0], "A");
    assert_eq!(st.narration_for.as_ref().unwrap()["active_directory"], "AD says");
    let again = serde_json::to_value(&sc).unwrap();
    assert_eq!(again["steps"][0]["focus"]["panels"][0], "numberline");
}

#[test]
fn a_wrong_focus_or_model_is_named() {
    assert!(with_step(r#", "focus": {"panels": ["map"]}"#).unwrap_err().contains("unknown panel \"map\""));
    assert!(with_step(r#", "focus": {"servers": "A"}"#).unwrap_err().contains("list of names"));
    assert!(with_step(r#", "narration_for": {"exchange2000": "x"}"#).unwrap_err().contains("unknown model"));
    assert!(with_step(r#", "reveal": {"hops": 4}"#).unwrap_err().contains("unknown field \"hops\""));
    assert!(with_step(r#", "reveal": {"kind": "mail", "from": "A"}"#).is_ok());
}
