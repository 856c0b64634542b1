//! The built-in scenarios: JSON files in `www/scenarios/`, served to the page as static files
//! (listed in `www/scenarios/index.json`) and compiled into the command-line runner. They are
//! kept out of the wasm, where they would only add to the first download. Lessons come first,
//! in teaching order.
use crate::scenario::{Scenario, ScenarioError};
use serde::Serialize;

pub struct Builtin {
    pub id: &'static str,
    pub lesson: bool,
    pub json: &'static str,
}

macro_rules! builtin {
    ($id:literal, $lesson:literal) => {
        Builtin { id: $id, lesson: $lesson, json: include_str!(concat!("../../www/scenarios/", $id, ".json")) }
    };
}

pub const BUILTINS: &[Builtin] = &[
    builtin!("hot-potato", true),
    builtin!("bill-lee", true),
    builtin!("conflicts", true),
    builtin!("restore-stall", true),
    builtin!("backsync-busy", true),
    builtin!("repairs", true),
    // Between sites: the article's Figures 2, 3 and 4.
    builtin!("sites-chain", true),
    builtin!("sites-routes", true),
    builtin!("sites-together", true),
    builtin!("active-directory", true),
    builtin!("sandbox", false),
    builtin!("workbench", false),
    builtin!("storm", false),
    builtin!("authoritative", false),
    builtin!("import-fix", false),
    builtin!("backsync-complete", false),
    builtin!("backsync-partner-down", false),
    builtin!("ad-rollback", false),
    builtin!("sites", false),
    // Challenges: a goal to meet, a hint ladder and a model solution (docs/scenarios.md, "Goals").
    builtin!("challenge-stall", false),
    builtin!("challenge-keep-newer", false),
    builtin!("challenge-smallest-authrest", false),
    builtin!("challenge-import-only", false),
    builtin!("challenge-busy", false),
    builtin!("challenge-small-gap", false),
    builtin!("challenge-connector-down", false),
];

/// One line of `www/scenarios/index.json`.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub id: &'static str,
    pub title: String,
    pub summary: String,
    pub lesson: bool,
    /// A scenario with a goal to meet (docs/scenarios.md, "Goals").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub challenge: bool,
}

pub fn find(id: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.id == id)
}

pub fn load(id: &str) -> Result<Scenario, ScenarioError> {
    let b = find(id).ok_or_else(|| ScenarioError { step: None, message: format!("no built-in scenario \"{id}\"") })?;
    Scenario::from_json(b.json)
}

pub fn catalogue() -> Vec<Entry> {
    BUILTINS
        .iter()
        .filter_map(|b| {
            let sc = Scenario::from_json(b.json).ok()?;
            Some(Entry { id: b.id, challenge: sc.goal.is_some(), title: sc.title, summary: sc.summary.unwrap_or_default(), lesson: b.lesson })
        })
        .collect()
}
