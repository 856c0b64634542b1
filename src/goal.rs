//! A challenge's goal: conditions on the lab's state, checked after every step, each with a
//! sentence saying what it asks and, when it is not met, why (docs/scenarios.md, "Goals").
//! Everything here is a pure function of a session (or a world and the learner's moves).
use crate::model::object::Attrs;
use crate::model::object::{common_name, DirObject};
use crate::narration::goals as say;
use crate::scenario::{Command, Model, Scenario, ScriptStep};
use crate::model::server::Server;
use crate::session::{Live, Session};
use crate::model::world::{nc_of_dn, nc_of_site, World};
use serde::Serialize;
use std::rc::Rc;
use crate::json::{Json, Obj};
use crate::scenario::reading::quoted_list;
use crate::vecmap::VecMap;

/// `{"text": "...", "require": [conditions]}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Goal {
    pub text: String,
    pub require: Vec<Condition>,
}

impl Goal {
    /// Does it ask `kept`, which needs every originating write recorded (`Journal::originated`)?
    pub fn asks_kept(&self) -> bool {
        self.require.iter().any(|c| matches!(c, Condition::Kept(_)))
    }
}

/// One requirement of a goal, written in a file as a one-key object, e.g. `{"converged": true}`.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// Every server holds the same copy of every object it should hold, and nothing is left to
    /// replicate.
    Converged,
    /// No partner's watermark for a server is above that server's USN (no request logs 1224).
    NoStall,
    /// `server` holds the mailbox (by `name` in any naming context, or by `dn`), not deleted,
    /// with these attribute values.
    Holds { server: String, name: Option<String>, dn: Option<String>, attrs: Attrs },
    /// At most this many of the learner's moves (`run`, `step` and a `measure` without a probe
    /// are free).
    MaxActions(u64),
    /// The simulated clock is at or before this many seconds.
    BeforeS(u64),
    /// Each mailbox's last originating change is the copy every server holds.
    Kept(Vec<String>),
    /// The learner's moves use only these actions (free moves are always allowed).
    Only(Vec<String>),
    /// The server's highest USN is at most this (no larger increment than needed).
    UsnAtMost { server: String, usn: u64 },
    /// The server's directory accepts changes now (running: not stopped, in backsync or
    /// quarantined).
    Writable(String),
}

impl Condition {
    /// The condition as a file writes it. Built by hand: serde_json's `json!` would bring its
    /// serializer into the wasm, which has none of serde_json (src/json.rs).
    pub fn to_value(&self) -> Json {
        let text = |s: &String| Json::String(s.clone());
        let (key, v) = match self {
            Condition::Converged => ("converged", Json::Bool(true)),
            Condition::NoStall => ("no_stall", Json::Bool(true)),
            Condition::Holds { server, name, dn, attrs } => {
                let mut m = Obj::new();
                m.insert("server".into(), text(server));
                if let Some(n) = name {
                    m.insert("name".into(), text(n));
                }
                if let Some(d) = dn {
                    m.insert("dn".into(), text(d));
                }
                if !attrs.is_empty() {
                    m.insert("attrs".into(), crate::commands::attrs_value(attrs));
                }
                ("holds", Json::Object(m))
            }
            Condition::MaxActions(k) => ("max_actions", Json::from(*k)),
            Condition::BeforeS(t) => ("before_s", Json::from(*t)),
            Condition::Kept(names) => ("kept", crate::commands::names_value(names)),
            Condition::Only(actions) => ("only", crate::commands::names_value(actions)),
            Condition::UsnAtMost { server, usn } => {
                let mut m = Obj::new();
                m.insert("server".into(), text(server));
                m.insert("usn".into(), Json::from(*usn));
                ("usn_at_most", Json::Object(m))
            }
            Condition::Writable(server) => ("writable", text(server)),
        };
        let mut m = Obj::new();
        m.insert(key.into(), v);
        Json::Object(m)
    }
}

impl Serialize for Condition {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(s)
    }
}

/// The condition names a goal may use.
pub const CONDITIONS: [&str; 9] = ["converged", "no_stall", "holds", "max_actions", "before_s", "kept", "only", "usn_at_most", "writable"];

/// Reads a goal from a scenario file.
pub fn read(v: impl Into<Json>) -> Result<Goal, String> {
    let v = v.into();
    let Json::Object(mut m) = v else { return Err("\"goal\" must be an object with \"text\" and \"require\"".into()) };
    if let Some(k) = crate::scenario::reading::unknown_key(&m, &["text", "require"]) {
        return Err(format!("goal: unknown field \"{k}\", expected \"text\" or \"require\""));
    }
    let text = match m.remove("text") {
        Some(Json::String(s)) => s,
        _ => return Err("goal: \"text\" must be text (what the learner is asked to do)".into()),
    };
    let require = match m.remove("require") {
        Some(Json::Array(list)) if !list.is_empty() => {
            // A plain loop, as `Fields::list` (src/scenario/reading.rs) says why.
            let mut require = Vec::with_capacity(list.len());
            for (i, c) in list.into_iter().enumerate() {
                require.push(condition(c).map_err(|e| format!("goal: require[{i}]: {e}"))?);
            }
            require
        }
        _ => return Err("goal: \"require\" must be a non-empty list of conditions".into()),
    };
    Ok(Goal { text, require })
}

fn text_list(v: Json, key: &str) -> Result<Vec<String>, String> {
    let wrong = || format!("\"{key}\" takes a list of names");
    let Json::Array(items) = v else { return Err(wrong()) };
    let mut names = Vec::with_capacity(items.len());
    for i in items {
        let Json::String(s) = i else { return Err(wrong()) };
        names.push(s);
    }
    Ok(names)
}

fn condition(v: Json) -> Result<Condition, String> {
    let list = || quoted_list(&CONDITIONS);
    let Json::Object(m) = v else { return Err(format!("a condition is an object with one of {}", list())) };
    if m.len() != 1 {
        return Err(format!("a condition has exactly one of {}", list()));
    }
    let (key, v) = m.into_iter().next().expect("one entry");
    let number = |v: &Json| v.as_u64().ok_or_else(|| format!("\"{key}\" takes a whole number"));
    Ok(match key.as_str() {
        "converged" | "no_stall" if !matches!(v, Json::Bool(true)) => return Err(format!("\"{key}\" takes true")),
        "converged" => Condition::Converged,
        "no_stall" => Condition::NoStall,
        "holds" => {
            let mut f = crate::scenario::reading::Fields::new(v, "\"holds\"")?;
            f.expect(&["server", "name", "dn", "attrs"])?;
            // Every field read, then the first wrong one's message (`Fields::failed`).
            let c = Condition::Holds { server: f.get("server"), name: f.get("name"), dn: f.get("dn"), attrs: f.get("attrs") };
            f.failed()?;
            if let Condition::Holds { name, dn, .. } = &c {
                if name.is_some() == dn.is_some() {
                    return Err("\"holds\" takes the mailbox's \"name\" or its \"dn\"".into());
                }
            }
            c
        }
        "max_actions" => Condition::MaxActions(number(&v)?),
        "before_s" => Condition::BeforeS(number(&v)?),
        "kept" => Condition::Kept(text_list(v, "kept")?),
        "only" => {
            let actions = text_list(v, "only")?;
            if let Some(a) = actions.iter().find(|a| a.is_empty() || !crate::scenario::reading::ACTIONS.contains(&a.as_str())) {
                return Err(format!("\"only\": unknown action \"{a}\""));
            }
            Condition::Only(actions)
        }
        "usn_at_most" => {
            let mut f = crate::scenario::reading::Fields::new(v, "\"usn_at_most\"")?;
            f.expect(&["server", "usn"])?;
            let c = Condition::UsnAtMost { server: f.get("server"), usn: f.get("usn") };
            f.failed()?;
            c
        }
        "writable" => match v {
            Json::String(s) => Condition::Writable(s),
            _ => return Err("\"writable\" takes a server's name".into()),
        },
        other => return Err(format!("unknown condition \"{other}\", expected one of {}", list())),
    })
}

/// Checks a goal against its scenario: every server it names exists.
pub fn check(goal: &Goal, sc: &Scenario) -> Result<(), String> {
    for c in &goal.require {
        let server = match c {
            Condition::Holds { server, .. } | Condition::UsnAtMost { server, .. } | Condition::Writable(server) => server,
            _ => continue,
        };
        if sc.site_of(server).is_none() {
            return Err(format!("unknown server \"{server}\""));
        }
    }
    Ok(())
}

/// One condition's verdict: `text` says what it asks and, when unmet, why; `why` is the reason
/// alone.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConditionReport {
    pub text: String,
    pub met: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// The goal's verdict: met when every condition is, in the order written.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GoalReport {
    pub text: String,
    pub met: bool,
    /// When the goal was first met (the conditions are as they were then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub met_at: Option<MetAt>,
    pub require: Vec<ConditionReport>,
}

/// The first moment a goal was met: the clock, and the scenario step being carried out (`None`
/// for a learner's own command, or an event after the script's end).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetAt {
    pub time_s: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
}

impl GoalReport {
    /// The first condition not met, if any.
    pub fn first_unmet(&self) -> Option<&ConditionReport> {
        self.require.iter().find(|c| !c.met)
    }
}

/// The goal of the session's scenario: its verdict from the first moment it was met, or else
/// now; `None` when the scenario has no goal. A goal once met stays met, as a level once solved
/// stays solved, even if later steps undo it (rewinding before that moment un-meets it).
pub fn evaluate(session: &Session) -> Option<GoalReport> {
    if let Some(r) = &session.live.reached {
        return Some(r.clone());
    }
    evaluate_now(session)
}

/// The goal against the session's state now, ignoring any earlier moment it was met. Until the
/// setup is over the goal is not met, whatever its conditions say.
pub fn evaluate_now(session: &Session) -> Option<GoalReport> {
    let goal = session.scenario.goal.as_ref()?;
    let mut report = evaluate_goal(goal, session.world(), &session.live.moves);
    report.met &= set_up(&session.live, &session.scenario);
    Some(report)
}

/// Has the situation been set up: every scenario step not marked `"learner"` begun, and none of
/// them still running? A goal is only checked from then on, so that the state the setup passes
/// through (before the restore, say) cannot meet it.
pub fn set_up(live: &Live, sc: &Scenario) -> bool {
    let setup = sc.steps.iter().rposition(|s| !s.learner).map_or(0, |i| i + 1);
    live.cursor >= setup && live.running_step().is_none_or(|i| sc.steps.get(i).is_none_or(|s| s.learner))
}

/// Called by the session after every step: records the first moment the goal is met.
pub fn check_reached(live: &mut Live, sc: &Scenario) {
    let Some(goal) = &sc.goal else { return };
    if live.reached.is_some() || !set_up(live, sc) {
        return;
    }
    let mut report = evaluate_goal(goal, &live.world, &live.moves);
    if report.met {
        report.met_at = Some(MetAt { time_s: live.world.time, step: live.world.step });
        live.reached = Some(report);
    }
}

/// Moves that change nothing by themselves: letting time pass, and measuring without a probe.
pub fn is_free(cmd: &Command) -> bool {
    cmd.is_free()
}

/// The goal against a world and the learner's moves (`Live::moves`: scenario steps marked
/// `"learner": true` that have begun, then the learner's own commands, in the order made).
pub fn evaluate_goal(goal: &Goal, w: &World, moves: &[Rc<Command>]) -> GoalReport {
    // A plain loop: iterator adapters cost code per closure in the wasm (docs/performance.md).
    let mut require = Vec::with_capacity(goal.require.len());
    let mut met = true;
    for c in &goal.require {
        let why = why_not(c, w, moves);
        met &= why.is_none();
        require.push(ConditionReport { text: say::condition(&say::asks(c), why.as_deref()), met: why.is_none(), why });
    }
    GoalReport { text: goal.text.clone(), met, met_at: None, require }
}

/// Why a condition is not met now; `None` when it is.
pub fn why_not(c: &Condition, w: &World, moves: &[Rc<Command>]) -> Option<String> {
    let named = match c {
        Condition::Holds { server, .. } | Condition::UsnAtMost { server, .. } | Condition::Writable(server) => Some(server),
        _ => None,
    };
    if let Some(gone) = named.filter(|s| !w.has_server(s)) {
        return Some(say::server_gone(gone));
    }
    match c {
        Condition::Converged => unconverged(w),
        Condition::NoStall => stall(w),
        Condition::Holds { server, name, dn, attrs } => not_held(w, server, name.as_deref(), dn.as_deref(), attrs),
        Condition::MaxActions(k) => {
            let n = moves.iter().filter(|m| !is_free(m)).count() as u64;
            (n > *k).then(|| say::too_many_moves(n, *k))
        }
        Condition::BeforeS(t) => (w.time > *t).then(|| say::past_time(w.time, *t)),
        Condition::Kept(names) => names.iter().find_map(|n| lost(w, n)),
        Condition::Only(actions) => {
            for m in moves {
                if !is_free(m) && !actions.iter().any(|a| a == m.name()) {
                    return Some(say::move_not_allowed(m.name()));
                }
            }
            None
        }
        Condition::UsnAtMost { server, usn } => {
            let now = w.server(server).usn;
            (now > *usn).then(|| say::usn_above(server, now, *usn))
        }
        Condition::Writable(server) => w.write_refusal(server).map(|(code, text)| say::not_writable(code, &text)),
    }
}

/// The servers that should hold a site's naming context: its own site's, and those of every site
/// joined to it through directory replication connectors.
fn holders<'w>(w: &'w World, site: &str) -> Vec<&'w Server> {
    let mut out = Vec::new();
    for s in &w.servers {
        if s.site == site || crate::model::sites::drc_is_redundant(&w.drcs, &s.site, site) {
            out.push(s);
        }
    }
    out
}

/// Two copies of one object agree on what replication carries (not on USNs, which are each
/// server's own).
pub fn same_copy(a: &DirObject, b: &DirObject) -> bool {
    a.object_version == b.object_version && same_change(a, b)
}

/// "by ServerB at 600 s": who made the change a copy carries (its DSA-Signature), and when.
fn made_by(w: &World, o: &DirObject) -> String {
    let by = w.servers.iter().find(|s| s.invocation_id == o.dsa_signature).map_or_else(|| o.dsa_signature.chars().take(8).collect(), |s| s.name.clone());
    say::made_by(&by, o.when_changed, o.deleted)
}

fn describe_copy(w: &World, o: &DirObject) -> String {
    say::copy(o.object_version, &made_by(w, o))
}

fn unconverged(w: &World) -> Option<String> {
    for (site, _) in &w.sites {
        let nc = nc_of_site(&w.org, site);
        let servers = holders(w, site);
        // The first copy seen of each object, and how many servers hold one, in DN order.
        let mut seen: VecMap<&str, (&Server, &DirObject, usize)> = VecMap::new();
        for s in &servers {
            let Some(r) = s.ncs.get(&nc) else { continue };
            // Copies of objects seen on an earlier server, in USN order (the order that picks
            // which differing copy is named).
            let mut known = 0;
            for o in r.iter() {
                if let Some(entry) = seen.get_mut(o.dn.as_str()) {
                    if !same_copy(entry.1, o) {
                        return Some(say::copies_differ(&entry.0.name, o.name(), &describe_copy(w, entry.1), &s.name, &describe_copy(w, o)));
                    }
                    entry.2 += 1;
                    known += 1;
                }
            }
            // Objects first seen here, added in DN order so the sorted map mostly grows at its end.
            if known < r.len() {
                for o in r.iter_by_dn() {
                    if !seen.contains_key(o.dn.as_str()) {
                        seen.insert(o.dn.as_str(), (s, o, 1));
                    }
                }
            }
        }
        for (dn, (holder, _, count)) in &seen {
            if *count < servers.len() {
                let lacking = servers.iter().find(|s| s.object(&nc, dn).is_none()).map_or("a server", |s| s.name.as_str());
                return Some(say::lacks(lacking, common_name(dn), &holder.name));
            }
        }
    }
    if let Some(s) = w.servers.iter().find(|s| s.backsync.is_some()) {
        return Some(say::backsync_running(&s.name));
    }
    (!w.quiet()).then(|| say::NOT_SETTLED.to_string())
}

fn stall(w: &World) -> Option<String> {
    // (server, partner, its USN, the partner's watermark for it), each pair once.
    let mut found: Vec<(&str, &str, u64, u64)> = Vec::new();
    for p in &w.servers {
        for rep in p.ncs.values() {
            for (source, link) in &rep.reps_from {
                if !w.has_server(source) {
                    continue;
                }
                let s = w.server(source);
                // Under Active Directory a partner with a new Invocation-ID is asked from 0.
                let ignored = w.model() == Model::ActiveDirectory && link.uuid != s.invocation_id;
                if !ignored && link.usn > s.usn && !found.iter().any(|f| f.0 == source && f.1 == p.name) {
                    found.push((source, &p.name, s.usn, link.usn));
                }
            }
        }
    }
    let (s, p, usn, watermark) = found.first()?;
    Some(say::stall(s, *usn, p, *watermark, found.len() - 1))
}

fn find_object<'w>(s: &'w Server, name: Option<&str>, dn: Option<&str>) -> Option<&'w DirObject> {
    match (dn, name) {
        (Some(dn), _) => s.object(&nc_of_dn(dn), dn),
        (None, Some(name)) => {
            let all = || s.ncs.values().flat_map(|r| r.iter()).filter(|o| o.name() == name);
            all().find(|o| !o.deleted).or_else(|| all().next())
        }
        (None, None) => None,
    }
}

fn not_held(w: &World, server: &str, name: Option<&str>, dn: Option<&str>, attrs: &Attrs) -> Option<String> {
    let who = name.or(dn).unwrap_or_default();
    let Some(o) = find_object(w.server(server), name, dn) else { return Some(say::not_held(server, who)) };
    if o.deleted {
        return Some(say::deleted_on(who, server));
    }
    attrs.iter().find_map(|(k, want)| match o.attrs.get(k) {
        None => Some(say::no_attr(server, who, k)),
        Some(v) if v != want => Some(say::attr_differs(server, who, k, v, want)),
        Some(_) => None,
    })
}

/// Two copies carry the same change: the same DSA-Signature, When-Changed, deleted flag and
/// attributes (the Object-Version may differ: Authrest raises it without making a change).
fn same_change(a: &DirObject, b: &DirObject) -> bool {
    a.dsa_signature == b.dsa_signature && a.when_changed == b.when_changed && a.deleted == b.deleted && a.attrs == b.attrs
}

/// Is some originating change to mailbox `name` lost, or not yet on every server that should hold
/// it? Each change was made on a copy (its base): the last earlier change that copy carries. A
/// change no later change was made on is a head; the newest change is always one. With one
/// head, every server must hold it; a second head is a change that a later one, made on an
/// older copy, left out: it is lost.
fn lost(w: &World, name: &str) -> Option<String> {
    let mut any = false;
    for (dn, changes) in &w.journal.originated {
        if common_name(dn) != name {
            continue;
        }
        any = true;
        let mut built_on = vec![false; changes.len()];
        for (i, c) in changes.iter().enumerate() {
            let base = c.base.as_ref().and_then(|b| (0..i).rev().find(|&j| same_change(&changes[j].copy, b)));
            if let Some(j) = base {
                built_on[j] = true;
            }
        }
        let heads: Vec<&DirObject> = changes.iter().zip(&built_on).filter(|(_, b)| !**b).map(|(c, _)| &c.copy).collect();
        let nc = nc_of_dn(dn);
        let Some((site, _)) = w.sites.iter().find(|(site, _)| nc_of_site(&w.org, site) == nc) else { continue };
        let servers = holders(w, site);
        // The head the servers should agree on: the one the first of them holds, else the newest.
        let first = servers.first().and_then(|s| s.object(&nc, dn));
        let target = first.and_then(|o| heads.iter().copied().find(|h| same_change(h, o))).or(heads.last().copied())?;
        for s in &servers {
            match s.object(&nc, dn) {
                Some(o) if same_change(o, target) => {}
                None => return Some(say::lacks_newest(&s.name, name, &made_by(w, target))),
                Some(o) => return Some(say::holds_older(&s.name, name, &describe_copy(w, o), &made_by(w, target))),
            }
        }
        if let Some(gone) = heads.iter().find(|h| !same_change(h, target)) {
            return Some(say::change_lost(name, &made_by(w, gone), &made_by(w, target)));
        }
    }
    (!any).then(|| say::no_change(name))
}

/// The scenario with its model solution appended as the learner's moves (`"learner": true`).
pub fn with_solution(sc: &Scenario) -> Scenario {
    let mut out = sc.clone();
    out.steps.extend(sc.solution.iter().cloned().map(|s| ScriptStep { learner: true, ..s }));
    out
}
