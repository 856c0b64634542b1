//! What a run reports: the JSON document of docs/scenarios.md, and a transcript a person can read.
use crate::narration::repair::gap as gap_text;
use crate::scenario::{Command, Model, Scenario};
use crate::session::Session;
use crate::model::world::World;
use serde::ser::{Error as _, Serialize, SerializeMap, Serializer};
use serde_json::{json, Map, Value};

/// One server's objects, keyed by DN, as the JSON report shows them.
pub fn objects_json(w: &World, server: &str) -> Value {
    let mut objs = Map::new();
    for rep in w.server(server).ncs.values() {
        for o in rep.iter() {
            objs.insert(o.dn.clone(), object_json(w, o));
        }
    }
    Value::Object(objs)
}

pub fn object_json(w: &World, o: &crate::model::object::DirObject) -> Value {
    let mut v = json!({
        "object_version": o.object_version, "usn_created": o.usn_created, "usn_changed": o.usn_changed,
        "usn_source": o.usn_source, "dsa_signature": o.dsa_signature, "when_changed": o.when_changed,
        "deleted": o.deleted, "attrs": o.attrs,
    });
    if w.model() == Model::ActiveDirectory {
        v["originating_usn"] = json!(o.originating_usn);
    }
    v
}

/// A server in the report: the page's `ServerView` and its objects.
pub fn server_json(w: &World, name: &str) -> Value {
    let mut v = serde_json::to_value(crate::frame::server_view(w.server(name))).unwrap_or(Value::Null);
    v["objects"] = objects_json(w, name);
    v
}

/// The runner's `--json` document, as one `Value` (for tests and callers that look into it).
/// The runner writes it with `write_report`, which never holds it whole.
pub fn report_json(session: &Session) -> Value {
    serde_json::to_value(Report(session)).expect("a report is plain JSON")
}

/// The `--json` document, pretty-printed into `out` as it is made: the same text as
/// `serde_json::to_string_pretty(&report_json(session))`, holding one message, event or server
/// as a `Value` at a time instead of the whole report (at 20 servers × 2,500 mailboxes a run
/// peaked at 151 MB as one `Value`; docs/performance.md).
pub fn write_report(session: &Session, out: impl std::io::Write) -> serde_json::Result<()> {
    serde_json::to_writer_pretty(out, &Report(session))
}

struct Report<'a>(&'a Session);

/// Each part goes through a `Value` first, for the sorted keys every object of the report has.
struct Sorted<T>(T);

impl<T: Serialize> Serialize for Sorted<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde_json::to_value(&self.0).map_err(S::Error::custom)?.serialize(s)
    }
}

/// A list, one item's `Value` at a time.
struct Each<'a, T>(&'a [T]);

impl<T: Serialize> Serialize for Each<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(Sorted))
    }
}

/// Every server by name, one server's `Value` at a time.
struct Servers<'a>(&'a World);

impl Serialize for Servers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let w = self.0;
        let mut names: Vec<&str> = w.servers.iter().map(|s| s.name.as_str()).collect();
        names.sort_unstable();
        s.collect_map(names.into_iter().map(|n| (n, server_json(w, n))))
    }
}

impl Serialize for Report<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let session = self.0;
        let w = session.world();
        // In key order, as serde_json's sorted map writes them.
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("events", &Each(&w.journal.events))?;
        if let Some(g) = crate::goal::evaluate(session) {
            m.serialize_entry("goal", &Sorted(g))?;
        }
        m.serialize_entry("measurements", &Each(&w.journal.measurements))?;
        m.serialize_entry("messages", &Each(&w.journal.messages))?;
        m.serialize_entry("model", &w.model())?;
        let queue = w.mta_queue_json();
        if !matches!(&queue, crate::json::Json::Array(q) if q.is_empty()) {
            m.serialize_entry("mta_queue", &Value::from(queue))?;
        }
        m.serialize_entry("quiet", &w.quiet())?;
        m.serialize_entry("refused", &Each(&w.journal.refused))?;
        m.serialize_entry("servers", &Servers(w))?;
        m.serialize_entry("time_s", &w.time)?;
        m.serialize_entry("title", &session.scenario.title)?;
        m.end()
    }
}

/// Describes a scenario step in a few words, e.g. "modify Bill Lee on NewYork01 (City = London)"
/// (each command's own words, in its file under src/commands/).
pub fn describe(cmd: &Command) -> String {
    cmd.describe()
}

fn clock(t: u64) -> String {
    format!("{:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
}

/// The transcript: each step with its narration, what it did, and every message, event and
/// refusal it caused, then each server's final state.
pub fn transcript(sc: &Scenario) -> String {
    let mut session = Session::one_way(sc.clone());
    let mut out = format!("{}\n{}\n", sc.title, "=".repeat(sc.title.chars().count()));
    if let Some(s) = &sc.summary {
        out.push_str(&format!("{s}\n"));
    }
    let mut shown_step = None;
    while !session.script_done() {
        let Some(r) = session.advance() else { break };
        if r.script_step != shown_step {
            shown_step = r.script_step;
            if let Some(i) = r.script_step {
                let step = &sc.steps[i];
                let whose = if step.learner { " (the learner's move)" } else { "" };
                out.push_str(&format!("\nStep {i}{whose}: {}\n", describe(&step.command)));
                if let Some(n) = &step.narration {
                    out.push_str(&format!("  | {n}\n"));
                }
            }
        }
        if !r.text.is_empty() {
            out.push_str(&format!("  [{}] {}\n", clock(r.time_s), r.text));
        }
        for e in &r.events {
            out.push_str(&format!("  [{}] ! {} event {} ({}, {}): {}\n", clock(e.time_s), e.server, e.id, e.kind, e.category, e.text));
        }
    }
    let w = session.world();
    for g in &w.journal.measurements {
        out.push_str(&format!("\nMeasured at step {}: {}\n", g.step.map_or("-".into(), |s| s.to_string()), gap_text(g)));
    }
    out.push_str(&format!("\nAt {} ({} s), {}:\n", clock(w.time), w.time, if w.quiet() { "quiet" } else { "not quiet" }));
    for (from, to, carries) in w.mta_queue() {
        out.push_str(&format!("  In the MTA queue, waiting for a route: {from}'s {carries} to {to}\n"));
    }
    for s in &w.servers {
        let hot = s.hot_potato().map_or("none".into(), |o| format!("{} ({})", o.name(), o.usn_changed));
        out.push_str(&format!("  {} [{}] USN {} ({}), hot potato: {hot}\n", s.name, s.site, s.usn, s.state.as_str()));
        for rep in s.ncs.values() {
            for o in rep.iter().rev().take(12) {
                out.push_str(&format!(
                    "    {:<28} ver {:>3}  created {:>6}  changed {:>6}  source {:>6}  {}{}\n",
                    o.name(), o.object_version, o.usn_created, o.usn_changed, o.usn_source, &o.dsa_signature[..8],
                    if o.deleted { "  (deleted)" } else { "" }
                ));
            }
            if rep.len() > 12 {
                out.push_str(&format!("    ... and {} more\n", rep.len() - 12));
            }
        }
    }
    let refused = &w.journal.refused;
    if !refused.is_empty() {
        out.push_str(&format!("\n{} refused:\n", refused.len()));
        for r in refused {
            out.push_str(&format!("  step {}: {} on {}: {}\n", r.step.map_or("-".into(), |s| s.to_string()), r.error, r.server, r.text));
        }
    }
    if let Some(g) = crate::goal::evaluate(&session) {
        out.push_str(&crate::narration::goals::verdict(&g));
    }
    out
}
