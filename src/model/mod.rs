//! The replication model: an organization of servers on a simulated clock. `world` holds the
//! state, `queue` the events in time order, `rules` one function per protocol rule (Notify,
//! Request, Response, Write, the timers), `originate` the writes a server makes itself,
//! `restore` and `gap` the restore problem (Q201414), `sites` and `mta` routing and mail between sites, and
//! `server`, `replica`, `object` the things replicated; `budget` and `ceilings` bound the work
//! and the numbers any input can ask for. docs/architecture.md draws the map.
pub mod budget;
pub mod ceilings;
pub mod gap;
pub mod log;
pub mod mta;
pub mod messages;
pub mod object;
pub mod originate;
pub mod queue;
pub mod replica;
pub mod restore;
pub mod rules;
pub mod server;
pub mod sites;
pub mod workbench;
pub mod world;
