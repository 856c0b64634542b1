//! The browser binding, tested in headless Chromium (wasm-bindgen-test-runner): what the page
//! does with `Lab`, and what it gets back.
#![cfg(target_arch = "wasm32")]
use serde_json::Value;
use usnlab::wasm::Lab;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const BILL_LEE: &str = include_str!("../www/scenarios/bill-lee.json");
const RESTORE: &str = include_str!("../www/scenarios/restore-stall.json");

fn json(text: String) -> Value {
    serde_json::from_str(&text).expect("the binding returns JSON")
}

fn error(e: wasm_bindgen::JsError) -> String {
    let v: JsValue = e.into();
    js_sys::Error::from(v).message().into()
}

fn play(lab: &mut Lab) -> usize {
    let mut n = 0;
    while lab.advance().unwrap().is_some() {
        n += 1;
        assert!(n < 10_000, "a lesson ends");
    }
    n
}

fn row(lab: &Lab, server: &str, name: &str) -> Value {
    let rows = json(lab.objects(server, 0, 100).unwrap());
    rows["rows"].as_array().unwrap().iter().find(|r| r["name"] == name).cloned().unwrap_or(Value::Null)
}

#[wasm_bindgen_test]
fn bill_lee_comes_out_exactly_in_the_browser() {
    let mut lab = Lab::new(BILL_LEE).unwrap();
    assert!(play(&mut lab) > 10);
    let b = row(&lab, "Boston01", "Bill Lee");
    assert_eq!((b["usn_created"].as_u64(), b["usn_changed"].as_u64(), b["usn_source"].as_u64()), (Some(1946), Some(1966), Some(1220)));
    let n = row(&lab, "NewYork01", "Bill Lee");
    assert_eq!((n["usn_created"].as_u64(), n["usn_changed"].as_u64(), n["usn_source"].as_u64()), (Some(1157), Some(1220), Some(1946)));
    let view = json(lab.view().unwrap());
    assert_eq!(view["servers"][0]["hot_potato"]["usn_changed"], 1966);
    assert_eq!(view["quiet"], true);
}

#[wasm_bindgen_test]
fn the_first_advance_reports_a_step_with_a_sentence() {
    let mut lab = Lab::new(BILL_LEE).unwrap();
    let r = json(lab.advance().unwrap().unwrap());
    assert_eq!(r["kind"], "action");
    assert_eq!(r["script_step"], 0);
    assert!(r["text"].as_str().unwrap().contains("USN 1946"));
    let r = json(lab.advance().unwrap().unwrap());
    assert_eq!((r["kind"].as_str(), r["text"].as_str()), (Some("notify"), Some("Boston01 notifies NewYork01: changes up to USN 1946.")));
}

#[wasm_bindgen_test]
fn malformed_scenarios_name_the_problem() {
    let bad_json = error(Lab::new("{ \"sites\": [").err().unwrap());
    assert!(bad_json.starts_with("this is not valid JSON"), "{bad_json}");
    let unknown = error(Lab::new(&BILL_LEE.replace("\"server\": \"NewYork01\", \"to\": 1219", "\"server\": \"Nowhere\", \"to\": 1219")).err().unwrap());
    assert!(unknown.starts_with("step 2: unknown server \"Nowhere\""), "{unknown}");
}

#[wasm_bindgen_test]
fn commands_are_checked_and_refusals_are_reports() {
    let mut lab = Lab::new(RESTORE).unwrap();
    for _ in 0..9 * 4 {
        let v = json(lab.view().unwrap());
        if v["servers"][0]["state"] == "backsync" {
            break;
        }
        lab.advance().unwrap();
    }
    assert_eq!(json(lab.view().unwrap())["servers"][0]["state"], "backsync");
    let cmd = serde_json::json!({ "do": "create", "server": "ServerA", "name": "x" }).to_string();
    let r = json(lab.act(&cmd).unwrap());
    assert_eq!(r["refused"]["error"], "DS_E_BUSY");
    let bad = serde_json::json!({ "do": "create", "server": "Nope", "name": "x" }).to_string();
    assert!(error(lab.act(&bad).err().unwrap()).contains("unknown server \"Nope\""));
    assert!(error(lab.act("{ not json").err().unwrap()).starts_with("the command is not valid JSON"));
}

#[wasm_bindgen_test]
fn a_name_with_markup_comes_back_as_text() {
    let mut lab = Lab::new(BILL_LEE).unwrap();
    let name = "<img src=x onerror=alert(1)>";
    let cmd = serde_json::json!({ "do": "create", "server": "Boston01", "name": name }).to_string();
    lab.act(&cmd).unwrap();
    assert_eq!(row(&lab, "Boston01", name)["name"], name);
}

#[wasm_bindgen_test]
fn seek_branch_and_replay() {
    let mut lab = Lab::new(BILL_LEE).unwrap();
    for _ in 0..8 {
        lab.advance().unwrap();
    }
    let at5 = {
        lab.seek(5).unwrap();
        json(lab.view().unwrap())
    };
    assert_eq!((lab.playhead(), lab.history_length()), (5, 8));
    lab.advance().unwrap();
    assert_eq!(lab.history_length(), 6, "a step after a seek branches");
    let history = lab.history().unwrap();
    let again = Lab::replay(BILL_LEE, &history, 5).unwrap();
    assert_eq!(json(again.view().unwrap())["servers"], at5["servers"]);
    assert!(error(Lab::replay(BILL_LEE, r#"[{ "kind": "jump" }]"#, 1).err().unwrap()).starts_with("history entry 0"));
}

#[wasm_bindgen_test]
fn why_and_gap_explain_the_stall() {
    let mut lab = Lab::new(RESTORE).unwrap();
    play(&mut lab);
    let why = json(lab.why("ServerA").unwrap());
    assert!(why[0].as_str().unwrap().contains("ServerB asks for changes above 1500"));
    let gap = json(lab.gap("ServerA").unwrap());
    assert_eq!((gap["gap"].as_u64(), gap["stalled"].as_bool()), (Some(495), Some(true)));
    let events = json(lab.events(0, 50, Some("ServerA".into())).unwrap());
    assert!(events["rows"].as_array().unwrap().iter().any(|e| e["id"] == 1224));
}
