//! One server's replica of one naming context: its objects, an index by USN-Changed (so a
//! request reads only what is above its watermark, never the whole directory), its replica
//! links (Reps-From, Reps-To) and, for the Active Directory model, its up-to-dateness vector.
use crate::model::object::DirObject;
use serde::Serialize;
use crate::vecmap::{VecMap, VecSet};

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
/// a watermark compares numbers, not DNs, and neither index holds a second copy of each DN.
/// Both indexes are sorted vectors, not `BTreeMap`s (smaller in the wasm, docs/performance.md):
/// a new write takes the server's next USN, so `by_usn` almost always grows at its end.
#[derive(Clone, Debug, Default)]
pub struct Replica {
    pub writable: bool,
    slots: Vec<DirObject>,
    /// Slot numbers in the order of their objects' DNs.
    by_dn: Vec<u32>,
    /// (USN-Changed, slot) in USN order, one entry per USN.
    by_usn: Vec<(u64, u32)>,
    pub reps_from: VecMap<String, RepsFrom>,
    pub reps_to: VecSet<String>,
    /// Invocation-ID → highest originating USN this replica is known to hold (AD only).
    pub utd: VecMap<String, u64>,
}

impl Replica {
    pub fn new(writable: bool) -> Self {
        Replica { writable, ..Default::default() }
    }

    fn find_dn(&self, dn: &str) -> Result<usize, usize> {
        self.by_dn.binary_search_by(|&i| self.slot(i).dn.as_str().cmp(dn))
    }

    fn slot(&self, i: u32) -> &DirObject {
        &self.slots[i as usize]
    }

    pub fn get(&self, dn: &str) -> Option<&DirObject> {
        self.find_dn(dn).ok().map(|at| self.slot(self.by_dn[at]))
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Indexes slot `i` under `usn`; like a map, an entry already at `usn` is replaced.
    fn index_usn(&mut self, usn: u64, i: u32) {
        match self.by_usn.last() {
            Some(&(top, _)) if top >= usn => match self.by_usn.binary_search_by_key(&usn, |e| e.0) {
                Ok(at) => self.by_usn[at].1 = i,
                Err(at) => self.by_usn.insert(at, (usn, i)),
            },
            _ => self.by_usn.push((usn, i)),
        }
    }

    /// Stores `obj`, keeping both indexes in step.
    pub fn put(&mut self, obj: DirObject) {
        match self.find_dn(&obj.dn) {
            Ok(at) => {
                let i = self.by_dn[at];
                if let Ok(old) = self.by_usn.binary_search_by_key(&self.slot(i).usn_changed, |e| e.0) {
                    self.by_usn.remove(old);
                }
                self.index_usn(obj.usn_changed, i);
                self.slots[i as usize] = obj;
            }
            Err(at) => {
                let i = u32::try_from(self.slots.len()).expect("a replica holds fewer than 2^32 objects (the budget's MAX_COPIES)");
                self.by_dn.insert(at, i);
                self.index_usn(obj.usn_changed, i);
                self.slots.push(obj);
            }
        }
    }

    /// Objects with USN-Changed above `watermark`, in USN order: a range read of the index.
    pub fn above(&self, watermark: u64) -> impl Iterator<Item = &DirObject> {
        let from = self.by_usn.partition_point(|e| e.0 <= watermark);
        self.by_usn[from..].iter().map(|e| self.slot(e.1))
    }

    /// The highest USN-Changed held here (the hot potato of this naming context).
    pub fn top(&self) -> Option<&DirObject> {
        self.by_usn.last().map(|e| self.slot(e.1))
    }

    pub fn max_usn(&self) -> u64 {
        self.by_usn.last().map_or(0, |e| e.0)
    }

    /// Every object, in USN order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &DirObject> {
        self.by_usn.iter().map(|e| self.slot(e.1))
    }

    /// Every object, in DN order.
    pub fn iter_by_dn(&self) -> impl Iterator<Item = &DirObject> {
        self.by_dn.iter().map(|&i| self.slot(i))
    }

    /// Rewrites every object (Authrest), which must keep its DN; the USN index is rebuilt.
    pub fn rewrite_all(&mut self, mut f: impl FnMut(&mut DirObject)) {
        self.slots.iter_mut().for_each(&mut f);
        debug_assert!(self.by_dn.windows(2).all(|w| self.slot(w[0]).dn < self.slot(w[1]).dn), "a rewrite keeps each object's DN");
        // Inserted one by one: sorting would pull a sort into the wasm.
        self.by_usn.clear();
        for i in 0..self.slots.len() {
            self.index_usn(self.slots[i].usn_changed, i as u32);
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

    fn usns(r: &Replica, watermark: u64) -> Vec<(&str, u64)> {
        r.above(watermark).map(|o| (o.dn.as_str(), o.usn_changed)).collect()
    }

    #[test]
    fn a_write_below_the_top_goes_in_usn_order() {
        let mut r = Replica::new(true);
        r.put(obj("c", 1005));
        r.put(obj("a", 1001));
        r.put(obj("b", 1003));
        r.put(obj("c", 1002)); // Changed to a USN below the top: the index still reads in order
        assert_eq!(usns(&r, 0), [("a", 1001), ("c", 1002), ("b", 1003)]);
        assert_eq!(usns(&r, 1001), [("c", 1002), ("b", 1003)]);
        assert_eq!((r.top().unwrap().dn.as_str(), r.max_usn()), ("b", 1003));
        assert_eq!(r.get("c").unwrap().usn_changed, 1002);
        assert!(r.get("d").is_none());
        assert_eq!(r.iter().rev().map(|o| o.usn_changed).collect::<Vec<_>>(), [1003, 1002, 1001]);
        assert_eq!(r.iter_by_dn().map(|o| o.dn.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
    }

    #[test]
    fn rewrite_all_rebuilds_the_usn_index() {
        let mut r = Replica::new(true);
        for (dn, usn) in [("b", 1000), ("a", 1001), ("c", 1002)] {
            r.put(obj(dn, usn));
        }
        r.put(obj("b", 1003)); // The first slot now holds the highest USN
        r.rewrite_all(|o| o.usn_changed += 100);
        assert_eq!(usns(&r, 1101), [("c", 1102), ("b", 1103)]);
        assert_eq!((r.top().unwrap().dn.as_str(), r.max_usn()), ("b", 1103));
        assert_eq!(r.get("a").unwrap().usn_changed, 1101);
        // A restore puts back a copy: its indexes read as the original's did.
        let backup = r.clone();
        r.put(obj("d", 1104));
        r = backup;
        assert_eq!(usns(&r, 1100).len(), 3);
        assert!(r.get("d").is_none());
        assert_eq!(r.max_usn(), 1103);
    }

    #[test]
    fn an_empty_replica_has_no_top() {
        let r = Replica::new(false);
        assert!(r.top().is_none() && r.get("a").is_none());
        assert_eq!((r.max_usn(), r.above(0).count()), (0, 0));
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
