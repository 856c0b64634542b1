//! The page ⇄ core contract is written once, in docs/wasm-api.md: its `contract:` blocks show a
//! frame, a lesson and a step's answer with every field. This test fails when the fields the core
//! serializes and the fields the document lists differ, in either direction.
use serde_json::Value;
use usnlab::frame::{frame, lesson, Look};
use usnlab::scenario::builtins as lessons;
use usnlab::session::{Session, Stepped};

/// Objects whose keys are data (naming contexts, partners, attribute and parameter names).
fn keyed_by_data(at: &str) -> bool {
    ["reps_from", "reps_from.*", "reps_to", "attrs", "params"].iter().any(|m| at.ends_with(m))
}

/// Every field path in `v` ("servers[].hot_potato.dn"); arrays contribute their elements' fields,
/// objects keyed by data their values' fields under `*`.
fn paths(v: &Value, at: &str, out: &mut std::collections::BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let key = if keyed_by_data(at) { "*" } else { k.as_str() };
                let p = if at.is_empty() { key.to_string() } else { format!("{at}.{key}") };
                out.insert(p.clone());
                paths(x, &p, out);
            }
        }
        Value::Array(items) => {
            for x in items {
                paths(x, &format!("{at}[]"), out);
            }
        }
        _ => {}
    }
}

fn documented(name: &str) -> Value {
    let doc = std::fs::read_to_string("docs/wasm-api.md").expect("docs/wasm-api.md");
    let at = doc.find(&format!("<!-- contract:{name} -->")).unwrap_or_else(|| panic!("docs/wasm-api.md has no contract:{name} block"));
    let rest = &doc[at..];
    let start = rest.find("```json\n").expect("a json block") + 8;
    let end = rest[start..].find("```").expect("its end");
    serde_json::from_str(&rest[start..start + end]).unwrap_or_else(|e| panic!("contract:{name} is not JSON: {e}"))
}

fn same_fields(name: &str, actual: &[Value]) {
    let mut have = Default::default();
    for v in actual {
        paths(v, "", &mut have);
    }
    if std::env::var_os("USNLAB_SKELETON").is_some() {
        std::fs::write(format!("/tmp/skel/{name}.txt"), have.iter().cloned().collect::<Vec<_>>().join("\n")).unwrap();
    }
    let mut listed = Default::default();
    paths(&documented(name), "", &mut listed);
    let missing: Vec<_> = have.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&have).collect();
    assert!(missing.is_empty() && extra.is_empty(), "contract:{name}: not in the document {missing:?}; in the document but not serialized {extra:?}");
}

/// Frames from lessons that, between them, show every field (questions, verdicts, backsync, mail).
fn sessions() -> Vec<Session> {
    let mut out = Vec::new();
    for id in ["bill-lee", "restore-stall", "backsync-busy", "sites"] {
        let mut s = Session::new(lessons::load(id).unwrap());
        let mut moved = 0;
        while moved < 400 {
            match s.forward() {
                Stepped::Finished => break,
                Stepped::Question(i) => {
                    let first = s.scenario.steps[i].question.as_ref().unwrap().choices[0].clone();
                    s.answer(&first).unwrap();
                }
                Stepped::Moved(_) => moved += 1,
            }
            if moved % 2 == 0 {
                out.push(s.clone());
            }
        }
        out.push(s);
    }
    // A refusal as the last step, and mail waiting in the MTA queue for a connector.
    let held = r#"{ "sites": [ { "name": "A", "servers": [ { "name": "ServerA" } ] }, { "name": "B", "servers": [ { "name": "ServerB" } ] } ],
        "connectors": [ { "kind": "x400", "sites": ["A", "B"], "cost": 1 } ],
        "drcs": [ { "sites": ["A", "B"], "bridgeheads": ["ServerA", "ServerB"] } ],
        "steps": [ { "do": "connector", "sites": ["A", "B"], "up": false }, { "do": "create", "server": "ServerA", "name": "Ann" }, { "do": "run", "for_s": 600 } ] }"#;
    let mut s = Session::new(usnlab::scenario::Scenario::from_json(held).unwrap());
    s.run_script();
    s.act(usnlab::scenario::parse_command(serde_json::json!({ "do": "stop", "server": "ServerB" })).unwrap());
    s.act(usnlab::scenario::parse_command(serde_json::json!({ "do": "create", "server": "ServerB", "name": "Bob" })).unwrap());
    out.push(s);
    // A directory replication connector refused as redundant, as the last step.
    let chain = r#"{ "sites": [ { "name": "A", "servers": [ { "name": "ServerA" } ] }, { "name": "B", "servers": [ { "name": "ServerB" } ] },
                                { "name": "C", "servers": [ { "name": "ServerC" } ] } ],
        "connectors": [ { "kind": "x400", "sites": ["A", "B"], "cost": 1 }, { "kind": "x400", "sites": ["B", "C"], "cost": 1 } ],
        "drcs": [ { "sites": ["A", "B"], "bridgeheads": ["ServerA", "ServerB"] }, { "sites": ["B", "C"], "bridgeheads": ["ServerB", "ServerC"] } ],
        "steps": [] }"#;
    let mut s = Session::new(usnlab::scenario::Scenario::from_json(chain).unwrap());
    s.act(usnlab::scenario::parse_command(serde_json::json!({ "do": "add_drc", "sites": ["A", "C"], "bridgeheads": ["ServerA", "ServerC"] })).unwrap());
    assert_eq!(s.live.last.as_ref().and_then(|r| r.drc_refused.as_ref()).map(|d| d.through.clone()), Some(vec!["B".to_string()]));
    out.push(s);
    // A challenge, unmet and then met by its solution.
    let challenge = lessons::load("challenge-stall").unwrap();
    let mut s = Session::new(challenge.clone());
    s.run_script();
    out.push(s);
    let mut s = Session::new(usnlab::goal::with_solution(&challenge));
    s.run_script();
    out.push(s);
    out
}

#[test]
fn the_frame_lesson_and_step_fields_are_the_documented_ones() {
    let all = sessions();
    let looks = [Look::default(), Look { selected: Some("ServerA".into()), page: 0, log_server: Some("ServerA".into()) }];
    let frames: Vec<Value> = all.iter().flat_map(|s| looks.iter().map(|l| serde_json::to_value(frame(s, l)).unwrap())).collect();
    same_fields("frame", &frames);
    let lessons: Vec<Value> = all.iter().map(|s| serde_json::to_value(lesson(s)).unwrap()).collect();
    same_fields("lesson", &lessons);
}
