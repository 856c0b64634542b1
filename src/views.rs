//! What the page draws, computed here so the page never re-implements a rule: the overview of
//! every server, pages of objects, messages and events, and "why is this stalled?" in words.
use crate::directory::MAIL_REPLICA;
use crate::messages::StepReport;
use crate::report::{describe, object_json};
use crate::servers::ServerState;
use crate::session::Session;
use crate::world::World;
use serde_json::{json, Value};

/// Everything but the object tables: cheap enough to ask for on every frame.
pub fn view(s: &Session) -> Value {
    let w = s.world();
    let steps: Vec<Value> = s
        .scenario
        .steps
        .iter()
        .enumerate()
        .map(|(i, st)| json!({ "index": i, "do": command_name(&st.command), "text": describe(&st.command), "narration": st.narration, "question": st.question }))
        .collect();
    json!({
        "title": s.scenario.title,
        "summary": s.scenario.summary,
        "org": w.org,
        "model": w.model(),
        "settings": w.settings,
        "time_s": w.time,
        "quiet": w.quiet(),
        "playhead": s.playhead(),
        "history_length": s.actions().len(),
        "script": { "steps": steps, "cursor": s.live.cursor, "running": s.running_step(), "done": s.script_done() },
        "sites": w.sites.iter().map(|(n, v)| json!({ "name": n, "servers": v })).collect::<Vec<_>>(),
        "connectors": w.connectors,
        "drcs": w.drcs,
        "connectors_down": w.connectors_down.keys().collect::<Vec<_>>(),
        "mta_queue": w.mta_queue_json(),
        "links_down": w.links_down.keys().map(|(a, b)| json!([a, b])).collect::<Vec<_>>(),
        "servers": w.servers.iter().map(|srv| server_view(w, &srv.name)).collect::<Vec<_>>(),
        "counts": { "messages": w.journal.messages.len(), "events": w.journal.events.len(), "refused": w.journal.refused.len() },
        "last": s.live.last.as_ref().map(report_view),
        "pending": w.pending(8).into_iter().map(|(t, k, f, to)| json!({ "time_s": t, "kind": k, "from": f, "to": to })).collect::<Vec<_>>(),
    })
}

pub fn command_name(cmd: &crate::scenario::Command) -> String {
    cmd.name()
}

pub fn report_view(r: &StepReport) -> Value {
    serde_json::to_value(r).unwrap_or(Value::Null)
}

fn server_view(w: &World, name: &str) -> Value {
    let s = w.server(name);
    let mut reps_from = Vec::new();
    let mut reps_to = Vec::new();
    for (nc, rep) in &s.ncs {
        for (p, l) in &rep.reps_from {
            reps_from.push(json!({ "nc": nc, "partner": p, "usn": l.usn, "flags": l.flags, "uuid": l.uuid, "link": l.viewer_string(p), "mail": l.flags & MAIL_REPLICA != 0 }));
        }
        reps_to.extend(rep.reps_to.iter().map(|p| json!({ "nc": nc, "partner": p })));
    }
    json!({
        "name": s.name, "site": s.site, "usn": s.usn, "invocation_id": s.invocation_id, "state": s.state.as_str(),
        "object_count": s.object_count(),
        "hot_potato": s.hot_potato().map(|o| json!({ "dn": o.dn, "name": o.name(), "usn_changed": o.usn_changed })),
        "backsync": s.backsync.as_ref().map(|b| json!({ "waiting_on": b.waiting_on.keys().collect::<Vec<_>>(), "deadline_s": b.deadline_s })),
        "reps_from": reps_from, "reps_to": reps_to,
        "backups": s.backups.keys().collect::<Vec<_>>(),
    })
}

/// One page of a server's objects, highest USN-Changed first.
pub fn objects(w: &World, server: &str, offset: usize, limit: usize) -> Result<Value, String> {
    let s = known(w, server)?;
    let total = s.object_count();
    let rows: Vec<Value> = newest_first(s).skip(offset).take(limit.min(1000)).map(|o| row(w, o)).collect();
    Ok(json!({ "total": total, "rows": rows }))
}

/// A server's objects by USN-Changed, highest first: a merge of each naming context's USN
/// index, so a page of the table costs its own length, not a sort of the whole directory.
fn newest_first(s: &crate::servers::Server) -> impl Iterator<Item = &crate::objects::DirObject> {
    let mut heads: Vec<_> = s.ncs.values().map(|r| r.iter().rev().peekable()).collect();
    std::iter::from_fn(move || {
        let best = heads.iter_mut().enumerate().filter_map(|(i, h)| h.peek().map(|o| (o.usn_changed, i))).max()?.1;
        heads[best].next()
    })
}

fn row(w: &World, o: &crate::objects::DirObject) -> Value {
    let mut v = object_json(w, o);
    v["dn"] = json!(o.dn);
    v["name"] = json!(o.name());
    v["nc"] = json!(crate::world::nc_of_dn(&o.dn));
    v
}

/// One object's raw properties, or null.
pub fn object(w: &World, server: &str, dn: &str) -> Result<Value, String> {
    let s = known(w, server)?;
    let nc = crate::world::nc_of_dn(dn);
    Ok(s.object(&nc, dn).map_or(Value::Null, |o| {
        let mut v = row(w, o);
        v["originating_usn"] = json!(o.originating_usn);
        v
    }))
}

pub fn messages(w: &World, from: usize, limit: usize) -> Value {
    let rows: Vec<_> = w.journal.messages.iter().skip(from).take(limit.min(5000)).collect();
    json!({ "total": w.journal.messages.len(), "rows": rows })
}

pub fn events(w: &World, from: usize, limit: usize, server: Option<&str>) -> Value {
    let all: Vec<_> = w.journal.events.iter().filter(|e| server.is_none_or(|s| e.server == s)).collect();
    let rows: Vec<_> = all.iter().skip(from).take(limit.min(5000)).collect();
    json!({ "total": all.len(), "rows": rows, "refused": w.journal.refused })
}

fn known<'a>(w: &'a World, server: &str) -> Result<&'a crate::servers::Server, String> {
    if w.has_server(server) {
        Ok(w.server(server))
    } else {
        Err(format!("unknown server \"{server}\""))
    }
}

/// "Why is this stalled?", answered in words from the state.
pub fn why(w: &World, server: &str) -> Result<Vec<String>, String> {
    let s = known(w, server)?;
    let mut out = Vec::new();
    match s.state {
        ServerState::Stopped => out.push(format!("{server}'s directory service is stopped: it neither sends nor receives changes.")),
        ServerState::Quarantined => out.push(format!(
            "{server} is quarantined: a partner had already received its changes up to a USN above its own (event 2095), so its database was rolled back. Only a supported restore, with a new Invocation-ID, brings it back."
        )),
        ServerState::Backsync => {
            let b = s.backsync.as_ref();
            let waiting = b.map(|b| b.waiting_on.keys().cloned().collect::<Vec<_>>().join(", ")).unwrap_or_default();
            let deadline = b.map_or(0, |b| b.deadline_s);
            out.push(format!(
                "{server} is in a backsync after a restore, waiting for {waiting}. It refuses changes (DS_E_BUSY) until they answer or the backsync expires at {} s.",
                deadline
            ));
        }
        ServerState::Running => {}
    }
    let gap = w.gap(server, None);
    for p in gap.partners.iter().filter(|p| p.watermark > s.usn) {
        out.push(format!(
            "{} asks for changes above {}, but {server}'s highest USN is {}, so the reply is empty (event 1224). {server} must make {} more changes, or be repaired with Authrest or import, before its changes reach {}.",
            p.partner, p.watermark, s.usn, p.watermark - s.usn, p.partner
        ));
    }
    for (a, b) in w.links_down.keys() {
        if a == server || b == server {
            let other = if a == server { b } else { a };
            out.push(format!("The path between {server} and {other} is cut: requests between them fail until it is mended."));
        }
    }
    if out.is_empty() {
        out.push(format!("{server} replicates normally: no partner's watermark for it is above its highest USN ({}).", s.usn));
    }
    Ok(out)
}
