//! `stop` and `start`: the directory service on one server.
use super::Spec;
use crate::model::server::ServerState;
use crate::model::world::World;
use crate::narration::commands as say;

command! {
    Stop "stop" {
        server: String,
    }
    servers: server
    help: "stop the directory service on a server (server)"
}

command! {
    Start "start" {
        server: String,
    }
    servers: server
    help: "start the directory service on a server: it asks its partners for their changes (server)"
}

impl Spec for Stop {
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        let server = self.server.as_str();
        match w.server(server).state {
            ServerState::Stopped => {
                w.refuse(server, "ALREADY_STOPPED", say::already_stopped(server));
                String::new()
            }
            ServerState::Quarantined => {
                w.refuse(server, "QUARANTINED", say::quarantined(server));
                String::new()
            }
            _ => {
                w.server_mut(server).state = ServerState::Stopped;
                say::stops(server)
            }
        }
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("stop the directory service on {}", self.server)
    }
}

impl Spec for Start {
    #[inline(always)]
    fn execute(&self, w: &mut World) -> String {
        let server = self.server.as_str();
        if w.server(server).state != ServerState::Stopped {
            let state = w.server(server).state.as_str();
            w.refuse(server, "ALREADY_RUNNING", say::not_stopped(server, state));
            return String::new();
        }
        w.start_ds(server);
        say::starts(server)
    }
    #[inline(always)]
    fn describe(&self) -> String {
        format!("start the directory service on {}", self.server)
    }
}
