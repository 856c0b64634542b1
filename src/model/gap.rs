//! Measuring the gap, Q201414 steps 1-10: a probe change on the restored server, each partner's
//! watermark for it, and the largest difference.
use crate::model::world::{mailbox_dn, World};
use crate::model::originate::WriteKind;

/// Q201414 steps 1–10 for one server.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Gap {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    pub time_s: u64,
    pub server: String,
    /// The USN-Changed of the probe mailbox, or the server's highest USN without one.
    pub usn: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe: Option<String>,
    pub partners: Vec<PartnerGap>,
    /// The largest watermark minus `usn` (0 when no partner is ahead).
    pub gap: u64,
    pub stalled: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PartnerGap {
    pub partner: String,
    pub watermark: u64,
    pub gap: i64,
}

impl World {
    /// Q201414 steps 1–10: the server's USN (a probe's USN-Changed when one was written), each
    /// partner's Reps-From watermark for it in its site's naming context, and the difference.
    pub fn gap(&self, server: &str, probe_usn: Option<u64>) -> Gap {
        let nc = self.home_nc(server);
        let usn = probe_usn.unwrap_or(self.server(server).usn);
        let site = &self.server(server).site;
        let highest = self.server(server).usn;
        let (mut partners, mut worst, mut stalled) = (Vec::new(), 0, false);
        for p in &self.servers {
            if p.site != *site {
                continue;
            }
            let Some(link) = p.ncs.get(nc.as_str()).and_then(|rep| rep.reps_from.get(server)) else { continue };
            let gap = link.usn as i64 - usn as i64;
            worst = worst.max(gap);
            stalled |= link.usn > highest;
            partners.push(PartnerGap { partner: p.name.clone(), watermark: link.usn, gap });
        }
        Gap { step: self.step, time_s: self.time, server: server.into(), usn, probe: None, stalled, gap: worst as u64, partners }
    }

    /// The `measure` step: optionally create the probe mailbox (steps 2–4), then read the gap.
    pub fn measure(&mut self, server: &str, probe: Option<&str>) -> String {
        let probe_usn = probe.and_then(|name| {
            let dn = mailbox_dn(&self.org, &self.server(server).site, name);
            self.originate(server, &dn, WriteKind::Create, &Default::default())
        });
        if probe.is_some() && probe_usn.is_none() {
            return String::new();
        }
        let mut g = self.gap(server, probe_usn);
        g.probe = probe.map(str::to_string);
        let text = crate::narration::repair::gap(&g);
        self.journal.measurements.push(g);
        text
    }
}
