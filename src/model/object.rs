//! Directory objects, their replication attributes, and the rules (Q195911) that decide whether
//! an incoming copy replaces the one a server holds.
use crate::narration::protocol as narration;
use serde::Serialize;

/// An object's attributes, name to value, in name order: a sorted `VecMap` (a few entries each;
/// no B-tree code in the wasm for them, docs/performance.md).
pub type Attrs = crate::vecmap::VecMap<String, String>;

/// One object as a server holds it; the attributes are those raw mode shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DirObject {
    pub dn: String,
    pub object_version: u32,
    pub usn_created: u64,
    pub usn_changed: u64,
    pub usn_source: u64,
    /// Invocation-ID of the directory that last *originated* a change.
    pub dsa_signature: String,
    /// Simulated time (s) of the originating change.
    pub when_changed: u64,
    pub deleted: bool,
    pub attrs: Attrs,
    /// The originating directory's USN for the change (Active Directory's up-to-dateness vector
    /// filters on it; Exchange 5.5 keeps no such thing, so it is only shown in that model).
    pub originating_usn: u64,
}

impl DirObject {
    /// The last part of the DN (`cn=Bill Lee` → `Bill Lee`).
    pub fn name(&self) -> &str {
        common_name(&self.dn)
    }
}

pub fn common_name(dn: &str) -> &str {
    let last = dn.rsplit('/').next().unwrap_or(dn);
    last.strip_prefix("cn=").unwrap_or(last)
}

/// What the receiving server does with one incoming copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Take,
    /// Take it, and log event 1074: the local copy, another directory's change, lost a tie.
    TakeOverTie { loser: String },
    Discard(String),
    /// Discard, and log event 1074: the incoming change lost a tie.
    DiscardTie { loser: String, reason: String },
}

/// Q195911's rules, in order: no copy → take; higher Object-Version wins; on equal versions a
/// copy already held (same DSA-Signature, When-Changed and values) is discarded, the same
/// signature otherwise goes to the later When-Changed, then to the values (`same_signature`),
/// and different signatures go to the later When-Changed, then to the higher Invocation-ID
/// (model choices for the last steps: together a total order on copies).
pub fn decide(local: Option<&DirObject>, incoming: &DirObject) -> Decision {
    let Some(local) = local else { return Decision::Take };
    let (mine, theirs) = (local.object_version, incoming.object_version);
    if theirs > mine {
        return Decision::Take;
    }
    if theirs < mine {
        return Decision::Discard(narration::lower_version(theirs, mine));
    }
    if local.dsa_signature == incoming.dsa_signature {
        return same_signature(local, incoming);
    }
    let incoming_wins = (incoming.when_changed, &incoming.dsa_signature)
        > (local.when_changed, &local.dsa_signature);
    if incoming_wins {
        Decision::TakeOverTie { loser: local.dsa_signature.clone() }
    } else {
        let reason = if incoming.when_changed < local.when_changed {
            narration::tie_earlier(mine)
        } else {
            narration::tie_lower_id(mine)
        };
        Decision::DiscardTie { loser: incoming.dsa_signature.clone(), reason }
    }
}

/// Equal Object-Version and DSA-Signature. Exchange takes the incoming copy, but an Authrest
/// with `objver` can give two servers such copies that differ, and "take the incoming one" would
/// make them swap forever; so the later When-Changed wins, then a fixed order on the values
/// (docs/model-choices.md: conflict resolution is a total order on copies).
fn same_signature(local: &DirObject, incoming: &DirObject) -> Decision {
    let mine = local.object_version;
    fn key(o: &DirObject) -> (u64, bool, &Attrs) {
        (o.when_changed, o.deleted, &o.attrs)
    }
    match key(incoming).cmp(&key(local)) {
        std::cmp::Ordering::Greater => Decision::Take,
        std::cmp::Ordering::Equal => Decision::Discard(narration::already_held(mine)),
        std::cmp::Ordering::Less if incoming.when_changed < local.when_changed => Decision::Discard(narration::older_copy(mine)),
        std::cmp::Ordering::Less => Decision::Discard(narration::lower_values(mine)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(version: u32, sig: &str, when: u64) -> DirObject {
        DirObject {
            dn: "/o=O/ou=S/cn=Recipients/cn=X".into(),
            object_version: version,
            usn_created: 1,
            usn_changed: 1,
            usn_source: 1,
            dsa_signature: sig.into(),
            when_changed: when,
            deleted: false,
            attrs: Attrs::new(),
            originating_usn: 1,
        }
    }

    #[test]
    fn no_copy_is_taken() {
        assert_eq!(decide(None, &obj(1, "A", 0)), Decision::Take);
    }

    #[test]
    fn higher_version_wins_and_lower_is_discarded() {
        assert_eq!(decide(Some(&obj(1, "A", 9)), &obj(2, "B", 0)), Decision::Take);
        assert_eq!(
            decide(Some(&obj(3, "A", 0)), &obj(2, "B", 9)),
            Decision::Discard("lower Object-Version (2 < 3)".into())
        );
    }

    #[test]
    fn an_echo_is_discarded_without_a_write() {
        let d = decide(Some(&obj(2, "A", 5)), &obj(2, "A", 5));
        assert!(matches!(d, Decision::Discard(r) if r.starts_with("already held")));
    }

    #[test]
    fn same_signature_different_time_is_taken() {
        assert_eq!(decide(Some(&obj(2, "A", 5)), &obj(2, "A", 6)), Decision::Take);
    }

    #[test]
    fn ties_go_to_later_time_then_higher_invocation_id() {
        assert_eq!(
            decide(Some(&obj(2, "A", 5)), &obj(2, "B", 6)),
            Decision::TakeOverTie { loser: "A".into() }
        );
        assert!(matches!(decide(Some(&obj(2, "B", 6)), &obj(2, "A", 5)),
            Decision::DiscardTie { loser, reason } if loser == "A" && reason.contains("earlier")));
        assert_eq!(
            decide(Some(&obj(2, "A", 5)), &obj(2, "B", 5)),
            Decision::TakeOverTie { loser: "A".into() }
        );
        assert!(matches!(decide(Some(&obj(2, "B", 5)), &obj(2, "A", 5)),
            Decision::DiscardTie { reason, .. } if reason.contains("lower Invocation-ID")));
    }
}
