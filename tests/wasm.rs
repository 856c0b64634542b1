//! The browser binding, tested in headless Chromium (wasm-bindgen-test-runner): what the page's
//! worker does with `Lab`, and what it gets back: JS objects (serde-wasm-bindgen), errors that
//! are JS `Error`s with a sentence and a field saying where.
#![cfg(target_arch = "wasm32")]
use js_sys::{Error, Reflect, JSON};
use serde_json::Value;
use usnlab::wasm::Lab;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const BILL_LEE: &str = include_str!("../www/scenarios/bill-lee.json");
const RESTORE: &str = include_str!("../www/scenarios/restore-stall.json");

/// A scenario as the worker passes it: parsed by the browser's JSON.parse.
fn doc(text: &str) -> JsValue {
    JSON::parse(text).expect("valid JSON")
}

fn value(v: JsValue) -> Value {
    let text: String = JSON::stringify(&v).expect("plain data").into();
    serde_json::from_str(&text).expect("JSON")
}

fn err(v: JsValue) -> (String, Value) {
    let e: &Error = v.dyn_ref().expect("a JS Error");
    let step = Reflect::get(e, &"step".into()).ok().filter(|x| !x.is_undefined()).and_then(|x| x.as_f64());
    let entry = Reflect::get(e, &"entry".into()).ok().filter(|x| !x.is_undefined()).and_then(|x| x.as_f64());
    (e.message().into(), serde_json::json!({ "step": step, "entry": entry }))
}

/// Steps as the learner does, answering each question with its first choice, `limit` moves at
/// most; returns the moves made.
fn steps(lab: &mut Lab, limit: usize) -> usize {
    let mut n = 0;
    while n < limit {
        let m = value(lab.step().unwrap());
        match m["outcome"].as_str() {
            Some("finished") => break,
            Some("question") => {
                let first = m["frame"]["question"]["choices"][0].as_str().unwrap().to_string();
                lab.answer(&first).unwrap();
            }
            _ => n += 1,
        }
    }
    n
}

fn play(lab: &mut Lab) -> usize {
    let n = steps(lab, 10_000);
    assert!(n < 10_000, "a lesson ends");
    n
}

fn row(lab: &mut Lab, server: &str, name: &str) -> Value {
    let f = value(lab.look(Some(server.into()), 0, None).unwrap());
    f["selected"]["objects"]["rows"].as_array().unwrap().iter().find(|r| r["name"] == name).cloned().unwrap_or(Value::Null)
}

#[wasm_bindgen_test]
fn bill_lee_comes_out_exactly_in_the_browser() {
    let mut lab = Lab::new(doc(BILL_LEE)).unwrap();
    assert!(play(&mut lab) > 10);
    let b = row(&mut lab, "Boston01", "Bill Lee");
    assert_eq!((b["usn_created"].as_u64(), b["usn_changed"].as_u64(), b["usn_source"].as_u64()), (Some(1946), Some(1966), Some(1220)));
    let n = row(&mut lab, "NewYork01", "Bill Lee");
    assert_eq!((n["usn_created"].as_u64(), n["usn_changed"].as_u64(), n["usn_source"].as_u64()), (Some(1157), Some(1220), Some(1946)));
    let f = value(lab.frame().unwrap());
    assert_eq!(f["servers"][0]["hot_potato"]["usn_changed"], 1966);
    assert_eq!(f["quiet"], true);
    // Each question's first answer as `[step, choice]`, in step order.
    let answers = value(lab.first_answers().unwrap());
    let steps: Vec<u64> = answers.as_array().unwrap().iter().map(|a| a[0].as_u64().unwrap()).collect();
    assert_eq!(steps.len(), 4);
    assert!(steps.windows(2).all(|w| w[0] < w[1]));
    assert!(answers.as_array().unwrap().iter().all(|a| a.as_array().unwrap().len() == 2 && a[1].is_string()));
}

#[wasm_bindgen_test]
fn one_call_per_step_returns_the_report_and_the_frame() {
    let mut lab = Lab::new(doc(BILL_LEE)).unwrap();
    let m = value(lab.step().unwrap());
    assert_eq!(m["outcome"], "question", "the first step asks before it runs");
    assert_eq!(m["frame"]["question"]["step"], 0);
    lab.answer("1946").unwrap();
    let m = value(lab.step().unwrap());
    assert_eq!((m["outcome"].as_str(), m["report"]["kind"].as_str()), (Some("moved"), Some("action")));
    assert!(m["report"]["text"].as_str().unwrap().contains("USN 1946"));
    assert_eq!(value(lab.step().unwrap())["outcome"], "question", "the run step asks too");
    lab.answer("1157").unwrap();
    let m = value(lab.step().unwrap());
    assert_eq!(m["report"]["text"], "Boston01 notifies NewYork01: changes up to USN 1946.");
    assert_eq!(m["frame"]["messages"].as_array().unwrap().len(), 1);
    assert_eq!(m["frame"]["playhead"], 4, "answers are actions too");
}

#[wasm_bindgen_test]
fn a_verdict_belongs_to_its_question_and_comes_after_its_step() {
    let mut lab = Lab::new(doc(BILL_LEE)).unwrap();
    lab.answer("1157").unwrap();
    let f = value(lab.frame().unwrap());
    assert_eq!(f["question"]["chosen"], "1157");
    assert!(f["verdict"].is_null(), "no verdict before the step runs");
    lab.step().unwrap();
    let f = value(lab.frame().unwrap());
    assert_eq!((f["verdict"]["step"].as_u64(), f["verdict"]["right"].as_bool()), (Some(0), Some(false)));
    assert!(f["verdict"]["prompt"].as_str().unwrap().contains("Boston01"));
    assert!(value(lab.lesson().unwrap())["steps"][0]["question"].get("answer").is_none(), "the answer is not sent with the question");
}

#[wasm_bindgen_test]
fn malformed_scenarios_name_the_problem_and_the_step() {
    let (text, at) = err(Lab::new(doc(&BILL_LEE.replace("\"server\": \"NewYork01\", \"to\": 1219", "\"server\": \"Nowhere\", \"to\": 1219"))).err().unwrap());
    assert!(text.starts_with("step 2: unknown server \"Nowhere\""), "{text}");
    assert_eq!(at["step"], 2.0);
    let (text, _) = err(Lab::new(JsValue::from_f64(3.0)).err().unwrap());
    assert!(text.contains("a scenario is a JSON object"), "{text}");
    let (text, _) = err(Lab::new(JsValue::UNDEFINED).err().unwrap());
    assert!(!text.is_empty() && !text.contains("memory access"), "{text}");
}

/// A scenario nested deeper than any needs (a 20 KB file) is named, not a trap that leaves the
/// module unusable: it used to overflow the wasm's stack.
#[wasm_bindgen_test]
fn a_scenario_nested_too_deep_is_named_and_the_lab_still_opens() {
    for depth in [10_000, 200] {
        let text = format!("{{\"sites\":{}{}}}", "[".repeat(depth), "]".repeat(depth));
        let (message, _) = err(Lab::new(doc(&text)).err().unwrap());
        assert_eq!(message, "the scenario nests lists and objects more than 127 deep");
    }
    let history = format!("[{}0{}]", "{\"a\":".repeat(500), "}".repeat(500));
    let (message, _) = err(Lab::replaying(doc(BILL_LEE), doc(&history), 1).err().unwrap());
    assert_eq!(message, "the history nests lists and objects more than 127 deep");
    let mut lab = Lab::new(doc(BILL_LEE)).expect("the lab still opens a scenario");
    assert!(steps(&mut lab, 3) > 0);
}

#[wasm_bindgen_test]
fn commands_are_checked_and_refusals_are_reports() {
    let mut lab = Lab::new(doc(RESTORE)).unwrap();
    for _ in 0..200 {
        if value(lab.frame().unwrap())["servers"][0]["state"] == "backsync" {
            break;
        }
        let m = value(lab.step().unwrap());
        if m["outcome"] == "question" {
            lab.answer(m["frame"]["question"]["choices"][0].as_str().unwrap()).unwrap();
        }
    }
    assert_eq!(value(lab.frame().unwrap())["servers"][0]["state"], "backsync");
    let m = value(lab.act(doc(r#"{ "do": "create", "server": "ServerA", "name": "x" }"#)).unwrap());
    assert_eq!(m["report"]["refused"]["error"], "DS_E_BUSY");
    let (text, _) = err(lab.act(doc(r#"{ "do": "create", "server": "Nope", "name": "x" }"#)).err().unwrap());
    assert!(text.contains("unknown server \"Nope\""), "{text}");
    let (text, _) = err(lab.act(JsValue::from_str("not an object")).err().unwrap());
    assert!(text.contains("must be an object"), "{text}");
    let (text, _) = err(lab.act(js_sys::BigInt::from(1u64).into()).err().unwrap());
    assert_eq!(text, "the command is not plain JSON data", "JSON cannot hold a BigInt");
}

/// A command is read through its JSON text (`JSON.stringify`): escaped characters, and any
/// other, come back as they were.
#[wasm_bindgen_test]
fn a_name_with_markup_comes_back_as_text() {
    let mut lab = Lab::new(doc(BILL_LEE)).unwrap();
    for name in ["<img src=x onerror=alert(1)>", "Zoë \"Q\" \\ 😀"] {
        let cmd = serde_json::json!({ "do": "create", "server": "Boston01", "name": name }).to_string();
        lab.act(doc(&cmd)).unwrap();
        assert_eq!(row(&mut lab, "Boston01", name)["name"], name);
    }
}

#[wasm_bindgen_test]
fn back_then_forward_replays_and_a_new_action_branches() {
    let mut lab = Lab::new(doc(BILL_LEE)).unwrap();
    steps(&mut lab, 5);
    let at7 = value(lab.frame().unwrap());
    assert_eq!(at7["playhead"], 7, "five steps and two answers");
    let at5 = value(lab.seek(5).unwrap());
    assert_eq!((at5["playhead"].as_u64(), at5["history_length"].as_u64()), (Some(5), Some(7)));
    lab.step().unwrap();
    let f = value(lab.step().unwrap())["frame"].clone();
    assert_eq!((f["playhead"].as_u64(), f["history_length"].as_u64()), (Some(7), Some(7)), "Forward walks the history");
    assert_eq!(f["servers"], at7["servers"]);
    lab.seek(5).unwrap();
    let m = value(lab.act(doc(r#"{ "do": "update_now", "server": "NewYork01" }"#)).unwrap());
    assert_eq!(m["frame"]["history_length"], 6, "a new action branches");
    let history = lab.history().unwrap();
    let mut again = Lab::replaying(doc(BILL_LEE), history, 5).unwrap();
    let w = value(again.work(1000.0).unwrap());
    assert_eq!(w["progress"]["finished"], true);
    assert_eq!(w["frame"]["servers"], at5["servers"]);
    let (text, at) = err(Lab::replaying(doc(BILL_LEE), doc(r#"[{ "kind": "advance" }, { "kind": "jump" }]"#), 1).err().unwrap());
    assert!(text.starts_with("history entry 1"), "{text}");
    assert_eq!(at["entry"], 1.0);
}

#[wasm_bindgen_test]
fn long_work_is_sliced_and_reports_progress() {
    let mut text: Value = serde_json::from_str(BILL_LEE).unwrap();
    let mut list = vec![serde_json::json!({ "do": "create", "server": "Boston01", "name": "User", "count": 400 }), serde_json::json!({ "do": "run" })];
    list.extend((0..100).map(|_| serde_json::json!({ "do": "bump", "server": "Boston01", "by": 1 })));
    text["steps"] = Value::Array(list);
    let mut lab = Lab::new(doc(&text.to_string())).unwrap();
    lab.play_to(102);
    let first = value(lab.work(0.0).unwrap());
    assert_eq!(first["progress"]["finished"], false, "a zero budget does one slice only");
    assert!(first["frame"].is_null());
    let mut last = first;
    for _ in 0..10_000 {
        last = value(lab.work(50.0).unwrap());
        if last["progress"]["finished"] == true {
            break;
        }
    }
    assert_eq!(last["progress"]["finished"], true);
    assert_eq!(last["frame"]["script"]["cursor"], 102);
    assert_eq!(last["frame"]["servers"][0]["usn"], 1945 + 400 + 100);
    assert_eq!(last["frame"]["servers"][1]["object_count"], 400, "NewYork01 holds the 400 users");
}

#[wasm_bindgen_test]
fn the_model_switch_replays_the_same_history_in_the_core() {
    let mut lab = Lab::new(doc(RESTORE)).unwrap();
    play(&mut lab);
    assert_eq!(value(lab.frame().unwrap())["model"], "exchange55");
    let f = value(lab.switch_model().unwrap());
    assert_eq!(f["model"], "active_directory");
    assert_eq!(value(lab.scenario().unwrap())["settings"]["model"], "active_directory");
    assert!(f["history_length"].as_u64().unwrap() > 10, "the same actions, replayed");
}

#[wasm_bindgen_test]
fn why_and_gap_explain_the_stall() {
    let mut lab = Lab::new(doc(RESTORE)).unwrap();
    play(&mut lab);
    let why = value(lab.why("ServerA").unwrap());
    assert!(why[0].as_str().unwrap().contains("ServerB asks for changes above 1500"));
    let gap = value(lab.gap("ServerA").unwrap());
    assert_eq!((gap["gap"].as_u64(), gap["stalled"].as_bool()), (Some(495), Some(true)));
    let f = value(lab.look(None, 0, Some("ServerA".into())).unwrap());
    assert!(f["log"]["rows"].as_array().unwrap().iter().any(|e| e["id"] == 1224));
    assert!(f["log"]["rows"].as_array().unwrap().iter().all(|e| e["server"] == "ServerA"));
    assert_eq!(f["servers"][0]["stalled"], true, "the stall is on the map's summary");
}
