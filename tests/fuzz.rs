//! A fuzz target for the scenario reader and the command path (issue 12), as a proptest
//! generator of hostile JSON: cargo-fuzz needs a nightly toolchain, which this project's machines
//! do not install. Each input is a built-in scenario with random parts replaced by hostile values
//! (huge, negative and fractional numbers, long text, control and bidirectional characters,
//! '/', wrong types, deep nesting, random steps), or raw text cut from one. The reader must not
//! panic; what it accepts is played under the work budget, and random learner commands are sent
//! through `parse_command`, `Session::check` and `Session::act`, then replayed as a link's
//! history (`Session::replay`, `seek`). No input may panic, and none
//! may take more than `SLOW_S` seconds.
//!
//! `cargo test --test fuzz` runs a few seconds (`make test`); `make fuzz` runs it for longer:
//! `USNLAB_FUZZ_SECS` (default 5) boxes the time, `USNLAB_FUZZ_CASES` the inputs (default
//! 100,000), and `USNLAB_SEED` replays a run (its seed is printed).
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde_json::{json, Map, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use usnlab::scenario::builtins::BUILTINS;
use usnlab::scenario::{parse_command, Scenario};
use usnlab::session::{Action, Session};

/// Seconds one input may take, read, played and commanded, in a debug build.
const SLOW_S: u64 = 30;

static TRIED: AtomicU64 = AtomicU64::new(0);
static ACCEPTED: AtomicU64 = AtomicU64::new(0);
static COMMANDS: AtomicU64 = AtomicU64::new(0);

fn env(key: &str, default: u64) -> u64 {
    std::env::var(key).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn config() -> ProptestConfig {
    let seed = env("USNLAB_SEED", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos() as u64);
    eprintln!("fuzz: USNLAB_SEED={seed} (set it to replay this run)");
    ProptestConfig {
        cases: env("USNLAB_FUZZ_CASES", 100_000) as u32,
        max_shrink_iters: 500,
        max_global_rejects: u32::MAX,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        ..ProptestConfig::default()
    }
}

fn in_time() -> bool {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed() < Duration::from_secs(env("USNLAB_FUZZ_SECS", 5))
}

/// Text a learner should never be able to hurt the lab with.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" ".into()),
        Just("a/b".into()),
        Just("/o=".into()),
        Just("/o=Org/ou=/cn=Recipients/cn=".into()),
        Just("x\u{1b}]0;owned\u{7}".into()),
        Just("\u{202e}evil".into()),
        Just("\u{9b}31m".into()),
        Just("quiet".into()),
        Just("exchange55".into()),
        Just("active_directory".into()),
        (1usize..200_000).prop_map(|n| "x".repeat(n)),
        "[a-zA-Z0-9 /=\\-\u{0}-\u{1f}\u{7f}-\u{9f}\u{202a}-\u{202e}]{0,40}",
        any::<String>(),
    ]
}

fn hostile_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(0)),
        Just(json!(1)),
        Just(json!(-1)),
        Just(json!(0.5)),
        Just(json!(1e308)),
        Just(json!(u64::MAX)),
        Just(json!(u64::MAX - 1)),
        Just(json!(1u64 << 48)),
        Just(json!((1u64 << 48) + 1)),
        Just(json!(1u64 << 53)),
        Just(json!(u32::MAX)),
        Just(json!(1_000_000)),
        Just(json!(315_360_001)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<i64>().prop_map(|n| json!(n)),
        (0u64..100_000).prop_map(|n| json!(n)),
    ]
}

fn hostile_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => hostile_number(),
        4 => hostile_text().prop_map(Value::String),
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(json!([])),
        1 => Just(json!({})),
        1 => (1usize..300).prop_map(|d| (0..d).fold(json!(1), |v, _| json!([v]))),
    ]
}

/// A random step: a known action (or not) with fields from the ones steps take, hostile values.
fn hostile_step() -> impl Strategy<Value = Value> {
    let actions = prop::sample::select(vec![
        "create", "modify", "delete", "bump", "run", "step", "update_now", "backup", "restore", "expire_backsync", "stop",
        "start", "authrest", "import", "link", "add_drc", "add_connector", "measure", "nonsense",
    ]);
    let keys = prop::sample::select(vec![
        "server", "name", "dn", "attrs", "count", "to", "by", "for_s", "until", "from", "refresh_all", "label", "backsync",
        "new_invocation_id", "start", "objver", "usn", "times", "between", "up", "sites", "bridgeheads", "kind", "cost",
        "schedule", "one_way", "probe", "narration", "question", "extra",
    ]);
    let servers = prop::sample::select(vec!["Boston01", "NewYork01", "London01", "S", "A1", "nobody"]);
    (actions, prop::collection::vec((keys, prop_oneof![hostile_leaf(), servers.prop_map(|s| json!(s))]), 0..6)).prop_map(|(a, fields)| {
        let mut m = Map::new();
        m.insert("do".into(), json!(a));
        for (k, v) in fields {
            m.insert(k.into(), v);
        }
        Value::Object(m)
    })
}

/// Every place in `v` (its paths), so a mutation can pick one.
fn paths(v: &Value, here: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => m.iter().for_each(|(k, c)| {
            here.push(json!(k));
            paths(c, here, out);
            here.pop();
        }),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, c)| {
            here.push(json!(i));
            paths(c, here, out);
            here.pop();
        }),
        _ => {}
    }
}

fn at_path<'a>(v: &'a mut Value, path: &[Value]) -> &'a mut Value {
    path.iter().fold(v, |v, p| match p {
        Value::String(k) => &mut v[k.as_str()],
        Value::Number(i) => &mut v[i.as_u64().unwrap_or(0) as usize],
        _ => v,
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    Replace(usize, Value),
    /// Another part of the same scenario copied over this one: plausible, so often accepted.
    Copy(usize, usize),
    AddStep(usize, Value),
    /// One of the scenario's own steps again, elsewhere.
    RepeatStep(usize, usize),
    Drop(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<usize>(), hostile_leaf()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        3 => (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Mutation::Copy(i, j)),
        1 => (any::<usize>(), hostile_step()).prop_map(|(i, v)| Mutation::AddStep(i, v)),
        3 => (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Mutation::RepeatStep(i, j)),
        1 => any::<usize>().prop_map(Mutation::Drop),
    ]
}

/// A built-in scenario with `muts` applied.
fn mutated(base: usize, muts: &[Mutation]) -> Value {
    let mut doc: Value = serde_json::from_str(BUILTINS[base % BUILTINS.len()].json).expect("built-ins are JSON");
    for m in muts {
        let mut all = Vec::new();
        paths(&doc, &mut Vec::new(), &mut all);
        match m {
            Mutation::Replace(i, v) => *at_path(&mut doc, &all[i % all.len()]) = v.clone(),
            Mutation::Copy(i, j) => {
                let v = at_path(&mut doc, &all[j % all.len()]).clone();
                let target = &all[i % all.len()];
                if !target.is_empty() && v.to_string().len() < 100_000 {
                    *at_path(&mut doc, target) = v;
                }
            }
            Mutation::RepeatStep(i, j) => {
                if let Some(steps) = doc.get_mut("steps").and_then(Value::as_array_mut).filter(|s| !s.is_empty()) {
                    let step = steps[j % steps.len()].clone();
                    let at = i % (steps.len() + 1);
                    steps.insert(at, step);
                }
            }
            Mutation::AddStep(i, step) => {
                if let Some(steps) = doc.get_mut("steps").and_then(Value::as_array_mut) {
                    let at = i % (steps.len() + 1);
                    steps.insert(at, step.clone());
                }
            }
            Mutation::Drop(i) => {
                let path = &all[i % all.len()];
                if let Some((last, parent)) = path.split_last() {
                    match (at_path(&mut doc, parent), last) {
                        (Value::Object(m), Value::String(k)) => {
                            m.remove(k);
                        }
                        (Value::Array(a), Value::Number(n)) => {
                            a.remove(n.as_u64().unwrap_or(0) as usize);
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    doc
}

/// Reads `text`; plays what is accepted (under the work budget), then sends it `cmds`.
fn exercise(text: &str, cmds: &[Value]) {
    TRIED.fetch_add(1, Ordering::Relaxed);
    let start = Instant::now();
    let Ok(sc) = Scenario::from_json(text) else { return };
    ACCEPTED.fetch_add(1, Ordering::Relaxed);
    let mut s = Session::new(sc.clone());
    for _ in 0..500 {
        if s.advance().is_none() {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(SLOW_S), "playing took over {SLOW_S} s");
    }
    for c in cmds {
        COMMANDS.fetch_add(1, Ordering::Relaxed);
        let Ok(cmd) = parse_command(c.clone()) else { continue };
        if s.check(&cmd).is_ok() {
            s.act(cmd);
        }
    }
    let _ = usnlab::report::report_json(&s);
    // The same commands as a link's history, between advances: replayed, or refused in words.
    let mut history = Vec::new();
    for c in cmds {
        history.push(Action::Advance);
        if let Ok(cmd) = parse_command(c.clone()) {
            if sc.known_after_script().check_live(&cmd).is_ok() {
                history.push(Action::Act { cmd: cmd.into() });
            }
        }
    }
    let n = history.len();
    if let Ok(mut r) = Session::replay(sc, history, n / 2) {
        let _ = r.seek(n);
    }
    assert!(start.elapsed() < Duration::from_secs(SLOW_S), "the input took over {SLOW_S} s");
}

fn report_counts() {
    eprintln!(
        "fuzz: {} inputs tried, {} accepted by the reader, {} learner commands sent",
        TRIED.load(Ordering::Relaxed),
        ACCEPTED.load(Ordering::Relaxed),
        COMMANDS.load(Ordering::Relaxed)
    );
}

/// Draws inputs from `strategy` until the time box or the case count ends; an input that panics
/// is printed whole (with the seed) so it can be replayed.
fn fuzz<S: Strategy>(name: &str, strategy: S, run: impl Fn(&S::Value)) -> u64
where
    S::Value: std::fmt::Debug,
{
    let mut runner = proptest::test_runner::TestRunner::new(config());
    let max = env("USNLAB_FUZZ_CASES", 100_000);
    let mut n = 0;
    while n < max && in_time() {
        let input = strategy.new_tree(&mut runner).expect("a strategy that generates").current();
        n += 1;
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&input))).is_err() {
            panic!("{name}: input {n} failed (see the seed above): {:.2000}", format!("{input:?}"));
        }
    }
    n
}

/// Mutated built-in scenarios and random learner commands: no panic, no hang.
#[test]
fn hostile_scenarios_and_commands() {
    let strategy = (any::<usize>(), prop::collection::vec(mutation(), 1..4), prop::collection::vec(hostile_step(), 0..4));
    let n = fuzz("hostile_scenarios_and_commands", strategy, |(base, muts, cmds)| exercise(&mutated(*base, muts).to_string(), cmds));
    eprintln!("fuzz: hostile_scenarios_and_commands: {n} inputs");
    report_counts();
}

/// Raw text: a built-in scenario cut short and followed by junk is refused or read, never a panic.
#[test]
fn hostile_text_is_refused_or_read() {
    let strategy = (any::<usize>(), any::<usize>(), hostile_text());
    let n = fuzz("hostile_text_is_refused_or_read", strategy, |(base, cut, junk)| {
        let text = BUILTINS[base % BUILTINS.len()].json;
        let mut at = cut % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        exercise(&format!("{}{junk}", &text[..at]), &[]);
    });
    eprintln!("fuzz: hostile_text_is_refused_or_read: {n} inputs");
}
