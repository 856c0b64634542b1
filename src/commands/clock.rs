//! `run` and `step`: letting time pass. Here they run their events at once; the page's playback
//! runs them event by event (`Session::advance`, docs/wasm-api.md).
use super::Spec;
use crate::excerpt::quoted;
use crate::model::queue::RUN_LIMIT;
use crate::model::world::World;
use crate::narration::commands as say;
use crate::scenario::{Known, MAX_STEP_COUNT};

command! {
    Run "run" {
        for_s: Option<u64>,
        until: Option<String>,
    }
    help: "advance the clock until quiet, or for for_s seconds (for_s, until)"
}

command! {
    Step "step" {
        count: Option<u64>,
    }
    help: "process that many events, one Notify, Request, Response or Write each (count)"
}

impl Spec for Run {
    #[inline(always)]
    fn check(&self, _known: &mut Known) -> Result<(), String> {
        match (self.for_s, self.until.as_deref()) {
            (Some(_), Some(_)) => Err("run takes \"for_s\" or \"until\", not both".into()),
            (Some(s), None) if s > 10 * 365 * 86_400 => Err("run for at most ten years".into()),
            (_, Some(u)) if u != "quiet" => Err(format!("run until {}: the only condition is \"quiet\"", quoted(u))),
            _ => Ok(()),
        }
    }
    #[inline(always)]
    fn runs_s(&self) -> u64 {
        self.for_s.unwrap_or(0)
    }
    #[inline(always)]
    fn free(&self) -> bool {
        true
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        match self.for_s {
            Some(s) => {
                let n = w.run_for(s, RUN_LIMIT);
                say::clock_ran(s, n)
            }
            None => {
                let n = w.run_until_quiet(RUN_LIMIT);
                say::ran_until_quiet(n, w.quiet())
            }
        }
    }
    #[inline(always)]
    fn describe(&self) -> String {
        match self.for_s {
            Some(s) => format!("run the clock for {s} s"),
            None => "run until quiet".into(),
        }
    }
}

impl Spec for Step {
    #[inline(always)]
    fn check(&self, _known: &mut Known) -> Result<(), String> {
        match self.count {
            Some(n) if n == 0 || n > MAX_STEP_COUNT => Err(format!("count must be 1 to {MAX_STEP_COUNT}")),
            _ => Ok(()),
        }
    }
    #[inline(always)]
    fn free(&self) -> bool {
        true
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        let n = (0..self.count.unwrap_or(1)).take_while(|_| w.next_event().is_some()).count();
        say::events_processed(n)
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("process {} event(s)", self.count.unwrap_or(1))
    }
}
