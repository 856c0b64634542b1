//! `add_drc`, `add_connector` and `connector`: between sites, a directory replication connector
//! added, a messaging connector added, and messaging connectors taken down or brought up
//! (docs/model-choices.md, "Between sites"). The MTA's work is the model's (`model/mta.rs`).
use super::Spec;
use crate::model::sites;
use crate::model::world::World;
use crate::narration::commands as say;
use crate::scenario::{ConnectorSpec, DrcSpec, Known, Schedule};

command! {
    AddDrc "add_drc" {
        sites: [String; 2],
        bridgeheads: [String; 2],
    }
    servers: bridgeheads
    sites: sites
    help: "join two sites with a directory replication connector, one bridgehead in each (sites, bridgeheads)"
}

command! {
    AddConnector "add_connector" {
        kind: String,
        sites: [String; 2],
        cost: u32,
        schedule: Option<Schedule>,
        one_way: bool = false,
    }
    sites: sites
    help: "join two sites with a messaging connector (kind, sites, cost, schedule, one_way)"
}

command! {
    /// Takes down (`up: false`) or brings up the messaging connectors joining two sites; `kind`
    /// says which when the sites share more than one kind.
    Connector "connector" {
        sites: [String; 2],
        kind: Option<String>,
        up: bool = required,
    }
    sites: sites
    help: "take down or bring up the messaging connectors joining two sites (sites, up, kind)"
}

impl Spec for AddDrc {
    #[inline(always)]
    fn check(&self, known: &mut Known) -> Result<(), String> {
        known.check_drc(&self.sites, &self.bridgeheads)
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        let (sites, bridgeheads) = (&self.sites, &self.bridgeheads);
        // Exchange refuses a redundant connector only when it is aware of the others: those
        // the first site's directory holds (docs/model-choices.md, "Between sites").
        if let Some(path) = sites::drc_path(&w.drc_paths(Some(&sites[0])), &sites[0], &sites[1]) {
            w.refuse_drc(sites, &bridgeheads[0], &path);
            return String::new();
        }
        // Joined already through connectors it was not aware of: it is added, but does not
        // initialize.
        let path = sites::drc_path(&w.drc_paths(None), &sites[0], &sites[1]);
        w.install_drc(DrcSpec { sites: sites.clone(), bridgeheads: bridgeheads.clone() }, path.is_none());
        match path {
            Some(path) => say::drc_wont_initialize(sites, bridgeheads, &sites::between(&path)),
            None => say::drc_added(sites, bridgeheads),
        }
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("add a directory replication connector {} ({}) to {} ({})", self.sites[0], self.bridgeheads[0], self.sites[1], self.bridgeheads[1])
    }
}

impl Spec for AddConnector {
    #[inline(always)]
    /// In a file, a later `connector` step may name it.
    fn check(&self, known: &mut Known) -> Result<(), String> {
        known.check_connector(&self.kind, &self.sites, self.cost, self.schedule.as_ref())?;
        if let Some(connectors) = &mut known.file_connectors {
            connectors.push(self.spec());
        }
        Ok(())
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        w.add_connector(self.spec())
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("add a {} connector {} to {}, cost {}", self.kind, self.sites[0], self.sites[1], self.cost)
    }
}

impl AddConnector {
    fn spec(&self) -> ConnectorSpec {
        ConnectorSpec { kind: self.kind.clone(), sites: self.sites.clone(), cost: self.cost, schedule: self.schedule.clone(), one_way: self.one_way }
    }
}

impl Spec for Connector {
    /// Checked as a connector of that kind would be (cost and schedule do not apply).
    #[inline(always)]
    /// In a file, it must name connectors the file has (or an earlier `add_connector` step
    /// adds), with `kind` when the two sites share more than one kind.
    fn check(&self, known: &mut Known) -> Result<(), String> {
        known.check_connector(self.kind.as_deref().unwrap_or("x400"), &self.sites, 1, None)?;
        match &known.file_connectors {
            Some(connectors) => sites::named_connectors(connectors, &self.sites, self.kind.as_deref()).map(|_| ()).map_err(|(_, why)| why),
            None => Ok(()),
        }
    }
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        w.set_connector(&self.sites, self.kind.as_deref(), self.up)
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!(
            "{} the {}connector between {} and {}",
            if self.up { "bring up" } else { "take down" },
            self.kind.as_ref().map_or(String::new(), |k| format!("{k} ")),
            self.sites[0],
            self.sites[1]
        )
    }
}
