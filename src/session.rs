//! A learner's session: a scenario's script played one event at a time, the learner's own
//! commands in between, and a history that can be rewound to any earlier point and branched.
//! Because the world is deterministic, any point is a checkpoint plus a replay.
//!
//! The session also owns the lesson: a step's question must be answered before the step runs,
//! answers are actions in the history (so Back, links and follower windows carry them), and
//! Forward walks the recorded history instead of branching it. docs/architecture.md.
use crate::model::messages::StepReport;
use crate::commands::{Run, Step};
use crate::scenario::{Command, Scenario};
use crate::model::world::World;
use crate::model::queue::RUN_LIMIT;
use serde::Serialize;
use crate::vecmap::VecMap;
use crate::json::Json;
use std::rc::Rc;

mod export;

impl Action {
    pub fn from_value(v: impl Into<Json>) -> Result<Action, String> {
        let v = v.into();
        match v["kind"].as_str() {
            Some("advance") => Ok(Action::Advance),
            Some("act") => Command::from_tagged(v["cmd"].clone()).map(|cmd| Action::Act { cmd: Rc::new(cmd) }),
            Some("answer") => match (v["step"].as_u64().and_then(|n| usize::try_from(n).ok()), v["choice"].as_str()) {
                (Some(step), Some(choice)) => Ok(Action::Answer { step, choice: choice.into() }),
                _ => Err("an answer is {\"kind\": \"answer\", \"step\": N, \"choice\": \"...\"}".into()),
            },
            _ => Err("an action is {\"kind\": \"advance\"}, {\"kind\": \"act\", \"cmd\": {...}} or {\"kind\": \"answer\", ...}".into()),
        }
    }
}

/// One thing the learner did: `{"kind": "advance"}`, `{"kind": "act", "cmd": {"do": ...}}` or
/// `{"kind": "answer", "step": 3, "choice": "1157"}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// The next event, or the next scenario step.
    Advance,
    /// A command of the learner's own.
    Act { cmd: Rc<Command> },
    /// The learner's answer to the question of scenario step `step`.
    Answer { step: usize, choice: String },
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
    /// The answers given so far on this timeline, by scenario step.
    pub answers: VecMap<usize, String>,
    /// The learner's moves so far: `Action::Act` commands, and scenario steps marked
    /// `"learner": true` once begun (a goal counts them; src/goal.rs).
    pub moves: Vec<Rc<Command>>,
    /// The first moment the scenario's goal was met, if it has been.
    pub reached: Option<crate::goal::GoalReport>,
    /// What `advance` did, kept only while an export replays the history (session/export.rs).
    tape: Option<Vec<Tape>>,
}

/// One thing `advance` did: began a scenario step, handled an event of a step's run, or handled
/// an event after the script's end.
#[derive(Clone, Copy, Debug)]
enum Tape {
    Begin(usize),
    RunEvent,
    Free,
}

#[derive(Clone, Debug)]
pub struct Session {
    pub scenario: Own,
    pub live: Live,
    actions: Vec<Action>,
    playhead: usize,
    /// (action index, state before that action); thinned as the history grows.
    checkpoints: Vec<(usize, Live)>,
    spacing: usize,
    /// False for a one-way run (the command-line runner): no history, no checkpoints.
    rewindable: bool,
    /// The first answer given to each question, whatever was rewound since (for progress).
    pub first_answers: VecMap<usize, String>,
}

const MAX_CHECKPOINTS: usize = 24;

/// A session's scenario: shared only with the session `with_model` replays, which then changes
/// its model in place, so the wasm has no `Scenario` clone. A cloned session (the benches) gets
/// its own copy, so the scenario is never shared otherwise.
#[derive(Debug)]
pub struct Own(Rc<Scenario>);

impl Clone for Own {
    fn clone(&self) -> Own {
        Own(Rc::new(Scenario::clone(&self.0)))
    }
}

impl std::ops::Deref for Own {
    type Target = Scenario;
    fn deref(&self) -> &Scenario {
        &self.0
    }
}

/// Long work, done a slice at a time.
#[derive(Clone, Debug)]
pub enum Job {
    /// Rebuilding a session from a link's or a saved state's history.
    Replay { actions: Vec<Action>, next: usize, playhead: usize },
    /// Playing the script until a step (an embed's `start`).
    PlayTo { step: usize },
}

/// How far a job has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub finished: bool,
}

/// What the learner's Step did.
#[derive(Clone, Debug, PartialEq)]
pub enum Stepped {
    /// An event or a scenario step happened.
    Moved(Option<StepReport>),
    /// Nothing left: the script is done and the directory is quiet.
    Finished,
    /// The next scenario step asks a question first.
    Question(usize),
}

impl Session {
    pub fn new(scenario: Scenario) -> Session {
        Session::start(Rc::new(scenario))
    }

    fn start(scenario: Rc<Scenario>) -> Session {
        let live = Live::start(&scenario);
        Session {
            checkpoints: vec![(0, live.clone())],
            live,
            scenario: Own(scenario),
            actions: Vec::new(),
            playhead: 0,
            spacing: 16,
            rewindable: true,
            first_answers: VecMap::new(),
        }
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
        self.live.running_step()
    }

    /// True when the script has been played to its end.
    pub fn script_done(&self) -> bool {
        self.live.cursor >= self.scenario.steps.len() && self.running_step().is_none()
    }

    /// The next event or scenario step; `None` when the script is done and all is quiet.
    pub fn advance(&mut self) -> Option<StepReport> {
        self.record(Action::Advance);
        self.live.world.actions += 1;
        let r = self.live.advance(&self.scenario);
        self.live.last = r.clone();
        crate::goal::check_reached(&mut self.live, &self.scenario);
        r
    }

    /// A learner's command, carried out at once.
    pub fn act(&mut self, cmd: impl Into<Rc<Command>>) -> StepReport {
        let cmd = cmd.into();
        self.record(Action::Act { cmd: cmd.clone() });
        self.live.world.actions += 1;
        let r = self.live.act(&cmd);
        self.live.last = Some(r.clone());
        crate::goal::check_reached(&mut self.live, &self.scenario);
        r
    }

    /// Checks a learner's command against the servers and sites there are now (the workbench
    /// adds and removes them), as a scenario step is checked.
    pub fn check(&self, cmd: &Command) -> Result<(), String> {
        let w = self.world();
        // Plain loops: no iterator adapters for these two lists.
        let (mut servers, mut sites) = (Vec::new(), Vec::new());
        for s in &w.servers {
            servers.push((s.name.clone(), s.site.clone()));
        }
        for (site, _) in &w.sites {
            sites.push(site.clone());
        }
        crate::scenario::Known::new(servers, sites).check_live(cmd)
    }

    /// The learner's commands up to the playhead (answers and steps are not counted).
    pub fn learner_actions(&self) -> usize {
        self.actions[..self.playhead.min(self.actions.len())].iter().filter(|a| matches!(a, Action::Act { .. })).count()
    }

    /// The scenario step whose question must be answered before it runs, if any.
    pub fn pending_question(&self) -> Option<usize> {
        let i = self.live.cursor;
        let asks = self.running_step().is_none() && self.scenario.steps.get(i).is_some_and(|s| s.question.is_some());
        (asks && !self.live.answers.contains_key(&i)).then_some(i)
    }

    /// The learner's Step: the next recorded action if the playhead is inside the history
    /// (Back then Forward replays, never branches), else the next event, unless a question
    /// waits for its answer.
    pub fn forward(&mut self) -> Stepped {
        if let Some(next) = self.actions.get(self.playhead) {
            self.live.apply(&self.scenario, next);
            self.playhead += 1;
            return Stepped::Moved(self.live.last.clone());
        }
        if let Some(i) = self.pending_question() {
            return Stepped::Question(i);
        }
        match self.advance() {
            Some(r) => Stepped::Moved(Some(r)),
            None => Stepped::Finished,
        }
    }

    /// Answers the question of the step about to run. An answer equal to the recorded one
    /// moves along the history; a different one branches it.
    pub fn answer(&mut self, choice: &str) -> Result<usize, String> {
        let i = self.live.cursor;
        let q = self.scenario.steps.get(i).and_then(|s| s.question.as_ref()).filter(|_| self.running_step().is_none());
        let Some(q) = q else { return Err("no question is waiting for an answer".into()) };
        if !q.choices.iter().any(|c| c == choice) {
            return Err(format!("\"{choice}\" is not one of the choices ({})", q.choices.join(", ")));
        }
        if self.live.answers.get(&i).is_some_and(|c| c == choice) {
            return Ok(i);
        }
        self.record(Action::Answer { step: i, choice: choice.into() });
        self.live.apply(&self.scenario, &Action::Answer { step: i, choice: choice.into() });
        if !self.first_answers.contains_key(&i) {
            self.first_answers.insert(i, choice.into());
        }
        Ok(i)
    }

    /// Plays scenario steps until step `n` is next (an embed's `start`), at most `budget` events
    /// at a time; true when there. Questions on the way are passed, not answered.
    pub fn play_to(&mut self, n: usize, budget: usize) -> bool {
        for _ in 0..budget {
            let there = (self.live.cursor >= n && self.running_step().is_none()) || self.script_done();
            if there || self.advance().is_none() {
                return true;
            }
        }
        false
    }

    /// The same history replayed under the other model (Exchange 5.5 or Active Directory), so a
    /// learner sees one restore both ways. The scenario's model is changed in place, not cloned;
    /// a replay that fails leaves the session as it was.
    pub fn with_model(&mut self, model: crate::scenario::Model) -> Result<(), String> {
        let was = self.set_model(model);
        match Session::replay_shared(Rc::clone(&self.scenario.0), self.actions.clone(), self.playhead) {
            Ok(mut s) => {
                s.first_answers = std::mem::take(&mut self.first_answers);
                *self = s;
                Ok(())
            }
            Err(why) => {
                self.set_model(was);
                Err(why)
            }
        }
    }

    /// Sets the scenario's model, giving the one it had.
    fn set_model(&mut self, model: crate::scenario::Model) -> crate::scenario::Model {
        let sc = Rc::get_mut(&mut self.scenario.0).expect("only a replay under way shares the scenario");
        std::mem::replace(&mut sc.settings.model, model)
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
        Session::replay_shared(Rc::new(scenario), actions, playhead)
    }

    /// `replay` on a scenario the caller holds too: only `with_model`, whose `set_model` needs
    /// the scenario unshared again once the replay is done or dropped. Taking `Scenario` in the
    /// public functions keeps any other sharer out.
    fn replay_shared(scenario: Rc<Scenario>, actions: Vec<Action>, playhead: usize) -> Result<Session, String> {
        crate::model::budget::check_history(actions.len())?;
        let mut s = Session::start(scenario);
        let mut job = Job::Replay { actions, next: 0, playhead };
        s.work(&mut job, usize::MAX).map_err(|(_, why)| why)?;
        Ok(s)
    }

    /// Does up to `slice` actions or events of a long `job`, so the page can show progress
    /// between slices and cancel (docs/wasm-api.md).
    /// A replay past the session's budget fails with the history entry that reached it and a
    /// sentence naming it.
    pub fn work(&mut self, job: &mut Job, slice: usize) -> Result<Progress, (usize, String)> {
        Ok(match job {
            Job::Replay { actions, next, playhead } => {
                let end = next.saturating_add(slice).min(actions.len());
                for (i, a) in actions[..end].iter().enumerate().skip(*next) {
                    self.record(a.clone());
                    self.live.apply(&self.scenario, a);
                    crate::model::budget::check_replayed(self.world(), i).map_err(|why| (i, why))?;
                }
                *next = end;
                let finished = end == actions.len();
                if finished {
                    let _ = self.seek((*playhead).min(self.actions.len()));
                }
                Progress { done: end, total: actions.len(), finished }
            }
            Job::PlayTo { step } => {
                let finished = self.play_to(*step, slice);
                Progress { done: self.live.cursor.min(*step), total: *step, finished }
            }
        })
    }

    /// Adds an action at the playhead; a new action there drops the old future (a branch).
    /// Checkpoints are whole copies of the world, so together they may hold at most three
    /// quarters of the objects the world holds (their journals come on top): stepping holds at
    /// most twice the memory of running (`make bench` measures it).
    fn record(&mut self, a: Action) {
        if !self.rewindable {
            self.playhead += 1;
            return;
        }
        if self.playhead < self.actions.len() {
            self.actions.truncate(self.playhead);
            self.keep_checkpoints(self.playhead, 1);
        }
        // A checkpoint is a copy of the whole world, so large directories take them more rarely:
        // at most one per 64 replica objects' worth of steps (a seek replays at most that far).
        let weight = self.live.world.servers.iter().map(|s| s.object_count()).sum::<usize>() / 64;
        let last = self.checkpoints.last().map_or(0, |(i, _)| *i);
        if self.playhead > 0 && self.playhead % self.spacing == 0 && self.playhead >= last + weight.max(1) {
            self.checkpoints.push((self.playhead, self.live.clone()));
            let held = |c: &[(usize, Live)]| c.iter().map(|(_, l)| l.world.object_total()).sum::<usize>();
            while self.checkpoints.len() > MAX_CHECKPOINTS || (self.checkpoints.len() > 1 && held(&self.checkpoints) * 4 > self.live.world.object_total().max(1) * 3) {
                self.spacing *= 2;
                self.keep_checkpoints(usize::MAX, self.spacing);
            }
        }
        self.actions.push(a);
        self.playhead += 1;
    }

    /// Keeps the checkpoints up to action `last` whose action is a multiple of `every`: one
    /// `retain` compiled for both a branch and a thinning.
    fn keep_checkpoints(&mut self, last: usize, every: usize) {
        self.checkpoints.retain(|(i, _)| *i <= last && i % every == 0);
    }
}

impl Live {
    /// The state at the start of `scenario`.
    fn start(scenario: &Scenario) -> Live {
        Live { world: World::new(scenario), cursor: 0, run: None, events_in_run: 0, last: None, answers: VecMap::new(), moves: Vec::new(), reached: None, tape: None }
    }

    /// See `Session::running_step`.
    pub fn running_step(&self) -> Option<usize> {
        let (step, budget) = self.run.as_ref()?;
        let w = &self.world;
        let done = match budget {
            Budget::Quiet => w.quiet(),
            Budget::Until(t) => w.next_due().is_none_or(|due| due > *t),
            Budget::Count(n) => *n == 0 || w.quiet(),
        };
        (!done).then_some(*step)
    }

    /// Ends the run at once when its last event is done (quiet, or nothing due before its end,
    /// the clock then moving to that end). Whether a run is under way is always asked of
    /// `running_step`, which the frame asks too, so a run a learner's command finished (a
    /// restore that drops the queued messages) counts as done as well.
    fn close_finished_run(&mut self) {
        if self.running_step().is_some() {
            return;
        }
        if let Some((_, Budget::Until(t))) = self.run.take() {
            self.world.time = self.world.time.max(t);
        }
    }

    fn apply(&mut self, sc: &Scenario, a: &Action) {
        self.world.actions += 1;
        self.last = match a {
            Action::Advance => self.advance(sc),
            Action::Act { cmd } => Some(self.act(cmd)),
            Action::Answer { step, choice } => {
                self.answers.insert(*step, choice.clone());
                return;
            }
        };
        crate::goal::check_reached(self, sc);
    }

    fn act(&mut self, cmd: &Rc<Command>) -> StepReport {
        self.world.step = None;
        self.moves.push(cmd.clone());
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
                // The clock stops where the script ends: nothing runs after the last step's end.
                if r.is_none() && self.cursor >= sc.steps.len() {
                    return None;
                }
                if r.is_some() {
                    self.taped(Tape::RunEvent);
                    self.events_in_run += 1;
                    if self.events_in_run >= RUN_LIMIT && self.run.is_some() {
                        self.run = None;
                        let text = crate::narration::commands::run_limit(RUN_LIMIT);
                        self.world.refuse("-", "RUN_LIMIT", text);
                    }
                    self.close_finished_run();
                    return r;
                }
                continue;
            }
            if self.cursor < sc.steps.len() {
                let i = self.cursor;
                self.cursor += 1;
                self.taped(Tape::Begin(i));
                self.world.step = Some(i);
                self.events_in_run = 0;
                if sc.steps[i].learner {
                    self.moves.push(sc.steps[i].command.clone());
                }
                self.world.work.begin_step();
                match &*sc.steps[i].command {
                    Command::Run(Run { for_s: Some(s), .. }) => self.run = Some((i, Budget::Until(self.world.time.saturating_add(*s)))),
                    Command::Run(_) => self.run = Some((i, Budget::Quiet)),
                    Command::Step(Step { count }) => self.run = Some((i, Budget::Count(count.unwrap_or(1)))),
                    cmd => return Some(self.world.execute(cmd)),
                }
                continue;
            }
            self.world.step = None;
            self.world.work.begin_step();
            let r = self.world.next_event();
            if r.is_some() {
                self.taped(Tape::Free);
            }
            return r;
        }
    }

    fn taped(&mut self, t: Tape) {
        if let Some(tape) = &mut self.tape {
            tape.push(t);
        }
    }
}

/// Runs a whole scenario as the command-line runner does (no rewinding, so no checkpoints).
pub fn run_scenario(sc: Scenario) -> Session {
    let mut s = Session::one_way(sc);
    s.run_script();
    s
}
