//! Names checked when a scenario or a command is read (issue 12): an organization, site,
//! server, mailbox, probe, backup label or attribute name that would break a distinguished name
//! (a '/'), or that holds a control or bidirectional character, is refused with a sentence that
//! says which one; attribute values are bounded too. docs/scenarios.md lists the rules. Each
//! command checks the names it carries with these (src/commands/).
use crate::model::object::Attrs;
use crate::excerpt::{is_hazard, name_problem, quoted, MAX_NAME_CHARS, MAX_VALUE_CHARS};
use crate::scenario::Scenario;

/// A name that goes into a DN (`what` says which, in the message).
pub(crate) fn check(what: &str, name: &str) -> Result<(), String> {
    match name_problem(name) {
        Some(p) => Err(format!("{what} {} {p}", quoted(name))),
        None => Ok(()),
    }
}

/// The organization's, sites' and servers' names.
pub fn check_names(sc: &Scenario) -> Result<(), String> {
    check("the organization name", &sc.org)?;
    for site in &sc.sites {
        check("the site name", &site.name)?;
        for server in &site.servers {
            check(&format!("site {}: the server name", quoted(&site.name)), &server.name)?;
        }
    }
    Ok(())
}

/// Attribute names and values.
pub(crate) fn attrs(a: &Attrs) -> Result<(), String> {
    for (k, v) in a {
        check("the attribute name", k)?;
        if v.chars().count() > MAX_VALUE_CHARS || v.chars().any(is_hazard) {
            return Err(format!(
                "attribute {}: a value is at most {MAX_VALUE_CHARS} characters, with no control or bidirectional character (this one is {})",
                quoted(k),
                quoted(v)
            ));
        }
    }
    Ok(())
}

/// A DN given whole: bounded, no hazards, and each part a name (after its `o=`, `ou=`, `cn=`).
pub(crate) fn dn(d: &str) -> Result<(), String> {
    let problem = d.chars().count() > 4 * (MAX_NAME_CHARS + 4) || d.chars().any(is_hazard) || d.split('/').skip(1).any(|p| p.trim().is_empty());
    if problem {
        return Err(format!("the dn {} must be /o=…/ou=…/cn=… with short parts and no control characters", quoted(d)));
    }
    Ok(())
}

/// Up to ten names of a list, then how many more: a message never lists two hundred servers.
pub fn some_of(names: &[&str]) -> String {
    match names.len() {
        n if n <= 10 => names.join(", "),
        n => format!("{}, and {} more", names[..10].join(", "), n - 10),
    }
}
