//! One server's replica of one naming context: its objects, an index by USN-Changed (so a
//! request reads only what is above its watermark, never the whole directory), its replica
//! links (Reps-From, Reps-To) and, for the Active Directory model, its up-to-dateness vector.
use crate::model::object::DirObject;
use serde::Serialize;
use crate::vecmap::{VecMap, VecSet};
use std::collections::BTreeMap;
use std::ops::Bound::Excluded;

/// Replica-link flags, as the Replica Link viewer names them.
pub const WRITEABLE: u32 = 0x10;
pub const INIT_SYNC: u32 = 0x20;
pub const PERIODIC_SYNC: u32 = 0x40;
pub const MAIL_REPLICA: u32 = 0x80;

/// One Reps-From value: where this server pulls from, and how far it has got.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RepsFrom {
    /// The partner's Invocation-ID as this server last saw it.
    pub uuid: String,
    /// The partner's highest USN at the last answered request: the watermark.
    pub usn: u64,
    pub flags: u32,
}

impl RepsFrom {
    /// The Replica Link viewer's string, e.g. `0,112,16,8483,22C3...,SERVERA`. The sources do not
    /// explain the first and third fields; the lab keeps them at the values the KB shows
    /// (model choice), and the second carries the flags (112 = writeable, init and periodic).
    pub fn viewer_string(&self, partner: &str) -> String {
        format!("0,{},16,{},{},{}", self.flags, self.usn, self.uuid, partner.to_ascii_uppercase())
    }
}

/// A naming-context replica. Objects live in slots (never removed: a delete leaves a tombstone),
/// found by DN through `by_dn` and in USN order through `by_usn`, so reading the changes above
/// a watermark compares numbers, not DNs, and the index holds no second copy of each DN.
#[derive(Clone, Debug, Default)]
pub struct Replica {
    pub writable: bool,
    slots: Vec<DirObject>,
    by_dn: BTreeMap<String, u32>,
    by_usn: BTreeMap<u64, u32>,
    pub reps_from: VecMap<String, RepsFrom>,
    pub reps_to: VecSet<String>,
    /// Invocation-ID → highest originating USN this replica is known to hold (AD only).
    pub utd: VecMap<String, u64>,
}

impl Replica {
    pub fn new(writable: bool) -> Self {
        Replica { writable, ..Default::default() }
    }

    pub fn get(&self, dn: &str) -> Option<&DirObject> {
        self.by_dn.get(dn).map(|&i| &self.slots[i as usize])
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Stores `obj`, keeping the USN index in step.
    pub fn put(&mut self, obj: DirObject) {
        match self.by_dn.get(&obj.dn) {
            Some(&i) => {
                let old = std::mem::replace(&mut self.slots[i as usize], obj);
                self.by_usn.remove(&old.usn_changed);
                self.by_usn.insert(self.slots[i as usize].usn_changed, i);
            }
            None => {
                let i = u32::try_from(self.slots.len()).expect("a replica holds fewer than 2^32 objects (the budget's MAX_COPIES)");
                self.by_dn.insert(obj.dn.clone(), i);
                self.by_usn.insert(obj.usn_changed, i);
                self.slots.push(obj);
            }
        }
    }

    /// Objects with USN-Changed above `watermark`, in USN order: a range read of the index.
    pub fn above(&self, watermark: u64) -> impl Iterator<Item = &DirObject> {
        self.by_usn.range((Excluded(watermark), std::ops::Bound::Unbounded)).map(|(_, &i)| &self.slots[i as usize])
    }

    /// The highest USN-Changed held here (the hot potato of this naming context).
    pub fn top(&self) -> Option<&DirObject> {
        self.by_usn.values().next_back().map(|&i| &self.slots[i as usize])
    }

    pub fn max_usn(&self) -> u64 {
        self.by_usn.keys().next_back().copied().unwrap_or(0)
    }

    /// Every object, in USN order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &DirObject> {
        self.by_usn.values().map(|&i| &self.slots[i as usize])
    }

    /// Rewrites every object (Authrest); the index is rebuilt from the result.
    pub fn rewrite_all(&mut self, mut f: impl FnMut(&mut DirObject)) {
        self.slots.iter_mut().for_each(&mut f);
        // Inserted one by one: collecting into a BTreeMap would pull a sort into the wasm.
        self.by_usn.clear();
        for (i, o) in self.slots.iter().enumerate() {
            self.by_usn.insert(o.usn_changed, i as u32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(dn: &str, usn: u64) -> DirObject {
        DirObject {
            dn: dn.into(),
            object_version: 1,
            usn_created: usn,
            usn_changed: usn,
            usn_source: usn,
            dsa_signature: "A".into(),
            when_changed: 0,
            deleted: false,
            attrs: Default::default(),
            originating_usn: usn,
        }
    }

    #[test]
    fn above_reads_only_the_changes_past_the_watermark() {
        let mut r = Replica::new(true);
        r.put(obj("a", 1000));
        r.put(obj("b", 1001));
        r.put(obj("a", 1002)); // Mailbox A changed again: its old index entry goes
        let dns: Vec<_> = r.above(1000).map(|o| (o.dn.as_str(), o.usn_changed)).collect();
        assert_eq!(dns, vec![("b", 1001), ("a", 1002)]);
        assert_eq!(r.top().unwrap().dn, "a");
        assert_eq!(r.len(), 2);
    }

    #[test]
    fn viewer_string_matches_the_kb() {
        let link = RepsFrom {
            uuid: "22C3A9375FF7D1118FB700C04FB94608".into(),
            usn: 8483,
            flags: WRITEABLE | INIT_SYNC | PERIODIC_SYNC,
        };
        assert_eq!(
            link.viewer_string("ServerA"),
            "0,112,16,8483,22C3A9375FF7D1118FB700C04FB94608,SERVERA"
        );
    }
}
