//! The browser binding: a thin layer that runs in the page's Web Worker (www/js/worker.js). It
//! converts at the boundary and nowhere else: scenarios, commands and histories arrive as JS
//! objects, become the core's `Json` through their JSON text (js-sys, src/json.rs) and are read
//! by its own reader;
//! frames and reports leave as JS objects (serde-wasm-bindgen); every error is a JS `Error` with a sentence and, where known, the
//! `step` or history `entry` it is about (js-sys), never a panic. Long work is time-boxed with
//! the worker's clock (web-sys `performance.now()`). docs/wasm-api.md is the contract.
use crate::frame::{self, Look};
use crate::scenario::{parse_command, Model, Scenario};
use crate::session::{Action, Job, Session, Stepped};
use js_sys::{Error, Reflect};
use serde::Serialize;
use crate::json::{Json, Unread, MAX_DEPTH};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// talc instead of Rust's default dlmalloc: 3.1 KB less of the gzipped download; a step (key
/// press to frame) is as fast, opening 20 servers x 2,500 mailboxes about 15% slower
/// (docs/performance.md). The worker is single-threaded.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A JS `Error` with a sentence, and a field saying where (`step`, `entry`) when known.
fn fail(message: impl std::fmt::Display, field: Option<(&str, usize)>) -> JsValue {
    let e = Error::new(&message.to_string());
    if let Some((name, n)) = field {
        let _ = Reflect::set(&e, &JsValue::from_str(name), &JsValue::from_f64(n as f64));
    }
    e.into()
}

fn say(message: impl std::fmt::Display) -> JsValue {
    fail(message, None)
}

/// Rust values leave as JS objects. They pass through a `Json` first: each type's
/// `Serialize` is then compiled for one serializer, not two, which keeps about 17 KB gzipped out
/// of the download; that serializer is src/to_json.rs's, with less code per type than
/// serde_json's (docs/performance.md).
fn out<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsValue> {
    send(crate::to_json::to_value(v))
}

/// A `Json` as a JS object (serde-wasm-bindgen: the one serializer the wasm keeps for it). It
/// takes the `Result` and the value itself, so what each type's `out` adds is only the calls.
fn send(value: Result<Json, crate::to_json::Fail>) -> Result<JsValue, JsValue> {
    value.map_err(say)?.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(say)
}

/// A JS value read as JSON data: the browser writes it as JSON text, which src/json.rs reads
/// (`parse`), instead of Rust walking the object through js-sys a property at a time: less code
/// in the wasm and fewer imports in the glue (docs/performance.md). The page sends what
/// `JSON.parse` made; anything else is read as `JSON.stringify` writes it (an `undefined` field
/// left out, a `Map` as `{}`), `undefined` itself as null, and what it refuses (a BigInt, a
/// cycle) is named.
fn data(v: JsValue, what: &str) -> Result<Json, JsValue> {
    let json = match js_sys::JSON::stringify(&v).map(|text| text.as_string()) {
        Ok(None) => Ok(Json::Null),
        Ok(Some(text)) => crate::json::parse(&text, js_sys::parse_float),
        Err(_) => Err(Unread::NotJson),
    };
    json.map_err(|e| match e {
        Unread::TooDeep => say(format!("{what} nests lists and objects more than {MAX_DEPTH} deep")),
        Unread::NotJson => say(format!("{what} is not plain JSON data")),
    })
}

fn scenario(v: JsValue) -> Result<Scenario, JsValue> {
    Scenario::from_value(data(v, "the scenario")?).map_err(|e| fail(&e, e.step.map(|s| ("step", s))))
}

fn history(sc: &Scenario, v: JsValue) -> Result<Vec<Action>, JsValue> {
    let Json::Array(list) = data(v, "the history")? else { return Err(say("the history must be a list of actions")) };
    crate::model::budget::check_history(list.len()).map_err(say)?;
    let mut actions = Vec::with_capacity(list.len());
    let mut known = sc.known_after_script();
    for (i, a) in list.into_iter().enumerate() {
        let bad = |e: String| fail(format!("history entry {i}: {e}"), Some(("entry", i)));
        let action = Action::from_value(a).map_err(bad)?;
        if let Action::Act { cmd } = &action {
            known.check_live(cmd).map_err(bad)?;
        }
        actions.push(action);
    }
    Ok(actions)
}

/// Milliseconds on the worker's clock. The getter reads the global's `performance` property
/// whatever the global is, so a window (the browser tests) has its clock read too.
fn now() -> f64 {
    js_sys::global().unchecked_into::<web_sys::WorkerGlobalScope>().performance().map_or_else(js_sys::Date::now, |p| p.now())
}

/// What a step or a command sends back: its report and the frame it changed.
#[derive(Serialize)]
struct Moved<'a> {
    /// `moved`, `finished` (nothing left to do) or `question` (answer first).
    outcome: &'static str,
    report: Option<&'a crate::model::messages::StepReport>,
    frame: frame::Frame<'a>,
}

#[derive(Serialize)]
struct Worked<'a> {
    progress: crate::session::Progress,
    frame: Option<frame::Frame<'a>>,
}

#[wasm_bindgen]
pub struct Lab {
    session: Session,
    look: Look,
    job: Option<Job>,
}

#[wasm_bindgen]
impl Lab {
    /// A lab at the start of `scenario` (a parsed scenario object); throws naming the problem.
    #[wasm_bindgen(constructor)]
    pub fn new(scenario_doc: JsValue) -> Result<Lab, JsValue> {
        Ok(Lab { session: Session::new(scenario(scenario_doc)?), look: Look::default(), job: None })
    }

    /// A lab that will rebuild `history` up to `playhead`; call `work` until it has finished.
    #[wasm_bindgen(js_name = replaying)]
    pub fn replaying(scenario_doc: JsValue, history_list: JsValue, playhead: usize) -> Result<Lab, JsValue> {
        let sc = scenario(scenario_doc)?;
        let actions = history(&sc, history_list)?;
        Ok(Lab { session: Session::new(sc), look: Look::default(), job: Some(Job::Replay { actions, next: 0, playhead }) })
    }

    /// Starts playing the script until step `step` is next (an embed's `start`).
    #[wasm_bindgen(js_name = playTo)]
    pub fn play_to(&mut self, step: usize) {
        self.job = Some(Job::PlayTo { step });
    }

    /// Works on the current job for about `ms` milliseconds; the frame comes when it finishes.
    pub fn work(&mut self, ms: f64) -> Result<JsValue, JsValue> {
        // With no job, there is nothing to do: finished, with the frame.
        let mut progress = crate::session::Progress { done: 0, total: 0, finished: true };
        if let Some(mut job) = self.job.take() {
            let end = now() + ms;
            progress = loop {
                let p = self.session.work(&mut job, 32).map_err(|(entry, why)| fail(why, Some(("entry", entry))))?;
                if p.finished || now() >= end {
                    break p;
                }
            };
            if !progress.finished {
                self.job = Some(job);
            }
        }
        out(&Worked { progress, frame: progress.finished.then(|| frame::frame(&self.session, &self.look)) })
    }

    /// The scenario's steps, narration and questions (sent once).
    pub fn lesson(&self) -> Result<JsValue, JsValue> {
        out(&frame::lesson(&self.session))
    }

    /// What the page looks at: the selected server, its table page, the log's server filter.
    pub fn look(&mut self, selected: Option<String>, page: usize, log_server: Option<String>) -> Result<JsValue, JsValue> {
        self.look = Look { selected, page, log_server };
        self.frame()
    }

    pub fn frame(&self) -> Result<JsValue, JsValue> {
        out(&frame::frame(&self.session, &self.look))
    }

    /// The learner's Step: forward along the history, or the next event; one call, one frame.
    pub fn step(&mut self) -> Result<JsValue, JsValue> {
        let stepped = self.session.forward();
        let (outcome, has_report) = match &stepped {
            Stepped::Moved(r) => ("moved", r.is_some()),
            Stepped::Finished => ("finished", false),
            Stepped::Question(_) => ("question", false),
        };
        let report = if has_report { self.session.live.last.as_ref() } else { None };
        out(&Moved { outcome, report, frame: frame::frame(&self.session, &self.look) })
    }

    /// A learner's command (a scenario step object such as `{do: "create", ...}`).
    pub fn act(&mut self, cmd: JsValue) -> Result<JsValue, JsValue> {
        let cmd = parse_command(data(cmd, "the command")?).map_err(say)?;
        self.session.check(&cmd).map_err(say)?;
        self.session.act(cmd);
        out(&Moved { outcome: "moved", report: self.session.live.last.as_ref(), frame: frame::frame(&self.session, &self.look) })
    }

    /// Answers the waiting question.
    pub fn answer(&mut self, choice: &str) -> Result<JsValue, JsValue> {
        self.session.answer(choice).map_err(say)?;
        self.frame()
    }

    /// Moves the playhead to action `n` (0 = the start).
    pub fn seek(&mut self, n: usize) -> Result<JsValue, JsValue> {
        self.session.seek(n).map_err(say)?;
        self.frame()
    }

    /// The same history under the other model.
    #[wasm_bindgen(js_name = switchModel)]
    pub fn switch_model(&mut self) -> Result<JsValue, JsValue> {
        let other = match self.session.world().model() {
            Model::Exchange55 => Model::ActiveDirectory,
            Model::ActiveDirectory => Model::Exchange55,
        };
        self.session.with_model(other).map_err(say)?;
        self.frame()
    }

    /// `[{kind: "advance"} | {kind: "act", cmd} | {kind: "answer", step, choice}]`.
    pub fn history(&self) -> Result<JsValue, JsValue> {
        out(self.session.actions())
    }

    /// The scenario this lab plays (with the model it plays under), for links and saving.
    pub fn scenario(&self) -> Result<JsValue, JsValue> {
        out(&*self.session.scenario)
    }

    /// The situation at the playhead as a scenario file that `usnlab run` reproduces
    /// (docs/scenarios.md, "Export").
    pub fn export(&self) -> Result<JsValue, JsValue> {
        out(&self.session.export())
    }

    /// The first answer given to each question (for progress): `[[step, choice], ...]`.
    #[wasm_bindgen(js_name = firstAnswers)]
    pub fn first_answers(&self) -> Result<JsValue, JsValue> {
        // Built here rather than serialized as pairs: no serializer code for one tuple type, and
        // in a plain loop, no iterator adapters for it either.
        let mut pairs = Vec::new();
        for (step, choice) in &self.session.first_answers {
            pairs.push(Json::Array(vec![(*step).into(), choice.as_str().into()]));
        }
        send(Ok(Json::Array(pairs)))
    }

    pub fn object(&self, server: &str, dn: &str) -> Result<JsValue, JsValue> {
        out(&frame::object(self.session.world(), server, dn).map_err(say)?)
    }

    pub fn messages(&self, from: usize, limit: usize) -> Result<JsValue, JsValue> {
        out(frame::messages(self.session.world(), from, limit))
    }

    pub fn gap(&self, server: &str) -> Result<JsValue, JsValue> {
        out(&frame::gap(self.session.world(), server).map_err(say)?)
    }

    pub fn why(&self, server: &str) -> Result<JsValue, JsValue> {
        out(&frame::why(self.session.world(), server).map_err(say)?)
    }
}
