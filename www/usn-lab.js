// <usn-lab>: USN Lab in someone else's documentation, with one snippet.
//
//   <script type="module" src="usn-lab/usn-lab.js"></script>
//   <usn-lab lesson="restore-stall" panels="story,org,log" start="12"></usn-lab>
//   <usn-lab src="my-scenario.json"></usn-lab>
//   <usn-lab><script type="application/json">{ "sites": [...], "steps": [...] }</script></usn-lab>
//
// Each element holds the lab in its own iframe (so two on one page never interfere), sized to
// its content through a message from the lab; `height` fixes the height instead.
import { squeeze } from './js/share.js';

const LAB = new URL('./index.html', import.meta.url);
let count = 0;

class UsnLab extends HTMLElement {
  async connectedCallback() {
    if (this.frame) return;
    const id = `usn-lab-${++count}`;
    const p = new URLSearchParams({ v: '1', embed: '', frame: id });
    const inline = this.querySelector('script[type="application/json"]');
    if (this.hasAttribute('lesson')) p.set('lesson', this.getAttribute('lesson'));
    else if (this.hasAttribute('src')) p.set('src', new URL(this.getAttribute('src'), document.baseURI).href);
    else if (inline) p.set('scenario', await squeeze(inline.textContent));
    else p.set('lesson', 'sandbox');
    for (const opt of ['panels', 'start']) if (this.hasAttribute(opt)) p.set(opt, this.getAttribute(opt));
    if (this.hasAttribute('autoplay')) p.set('autoplay', '1');
    const fixed = this.getAttribute('height');
    const frame = document.createElement('iframe');
    frame.title = this.getAttribute('title') || 'USN Lab: directory replication, step by step';
    frame.loading = 'lazy';
    frame.style.cssText = `display:block;width:100%;max-width:100%;border:0;height:${fixed ? `${Number.parseInt(fixed, 10)}px` : '480px'}`;
    frame.src = `${LAB.href}#${p}`;
    this.style.display = 'block';
    this.replaceChildren(frame);
    this.frame = frame;
    if (!fixed) {
      this.onMessage = (e) => {
        if (e.source === frame.contentWindow && e.data && e.data.type === 'usn-lab:height' && e.data.frame === id) {
          frame.style.height = `${Math.min(Math.max(200, Math.ceil(e.data.height)), 4000)}px`;
        }
      };
      window.addEventListener('message', this.onMessage);
    }
  }

  disconnectedCallback() {
    if (this.onMessage) window.removeEventListener('message', this.onMessage);
  }
}

if (!customElements.get('usn-lab')) customElements.define('usn-lab', UsnLab);
