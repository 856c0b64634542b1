//! Export: the situation at the playhead as a scenario file that `usnlab run` plays to the very
//! same state (docs/scenarios.md, "Export"). The history is replayed once with a tape of what
//! each advance did; scenario steps are copied as they began, each learner command becomes a
//! step marked `"learner": true`, and events handled after the script's end become
//! `{"do": "step", "count": N}`. A learner command made while a step's `run` was under way cuts
//! that run in two: the events it had handled (`step` with their count), the command, and the
//! rest of the run.
use super::{Action, Budget, Live, Session, Tape};
use crate::commands::{Run, Step};
use crate::scenario::{Command, Scenario, ScriptStep, Written};
use std::rc::Rc;

fn plain(command: Rc<Command>, learner: bool) -> ScriptStep {
    ScriptStep { command, narration: None, question: None, learner, narration_for: None, focus: None, reveal: None }
}

fn events(count: u64) -> Command {
    Command::Step(Step { count: Some(count) })
}

/// The step at `out[at]` (the last one, whose run is under way) keeps only its first `k` events.
fn cut(out: &mut Vec<ScriptStep>, at: usize, k: u64) {
    if k == 0 {
        out.truncate(at);
    } else {
        out[at].command = events(k).into();
    }
}

impl Session {
    /// The scenario with the history up to the playhead written as its steps: running the
    /// result gives the same world (servers, objects, clock, goal).
    pub fn export(&self) -> Written<'_> {
        let sc: &Scenario = &self.scenario;
        let mut live = Live::start(sc);
        live.tape = Some(Vec::new());
        let mut out: Vec<ScriptStep> = Vec::new();
        // The step whose run is under way (an index in `out`) and the events it has handled.
        let mut open: Option<(usize, u64)> = None;
        let mut free = 0u64;
        let flush = |out: &mut Vec<ScriptStep>, free: &mut u64| {
            if *free > 0 {
                out.push(plain(events(*free).into(), true));
                *free = 0;
            }
        };
        for a in &self.actions[..self.playhead.min(self.actions.len())] {
            if let Action::Act { cmd } = a {
                flush(&mut out, &mut free);
                let running = live.run.clone().zip(open);
                out.push(plain(cmd.clone(), true));
                if let Some(((step, budget), (at, k))) = running {
                    let act = out.pop().expect("just pushed");
                    cut(&mut out, at, k);
                    out.push(act);
                    let rest = match budget {
                        Budget::Quiet => Command::Run(Run { for_s: None, until: None }),
                        Budget::Until(t) => Command::Run(Run { for_s: Some(t.saturating_sub(live.world.time)), until: None }),
                        Budget::Count(n) => events(n),
                    };
                    out.push(plain(rest.into(), sc.steps[step].learner));
                    open = Some((out.len() - 1, 0));
                }
            }
            live.apply(sc, a);
            for t in live.tape.replace(Vec::new()).unwrap_or_default() {
                match t {
                    Tape::Begin(i) => {
                        flush(&mut out, &mut free);
                        out.push(sc.steps[i].clone());
                        open = matches!(*sc.steps[i].command, Command::Run(_) | Command::Step(_)).then_some((out.len() - 1, 0));
                    }
                    Tape::RunEvent => {
                        if let Some((_, k)) = &mut open {
                            *k += 1;
                        }
                    }
                    Tape::Free => free += 1,
                }
            }
        }
        flush(&mut out, &mut free);
        if let (Some(_), Some((at, k))) = (&live.run, open) {
            cut(&mut out, at, k);
        }
        sc.written(out.into())
    }
}
