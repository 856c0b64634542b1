//! A learner's session: a scenario's script played one event at a time, the learner's own
//! commands in between, and a history that can be rewound to any earlier point and branched.
//! Because the world is deterministic, any point is a checkpoint plus a replay.
use crate::messages::StepReport;
use crate::scenario::{Command, Scenario};
use crate::world::{World, RUN_LIMIT};
use serde::Serialize;
use serde_json::{json, Value};

impl Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Action::Advance => json!({ "kind": "advance" }),
            Action::Act { cmd } => json!({ "kind": "act", "cmd": cmd.to_tagged() }),
        }
        .serialize(s)
    }
}

impl Action {
    pub fn from_value(v: &Value) -> Result<Action, String> {
        match v["kind"].as_str() {
            Some("advance") => Ok(Action::Advance),
            Some("act") => Command::from_tagged(v["cmd"].clone()).map(|cmd| Action::Act { cmd }),
            _ => Err("an action is {\"kind\": \"advance\"} or {\"kind\": \"act\", \"cmd\": {...}}".into()),
        }
    }
}

/// One thing the learner did: `{"kind": "advance"}` or `{"kind": "act", "cmd": {"do": ...}}`.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The next event, or the next scenario step.
    Advance,
    /// A command of the learner's own.
    Act { cmd: Command },
}

/// How far a `run` or `step` of the script still goes.
#[derive(Clone, Debug)]
enum Budget {
    Quiet,
    Until(u64),
    Count(u64),
}

/// Everything that changes as the session moves (what a checkpoint keeps).
#[derive(Clone, Debug)]
pub struct Live {
    pub world: World,
    /// The next scenario step to carry out.
    pub cursor: usize,
    run: Option<(usize, Budget)>,
    events_in_run: usize,
    pub last: Option<StepReport>,
}

#[derive(Clone, Debug)]
pub struct Session {
    pub scenario: Scenario,
    pub live: Live,
    actions: Vec<Action>,
    playhead: usize,
    /// (action index, state before that action); thinned as the history grows.
    checkpoints: Vec<(usize, Live)>,
    spacing: usize,
    /// False for a one-way run (the command-line runner): no history, no checkpoints.
    rewindable: bool,
}

const MAX_CHECKPOINTS: usize = 24;

impl Session {
    pub fn new(scenario: Scenario) -> Session {
        let world = World::new(&scenario);
        let live = Live { world, cursor: 0, run: None, events_in_run: 0, last: None };
        Session { checkpoints: vec![(0, live.clone())], live, scenario, actions: Vec::new(), playhead: 0, spacing: 16, rewindable: true }
    }

    /// A session that only moves forward: no history is kept (the runner and transcripts).
    pub fn one_way(scenario: Scenario) -> Session {
        let mut s = Session::new(scenario);
        s.rewindable = false;
        s
    }

    /// Why the last `advance` or `act` was stopped by the work budget (src/budget.rs), if it
    /// was: a sentence naming the step and the limit.
    pub fn budget_stop(&self) -> Option<&str> {
        self.live.world.work.stopped.as_deref()
    }

    pub fn playhead(&self) -> usize {
        self.playhead
    }

    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    pub fn world(&self) -> &World {
        &self.live.world
    }

    /// The scenario step whose `run` or `step` is still in progress, if any. A run with nothing
    /// left to do (quiet, or no event before its end) counts as finished.
    pub fn running_step(&self) -> Option<usize> {
        let (step, budget) = self.live.run.as_ref()?;
        let w = &self.live.world;
        let done = match budget {
            Budget::Quiet => w.quiet(),
            Budget::Until(t) => w.next_due().is_none_or(|due| due > *t),
            Budget::Count(n) => *n == 0 || w.quiet(),
        };
        (!done).then_some(*step)
    }

    /// True when the script has been played to its end.
    pub fn script_done(&self) -> bool {
        self.live.cursor >= self.scenario.steps.len() && self.live.run.is_none()
    }

    /// The next event or scenario step; `None` when the script is done and all is quiet.
    pub fn advance(&mut self) -> Option<StepReport> {
        self.record(Action::Advance);
        self.live.world.actions += 1;
        let r = self.live.advance(&self.scenario);
        self.live.last = r.clone();
        r
    }

    /// A learner's command, carried out at once.
    pub fn act(&mut self, cmd: Command) -> StepReport {
        self.record(Action::Act { cmd: cmd.clone() });
        self.live.world.actions += 1;
        let r = self.live.act(&cmd);
        self.live.last = Some(r.clone());
        r
    }

    /// Plays the whole script (what the command-line runner does).
    pub fn run_script(&mut self) {
        while !self.script_done() {
            if self.advance().is_none() {
                break;
            }
        }
    }

    /// Moves the playhead to action `n` (0 = the start), replaying from the nearest checkpoint.
    pub fn seek(&mut self, n: usize) -> Result<(), String> {
        if n > self.actions.len() {
            return Err(format!("there are only {} actions in this history", self.actions.len()));
        }
        let (at, state) = self.checkpoints.iter().rev().find(|(i, _)| *i <= n).expect("checkpoint 0 always exists");
        let mut live = state.clone();
        for a in &self.actions[*at..n] {
            live.apply(&self.scenario, a);
        }
        self.live = live;
        self.playhead = n;
        Ok(())
    }

    /// Rebuilds a session from a scenario and a history (a link or a saved state).
    pub fn replay(scenario: Scenario, actions: Vec<Action>, playhead: usize) -> Result<Session, String> {
        crate::budget::check_history(actions.len())?;
        let mut s = Session::new(scenario);
        for (i, a) in actions.into_iter().enumerate() {
            s.record(a.clone());
            s.live.apply(&s.scenario, &a);
            crate::budget::check_replayed(s.world(), i)?;
        }
        s.seek(playhead.min(s.actions.len()))?;
        Ok(s)
    }

    /// Adds an action at the playhead; a new action there drops the old future (a branch).
    fn record(&mut self, a: Action) {
        if !self.rewindable {
            self.playhead += 1;
            return;
        }
        if self.playhead < self.actions.len() {
            self.actions.truncate(self.playhead);
            self.checkpoints.retain(|(i, _)| *i <= self.playhead);
        }
        // A checkpoint is a copy of the whole world, so large directories take them more rarely:
        // at most one per 64 replica objects' worth of steps (a seek replays at most that far).
        let weight = self.live.world.servers.iter().map(|s| s.object_count()).sum::<usize>() / 64;
        let last = self.checkpoints.last().map_or(0, |(i, _)| *i);
        if self.playhead > 0 && self.playhead % self.spacing == 0 && self.playhead >= last + weight.max(1) {
            self.checkpoints.push((self.playhead, self.live.clone()));
            if self.checkpoints.len() > MAX_CHECKPOINTS {
                self.spacing *= 2;
                let spacing = self.spacing;
                self.checkpoints.retain(|(i, _)| i % spacing == 0);
            }
        }
        self.actions.push(a);
        self.playhead += 1;
    }
}

impl Live {
    fn apply(&mut self, sc: &Scenario, a: &Action) {
        self.world.actions += 1;
        self.last = match a {
            Action::Advance => self.advance(sc),
            Action::Act { cmd } => Some(self.act(cmd)),
        };
    }

    fn act(&mut self, cmd: &Command) -> StepReport {
        self.world.step = None;
        self.world.work.begin_step();
        self.world.execute(cmd)
    }

    fn advance(&mut self, sc: &Scenario) -> Option<StepReport> {
        loop {
            if let Some((step, budget)) = self.run.clone() {
                self.world.step = Some(step);
                let r = match budget {
                    Budget::Quiet => self.world.next_event(),
                    Budget::Until(t) => self.world.next_event_before(t, false),
                    Budget::Count(_) => self.world.next_event(),
                };
                match (&r, budget) {
                    (Some(_), Budget::Count(n)) if n > 1 => self.run = Some((step, Budget::Count(n - 1))),
                    (Some(_), Budget::Count(_)) => self.run = None,
                    (Some(_), _) => {}
                    (None, Budget::Until(t)) => {
                        self.world.time = self.world.time.max(t);
                        self.run = None;
                    }
                    (None, _) => self.run = None,
                }
                if self.world.work.stopped.is_some() {
                    self.run = None;
                }
                if r.is_some() {
                    self.events_in_run += 1;
                    if self.events_in_run >= RUN_LIMIT && self.run.is_some() {
                        self.run = None;
                        let text = format!("This run stopped after {RUN_LIMIT} events without going quiet.");
                        self.world.refuse("-", "RUN_LIMIT", text);
                    }
                    return r;
                }
                continue;
            }
            if self.cursor < sc.steps.len() {
                let i = self.cursor;
                self.cursor += 1;
                self.world.step = Some(i);
                self.events_in_run = 0;
                self.world.work.begin_step();
                match &sc.steps[i].command {
                    Command::Run { for_s: Some(s), .. } => self.run = Some((i, Budget::Until(self.world.time.saturating_add(*s)))),
                    Command::Run { .. } => self.run = Some((i, Budget::Quiet)),
                    Command::Step { count } => self.run = Some((i, Budget::Count(count.unwrap_or(1)))),
                    cmd => return Some(self.world.execute(cmd)),
                }
                continue;
            }
            self.world.step = None;
            self.world.work.begin_step();
            return self.world.next_event();
        }
    }
}

/// Runs a whole scenario as the command-line runner does (no rewinding, so no checkpoints).
pub fn run_scenario(sc: Scenario) -> Session {
    let mut s = Session::one_way(sc);
    s.run_script();
    s
}
