//! What the page draws, as Rust types: computed here so the page never re-implements a rule.
//! A `Frame` is one screen: a summary of every server, the detail of the selected one (its
//! table and log paged), the lesson's state, and the last step. What a frame carries grows with
//! the number of servers, never with servers × links (docs/wasm-api.md).
use crate::model::object::Attrs;
use crate::model::gap::Gap;
use crate::narration::repair::gap as gap_text;
use crate::model::log::{LogEvent, Refusal};
use crate::model::messages::{Message, StepReport};
use crate::model::object::DirObject;
use crate::model::replica::MAIL_REPLICA;
use crate::model::server::{Server, ServerState};
use crate::model::world::{nc_of_dn, World};
use crate::json::Json;
use crate::scenario::{ConnectorSpec, DrcSpec, Model, Question};
use crate::session::Session;
use crate::vecmap::{VecMap, VecSet};
use serde::Serialize;

/// What the page is looking at, kept by the binding between steps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Look {
    /// The server whose detail is shown; `None` follows the first server.
    pub selected: Option<String>,
    /// The page of the selected server's object table.
    pub page: usize,
    /// Only this server's events in the log.
    pub log_server: Option<String>,
}

pub const TABLE_PAGE: usize = 50;
pub const LOG_ROWS: usize = 100;
pub const RECENT_MESSAGES: usize = 30;
pub const PENDING: usize = 8;

/// One screen.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Frame<'a> {
    pub time_s: u64,
    pub quiet: bool,
    pub model: Model,
    pub playhead: usize,
    pub history_length: usize,
    /// The learner's own commands up to the playhead.
    pub learner_actions: usize,
    /// The learner's moves as a goal counts them (`max_actions`): running the clock, stepping
    /// and measuring without a probe are free (src/goal.rs).
    pub counted_moves: usize,
    pub script: ScriptState,
    /// The question of the step about to run, with the answer given so far on this timeline.
    pub question: Option<Asked<'a>>,
    /// The most recent answered question whose step has run: right or wrong, and why.
    pub verdict: Option<Verdict<'a>>,
    pub servers: Vec<ServerSummary<'a>>,
    pub selected: Option<ServerDetail<'a>>,
    pub sites: Vec<SiteView<'a>>,
    // `&Vec`, not a slice, here and in the other views below: each distinct field type is one
    // more copy of the serializer's code in the wasm, and the scenario's `Vec`s are serialized
    // too (docs/performance.md).
    pub connectors: &'a Vec<ConnectorSpec>,
    pub drcs: &'a Vec<DrcSpec>,
    /// Indices into `connectors` of the connectors a step has taken down.
    pub connectors_down: Vec<usize>,
    /// Indices into `drcs` of the connectors installed before their site knew every replication
    /// path: replication over them won't initialize.
    pub drcs_idle: Vec<usize>,
    /// Directory mail waiting in the MTA queue for a route: `[{from, to, carries}]`.
    pub mta_queue: Json,
    /// Owned, as a connector's sites are: one serializer for both.
    pub links_down: Vec<[String; 2]>,
    pub counts: Counts,
    pub pending: Vec<Pending>,
    /// The newest messages, oldest first (the time-space diagram).
    pub messages: &'a [Message],
    pub log: LogPage<'a>,
    pub last: Option<&'a StepReport>,
    /// A challenge's goal: each condition met or not, with its sentence (src/goal.rs); `None`
    /// when the scenario has none.
    pub goal: Option<crate::goal::GoalReport>,
    /// The numbers in force now (the workbench's `set` changes them).
    pub settings: &'a crate::scenario::Settings,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScriptState {
    /// The next scenario step to carry out.
    pub cursor: usize,
    /// The step whose `run` or `step` is still going.
    pub running: Option<usize>,
    pub done: bool,
    pub total: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Asked<'a> {
    pub step: usize,
    pub prompt: &'a str,
    pub choices: &'a Vec<String>,
    pub chosen: Option<&'a str>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict<'a> {
    pub step: usize,
    pub prompt: &'a str,
    pub chosen: &'a str,
    pub answer: &'a str,
    pub right: bool,
    pub explain: Option<&'a str>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub messages: usize,
    pub events: usize,
    pub refused: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SiteView<'a> {
    pub name: &'a str,
    pub servers: &'a Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pending {
    pub time_s: u64,
    pub kind: &'static str,
    pub from: String,
    pub to: String,
}

/// Every server on the map: enough to draw its box, nothing per link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServerSummary<'a> {
    pub name: &'a str,
    pub site: &'a str,
    pub usn: u64,
    pub invocation_id: &'a str,
    pub state: &'static str,
    pub object_count: usize,
    pub hot_potato: Option<HotPotato<'a>>,
    /// Some partner's watermark for this server is above its USN: a request would log 1224.
    pub stalled: bool,
    /// It has logged event 1224 (a partner asked above its highest USN); the map marks it
    /// "stalled: event 1224" while the stall holds.
    pub logged_1224: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HotPotato<'a> {
    pub dn: &'a str,
    pub name: &'a str,
    pub usn_changed: u64,
}

/// A server as both the report and the page's detail panel show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServerView<'a> {
    pub site: &'a str,
    pub usn: u64,
    pub invocation_id: &'a str,
    pub state: &'static str,
    pub hot_potato: Option<ReportPotato<'a>>,
    /// Naming context → partner → link.
    pub reps_from: VecMap<&'a str, VecMap<&'a str, LinkView<'a>>>,
    /// Naming context → the partners it notifies.
    pub reps_to: VecMap<&'a str, Vec<&'a str>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportPotato<'a> {
    pub dn: &'a str,
    pub usn_changed: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinkView<'a> {
    pub usn: u64,
    pub flags: u32,
    pub uuid: &'a str,
    /// As the Replica Link viewer shows it: `0,112,16,1500,UUID,NEWYORK01`.
    pub link: String,
    pub mail: bool,
}

/// The selected server in full: its links, its table (one page) and its backsync.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServerDetail<'a> {
    pub name: &'a str,
    #[serde(flatten)]
    pub view: ServerView<'a>,
    pub backsync: Option<BacksyncView<'a>>,
    pub backups: Vec<&'a str>,
    pub objects: ObjectPage<'a>,
    pub gap: Gap,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BacksyncView<'a> {
    pub waiting_on: Vec<&'a str>,
    pub deadline_s: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectPage<'a> {
    pub offset: usize,
    pub total: usize,
    pub rows: Vec<ObjectRow<'a>>,
}

/// One object as the table and the report show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ObjectRow<'a> {
    pub dn: &'a str,
    pub name: &'a str,
    pub nc: String,
    pub object_version: u32,
    pub usn_created: u64,
    pub usn_changed: u64,
    pub usn_source: u64,
    pub dsa_signature: &'a str,
    pub when_changed: u64,
    pub deleted: bool,
    pub attrs: &'a Attrs,
    pub originating_usn: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LogPage<'a> {
    pub server: Option<&'a str>,
    pub total: usize,
    pub rows: Vec<&'a LogEvent>,
    pub refused: Vec<&'a Refusal>,
}

/// The scenario's steps, sent once when a lab opens (they do not change as it plays).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lesson<'a> {
    pub title: &'a str,
    /// The model the lesson was written for (its settings), so a replay under the other one can say so.
    pub model: Model,
    pub summary: Option<&'a str>,
    pub org: &'a str,
    pub steps: Vec<LessonStep<'a>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LessonStep<'a> {
    pub index: usize,
    #[serde(rename = "do")]
    pub name: &'static str,
    pub text: String,
    pub narration: Option<&'a str>,
    /// Narration for one model (`exchange55` or `active_directory`), when it differs.
    pub narration_for: Option<&'a Json>,
    /// What to look at while this step is under way.
    pub focus: Option<&'a Json>,
    /// The message that proves the answer to this step's question.
    pub reveal: Option<&'a Json>,
    /// Only the prompt and the choices: the answer comes with the verdict.
    pub question: Option<AskedOnce<'a>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AskedOnce<'a> {
    pub prompt: &'a str,
    pub choices: &'a Vec<String>,
}

pub fn lesson(s: &Session) -> Lesson<'_> {
    let sc = &s.scenario;
    let mut steps = Vec::new();
    for (index, st) in sc.steps.iter().enumerate() {
        steps.push(LessonStep {
            index,
            name: st.command.name(),
            text: crate::report::describe(&st.command),
            narration: st.narration.as_deref(),
            narration_for: st.narration_for.as_ref(),
            focus: st.focus.as_ref(),
            reveal: st.reveal.as_ref(),
            question: st.question.as_ref().map(|q| AskedOnce { prompt: &q.prompt, choices: &q.choices }),
        });
    }
    Lesson { title: &sc.title, model: sc.settings.model, summary: sc.summary.as_deref(), org: &sc.org, steps }
}

/// The screen for `look`.
pub fn frame<'a>(s: &'a Session, look: &Look) -> Frame<'a> {
    let w = s.world();
    let own = |n: Option<&str>| n.filter(|n| w.has_server(n)).map(|n| w.server(n).name.as_str());
    let selected = own(look.selected.as_deref()).or_else(|| w.servers.first().map(|x| x.name.as_str()));
    let from = w.journal.messages.len().saturating_sub(RECENT_MESSAGES);
    // One pass over the log for every server, not one per server, ending once every server is
    // found: the set holds at most one name per server.
    let mut logged: VecSet<&str> = VecSet::new();
    for e in w.journal.events.iter().filter(|e| e.id == 1224) {
        logged.add(e.server.as_str());
        if logged.len() == w.servers.len() {
            break;
        }
    }
    // Plain loops, not map/collect: no iterator adapters for these lists.
    let (mut servers, mut sites) = (Vec::new(), Vec::new());
    for srv in &w.servers {
        servers.push(summary(w, srv, logged.contains(srv.name.as_str())));
    }
    for (name, list) in &w.sites {
        sites.push(SiteView { name, servers: list });
    }
    let mut pending = Vec::new();
    for (time_s, kind, from, to) in w.pending(PENDING) {
        pending.push(Pending { time_s, kind, from, to });
    }
    let mut links_down = Vec::new();
    for ((a, b), _) in &w.links_down {
        links_down.push([a.clone(), b.clone()]);
    }
    Frame {
        time_s: w.time,
        quiet: w.quiet(),
        model: w.model(),
        playhead: s.playhead(),
        history_length: s.actions().len(),
        learner_actions: s.learner_actions(),
        counted_moves: s.live.moves.iter().filter(|m| !crate::goal::is_free(m)).count(),
        script: ScriptState { cursor: s.live.cursor, running: s.running_step(), done: s.script_done(), total: s.scenario.steps.len() },
        question: asked(s),
        verdict: verdict(s),
        servers,
        selected: selected.map(|n| detail(w, n, look.page)),
        sites,
        connectors: &w.connectors,
        drcs: &w.drcs,
        connectors_down: indices(&w.connectors_down),
        drcs_idle: indices(&w.drcs_idle),
        mta_queue: w.mta_queue_json(),
        links_down,
        counts: Counts { messages: w.journal.messages.len(), events: w.journal.events.len(), refused: w.journal.refused.len() },
        pending,
        messages: &w.journal.messages[from..],
        log: log(w, own(look.log_server.as_deref()), LOG_ROWS),
        last: s.live.last.as_ref(),
        goal: crate::goal::evaluate(s),
        settings: &w.settings,
    }
}

/// A set of indices as a list, in a plain loop (no iterator adapters for it).
fn indices(set: &VecSet<usize>) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, _) in set {
        out.push(*i);
    }
    out
}

fn question_of(s: &Session, step: usize) -> Option<&Question> {
    s.scenario.steps.get(step)?.question.as_ref()
}

fn asked(s: &Session) -> Option<Asked<'_>> {
    let step = s.live.cursor;
    let q = question_of(s, step).filter(|_| s.running_step().is_none() && !s.script_done())?;
    Some(Asked { step, prompt: &q.prompt, choices: &q.choices, chosen: s.live.answers.get(&step).map(String::as_str) })
}

fn verdict(s: &Session) -> Option<Verdict<'_>> {
    let (step, chosen) = s.live.answers.iter().rev().find(|(i, _)| *i < s.live.cursor)?;
    let q = question_of(s, *step)?;
    Some(Verdict { step: *step, prompt: &q.prompt, chosen, answer: &q.answer, right: *chosen == q.answer, explain: q.explain.as_deref() })
}

fn summary<'a>(w: &World, srv: &'a Server, logged_1224: bool) -> ServerSummary<'a> {
    ServerSummary {
        name: &srv.name,
        site: &srv.site,
        usn: srv.usn,
        invocation_id: &srv.invocation_id,
        state: srv.state.as_str(),
        object_count: srv.object_count(),
        hot_potato: srv.hot_potato().map(|o| HotPotato { dn: &o.dn, name: o.name(), usn_changed: o.usn_changed }),
        stalled: w.gap(&srv.name, None).stalled,
        logged_1224,
    }
}

/// A server as the report and the detail panel show it.
pub fn server_view<'a>(srv: &'a Server) -> ServerView<'a> {
    let mut reps_from = VecMap::new();
    let mut reps_to = VecMap::new();
    for (nc, rep) in &srv.ncs {
        // A plain loop: no `FromIterator` compiled for this one map type.
        let mut links = VecMap::new();
        for (p, l) in &rep.reps_from {
            links.insert(p.as_str(), LinkView { usn: l.usn, flags: l.flags, uuid: &l.uuid, link: l.viewer_string(p), mail: l.flags & MAIL_REPLICA != 0 });
        }
        reps_from.insert(nc.as_str(), links);
        reps_to.insert(nc.as_str(), names(&rep.reps_to));
    }
    ServerView {
        site: &srv.site,
        usn: srv.usn,
        invocation_id: &srv.invocation_id,
        state: srv.state.as_str(),
        hot_potato: srv.hot_potato().map(|o| ReportPotato { dn: &o.dn, usn_changed: o.usn_changed }),
        reps_from,
        reps_to,
    }
}

/// A map's keys as a list of names, in a plain loop (no iterator adapters per map type).
fn names<V>(m: &VecMap<String, V>) -> Vec<&str> {
    let mut out = Vec::new();
    for (name, _) in m {
        out.push(name.as_str());
    }
    out
}

fn detail<'a>(w: &'a World, name: &'a str, page: usize) -> ServerDetail<'a> {
    let srv = w.server(name);
    ServerDetail {
        name: &srv.name,
        view: server_view(srv),
        backsync: srv.backsync.as_ref().map(|b| BacksyncView { waiting_on: names(&b.waiting_on), deadline_s: b.deadline_s }),
        backups: names(&srv.backups),
        objects: objects(srv, page.saturating_mul(TABLE_PAGE), TABLE_PAGE),
        gap: w.gap(name, None),
    }
}

/// One page of a server's objects, highest USN-Changed first.
pub fn objects(s: &Server, offset: usize, limit: usize) -> ObjectPage<'_> {
    let mut rows = Vec::new();
    for o in newest_first(s).skip(offset).take(limit.min(1000)) {
        rows.push(row(o));
    }
    ObjectPage { offset, total: s.object_count(), rows }
}

/// A server's objects by USN-Changed, highest first: a merge of each naming context's USN
/// index, so a page of the table costs its own length, not a sort of the whole directory.
fn newest_first(s: &Server) -> impl Iterator<Item = &DirObject> {
    let mut heads: Vec<_> = s.ncs.values().map(|r| r.iter().rev().peekable()).collect();
    std::iter::from_fn(move || {
        let best = heads.iter_mut().enumerate().filter_map(|(i, h)| h.peek().map(|o| (o.usn_changed, i))).max()?.1;
        heads[best].next()
    })
}

pub fn row(o: &DirObject) -> ObjectRow<'_> {
    ObjectRow {
        dn: &o.dn,
        name: o.name(),
        nc: nc_of_dn(&o.dn),
        object_version: o.object_version,
        usn_created: o.usn_created,
        usn_changed: o.usn_changed,
        usn_source: o.usn_source,
        dsa_signature: &o.dsa_signature,
        when_changed: o.when_changed,
        deleted: o.deleted,
        attrs: &o.attrs,
        originating_usn: o.originating_usn,
    }
}

/// One object's raw properties.
pub fn object<'a>(w: &'a World, server: &str, dn: &str) -> Result<Option<ObjectRow<'a>>, String> {
    let s = known(w, server)?;
    Ok(s.object(&nc_of_dn(dn), dn).map(row))
}

/// The newest `limit` events (one server's, or all), and the refusals.
pub fn log<'a>(w: &'a World, server: Option<&'a str>, limit: usize) -> LogPage<'a> {
    let mine = |who: &str| server.is_none_or(|s| s == who);
    // Plain loops, newest first, counting as they go: no iterator adapters per row type.
    let (mut total, mut rows, mut refused) = (0, Vec::new(), Vec::new());
    for e in w.journal.events.iter().rev() {
        if mine(&e.server) {
            total += 1;
            if rows.len() < limit {
                rows.push(e);
            }
        }
    }
    for r in w.journal.refused.iter().rev() {
        if refused.len() < limit / 2 && mine(&r.server) {
            refused.push(r);
        }
    }
    rows.reverse();
    refused.reverse();
    LogPage { server, total, rows, refused }
}

/// Messages `from..from+limit`, for scrolling the diagram back.
pub fn messages(w: &World, from: usize, limit: usize) -> &[Message] {
    let all = &w.journal.messages;
    let from = from.min(all.len());
    &all[from..(from + limit.min(5000)).min(all.len())]
}

fn known<'a>(w: &'a World, server: &str) -> Result<&'a Server, String> {
    if w.has_server(server) {
        Ok(w.server(server))
    } else {
        Err(format!("unknown server \"{server}\""))
    }
}

/// Q201414's measurement with its sentence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Measured {
    #[serde(flatten)]
    pub gap: Gap,
    pub text: String,
}

pub fn gap(w: &World, server: &str) -> Result<Measured, String> {
    known(w, server)?;
    let gap = w.gap(server, None);
    Ok(Measured { text: gap_text(&gap), gap })
}

/// "Why is this stalled?", answered in words from the state.
pub fn why(w: &World, server: &str) -> Result<Vec<String>, String> {
    let s = known(w, server)?;
    let mut out = Vec::new();
    match s.state {
        ServerState::Stopped => out.push(crate::narration::diagnosis::stopped(server)),
        ServerState::Quarantined => out.push(crate::narration::diagnosis::quarantined(server)),
        ServerState::Backsync => {
            let (mut waiting, mut deadline_s) = (Vec::new(), 0);
            if let Some(b) = &s.backsync {
                for (partner, _) in &b.waiting_on {
                    waiting.push(partner.clone());
                }
                deadline_s = b.deadline_s;
            }
            out.push(crate::narration::diagnosis::in_backsync(server, &waiting, deadline_s));
        }
        ServerState::Running => {}
    }
    let gap = w.gap(server, None);
    for p in gap.partners.iter().filter(|p| p.watermark > s.usn) {
        out.push(crate::narration::diagnosis::stalled(server, s.usn, &p.partner, p.watermark));
    }
    for (a, b) in w.links_down.keys() {
        if a == server || b == server {
            let other = if a == server { b } else { a };
            out.push(crate::narration::diagnosis::path_cut(server, other));
        }
    }
    if out.is_empty() {
        out.push(crate::narration::diagnosis::healthy(server, s.usn));
    }
    Ok(out)
}
