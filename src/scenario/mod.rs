//! Scenario files (docs/scenarios.md): parsed, then checked before anything runs, so that a scenario
//! that cannot be understood is rejected with the step's index and a sentence saying why.
use crate::ids::{derive_invocation_id, is_invocation_id};
pub mod builtins;
pub mod names;
pub mod reading;

use crate::goal::Goal;
use crate::excerpt::quoted;
use serde::Serialize;
use std::rc::Rc;
use crate::json::{Json, Obj};
use crate::vecmap::VecSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    #[default]
    Exchange55,
    ActiveDirectory,
}

/// Every number of the model (docs/scenarios.md, `settings`), with its default; a scenario may override any of them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Settings {
    pub notify_pause_s: u64,
    pub notify_stagger_s: u64,
    pub backsync_timeout_h: f64,
    pub model: Model,
    /// Period-Rep-Sync-Times within a site (model choice: every 3 hours).
    pub periodic_sync_s: u64,
    /// The directory replication connector's schedule between sites (every 3 hours).
    pub intersite_sync_s: u64,
    /// Time the MTA takes to carry a message over one messaging connector (model choice).
    pub mail_hop_s: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            notify_pause_s: 300,
            notify_stagger_s: 30,
            backsync_timeout_h: 16.0,
            model: Model::Exchange55,
            periodic_sync_s: 3 * 3600,
            intersite_sync_s: 3 * 3600,
            mail_hop_s: 60,
        }
    }
}

impl Settings {
    pub fn backsync_timeout_s(&self) -> u64 {
        (self.backsync_timeout_h * 3600.0).round() as u64
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServerSpec {
    pub name: String,
    pub usn: u64,
    pub invocation_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SiteSpec {
    pub name: String,
    pub servers: Vec<ServerSpec>,
}

/// A messaging connector's schedule: open for the first `open_s` seconds of every `every_s`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub every_s: u64,
    pub open_s: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConnectorSpec {
    /// `site`, `x400`, `ras` or `ims`.
    pub kind: String,
    pub sites: [String; 2],
    pub cost: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// Messages go only from `sites[0]` to `sites[1]` (Figure 3's one-headed arrows).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub one_way: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DrcSpec {
    pub sites: [String; 2],
    pub bridgeheads: [String; 2],
}

pub use crate::commands::Command;

/// A lesson's question, asked before the step runs and answered by what the step shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Question {
    pub prompt: String,
    pub choices: Vec<String>,
    pub answer: String,
    pub explain: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScriptStep {
    /// Shared, not copied, by a session's history, moves and export: the wasm then has no
    /// `Command` clone (docs/performance.md).
    #[serde(flatten)]
    pub command: Rc<Command>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<Question>,
    /// Narration for one model only (`exchange55`, `active_directory`): a lesson replayed under
    /// the other model tells that model's outcome (docs/scenarios.md).
    /// Kept as read (checked by `reading::narration_for`): only the page reads it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narration_for: Option<Json>,
    /// What the page should point at while this step is under way (checked by `reading::focus`:
    /// `servers`, `objects` and `panels`, lists of names; only the page reads it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focus: Option<Json>,
    /// The message that proves this step's answer (`kind`, `from`, `to`, `carries`, any of
    /// them; checked by `reading::reveal`): the page reveals the verdict when it arrives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reveal: Option<Json>,
    /// `"learner": true`: a move of the learner's (a challenge's solution, or a recorded
    /// attempt), counted by a goal's `max_actions` and `only` (docs/scenarios.md).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub learner: bool,
}

/// Serialized as its `Written` (below).
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub title: String,
    pub org: String,
    pub summary: Option<String>,
    pub settings: Settings,
    pub sites: Vec<SiteSpec>,
    pub connectors: Vec<ConnectorSpec>,
    pub drcs: Vec<DrcSpec>,
    pub steps: Vec<ScriptStep>,
    /// A challenge's goal, checked after every step (src/goal.rs, docs/scenarios.md).
    pub goal: Option<Goal>,
    /// A challenge's hint ladder, vaguest first.
    pub hints: Vec<String>,
    /// A model solution: steps that, played after `steps`, meet the goal.
    pub solution: Vec<ScriptStep>,
}

/// A scenario as its file is written, borrowed: with its own steps, or with an export's
/// (src/session/export.rs), which then needs no copy of the rest (docs/performance.md).
#[derive(Serialize)]
pub struct Written<'a> {
    title: &'a str,
    org: &'a str,
    summary: &'a Option<String>,
    settings: &'a Settings,
    sites: &'a [SiteSpec],
    connectors: &'a [ConnectorSpec],
    drcs: &'a [DrcSpec],
    steps: std::borrow::Cow<'a, [ScriptStep]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    goal: Option<&'a Goal>,
    #[serde(skip_serializing_if = "empty")]
    hints: &'a [String],
    #[serde(skip_serializing_if = "empty")]
    solution: &'a [ScriptStep],
}

fn empty<T>(list: &&[T]) -> bool {
    list.is_empty()
}

impl Serialize for Scenario {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.written(std::borrow::Cow::Borrowed(&self.steps)).serialize(s)
    }
}

/// Why a scenario was rejected: where, and a sentence that says what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub step: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.step {
            Some(i) => write!(f, "step {i}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ScenarioError {}

fn whole(message: impl Into<String>) -> ScenarioError {
    ScenarioError { step: None, message: message.into() }
}

fn at(step: usize, message: impl Into<String>) -> ScenarioError {
    ScenarioError { step: Some(step), message: message.into() }
}

/// The largest numbers a scenario may ask for, so that no file can freeze a tab.
pub const MAX_IMPORT: u64 = 1_000_000;
pub const MAX_SERVERS: usize = 200;
pub const MAX_STEP_COUNT: u64 = 1_000_000;
pub const MAX_USN: u64 = 1 << 48;
pub const MAX_OBJVER: u32 = 1_000_000;

/// Fields a step may carry besides its command.
const STEP_EXTRAS: [&str; 6] = ["narration", "question", "learner", "focus", "narration_for", "reveal"];

impl Scenario {
    /// This scenario with `steps` for its own.
    pub fn written<'a>(&'a self, steps: std::borrow::Cow<'a, [ScriptStep]>) -> Written<'a> {
        Written {
            title: &self.title,
            org: &self.org,
            summary: &self.summary,
            settings: &self.settings,
            sites: &self.sites,
            connectors: &self.connectors,
            drcs: &self.drcs,
            steps,
            goal: self.goal.as_ref(),
            hints: &self.hints,
            solution: &self.solution,
        }
    }

    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let doc: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| whole(format!("this is not valid JSON (line {}, column {}): {e}", e.line(), e.column())))?;
        Scenario::from_value(doc)
    }

    /// Reads a scenario already parsed as JSON (the browser parses it with `JSON.parse`; a
    /// `serde_json::Value` converts natively).
    pub fn from_value(doc: impl Into<Json>) -> Result<Scenario, ScenarioError> {
        let Json::Object(mut top) = doc.into() else {
            return Err(whole("a scenario is a JSON object with \"sites\" and \"steps\""));
        };
        // `"steps": null` is refused, unlike the other fields (absent or null are the same).
        let steps = match top.remove("steps") {
            None => Vec::new(),
            Some(Json::Array(steps)) => steps,
            Some(_) => return Err(whole("\"steps\" must be a list")),
        };
        let mut top = reading::Fields::new(Json::Object(top), "the scenario").map_err(whole)?;
        // Every part read, in order, then the first wrong one's message: one exit dropping what
        // was read, not one per part (less code in the wasm, docs/performance.md).
        let mut wrong = None;
        let settings = match top.take("settings") {
            None => Settings::default(),
            Some(v) => first(&mut wrong, reading::settings(v).map_err(whole)),
        };
        let sites = top.list("sites", reading::site).map_err(whole)
            .and_then(|s| s.ok_or_else(|| whole("a scenario needs \"sites\": a list of sites, each with servers")));
        let sites = first(&mut wrong, sites);
        let connectors = first(&mut wrong, top.list("connectors", reading::connector).map_err(whole)).unwrap_or_default();
        let drcs = first(&mut wrong, top.list("drcs", reading::drc).map_err(whole)).unwrap_or_default();
        let steps = first(&mut wrong, read_steps(steps));
        let goal = first(&mut wrong, top.take("goal").map(crate::goal::read).transpose().map_err(whole));
        let hint = |v: Json, what: &str| match v {
            Json::String(s) => Ok(s),
            _ => Err(format!("{what} must be text")),
        };
        let hints = first(&mut wrong, top.list("hints", hint).map_err(whole)).unwrap_or_default();
        let solution = match top.take("solution") {
            None => Vec::new(),
            Some(Json::Array(list)) => first(&mut wrong, read_steps(list).map_err(|e| whole(format!("solution {e}")))),
            Some(_) => first(&mut wrong, Err(whole("\"solution\" must be a list of steps"))),
        };
        let title = first(&mut wrong, text_field(&mut top, "title"));
        let org = first(&mut wrong, text_field(&mut top, "org"));
        let summary = first(&mut wrong, text_field(&mut top, "summary"));
        let scenario = Scenario {
            title: title.unwrap_or_else(|| "Untitled scenario".into()),
            org: org.unwrap_or_else(|| "Org".into()),
            summary,
            settings,
            sites,
            connectors,
            drcs,
            steps,
            goal,
            hints,
            solution,
        };
        if let Some(e) = wrong {
            return Err(e);
        }
        scenario.check()?;
        Ok(scenario)
    }

    /// Every server as (site, spec), in file order.
    pub fn servers(&self) -> impl Iterator<Item = (&str, &ServerSpec)> {
        self.sites.iter().flat_map(|s| s.servers.iter().map(move |v| (s.name.as_str(), v)))
    }

    pub fn site_of(&self, server: &str) -> Option<&str> {
        // Plain loops: iterator adapters cost code per closure in the wasm (docs/performance.md).
        for site in &self.sites {
            if site.servers.iter().any(|s| s.name == server) {
                return Some(&site.name);
            }
        }
        None
    }

    pub fn invocation_id(spec: &ServerSpec) -> String {
        spec.invocation_id.as_deref().map(str::to_ascii_uppercase).unwrap_or_else(|| derive_invocation_id(&spec.name))
    }

    fn check(&self) -> Result<(), ScenarioError> {
        let mut known = Known::of(self);
        self.check_topology(&known).map_err(whole)?;
        crate::model::budget::check_scenario(self).map_err(|(i, m)| at(i, m))?;
        if let Some(g) = &self.goal {
            crate::goal::check(g, self).map_err(|m| whole(reading::about("goal", &m)))?;
        }
        known.file_connectors = Some(self.connectors.clone());
        for (i, step) in self.steps.iter().enumerate() {
            known.check(&step.command).map_err(|m| at(i, m))?;
            if let Some(q) = &step.question {
                if !q.choices.contains(&q.answer) {
                    return Err(at(i, format!("the question's answer {} is not one of its choices", quoted(&q.answer))));
                }
            }
        }
        known.file_connectors = None;
        for (i, step) in self.solution.iter().enumerate() {
            known.check(&step.command).map_err(|m| whole(format!("solution step {i}: {m}")))?;
        }
        Ok(())
    }

    /// The settings, sites, servers, connectors and DRCs (its messages are about the whole file),
    /// with what `known` knows before the first step.
    fn check_topology(&self, known: &Known) -> Result<(), String> {
        let s = &self.settings;
        if s.notify_stagger_s > 86_400 || s.notify_pause_s > 30 * 86_400 {
            return Err("settings: the notify pause and stagger must be under 30 days and one day".into());
        }
        if s.periodic_sync_s == 0 || s.intersite_sync_s == 0 {
            return Err("settings: periodic_sync_s and intersite_sync_s must be above 0".into());
        }
        crate::model::budget::check_settings(s)?;
        if !(s.backsync_timeout_h.is_finite() && s.backsync_timeout_h >= 0.0 && s.backsync_timeout_h <= 24.0 * 365.0) {
            return Err("settings: backsync_timeout_h must be a number of hours from 0 to 8760".into());
        }
        if self.sites.is_empty() {
            return Err("a scenario needs at least one site with a server".into());
        }
        crate::scenario::names::check_names(self)?;
        let mut site_names = VecSet::new();
        let mut names = VecSet::new();
        let mut ids = VecSet::new();
        for site in &self.sites {
            if site.name.trim().is_empty() || !site_names.add(site.name.to_ascii_lowercase()) {
                return Err(format!("site \"{}\" is named twice or has no name", site.name));
            }
            if site.servers.is_empty() {
                return Err(format!("site \"{}\" has no servers", site.name));
            }
            for server in &site.servers {
                if server.name.trim().is_empty() || !names.add(server.name.to_ascii_lowercase()) {
                    return Err(format!("server \"{}\" is named twice or has no name", server.name));
                }
                if server.usn > MAX_USN {
                    return Err(format!("server \"{}\": usn {} is too large", server.name, server.usn));
                }
                if let Some(id) = &server.invocation_id {
                    if !is_invocation_id(id) {
                        return Err(format!("server \"{}\": invocation_id must be 32 hex digits", server.name));
                    }
                }
                if !ids.add(Self::invocation_id(server)) {
                    return Err(format!("server \"{}\" has another server's invocation_id", server.name));
                }
            }
        }
        if names.len() > MAX_SERVERS {
            return Err(format!("the lab holds at most {MAX_SERVERS} servers"));
        }
        for (i, c) in self.connectors.iter().enumerate() {
            known.check_connector(&c.kind, &c.sites, c.cost, c.schedule.as_ref())
                .map_err(|m| format!("connectors[{i}]: {m}"))?;
        }
        for (i, d) in self.drcs.iter().enumerate() {
            known.check_drc(&d.sites, &d.bridgeheads).and_then(|()| self.check_drc_joins(i)).map_err(|m| format!("drcs[{i}]: {m}"))?;
        }
        Ok(())
    }

    /// A file's DRCs are checked as `add_drc` checks one: the `i`th may not repeat an earlier one
    /// nor join sites the earlier ones already join (N joined sites have N−1 DRCs).
    fn check_drc_joins(&self, i: usize) -> Result<(), String> {
        let d = &self.drcs[i];
        let same = |e: &DrcSpec| (e.sites[0] == d.sites[0] && e.sites[1] == d.sites[1]) || (e.sites[0] == d.sites[1] && e.sites[1] == d.sites[0]);
        if let Some(j) = self.drcs[..i].iter().position(same) {
            return Err(format!("it repeats drcs[{j}] ({} and {} already have a directory replication connector)", d.sites[0], d.sites[1]));
        }
        if crate::model::sites::drc_is_redundant(&self.drcs[..i], &d.sites[0], &d.sites[1]) {
            return Err(format!(
                "{} and {} are already joined through the connectors listed before it; a second path is refused, as add_drc refuses it (N sites need N-1 connectors)",
                d.sites[0], d.sites[1]
            ));
        }
        Ok(())
    }

    /// What the checks know before the first step: this scenario's servers and sites.
    pub fn known(&self) -> Known {
        Known::of(self)
    }

    /// What the checks know after the whole script: the servers and sites its steps add too
    /// (a learner's commands after it may name them).
    pub fn known_after_script(&self) -> Known {
        let mut k = Known::of(self);
        for step in &self.steps {
            let _ = k.check(&step.command);
        }
        k
    }
}

/// The names a command may use: the servers (with their sites) and sites known so far, and the
/// backups made by earlier steps. An `add_server` or `add_site` step adds to it, so later steps
/// may name what it made; a name that is gone by then is refused when the step runs.
#[derive(Clone, Debug, Default)]
pub struct Known {
    pub servers: Vec<(String, String)>,
    pub sites: Vec<String>,
    backups: VecSet<(String, String)>,
    /// Servers and sites a step removes: still known (the removal may be refused when it
    /// runs), and free to be added again.
    removed: VecSet<String>,
    /// While a file's steps are checked: the connectors it has and its steps add so far (a
    /// `connector` step must name one of them).
    pub(crate) file_connectors: Option<Vec<ConnectorSpec>>,
}

impl Known {
    pub fn of(sc: &Scenario) -> Known {
        let mut servers = Vec::new();
        let mut sites = Vec::with_capacity(sc.sites.len());
        for site in &sc.sites {
            for s in &site.servers {
                servers.push((s.name.clone(), site.name.clone()));
            }
            sites.push(site.name.clone());
        }
        Known::new(servers, sites)
    }

    /// The names as they are now (a live world's servers and sites).
    pub fn new(servers: Vec<(String, String)>, sites: Vec<String>) -> Known {
        Known { servers, sites, backups: VecSet::new(), removed: VecSet::new(), file_connectors: None }
    }

    fn site_of(&self, server: &str) -> Option<&str> {
        self.servers.iter().find(|(n, _)| n == server).map(|(_, s)| s.as_str())
    }

    pub(crate) fn has_server(&self, name: &str) -> Result<(), String> {
        if self.site_of(name).is_some() {
            return Ok(());
        }
        let mut known = Vec::with_capacity(self.servers.len());
        for (n, _) in &self.servers {
            known.push(n.as_str());
        }
        Err(format!("unknown server {} (the servers are {})", quoted(name), crate::scenario::names::some_of(&known)))
    }

    pub(crate) fn has_site(&self, name: &str) -> Result<(), String> {
        if self.sites.iter().any(|s| s == name) {
            Ok(())
        } else {
            Err(format!("unknown site {}", quoted(name)))
        }
    }

    pub(crate) fn fresh_name(&mut self, name: &str, what: &str) -> Result<(), String> {
        if name.trim().is_empty() || name.contains('/') {
            return Err(format!("a {what} name must be non-empty and contain no '/'"));
        }
        if self.removed.remove(&format!("{what}:{}", name.to_ascii_lowercase())).is_some() {
            return Ok(());
        }
        let taken = if what == "site" { self.sites.iter().any(|s| s.eq_ignore_ascii_case(name)) } else { self.servers.iter().any(|(s, _)| s.eq_ignore_ascii_case(name)) };
        if taken { Err(format!("there is already a {what} named \"{name}\"")) } else { Ok(()) }
    }

    pub(crate) fn check_connector(&self, kind: &str, sites: &[String; 2], cost: u32, schedule: Option<&Schedule>) -> Result<(), String> {
        if !["site", "x400", "ras", "ims"].contains(&kind) {
            return Err(format!("unknown connector kind {} (site, x400, ras or ims)", quoted(kind)));
        }
        sites.iter().try_for_each(|s| self.has_site(s))?;
        if sites[0] == sites[1] {
            return Err("a connector joins two different sites".into());
        }
        if !(1..=100).contains(&cost) {
            return Err(format!("cost {cost} is outside 1 to 100"));
        }
        if let Some(s) = schedule {
            if s.every_s == 0 || s.open_s == 0 || s.open_s > s.every_s {
                return Err("a schedule is open for open_s (above 0) of every every_s seconds".into());
            }
            crate::model::budget::check_schedule(s)?;
        }
        Ok(())
    }

    pub(crate) fn check_drc(&self, sites: &[String; 2], bridgeheads: &[String; 2]) -> Result<(), String> {
        sites.iter().try_for_each(|s| self.has_site(s))?;
        if sites[0] == sites[1] {
            return Err("a directory replication connector joins two different sites".into());
        }
        for (site, server) in sites.iter().zip(bridgeheads) {
            self.has_server(server)?;
            if self.site_of(server) != Some(site.as_str()) {
                return Err(format!("bridgehead \"{server}\" is not in site \"{site}\""));
            }
        }
        Ok(())
    }

    /// A backup made (by an earlier step, or named by a learner's restore).
    pub(crate) fn add_backup(&mut self, server: &str, label: &str) {
        self.backups.add((server.to_string(), label.to_string()));
    }

    pub(crate) fn has_backup(&self, server: &str, label: &str) -> bool {
        self.backups.contains(&(server.to_string(), label.to_string()))
    }

    /// A site an `add_site` step makes.
    pub(crate) fn learn_site(&mut self, name: &str) {
        if !self.sites.iter().any(|s| s == name) {
            self.sites.push(name.to_string());
        }
    }

    /// A server an `add_server` step makes (in place of one removed under that name).
    pub(crate) fn learn_server(&mut self, name: &str, site: &str) {
        self.servers.retain(|(n, _)| n != name);
        self.servers.push((name.to_string(), site.to_string()));
    }

    /// A server or site (`what`) a step removes: still known (the removal may be refused when
    /// it runs), and free to be added again.
    pub(crate) fn forget(&mut self, what: &str, name: &str) {
        self.removed.add(format!("{what}:{}", name.to_ascii_lowercase()));
    }

    /// Checks a learner's command as a step would be checked (a restore names a backup by
    /// label and is refused at run time if there is none).
    pub fn check_live(&mut self, cmd: &Command) -> Result<(), String> {
        cmd.check_live(self)
    }

    /// Checks one step, and learns the names and backups it makes (each command's own checks,
    /// in its file under src/commands/).
    pub fn check(&mut self, cmd: &Command) -> Result<(), String> {
        cmd.check(self)
    }
}

/// A part's value, or its type's default with the error kept if it is the first.
fn first<T: Default>(wrong: &mut Option<ScenarioError>, r: Result<T, ScenarioError>) -> T {
    r.unwrap_or_else(|e| {
        wrong.get_or_insert(e);
        T::default()
    })
}

/// A scenario's `title`, `org` or `summary` (absent or null: `None`).
fn text_field(top: &mut reading::Fields, key: &str) -> Result<Option<String>, ScenarioError> {
    match top.take(key) {
        None => Ok(None),
        Some(Json::String(s)) => Ok(Some(s)),
        Some(_) => Err(whole(format!("\"{key}\" must be text"))),
    }
}

/// The steps of a list, in order (a plain loop, as `reading::Fields::list` says why).
fn read_steps(list: Vec<Json>) -> Result<Vec<ScriptStep>, ScenarioError> {
    let mut steps = Vec::with_capacity(list.len());
    for (i, v) in list.into_iter().enumerate() {
        steps.push(parse_step(i, v)?);
    }
    Ok(steps)
}

/// Parses one step (a command plus optional narration and question).
pub fn parse_step(index: usize, v: Json) -> Result<ScriptStep, ScenarioError> {
    read_step(v).map_err(|m| at(index, m))
}

fn read_step(v: Json) -> Result<ScriptStep, String> {
    let Json::Object(mut map) = v else {
        return Err("a step is an object like {\"do\": \"create\", ...}".into());
    };
    if !map.contains_key("do") {
        return Err("a step needs \"do\" (create, modify, delete, run, restore, ...)".into());
    }
    let narration = match map.remove(STEP_EXTRAS[0]) {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) => Some(s),
        Some(_) => return Err("\"narration\" must be text".into()),
    };
    let question = step_extra(&mut map, STEP_EXTRAS[1], reading::question)?;
    let learner = match map.remove(STEP_EXTRAS[2]) {
        None | Some(Json::Null) | Some(Json::Bool(false)) => false,
        Some(Json::Bool(true)) => true,
        Some(_) => return Err("\"learner\" must be true or false".into()),
    };
    let focus = step_extra(&mut map, STEP_EXTRAS[3], reading::focus)?;
    let narration_for = step_extra(&mut map, STEP_EXTRAS[4], reading::narration_for)?;
    let reveal = step_extra(&mut map, STEP_EXTRAS[5], reading::reveal)?;
    let command = parse_command(Json::Object(map))?;
    Ok(ScriptStep { command: Rc::new(command), narration, question, narration_for, focus, reveal, learner })
}

/// A step's optional field `key` (absent or null: `None`), read by `read`, whose message is
/// prefixed with the field's name.
fn step_extra<T>(map: &mut Obj, key: &str, read: fn(Json) -> Result<T, String>) -> Result<Option<T>, String> {
    match map.remove(key) {
        None | Some(Json::Null) => Ok(None),
        Some(v) => read(v).map(Some).map_err(|e| format!("\"{key}\": {e}")),
    }
}

/// Parses a command object, e.g. one the page sends.
pub fn parse_command(v: impl Into<Json>) -> Result<Command, String> {
    Command::from_tagged(v.into())
}
