//! Reading scenario JSON into the scenario's types. Written by hand rather than derived: serde's
//! derived readers cost about a tenth of the wasm the page downloads, and this way every message
//! says, in the lab's words, which field is wrong and why.
use crate::model::object::Attrs;
use crate::excerpt::{quoted, value};
use crate::scenario::{Command, ConnectorSpec, DrcSpec, Model, Question, Schedule, ServerSpec, Settings, SiteSpec};
use crate::json::{Json, Obj};

/// The fields of one JSON object, taken one by one; `finish` rejects any left unread.
pub struct Fields {
    map: Obj,
    what: String,
    /// The first wrong field's message, for readers that read every field before failing
    /// (`kept`, `failed`).
    wrong: Option<String>,
}

fn kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "true or false",
        Json::Number(_) => "a number",
        Json::String(_) => "text",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

impl Fields {
    pub fn new(v: Json, what: &str) -> Result<Fields, String> {
        match v {
            Json::Object(map) => Ok(Fields { map, what: what.to_string(), wrong: None }),
            other => Err(format!("{what} must be an object, not {}", kind(&other))),
        }
    }

    /// A field's value, or its type's default with the message kept if it is the first wrong one.
    pub(crate) fn kept<T: Default>(&mut self, r: Result<T, String>) -> T {
        r.unwrap_or_else(|e| {
            self.wrong.get_or_insert(e);
            T::default()
        })
    }

    /// A field read by its type's `FromField` (src/commands/mod.rs), its message `kept` if it is
    /// the first wrong one: a reader reads every field, then asks `failed`, so it has no drop
    /// path per field read so far (less code in the wasm, docs/performance.md).
    pub(crate) fn get<T: crate::commands::FromField>(&mut self, key: &str) -> T {
        T::read(self, key)
    }

    /// A required `bool` (`= required`): absent is "missing field".
    pub(crate) fn required(&mut self, v: Option<bool>, key: &str) -> bool {
        let r = v.ok_or_else(|| format!("missing field \"{key}\""));
        self.kept(r)
    }

    /// The first message `kept`, if any field was wrong.
    pub(crate) fn failed(&mut self) -> Result<(), String> {
        self.wrong.take().map_or(Ok(()), Err)
    }

    /// The field `key`, taken out; absent and null are `None`.
    pub(crate) fn take(&mut self, key: &str) -> Option<Json> {
        self.map.remove(key).filter(|v| !v.is_null())
    }

    fn need(&mut self, key: &str) -> Result<Json, String> {
        self.take(key).ok_or_else(|| format!("missing field \"{key}\""))
    }

    pub fn text(&mut self, key: &str) -> Result<String, String> {
        let v = self.need(key)?;
        as_text(v, key)
    }

    pub fn opt_text(&mut self, key: &str) -> Result<Option<String>, String> {
        self.take(key).map(|v| as_text(v, key)).transpose()
    }

    pub fn number(&mut self, key: &str) -> Result<u64, String> {
        let v = self.need(key)?;
        as_number(&v, key)
    }

    pub fn opt_number(&mut self, key: &str) -> Result<Option<u64>, String> {
        self.take(key).map(|v| as_number(&v, key)).transpose()
    }

    pub fn small(&mut self, key: &str) -> Result<u32, String> {
        let n = self.number(key)?;
        u32::try_from(n).map_err(|_| format!("\"{key}\" is too large"))
    }

    pub fn opt_bool(&mut self, key: &str) -> Result<Option<bool>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Json::Bool(b)) => Ok(Some(b)),
            Some(v) => Err(must_be(key, "true or false", kind(&v))),
        }
    }

    pub fn opt_hours(&mut self, key: &str) -> Result<Option<f64>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Json::Number(n)) => Ok(n.as_f64()),
            Some(v) => Err(must_be(key, "a number of hours", kind(&v))),
        }
    }

    pub fn pair(&mut self, key: &str) -> Result<[String; 2], String> {
        let wrong = |kind| must_be(key, "a list of two names", kind);
        let items = match self.need(key)? {
            Json::Array(items) if items.len() == 2 => items,
            Json::Array(_) => return Err(wrong("a list")),
            v => return Err(wrong(kind(&v))),
        };
        // Filled in place, not through a `[Json; 2]` (less code in the wasm, docs/performance.md).
        let mut names = [String::new(), String::new()];
        for (name, v) in names.iter_mut().zip(items) {
            *name = as_text(v, key)?;
        }
        Ok(names)
    }

    pub fn attrs(&mut self, key: &str) -> Result<Attrs, String> {
        match self.take(key) {
            None => Ok(Attrs::new()),
            Some(Json::Object(m)) => {
                let mut attrs = Attrs::new();
                for (k, v) in m {
                    attrs.insert(k, as_text(v, key)?);
                }
                Ok(attrs)
            }
            Some(v) => Err(must_be(key, "an object of attribute names and values", kind(&v))),
        }
    }

    /// A list, each item read by `each` with its place (`key[i]`). A plain loop: collecting
    /// `Result`s costs iterator code per item type in the wasm (docs/performance.md).
    pub fn list<T>(&mut self, key: &str, each: fn(Json, &str) -> Result<T, String>) -> Result<Option<Vec<T>>, String> {
        let Some(items) = self.items(key)? else { return Ok(None) };
        let mut out = Vec::with_capacity(items.len());
        for (i, v) in items.into_iter().enumerate() {
            out.push(each(v, &format!("{key}[{i}]"))?);
        }
        Ok(Some(out))
    }

    fn items(&mut self, key: &str) -> Result<Option<Vec<Json>>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Json::Array(items)) => Ok(Some(items)),
            Some(v) => Err(must_be(key, "a list", kind(&v))),
        }
    }

    /// Fails on a field that is not `known`, naming the ones that are. Checked before reading,
    /// so a misspelt field is reported as such rather than as a missing one.
    pub fn expect(&self, known: &[&str]) -> Result<(), String> {
        match unknown_key(&self.map, known) {
            None => Ok(()),
            Some(k) => {
                Err(format!("unknown field {} in {}, expected one of {}", quoted(k), self.what, quoted_list(known)))
            }
        }
    }
}

/// The first field of an object that is not one of `known` (a `Fields`, a goal).
pub(crate) fn unknown_key<'a>(map: &'a Obj, known: &[&str]) -> Option<&'a String> {
    map.keys().find(|k| !known.contains(&k.as_str()))
}

/// `"a", "b", "c"`: the names a message offers (one loop for every list of them).
pub(crate) fn quoted_list(names: &[&str]) -> String {
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('"');
        out.push_str(name);
        out.push('"');
    }
    out
}

/// `"key" must be text, not a number`: a field of the wrong kind (one message for them all).
fn must_be(key: &str, what: &str, not: &str) -> String {
    format!("\"{key}\" must be {what}, not {not}")
}

fn as_text(v: Json, key: &str) -> Result<String, String> {
    match v {
        Json::String(s) => Ok(s),
        v => Err(must_be(key, "text", kind(&v))),
    }
}

fn as_number(v: &Json, key: &str) -> Result<u64, String> {
    v.as_u64().ok_or_else(|| format!("\"{key}\" must be a whole number of at least 0, not {}", value(v)))
}

/// `settings: ...`: a message saying which part it is about (one `format!` for them all).
pub(crate) fn about(what: &str, message: &str) -> String {
    format!("{what}: {message}")
}

fn prefixed(what: &str, r: Result<(), String>) -> Result<(), String> {
    r.map_err(|e| about(what, &e))
}

pub fn settings(v: Json) -> Result<Settings, String> {
    let mut f = Fields::new(v, "settings")?;
    let known = ["notify_pause_s", "notify_stagger_s", "backsync_timeout_h", "model", "periodic_sync_s", "intersite_sync_s", "mail_hop_s"];
    prefixed("settings", f.expect(&known))?;
    let d = Settings::default();
    let model = match f.opt_text("model").map_err(|e| about("settings", &e))?.as_deref() {
        None | Some("exchange55") => Model::Exchange55,
        Some("active_directory") => Model::ActiveDirectory,
        Some(m) => return Err(format!("settings: unknown model {} (exchange55 or active_directory)", quoted(m))),
    };
    // Every field read, in order, then the first wrong one's message (`Fields::failed`).
    let notify_pause_s = f.get::<Option<u64>>("notify_pause_s").unwrap_or(d.notify_pause_s);
    let notify_stagger_s = f.get::<Option<u64>>("notify_stagger_s").unwrap_or(d.notify_stagger_s);
    let hours = f.opt_hours("backsync_timeout_h");
    let backsync_timeout_h = f.kept(hours).unwrap_or(d.backsync_timeout_h);
    let s = Settings {
        notify_pause_s,
        notify_stagger_s,
        backsync_timeout_h,
        model,
        periodic_sync_s: f.get::<Option<u64>>("periodic_sync_s").unwrap_or(d.periodic_sync_s),
        intersite_sync_s: f.get::<Option<u64>>("intersite_sync_s").unwrap_or(d.intersite_sync_s),
        mail_hop_s: f.get::<Option<u64>>("mail_hop_s").unwrap_or(d.mail_hop_s),
    };
    prefixed("settings", f.failed())?;
    Ok(s)
}

pub fn site(v: Json, what: &str) -> Result<SiteSpec, String> {
    let mut f = Fields::new(v, what)?;
    prefixed(what, f.expect(&["name", "servers"]))?;
    let name = f.text("name").map_err(|e| about(what, &e))?;
    let servers = f.list("servers", server).map_err(|e| format!("{what} ({}): {e}", quoted(&name)))?.ok_or_else(|| about(what, "missing field \"servers\""))?;
    Ok(SiteSpec { name, servers })
}

fn server(v: Json, what: &str) -> Result<ServerSpec, String> {
    let mut f = Fields::new(v, what)?;
    prefixed(what, f.expect(&["name", "usn", "invocation_id"]))?;
    let spec = ServerSpec { name: f.get("name"), usn: f.get::<Option<u64>>("usn").unwrap_or(0), invocation_id: f.get("invocation_id") };
    prefixed(what, f.failed())?;
    Ok(spec)
}

/// A connector's optional `schedule` (`key`): `{"every_s", "open_s"}`.
pub fn schedule(f: &mut Fields, key: &str) -> Result<Option<Schedule>, String> {
    let Some(v) = f.take(key) else { return Ok(None) };
    let mut s = Fields::new(v, key)?;
    s.expect(&["every_s", "open_s"])?;
    let out = Schedule { every_s: s.number("every_s")?, open_s: s.number("open_s")? };
    Ok(Some(out))
}

pub fn connector(v: Json, what: &str) -> Result<ConnectorSpec, String> {
    let mut f = Fields::new(v, what)?;
    prefixed(what, f.expect(&["kind", "sites", "cost", "schedule", "one_way"]))?;
    let c = ConnectorSpec { kind: f.get("kind"), sites: f.get("sites"), cost: f.get("cost"), schedule: f.get("schedule"), one_way: f.get::<Option<bool>>("one_way").unwrap_or(false) };
    prefixed(what, f.failed())?;
    Ok(c)
}

pub fn drc(v: Json, what: &str) -> Result<DrcSpec, String> {
    let mut f = Fields::new(v, what)?;
    prefixed(what, f.expect(&["sites", "bridgeheads"]))?;
    let d = DrcSpec { sites: f.get("sites"), bridgeheads: f.get("bridgeheads") };
    prefixed(what, f.failed())?;
    Ok(d)
}

pub fn question(v: Json) -> Result<Question, String> {
    let mut f = Fields::new(v, "the question")?;
    f.expect(&["prompt", "choices", "answer", "explain"])?;
    let choices = f.list("choices", as_text)?.ok_or("missing field \"choices\"")?;
    let q = Question { prompt: f.get("prompt"), choices, answer: f.get("answer"), explain: f.get("explain") };
    f.failed()?;
    Ok(q)
}

/// A step's `focus`: `servers`, `objects` and `panels`, each a list of names, kept as written.
pub fn focus(v: Json) -> Result<Json, String> {
    let Json::Object(map) = &v else { return Err("must be an object like {\"servers\": [\"ServerA\"]}".into()) };
    for (key, list) in map {
        if !["servers", "objects", "panels"].contains(&key.as_str()) {
            return Err(format!("unknown field \"{key}\" (servers, objects, panels)"));
        }
        let Json::Array(items) = list else { return Err(format!("\"{key}\" must be a list of names")) };
        for item in items {
            let Json::String(name) = item else { return Err(format!("\"{key}\" must be a list of names")) };
            if key == "panels" && !FOCUS_PANELS.contains(&name.as_str()) {
                return Err(format!("unknown panel \"{name}\" ({})", FOCUS_PANELS.join(", ")));
            }
        }
    }
    Ok(v)
}

/// A step's `reveal`: the message that proves its answer, as `kind`, `from`, `to` and
/// `carries` (any of them, text), kept as written.
pub fn reveal(v: Json) -> Result<Json, String> {
    let Json::Object(map) = &v else { return Err("must be an object like {\"kind\": \"mail\", \"from\": \"ServerX\"}".into()) };
    for (key, value) in map {
        if !["kind", "from", "to", "carries"].contains(&key.as_str()) {
            return Err(format!("unknown field \"{key}\" (kind, from, to, carries)"));
        }
        if !value.is_string() {
            return Err(format!("\"{key}\" must be text"));
        }
    }
    Ok(v)
}

pub const FOCUS_PANELS: [&str; 6] = ["story", "org", "messages", "detail", "numberline", "log"];

/// `{"active_directory": "...", "exchange55": "..."}`: narration per model, kept as written.
pub fn narration_for(v: Json) -> Result<Json, String> {
    let Json::Object(map) = &v else { return Err("must be an object like {\"active_directory\": \"...\"}".into()) };
    for (k, text) in map {
        if k != "exchange55" && k != "active_directory" {
            return Err(format!("unknown model \"{k}\" (exchange55 or active_directory)"));
        }
        if !text.is_string() {
            return Err(format!("\"{k}\" must be text"));
        }
    }
    Ok(v)
}

/// The actions a step may name, in the order the lab lists them (the registry's, src/commands/).
pub use crate::commands::ACTIONS;

/// A command from `{"do": "create", ...}`, with the step's own fields checked (each command
/// reads its own, in its file under src/commands/).
pub fn command(v: Json) -> Result<Command, String> {
    let mut f = Fields::new(v, "a step")?;
    let action = match f.take("do") {
        Some(Json::String(s)) => s,
        Some(v) => return Err(must_be("do", "text", kind(&v))),
        None => return Err("a step needs \"do\" (create, modify, delete, run, restore, ...)".into()),
    };
    f.what = format!("a {} step", quoted(&action));
    Command::read(&action, &mut f).unwrap_or_else(|| {
        Err(format!("unknown action {}, expected one of {}", quoted(&action), quoted_list(ACTIONS)))
    })
}
