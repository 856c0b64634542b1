//! The Application Log's wording: the events the directory service writes, in the words of
//! Microsoft's articles (Q201414, Q195911, Q160850). `model::log` builds the events and their parameters around these.

pub const DS_E_BUSY: &str =
    "The directory is busy. It cannot complete the operation now: a backsync after a restore \
     is in progress, and the directory is not writable until it ends.";

/// A duration in words ("16 hours", "90 minutes"), without float formatting.
pub fn duration(secs: u64) -> String {
    match secs {
        s if s % 3600 == 0 => super::count(s / 3600, "hour", "hours"),
        s if s % 60 == 0 => super::count(s / 60, "minute", "minutes"),
        s => super::count(s, "second", "seconds"),
    }
}

pub fn e1224(requester: &str, nc: &str, asked: u64, usn: u64) -> String {
    format!(
        "Fatal replication error. {requester} asked for changes in {nc} above USN {asked}, a USN \
         value higher than the most current USN value on this server ({usn}). Nothing was sent. \
         Until this server's USN reaches {asked}, none of its changes will replicate to {requester}."
    )
}

pub fn e1074(dn: &str, loser: &str) -> String {
    format!(
        "Modifications made to object {dn} by directory with GUID {loser} were lost. Another \
         modification of the object at the same Object-Version won the tie."
    )
}

pub fn e1107(partners: &[String], timeout: &str) -> String {
    format!(
        "The directory was restored from a backup and is beginning a backsync: it asks {} for \
         the changes it originated that the backup does not hold. Until every partner answers, \
         or {timeout} pass, the directory is not writable.",
        if partners.is_empty() { "no partner".to_string() } else { partners.join(", ") }
    )
}

pub fn e1108(how: &str) -> String {
    format!("The backsync has ended ({how}). The directory is writable again.")
}

pub fn e2095(partner: &str, partner_usn: u64, usn: u64) -> String {
    format!(
        "During a replication request, this domain controller found that {partner} has already \
         received replication data from it up to USN {partner_usn}, above this domain \
         controller's current USN {usn}: its database was rolled back (USN rollback) without a \
         new Invocation-ID. Replication is stopped and the directory is not writable (quarantined)."
    )
}
