//! USN Lab: a deterministic simulator of Exchange Server directory replication.
