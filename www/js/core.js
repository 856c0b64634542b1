// The page's handle on the wasm core. The binding passes JSON text both ways (smaller than
// building JS objects from Rust); this wrapper parses it, so the rest of the page sees the
// objects docs/wasm-api.md describes.
import init, { Lab as Raw } from '../pkg/usnlab.js';

export { init };

const parse = (text) => (text === undefined || text === null ? null : JSON.parse(text));

export class Lab {
  constructor(text, raw) {
    this.raw = raw ?? new Raw(text);
  }

  static replay(text, history, playhead) {
    return new Lab(null, Raw.replay(text, JSON.stringify(history), playhead));
  }

  advance() { return parse(this.raw.advance()); }
  act(cmd) { return parse(this.raw.act(JSON.stringify(cmd))); }
  seek(n) { this.raw.seek(n); }
  get playhead() { return this.raw.playhead; }
  get historyLength() { return this.raw.historyLength; }
  history() { return parse(this.raw.history()); }
  scenarioJson() { return this.raw.scenarioJson(); }
  view() { return parse(this.raw.view()); }
  objects(server, offset, limit) { return parse(this.raw.objects(server, offset, limit)); }
  object(server, dn) { return parse(this.raw.object(server, dn)); }
  messages(from, limit) { return parse(this.raw.messages(from, limit)); }
  events(from, limit, server) { return parse(this.raw.events(from, limit, server)); }
  gap(server) { return parse(this.raw.gap(server)); }
  why(server) { return parse(this.raw.why(server)); }
  report() { return parse(this.raw.report()); }
  free() { this.raw.free(); }
}
