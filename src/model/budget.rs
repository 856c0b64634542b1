//! The lab's work budget: no scenario, link or learner can make it run for minutes or grow
//! without bound (issue 12). Work is counted in units: one per event of every kind (timers
//! included), one per object copy sent, written, created or rewritten. Three ceilings:
//!
//! - one scenario step (a `run`, a `step`, a command), one learner command and one advance after
//!   the script ends may use `STEP_WORK` units; a run that reaches it stops there;
//! - the whole session (the scenario and a link's history together) may use `TOTAL_WORK`; after
//!   that every step is refused;
//! - what is held at once: `MAX_COPIES` object copies (objects × servers, plus backups),
//!   `MAX_JOURNAL` recorded messages and log events, and `MAX_TIME_S` of simulated time.
//!
//! What a scenario asks for in advance (a create's `count`, the sum of its runs) is refused when
//! it is read (`check_scenario`); what only running shows is stopped where the budget ends, with
//! a sentence naming the step and the limit. docs/model-choices.md lists the numbers.
use crate::scenario::Scenario;

/// Units one scenario step, learner command or advance past the script may use.
pub const STEP_WORK: u64 = 10_000_000;
/// Units a whole session (scenario plus history) may use.
pub const TOTAL_WORK: u64 = 100_000_000;
/// Object copies held at once: objects created × servers, plus the copies in backups.
pub const MAX_COPIES: u64 = 250_000;
/// Messages and log events a session records.
pub const MAX_JOURNAL: usize = 300_000;
/// Simulated time a session may reach: 100 years.
pub const MAX_TIME_S: u64 = 100 * 365 * 86_400;
/// Object copies carried at once by responses not yet written. Past it a request is answered
/// "busy" (its message fails, and a later pull asks again), so the queue cannot grow without bound.
pub const MAX_IN_FLIGHT: u64 = 100_000;
/// Elementary checks (a partner's watermark against its source) that count as one unit of work
/// when the lab looks whether all is quiet.
const CHECKS_PER_UNIT: u64 = 1000;
/// Actions a history (a link or a saved state) may hold.
pub const MAX_HISTORY: usize = 100_000;

/// A number with thousands separators, as the budget's sentences write limits.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    // Bytes, not chars: ASCII digits, without the UTF-8 decoding.
    for (i, c) in digits.bytes().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(char::from(c));
    }
    out
}

/// What the session has used so far.
#[derive(Clone, Debug, Default)]
pub struct Work {
    /// Units used by the current step (reset when a step, command or advance begins).
    pub step: u64,
    /// Units used by the whole session.
    pub total: u64,
    /// Objects created by originating writes (each may come to be held by every server).
    pub created: u64,
    /// Object copies held in backups: server → label → copies (the shape of the
    /// up-to-dateness vectors, `Utd`, whose code it shares in the wasm).
    pub backup_copies: crate::model::messages::Utd,
    /// Why the current step stopped, if the budget stopped it.
    pub stopped: Option<String>,
    /// Object copies carried by responses not yet written (the queue's memory).
    pub in_flight_copies: u64,
}

impl Work {
    pub fn charge(&mut self, units: u64) {
        self.step = self.step.saturating_add(units);
        self.total = self.total.saturating_add(units);
    }

    /// Copies carried by a response are written or lost: no longer in flight.
    pub fn land(&mut self, copies: u64) {
        self.in_flight_copies = self.in_flight_copies.saturating_sub(copies);
    }

    /// A new step, command or advance begins.
    pub fn begin_step(&mut self) {
        self.step = 0;
        self.stopped = None;
    }

    pub fn backups(&self) -> u64 {
        let mut copies = 0;
        for labels in self.backup_copies.values() {
            for n in labels.values() {
                copies += n;
            }
        }
        copies
    }

    /// The copies held if `more` objects were created on a lab of `servers` servers.
    pub fn copies_with(&self, more: u64, servers: usize) -> u64 {
        self.created.saturating_add(more).saturating_mul(servers as u64).saturating_add(self.backups())
    }

    /// Why no more work may be done in this step, if none may.
    pub fn exhausted(&self, step: Option<usize>, journal: usize, time: u64) -> Option<String> {
        if self.total >= TOTAL_WORK {
            return Some(crate::narration::refusals::budget_used(step, TOTAL_WORK));
        }
        if self.step >= STEP_WORK {
            return Some(crate::narration::refusals::step_budget_used(step, STEP_WORK));
        }
        if journal >= MAX_JOURNAL {
            return Some(crate::narration::refusals::journal_full(step, MAX_JOURNAL as u64));
        }
        if time > MAX_TIME_S {
            return Some(crate::narration::refusals::clock_full(step, MAX_TIME_S));
        }
        None
    }
}

/// The sentence refusing a write of `more` objects that would exceed `MAX_COPIES`.
pub fn copies_refusal(step: Option<usize>, more: u64, servers: usize) -> String {
    crate::narration::refusals::too_many_copies(step, more, servers, MAX_COPIES)
}

/// What a scenario asks for in advance, checked when it is read: the objects its creates and
/// imports would make on every server, and the simulated time its runs add up to.
pub fn check_scenario(sc: &Scenario) -> Result<(), (usize, String)> {
    let servers = sc.servers().count() as u64;
    let (mut objects, mut time) = (0u64, 0u64);
    for (i, step) in sc.steps.iter().enumerate() {
        objects = objects.saturating_add(step.command.mailboxes());
        time = time.saturating_add(step.command.runs_s());
        if objects.saturating_mul(servers) > MAX_COPIES {
            return Err((i, format!(
                "the scenario's creates come to {} objects on {servers} servers, over the {} object copies (objects × servers) the lab holds",
                grouped(objects),
                grouped(MAX_COPIES)
            )));
        }
        if time > MAX_TIME_S {
            return Err((i, format!("the scenario's runs add up to more than 100 years ({} s) of simulated time", grouped(MAX_TIME_S))));
        }
    }
    Ok(())
}

impl crate::model::world::World {
    /// True when no more events may be processed in this step; the first time, records why
    /// (a `WORK_BUDGET` refusal naming the step and the limit).
    pub(crate) fn out_of_budget(&mut self) -> bool {
        if self.work.stopped.is_some() {
            return true;
        }
        let held = self.journal.messages.len() + self.journal.events.len();
        let due = self.next_due().unwrap_or(self.time);
        let Some(why) = self.work.exhausted(self.step, held, due) else { return false };
        self.refuse("-", "WORK_BUDGET", why.clone());
        self.work.stopped = Some(why);
        true
    }

    /// The report of the call the budget stopped (`None` on later calls: nothing happened).
    pub(crate) fn budget_report(&mut self, mark: (usize, usize, usize)) -> Option<crate::model::messages::StepReport> {
        let why = self.work.stopped.clone()?;
        (self.journal.refused.len() > mark.2).then(|| {
            let mut r = self.report_since(mark, "limit", why.clone());
            r.text = why;
            r
        })
    }
}

impl crate::model::world::World {
    /// Once the session's whole budget is used, every step is refused with this sentence.
    pub(crate) fn total_refusal(&self) -> Option<String> {
        (self.work.total >= TOTAL_WORK).then(|| {
            crate::narration::refusals::session_spent(self.step, TOTAL_WORK)
        })
    }
}

impl crate::model::world::World {
    /// Why creating `n` objects at once would exceed the budget, checked before the first.
    pub(crate) fn create_refusal(&self, n: u64) -> Option<(&'static str, String)> {
        if let Some(refusal) = self.work_refusal(n) {
            return Some(refusal);
        }
        let left = STEP_WORK.saturating_sub(self.work.step).min(TOTAL_WORK.saturating_sub(self.work.total));
        (n > left).then(|| {
            let text = crate::narration::refusals::too_many_creates(self.step, n, left);
            ("WORK_BUDGET", text)
        })
    }

    /// Why a backup would exceed `MAX_COPIES`, if it would; otherwise counts its copies.
    pub(crate) fn backup_refusal(&mut self, server: &str, label: &str) -> Option<(&'static str, String)> {
        if let Some(refusal) = self.work_refusal(0) {
            return Some(refusal);
        }
        let copies = self.server(server).object_count() as u64;
        let others = self.work.backups() - self.work.backup_copies.get(server).and_then(|labels| labels.get(label)).copied().unwrap_or(0);
        let held = self.work.created.saturating_mul(self.servers.len() as u64).saturating_add(others).saturating_add(copies);
        if held > MAX_COPIES {
            let text = crate::narration::refusals::backup_too_big(self.step, copies, MAX_COPIES);
            return Some(("WORK_BUDGET", text));
        }
        self.work.charge(copies);
        self.work.backup_copies.get_or_insert_with(server.to_string(), Default::default).insert(label.to_string(), copies);
        None
    }
}

/// A history (a link or a saved state) holds at most `MAX_HISTORY` actions.
pub fn check_history(len: usize) -> Result<(), String> {
    if len > MAX_HISTORY {
        return Err(format!("the history has {} actions; a history holds at most {}", grouped(len as u64), grouped(MAX_HISTORY as u64)));
    }
    Ok(())
}

/// A replayed history may not use more than the session's whole budget: the entry that reached
/// it is named.
pub fn check_replayed(w: &crate::model::world::World, entry: usize) -> Result<(), String> {
    if w.work.total >= TOTAL_WORK {
        return Err(format!("history entry {entry}: the history uses the session's whole work budget of {} units", grouped(TOTAL_WORK)));
    }
    Ok(())
}

/// The shortest periodic and intersite interval: each pull is work, and a shorter one would
/// spend a step's budget on timers alone.
pub const MIN_INTERVAL_S: u64 = 60;
/// The longest interval, notify pause, mail hop or schedule period a scenario may set: 30 days.
pub const MAX_INTERVAL_S: u64 = 30 * 86_400;

/// Every numeric setting within bounds, named when it is not.
pub fn check_settings(s: &crate::scenario::Settings) -> Result<(), String> {
    for (key, v) in [("periodic_sync_s", s.periodic_sync_s), ("intersite_sync_s", s.intersite_sync_s)] {
        if !(MIN_INTERVAL_S..=MAX_INTERVAL_S).contains(&v) {
            return Err(format!("settings: {key} must be from {MIN_INTERVAL_S} to {} seconds (30 days), not {v}", grouped(MAX_INTERVAL_S)));
        }
    }
    if s.mail_hop_s > MAX_INTERVAL_S {
        return Err(format!("settings: mail_hop_s must be at most {} seconds (30 days), not {}", grouped(MAX_INTERVAL_S), s.mail_hop_s));
    }
    Ok(())
}

/// A connector's schedule repeats at most every 30 days.
pub fn check_schedule(s: &crate::scenario::Schedule) -> Result<(), String> {
    if s.every_s > MAX_INTERVAL_S {
        return Err(format!("a schedule repeats at most every {} seconds (30 days), not every {}", grouped(MAX_INTERVAL_S), s.every_s));
    }
    Ok(())
}

impl crate::model::world::World {
    /// A request answered while `MAX_IN_FLIGHT` copies are already carried fails as "busy".
    pub(crate) fn busy_failure(&self) -> Option<String> {
        (self.work.in_flight_copies >= MAX_IN_FLIGHT).then(|| {
            crate::narration::protocol::busy(&grouped(self.work.in_flight_copies))
        })
    }

    /// `quiet()`, charging the work of looking when it has to look at every link: each server's
    /// naming contexts against each partner, and the DRCs, which in a large organization costs
    /// more than an event.
    pub(crate) fn quiet_charged(&mut self) -> bool {
        if !self.settled() {
            return false;
        }
        let partners = self.sites.iter().map(|(_, v)| v.len() as u64).max().unwrap_or(1) + 2;
        let mut ncs = 0;
        for s in &self.servers {
            ncs += s.ncs.len() as u64;
        }
        let checks = ncs * partners + self.servers.len() as u64 * self.drcs.len() as u64;
        self.work.charge(checks / CHECKS_PER_UNIT);
        self.quiet()
    }
}
