//! The scenario's commands, one spec per command (docs/architecture.md, "Commands"). A command
//! lives in one file of this folder: its `do` name, fields, the servers and sites it names and
//! its help line (`command!`, which also makes its reader), and its `Spec`: its checks, what it
//! asks for in advance, what it does to the world and the few words that describe it. The
//! `registry!` list below ties them together: the `Command` enum, `ACTIONS`, `HELP` and one
//! `match` (for reading, one table of readers) per question. The sentences a command says when
//! it runs are in `crate::narration::commands`.
//!
//! Size: the page downloads this as wasm (docs/performance.md). The `Spec` methods are marked
//! `#[inline(always)]` so that each `match` compiles as the one hand-written `match` did before
//! the commands were split; reading and writing are by hand (one small function per kind of
//! field, and a command's reader only builds its struct), as src/scenario/reading.rs explains.
//!
//! A command is a guard (may the directory do this now?) and an action: a refused command is
//! recorded and the run goes on (docs/scenarios.md, "Steps").
use crate::model::object::Attrs;
use crate::model::messages::StepReport;
use crate::model::world::World;
use crate::narration::commands as say;
use crate::scenario::reading::Fields;
use crate::scenario::{Known, Schedule};
use serde::Serialize;
use crate::json::{Json, Obj};

/// Declares a command:
///
/// ```text
/// command! {
///     UpdateNow "update_now" {          // the struct and its `do`
///         server: String,               // the fields, as scenario files write them
///         from: Option<String>,
///         refresh_all: bool = false,    // absent reads as false
///     }
///     servers: server, from             // the fields naming servers (and `sites:`), if any
///     help: "press Update Now on a server: ... (server, from, refresh_all)"
/// }
/// ```
///
/// The struct gets `NAME`, `HELP`, `FIELDS` (in the declared order, which the unknown-field
/// message lists), `read`, `write` and `Named`. `read` reads each field by its type's `FromField`
/// in the declared order, so a bad step's first error is its first wrong field. A `bool` says
/// which it is: `= false` (absent reads as false) or `= required` (absent is refused, "missing
/// field"). `write` gives the fields in the same order, `None` left out. `servers:` and `sites:`
/// each name a field (`String`, `Option<String>` or `[String; 2]`) or two (`String` or
/// `Option<String>`); without them a command names none.
macro_rules! command {
    (@read $f:ident $field:ident $ty:ty) => {
        <$ty as $crate::commands::FromField>::read($f, stringify!($field))
    };
    (@read $f:ident $field:ident $ty:ty = required) => {
        {
            let v = <Option<$ty> as $crate::commands::FromField>::read($f, stringify!($field));
            $f.required(v, stringify!($field))
        }
    };
    (@read $f:ident $field:ident $ty:ty = $default:literal) => {
        <Option<$ty> as $crate::commands::FromField>::read($f, stringify!($field)).unwrap_or($default)
    };
    (@names $s:ident) => {
        $crate::commands::NONE
    };
    (@names $s:ident $a:ident) => {
        $crate::commands::Naming::names(&$s.$a)
    };
    (@names $s:ident $a:ident, $b:ident) => {
        [$crate::commands::Naming::names(&$s.$a)[0], $crate::commands::Naming::names(&$s.$b)[0]]
    };
    ($(#[$meta:meta])* $T:ident $name:literal { $($field:ident: $ty:ty $(= $default:tt)?),* $(,)? }
     $(servers: $($server:ident),+)? $(sites: $($site:ident),+)? help: $help:literal) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $T { $(pub $field: $ty),* }

        impl $T {
            /// The step's `do`.
            pub const NAME: &'static str = $name;
            /// One line for the page and the command line: what it does, then its fields.
            pub const HELP: &'static str = $help;
            /// The fields it takes besides `do`.
            pub const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];

            /// Reads the fields (already checked against `FIELDS`): a wrong one reads as its
            /// default and `Fields` keeps the first message (`Command::read` returns it).
            pub(crate) fn read(f: &mut $crate::scenario::reading::Fields) -> $crate::commands::Command {
                $crate::commands::Command::$T($T { $($field: command!(@read f $field $ty $(= $default)?)),* })
            }

            pub(crate) fn write(&self, out: &mut Vec<(&'static str, $crate::json::Json)>) {
                $($crate::commands::Field::put(&self.$field, stringify!($field), out);)*
            }
        }

        impl $crate::commands::Named for $T {
            #[inline(always)]
            fn servers(&self) -> $crate::commands::Names<'_> {
                command!(@names self $($($server),+)?)
            }
            #[inline(always)]
            fn sites(&self) -> $crate::commands::Names<'_> {
                command!(@names self $($($site),+)?)
            }
        }
    };
}

pub mod backup;
pub mod bump;
pub mod clock;
pub mod connectors;
pub mod link;
pub mod measure;
pub mod repair;
pub mod service;
pub mod update_now;
pub mod workbench;
pub mod write;

/// A field's value as a scenario file writes it (docs/scenarios.md); an absent one is left out.
/// Written by hand, as the reader is (src/scenario/reading.rs says why): one small function per
/// kind of field, none per command.
pub(crate) trait Field {
    fn put(&self, key: &'static str, out: &mut Vec<(&'static str, Json)>);
}

impl Field for String {
    fn put(&self, key: &'static str, out: &mut Vec<(&'static str, Json)>) {
        out.push((key, Json::String(self.clone())));
    }
}

impl Field for u64 {
    fn put(&self, key: &'static str, out: &mut Vec<(&'static str, Json)>) {
        out.push((key, Json::from(*self)));
    }
}

impl Field for u32 {
    fn put(&self, key: &'static str, out: &mut Vec<(&'static str, Json)>) {
        out.push((key, Json::from(*self)));
    }
}

impl Field for bool {
    fn put(&self, key: &'static str, out: &mut Vec<(&'static str, Json)>) {
        out.push((key, Json::Bool(*self)));
    }
}

impl Field for [String; 2] {
    fn put(&self, key: &'static str, out: &mut Vec<(&'static str, Json)>) {
        out.push((key, names_value(self)));
    }
}

/// A list of names as files write them: `["A", "B"]` (a pair here, a goal's lists in src/goal.rs).
pub(crate) fn names_value(names: &[String]) -> Json {
    Json::Array(names.iter().cloned().map(Json::String).collect())
}

/// Attributes as files write them: `{"City": "London"}`.
pub(crate) fn attrs_value(attrs: &Attrs) -> Json {
    let mut m = Obj::new();
    for (k, v) in attrs {
        m.insert(k.clone(), Json::String(v.clone()));
    }
    Json::Object(m)
}

impl Field for Attrs {
    fn put(&self, key: &'static str, out: &mut Vec<(&'static str, Json)>) {
        out.push((key, attrs_value(self)));
    }
}

impl Field for Schedule {
    fn put(&self, key: &'static str, out: &mut Vec<(&'static str, Json)>) {
        out.push((key, crate::to_json::to_value(self).unwrap_or(Json::Null)));
    }
}

impl<T: Field> Field for Option<T> {
    fn put(&self, key: &'static str, out: &mut Vec<(&'static str, Json)>) {
        if let Some(v) = self {
            v.put(key, out);
        }
    }
}

/// A field's value read from a step (docs/scenarios.md), in the lab's words when it is wrong: one
/// small function per kind of field (in src/scenario/reading.rs), none per command. An `Option`
/// is `None` when the step leaves it out; `attrs` is then empty; the other kinds are required.
/// `bool` has none: `command!` says `= false` or `= required` for it. A wrong field reads as the
/// type's default and `Fields` keeps the first message, which `read` returns once every field is
/// read: no early return per field, so the reader has no drop path per field read so far (the
/// wasm's reader of all commands, one function, was 10 KB; docs/performance.md).
pub(crate) trait FromField: Sized {
    fn read(f: &mut Fields, key: &str) -> Self;
}

/// Each kind of field with the function of src/scenario/reading.rs that reads it.
macro_rules! from_field {
    ($($ty:ty => $read:path),* $(,)?) => {
        $(impl FromField for $ty {
            #[inline(never)]
            fn read(f: &mut Fields, key: &str) -> Self {
                let r = $read(f, key);
                f.kept(r)
            }
        })*
    };
}

from_field! {
    String => Fields::text,
    Option<String> => Fields::opt_text,
    u64 => Fields::number,
    Option<u64> => Fields::opt_number,
    u32 => Fields::small,
    Option<bool> => Fields::opt_bool,
    [String; 2] => Fields::pair,
    Attrs => Fields::attrs,
    Option<Schedule> => crate::scenario::reading::schedule,
}

/// The servers and sites a command names, as its `command!` declaration says (`servers:`,
/// `sites:`): a step naming one that is gone by then is refused.
pub trait Named {
    /// The servers it names.
    fn servers(&self) -> Names<'_>;
    /// The sites it names (besides the one an `add_site` makes).
    fn sites(&self) -> Names<'_>;
}

/// The names a field of a `servers:` or `sites:` declaration gives.
pub trait Naming {
    fn names(&self) -> Names<'_>;
}

impl Naming for String {
    #[inline(always)]
    fn names(&self) -> Names<'_> {
        [Some(self), None]
    }
}

impl Naming for Option<String> {
    #[inline(always)]
    fn names(&self) -> Names<'_> {
        [self.as_deref(), None]
    }
}

impl Naming for [String; 2] {
    #[inline(always)]
    fn names(&self) -> Names<'_> {
        [Some(&self[0]), Some(&self[1])]
    }
}

/// What each command says of itself besides its `command!` declaration. The registry asks
/// through one `match` per question; no generic code is made per command. Mark each method of
/// an impl `#[inline(always)]` (the size note at the head of this file).
pub trait Spec: Named {
    /// Checks it as a step is checked when the scenario is read, and learns the names and
    /// backups it makes. Unless a command says otherwise: the servers and sites it names are
    /// known (one server written out, so that it compiles to the one call it is).
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        match (self.servers(), self.sites()) {
            ([Some(server), None], NONE) => known.has_server(server),
            (servers, sites) => names_known(known, servers, sites),
        }
    }
    /// What a learner's command may take as known before it is checked as a step (a restore's
    /// backup: one that is not there is refused when it runs).
    #[inline(always)]
    fn assume_live(&self, _known: &mut Known) {}
    /// What it asks for in advance (docs/model-choices.md, "Limits"): the mailboxes it may
    /// create,
    #[inline(always)]
    fn mailboxes(&self) -> u64 {
        0
    }
    /// and the simulated seconds it runs.
    #[inline(always)]
    fn runs_s(&self) -> u64 {
        0
    }
    /// A move a goal does not count: letting time pass, or looking (docs/scenarios.md, "Goals").
    #[inline(always)]
    fn free(&self) -> bool {
        false
    }
    /// Carries it out on the world: the sentence saying what it did, or a refusal recorded and
    /// an empty sentence.
    fn execute(&self, w: &mut World) -> String;
    /// A few words, e.g. "modify Bill Lee on NewYork01 (City = London)".
    fn describe(&self) -> String;
}

/// The default check for any other names: the servers, then the sites, are known.
fn names_known(known: &Known, servers: Names<'_>, sites: Names<'_>) -> Result<(), String> {
    servers.iter().flatten().try_for_each(|s| known.has_server(s))?;
    sites.iter().flatten().try_for_each(|s| known.has_site(s))
}

/// The servers or sites a command names: at most two.
pub type Names<'a> = [Option<&'a str>; 2];

/// No names.
pub const NONE: Names<'static> = [None, None];

/// The registry: each command's struct, in the order the lab lists them.
macro_rules! registry {
    ($($m:ident :: $T:ident),* $(,)?) => {
        $(pub use $m::$T;)*

        /// One scenario step: what the directory is asked to do, written `{"do": "create", ...}`
        /// in files. It is read by the hand-written reader (`reading::command`) and written by
        /// `Serialize` below, each struct with its own `do` and fields.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Command { $($T($T)),* }

        /// The actions a step may name, in the order the lab lists them.
        pub const ACTIONS: &[&str] = &[$($T::NAME),*];

        /// Each action with its help line, in the same order.
        pub const HELP: &[(&str, &str)] = &[$(($T::NAME, $T::HELP)),*];

        impl Command {
            /// The step's `do`.
            pub fn name(&self) -> &'static str {
                match self { $(Command::$T(_) => $T::NAME),* }
            }

            /// Reads the fields of the action named `action`; `None` when there is no such
            /// action. One table and one loop: no command has its own check of its fields or
            /// its own path dropping what it read.
            pub(crate) fn read(action: &str, f: &mut Fields) -> Option<Result<Command, String>> {
                const READERS: &[(&str, &[&str], fn(&mut Fields) -> Command)] = &[$(($T::NAME, $T::FIELDS, $T::read)),*];
                for (name, fields, read) in READERS {
                    if *name == action {
                        return Some(f.expect(fields).and_then(|()| {
                            let c = read(f);
                            f.failed().map(|()| c)
                        }));
                    }
                }
                None
            }

            /// Its fields as files write them, `do` first.
            fn fields(&self) -> Vec<(&'static str, Json)> {
                let mut out = vec![("do", Json::String(self.name().into()))];
                match self { $(Command::$T(c) => c.write(&mut out)),* }
                out
            }

            /// The servers a command names (a command naming one that is gone is refused).
            pub fn servers(&self) -> Names<'_> {
                match self { $(Command::$T(c) => c.servers()),* }
            }

            /// The sites a command names (besides the one an `add_site` makes).
            pub fn sites(&self) -> Names<'_> {
                match self { $(Command::$T(c) => c.sites()),* }
            }

            /// Checks one step, and learns the names and backups it makes.
            pub fn check(&self, known: &mut Known) -> Result<(), String> {
                match self { $(Command::$T(c) => c.check(known)),* }
            }

            /// Checks a learner's command as a step would be checked.
            pub fn check_live(&self, known: &mut Known) -> Result<(), String> {
                match self { $(Command::$T(c) => c.assume_live(known)),* }
                self.check(known)
            }

            /// The mailboxes it may create, asked in advance.
            pub fn mailboxes(&self) -> u64 {
                match self { $(Command::$T(c) => c.mailboxes()),* }
            }

            /// The simulated seconds it runs, asked in advance.
            pub fn runs_s(&self) -> u64 {
                match self { $(Command::$T(c) => c.runs_s()),* }
            }

            /// A move a goal does not count.
            pub fn is_free(&self) -> bool {
                match self { $(Command::$T(c) => c.free()),* }
            }

            /// A few words, e.g. "modify Bill Lee on NewYork01 (City = London)".
            pub fn describe(&self) -> String {
                match self { $(Command::$T(c) => c.describe()),* }
            }

            fn execute_on(&self, w: &mut World) -> String {
                match self { $(Command::$T(c) => c.execute(w)),* }
            }
        }
    };
}

registry! {
    write::Create, write::Modify, write::Delete, bump::Bump, clock::Run, clock::Step,
    update_now::UpdateNow, backup::Backup, backup::Restore, backup::ExpireBacksync,
    service::Stop, service::Start, repair::Authrest, repair::Import, link::Link,
    connectors::AddDrc, connectors::AddConnector, connectors::Connector, measure::Measure,
    workbench::AddSite, workbench::AddServer, workbench::RemoveServer, workbench::RemoveSite, workbench::Set,
}

impl Command {
    /// `{"do": "create", "server": ...}`, as scenario files write it (native: tests).
    pub fn to_tagged(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// Reads `{"do": "create", ...}`.
    pub fn from_tagged(v: impl Into<Json>) -> Result<Command, String> {
        crate::scenario::reading::command(v.into())
    }
}

/// `{"do": "restore", "server": ...}`: `do`, then the fields in their declared order.
impl Serialize for Command {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let fields = self.fields();
        let mut map = s.serialize_map(Some(fields.len()))?;
        for (key, value) in &fields {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl World {
    /// Carries out `cmd` and reports what it did. `run` and `step` run their events here at once;
    /// the page's step-by-step playback goes through `Session::advance` instead.
    pub fn execute(&mut self, cmd: &Command) -> StepReport {
        let mark = self.mark();
        let text = match self.total_refusal() {
            Some(why) => {
                self.refuse("-", "WORK_BUDGET", why);
                String::new()
            }
            None => self.dispatch(cmd),
        };
        let mut r = self.report_since(mark, "action", text);
        r.message = None;
        if let Some(refusal) = &r.refused {
            r.text = say::refused(refusal.error, &refusal.text);
        }
        r
    }

    fn dispatch(&mut self, cmd: &Command) -> String {
        // A step may name a server or site a workbench step removed (or one a later step adds).
        if let Some(gone) = cmd.servers().into_iter().flatten().find(|s| !self.has_server(s)) {
            self.refuse(gone, "NO_SUCH_SERVER", say::no_such_server(gone));
            return String::new();
        }
        if let Some(gone) = cmd.sites().into_iter().flatten().find(|s| !self.sites.iter().any(|(n, _)| n == s)) {
            self.refuse("-", "NO_SUCH_SITE", say::no_such_site(gone));
            return String::new();
        }
        cmd.execute_on(self)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::{Command, ACTIONS, HELP};

    /// Every command the built-in scenarios use is written as it was read, and read again the
    /// same; every action has its help line.
    #[test]
    fn each_command_reads_what_it_writes() {
        let mut seen = Vec::new();
        for b in crate::scenario::builtins::BUILTINS {
            let sc = crate::scenario::builtins::load(b.id).expect("a built-in scenario");
            for step in sc.steps.iter().chain(&sc.solution) {
                let v = step.command.to_tagged();
                assert_eq!(v["do"], step.command.name());
                assert_eq!(Command::from_tagged(v).as_ref(), Ok(&*step.command));
                seen.push(step.command.name());
            }
        }
        assert!(seen.len() > 20);
        assert_eq!(HELP.iter().map(|(name, _)| *name).collect::<Vec<_>>(), ACTIONS);
        assert!(HELP.iter().all(|(_, help)| !help.is_empty() && !help.contains('\n')));
    }
}
