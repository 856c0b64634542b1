//! The browser binding: a thin layer that hands the page snapshots and takes its commands. It
//! converts at the boundary and nowhere else; every error reaches the page as a JS `Error` with
//! a sentence, never as a panic.
use crate::scenario::{parse_command, Scenario};
use crate::session::{Action, Session};
use crate::{report, views};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Typed values become `serde_json::Value` first, so only `Value` is ever serialized to JS
/// (one copy of each type's serializer in the wasm, not one per format).
fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsError> {
    let value = serde_json::to_value(v).map_err(|e| JsError::new(&e.to_string()))?;
    value_to_js(&value)
}

fn value_to_js(v: &serde_json::Value) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

fn from_js(v: JsValue) -> Result<serde_json::Value, JsError> {
    serde_wasm_bindgen::from_value(v).map_err(|e| JsError::new(&format!("not a plain object: {e}")))
}

/// Parses scenario text with the browser's `JSON.parse`, which keeps serde_json's text parser
/// out of the wasm; the core reads the resulting value exactly as the command line does.
fn scenario(json: &str) -> Result<Scenario, JsError> {
    let parsed = js_sys::JSON::parse(json).map_err(|e| {
        let why = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default();
        JsError::new(&format!("this is not valid JSON: {why}"))
    })?;
    Scenario::from_value(from_js(parsed)?).map_err(|e| JsError::new(&e.to_string()))
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

    /// A lab rebuilt from a scenario and a history (a link or a saved state).
    pub fn replay(json: &str, history: JsValue, playhead: usize) -> Result<Lab, JsError> {
        let sc = scenario(json)?;
        let raw = from_js(history)?;
        let list = raw.as_array().ok_or_else(|| JsError::new("the history must be a list"))?;
        let mut actions = Vec::with_capacity(list.len());
        for (i, a) in list.iter().enumerate() {
            let action = Action::from_value(a).map_err(|e| JsError::new(&format!("history entry {i}: {e}")))?;
            if let Action::Act { cmd } = &action {
                sc.check_live_command(cmd).map_err(|e| JsError::new(&format!("history entry {i}: {e}")))?;
            }
            actions.push(action);
        }
        let session = Session::replay(sc, actions, playhead).map_err(|e| JsError::new(&e))?;
        Ok(Lab { session })
    }

    /// The next event or scenario step, or `null` when all is done and quiet.
    pub fn advance(&mut self) -> Result<JsValue, JsError> {
        match self.session.advance() {
            Some(r) => to_js(&r),
            None => Ok(JsValue::NULL),
        }
    }

    /// A learner's command: a scenario step object such as `{do: "create", server, name}`.
    pub fn act(&mut self, cmd: JsValue) -> Result<JsValue, JsError> {
        let cmd = parse_command(from_js(cmd)?).map_err(|e| JsError::new(&e))?;
        self.session.scenario.check_live_command(&cmd).map_err(|e| JsError::new(&e))?;
        to_js(&self.session.act(cmd))
    }

    pub fn seek(&mut self, n: usize) -> Result<(), JsError> {
        self.session.seek(n).map_err(|e| JsError::new(&e))
    }

    #[wasm_bindgen(getter)]
    pub fn playhead(&self) -> usize {
        self.session.playhead()
    }

    #[wasm_bindgen(getter, js_name = historyLength)]
    pub fn history_length(&self) -> usize {
        self.session.actions().len()
    }

    pub fn history(&self) -> Result<JsValue, JsError> {
        to_js(self.session.actions())
    }

    /// The scenario this lab plays, as JSON (for links and saved state).
    #[wasm_bindgen(js_name = scenarioJson)]
    pub fn scenario_json(&self) -> Result<String, JsError> {
        let v = to_js(&self.session.scenario)?;
        js_sys::JSON::stringify(&v).map(String::from).map_err(|_| JsError::new("the scenario could not be written as JSON"))
    }

    pub fn view(&self) -> Result<JsValue, JsError> {
        value_to_js(&views::view(&self.session))
    }

    pub fn objects(&self, server: &str, offset: usize, limit: usize) -> Result<JsValue, JsError> {
        value_to_js(&views::objects(self.session.world(), server, offset, limit).map_err(|e| JsError::new(&e))?)
    }

    pub fn object(&self, server: &str, dn: &str) -> Result<JsValue, JsError> {
        value_to_js(&views::object(self.session.world(), server, dn).map_err(|e| JsError::new(&e))?)
    }

    pub fn messages(&self, from: usize, limit: usize) -> Result<JsValue, JsError> {
        value_to_js(&views::messages(self.session.world(), from, limit))
    }

    pub fn events(&self, from: usize, limit: usize, server: Option<String>) -> Result<JsValue, JsError> {
        value_to_js(&views::events(self.session.world(), from, limit, server.as_deref()))
    }

    pub fn gap(&self, server: &str) -> Result<JsValue, JsError> {
        let w = self.session.world();
        if !w.has_server(server) {
            return Err(JsError::new(&format!("unknown server \"{server}\"")));
        }
        let g = w.gap(server, None);
        let mut v = serde_json::to_value(&g).map_err(|e| JsError::new(&e.to_string()))?;
        v["text"] = serde_json::Value::String(crate::restore::gap_text(&g));
        value_to_js(&v)
    }

    pub fn why(&self, server: &str) -> Result<JsValue, JsError> {
        to_js(&views::why(self.session.world(), server).map_err(|e| JsError::new(&e))?)
    }

    pub fn report(&self) -> Result<JsValue, JsError> {
        value_to_js(&report::report_json(&self.session))
    }
}
