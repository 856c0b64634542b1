//! The browser binding: a thin layer that hands the page snapshots and takes its commands. It
//! converts at the boundary and nowhere else; every error reaches the page as a JS `Error` with
//! a sentence, never as a panic.
//!
//! Everything crosses as JSON text, which `www/js/core.js` parses with the browser's
//! `JSON.parse`. Building JS objects from Rust (serde-wasm-bindgen) cost 12 KB of the page's
//! gzipped first download; serde_json is in the wasm anyway, to read scenarios.
use crate::scenario::{parse_command, Scenario};
use crate::session::{Action, Session};
use crate::frame as views;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn fail(message: impl std::fmt::Display) -> JsError {
    JsError::new(&message.to_string())
}

fn out<T: Serialize + ?Sized>(v: &T) -> Result<String, JsError> {
    serde_json::to_string(&serde_json::to_value(v).map_err(fail)?).map_err(fail)
}

fn scenario(json: &str) -> Result<Scenario, JsError> {
    Scenario::from_json(json).map_err(fail)
}

#[wasm_bindgen]
pub struct Lab {
    session: Session,
}

#[wasm_bindgen]
impl Lab {
    /// A lab at the start of the scenario in `json`; throws a sentence naming the problem.
    #[wasm_bindgen(constructor)]
    pub fn new(json: &str) -> Result<Lab, JsError> {
        Ok(Lab { session: Session::new(scenario(json)?) })
    }

    /// A lab rebuilt from a scenario and a history given as JSON (a link or a saved state).
    pub fn replay(json: &str, history: &str, playhead: usize) -> Result<Lab, JsError> {
        let sc = scenario(json)?;
        let raw: Value = serde_json::from_str(history).map_err(|e| fail(format!("the history is not valid JSON: {e}")))?;
        let list = raw.as_array().ok_or_else(|| fail("the history must be a list"))?;
        let mut actions = Vec::with_capacity(list.len());
        for (i, a) in list.iter().enumerate() {
            let action = Action::from_value(a).map_err(|e| fail(format!("history entry {i}: {e}")))?;
            if let Action::Act { cmd } = &action {
                sc.check_live_command(cmd).map_err(|e| fail(format!("history entry {i}: {e}")))?;
            }
            actions.push(action);
        }
        Ok(Lab { session: Session::replay(sc, actions, playhead).map_err(fail)? })
    }

    /// The next event or scenario step, or nothing when all is done and quiet.
    pub fn advance(&mut self) -> Result<Option<String>, JsError> {
        self.session.advance().map(|r| out(&r)).transpose()
    }

    /// A learner's command, as JSON: a scenario step such as `{"do": "create", ...}`.
    pub fn act(&mut self, cmd: &str) -> Result<String, JsError> {
        let v: Value = serde_json::from_str(cmd).map_err(|e| fail(format!("the command is not valid JSON: {e}")))?;
        let cmd = parse_command(v).map_err(fail)?;
        self.session.scenario.check_live_command(&cmd).map_err(fail)?;
        out(&self.session.act(cmd))
    }

    pub fn seek(&mut self, n: usize) -> Result<(), JsError> {
        self.session.seek(n).map_err(fail)
    }

    #[wasm_bindgen(getter)]
    pub fn playhead(&self) -> usize {
        self.session.playhead()
    }

    #[wasm_bindgen(getter, js_name = historyLength)]
    pub fn history_length(&self) -> usize {
        self.session.actions().len()
    }

    pub fn history(&self) -> Result<String, JsError> {
        out(self.session.actions())
    }

    /// The scenario this lab plays, as JSON (for links and saved state).
    #[wasm_bindgen(js_name = scenarioJson)]
    pub fn scenario_json(&self) -> Result<String, JsError> {
        out(&self.session.scenario)
    }

    pub fn view(&self) -> Result<String, JsError> {
        out(&views::view(&self.session))
    }

    pub fn objects(&self, server: &str, offset: usize, limit: usize) -> Result<String, JsError> {
        out(&views::objects(self.session.world(), server, offset, limit).map_err(fail)?)
    }

    pub fn object(&self, server: &str, dn: &str) -> Result<String, JsError> {
        out(&views::object(self.session.world(), server, dn).map_err(fail)?)
    }

    pub fn messages(&self, from: usize, limit: usize) -> Result<String, JsError> {
        out(&views::messages(self.session.world(), from, limit))
    }

    pub fn events(&self, from: usize, limit: usize, server: Option<String>) -> Result<String, JsError> {
        out(&views::events(self.session.world(), from, limit, server.as_deref()))
    }

    pub fn gap(&self, server: &str) -> Result<String, JsError> {
        let w = self.session.world();
        if !w.has_server(server) {
            return Err(fail(format!("unknown server \"{server}\"")));
        }
        let g = w.gap(server, None);
        let mut v = serde_json::to_value(&g).map_err(fail)?;
        v["text"] = Value::String(crate::model::gap::gap_text(&g));
        out(&v)
    }

    pub fn why(&self, server: &str) -> Result<String, JsError> {
        out(&views::why(self.session.world(), server).map_err(fail)?)
    }

    /// The runner's `--json` document.
    pub fn report(&self) -> Result<String, JsError> {
        out(&crate::report::report_json(&self.session))
    }
}
