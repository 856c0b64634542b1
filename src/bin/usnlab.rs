//! `usnlab`: runs scenario files from the command line.
//!
//!   usnlab run FILE|ID [--json] [--solution]
//!                                  play a scenario; print its transcript or the JSON report
//!                                  (--solution: with a challenge's model solution appended)
//!   usnlab gap FILE|ID SERVER      play it, then measure the USN gap (Q201414 steps 1–10)
//!   usnlab lessons                 list the built-in scenarios
//!   usnlab show ID                 print a built-in scenario's JSON
//!   usnlab index                   print www/scenarios/index.json (the page's lesson list)
//!   usnlab commands                the steps a scenario may take, one line each
//!
//! Exit status: 0 when the scenario ran (whatever the directory refused), 2 when it was rejected.
// The runner is a native program; `cargo test --target wasm32-unknown-unknown` still builds
// this target, so on wasm it is an empty stub.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::io::Write;
    use std::process::ExitCode;
    use usnlab::scenario::Scenario;
    use usnlab::scenario::builtins as lessons;
    use usnlab::{report, session};

    const USAGE: &str = "usage: usnlab run FILE [--json] [--solution] | usnlab gap FILE SERVER [--json] | usnlab lessons | usnlab show ID | usnlab index | usnlab commands";

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let json = args.iter().any(|a| a == "--json");
        let solution = args.iter().any(|a| a == "--solution");
        let rest: Vec<&str> = args.iter().filter(|a| *a != "--json" && *a != "--solution").map(String::as_str).collect();
        let result = match rest.as_slice() {
            ["run", file] if solution => load(file).map(|sc| run(usnlab::goal::with_solution(&sc), json)),
            ["run", file] => load(file).map(|sc| run(sc, json)),
            ["gap", file, server] => load(file).and_then(|sc| gap(sc, server, json)).map(Out::Text),
            ["lessons"] => Ok(Out::Text(list())),
            ["commands"] => Ok(Out::Text(usnlab::commands::HELP.iter().map(|(name, help)| format!("{name:<16} {help}")).collect::<Vec<_>>().join("\n"))),
            ["index"] => serde_json::to_value(lessons::catalogue()).and_then(|v| serde_json::to_string_pretty(&v)).map(Out::Text).map_err(|e| e.to_string()),
            ["show", id] => lessons::find(id).map(|b| Out::Text(b.json.to_string())).ok_or_else(|| format!("no built-in scenario \"{id}\"")),
            _ => Err(USAGE.to_string()),
        };
        match result {
            Ok(out) => {
                // A closed pipe (`| head`) ends the output quietly rather than in a panic.
                let _ = print(out, json);
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("usnlab: {}", usnlab::excerpt::for_terminal(&e, false));
                ExitCode::from(2)
            }
        }
    }

    /// A file, or the id of a built-in scenario.
    fn load(file: &str) -> Result<Scenario, String> {
        let text = match std::fs::read(file) {
            Ok(bytes) => match usnlab::excerpt::utf8_problem(&bytes) {
                Some(why) => return Err(format!("{file}: {why}")),
                None => String::from_utf8(bytes).expect("checked UTF-8"),
            },
            Err(e) => match lessons::find(file) {
                Some(b) => b.json.to_string(),
                None => return Err(format!("{file}: {e} (and no built-in scenario has that id)")),
            },
        };
        Scenario::from_json(&text).map_err(|e| format!("{file}: {e}"))
    }

    /// What a command prints: text, or a run's JSON report, written as it is made.
    enum Out {
        Text(String),
        Report(session::Session),
    }

    fn run(sc: Scenario, json: bool) -> Out {
        if json {
            Out::Report(session::run_scenario(sc))
        } else {
            Out::Text(report::transcript(&sc))
        }
    }

    fn print(out: Out, json: bool) -> std::io::Result<()> {
        let mut stdout = std::io::stdout().lock();
        match out {
            Out::Text(text) => {
                let text = usnlab::excerpt::for_terminal(&text, json);
                let end = if text.ends_with('\n') { "" } else { "\n" };
                stdout.write_all(format!("{text}{end}").as_bytes())
            }
            Out::Report(s) => {
                let mut w = std::io::BufWriter::new(usnlab::excerpt::Terminal::new(stdout));
                report::write_report(&s, &mut w)?;
                w.write_all(b"\n")?;
                w.flush()
            }
        }
    }

    fn gap(sc: Scenario, server: &str, json: bool) -> Result<String, String> {
        let s = session::run_scenario(sc);
        if !s.world().has_server(server) {
            return Err(format!("unknown server \"{server}\""));
        }
        let g = s.world().gap(server, None);
        Ok(if json { serde_json::to_value(&g).and_then(|v| serde_json::to_string_pretty(&v)).expect("plain JSON") } else { usnlab::narration::repair::gap(&g) })
    }

    fn list() -> String {
        lessons::catalogue()
            .iter()
            .map(|e| format!("{:<24} {}{}\n{:<24} {}\n", e.id, if e.lesson { "[lesson] " } else { "" }, e.title, "", e.summary))
            .collect()
    }
}
