// The page object: how a user finds and works the playground. Specs ask it questions in
// the user's words and never use selectors themselves; when the page changes, this file
// is the one place to adapt.
//
// The contract it relies on: buttons and inputs by accessible name, and data-testid
// hooks with data-* attributes for what the page shows (see each method).

const csv = (s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []);
const num = (s) => (s === null || s === undefined || s === '' ? null : Number(s));

export class PlaygroundPage {
  /** @param {import('playwright-core').Page} page */
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.heading = page.getByRole('heading', { level: 1, name: 'Kafka Playground' });
    this.clock = page.getByTestId('clock');
    this.narration = page.getByRole('log');
    this.journeyPanel = page.getByTestId('journey');
    this.timeline = page.getByLabel('Timeline', { exact: true });
    this.speed = page.getByLabel('Speed', { exact: true });
    this.brokerBoxes = page.locator('[data-testid^="broker-"]');
    this.records = page.getByTestId('record');
  }

  // ---- opening --------------------------------------------------------------------

  /** Opens the page (optionally with a fragment such as `#scenario=...`) and waits until
   * the wasm app has rendered the cluster. */
  async open(fragment = '') {
    await this.page.goto(this.baseUrl + fragment);
    await this.clock.waitFor();
    await this.brokerBoxes.first().waitFor();
  }

  // ---- reading what the page shows -----------------------------------------------

  async timeMs() {
    return num(await this.clock.getAttribute('data-time-ms'));
  }

  broker(id) {
    return this.page.getByTestId(`broker-${id}`);
  }

  partition(topic, p) {
    return this.page.getByTestId(`partition-${topic}-${p}`);
  }

  partitionsOf(topic) {
    return this.page.locator(`[data-testid^="partition-${topic}-"]`);
  }

  replicaLog(topic, p, broker) {
    return this.page.getByTestId(`log-${topic}-${p}-b${broker}`);
  }

  /** The record cells in one replica's log. */
  recordsIn(topic, p, broker) {
    return this.replicaLog(topic, p, broker).getByTestId('record');
  }

  consumer(name) {
    return this.page.getByTestId(`consumer-${name}`);
  }

  group(name) {
    return this.page.getByTestId(`group-${name}`);
  }

  /** One partition's summary as data. */
  async partitionState(topic, p) {
    const el = this.partition(topic, p);
    const [leader, epoch, isr, hw] = await Promise.all(
      ['data-leader', 'data-epoch', 'data-isr', 'data-hw'].map((a) => el.getAttribute(a)),
    );
    return { leader: num(leader), epoch: num(epoch), isr: csv(isr).map(Number), hw: num(hw) };
  }

  async brokerStatus(id) {
    return this.broker(id).getAttribute('data-status');
  }

  async consumerAssignment(name) {
    return csv(await this.consumer(name).getAttribute('data-assignment')).sort();
  }

  /** How many consumer-to-partition lines are drawn (one `M x y L x y` each). */
  async assignmentLines() {
    const d = await this.page.evaluate(
      () => document.querySelector('.flights .link')?.getAttribute('d') ?? '',
    );
    return (d.match(/M/g) ?? []).length;
  }

  /** The messages drawn flying, as one string (class and place of every shown dot). */
  async flightsPicture() {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('.flights .msg:not([hidden])')]
        .map((d) => `${d.className}@${d.style.transform}`)
        .join('\n'),
    );
  }

  /**
   * How many animation frames the page asks for during `ms` of wall time (counted by
   * wrapping `requestAnimationFrame`, which the playback loop calls for every frame).
   */
  async animationFramesDuring(ms) {
    return this.page.evaluate(async (ms) => {
      if (window.__framesAsked === undefined) {
        window.__framesAsked = 0;
        const raf = window.requestAnimationFrame.bind(window);
        window.requestAnimationFrame = (cb) => {
          window.__framesAsked += 1;
          return raf(cb);
        };
      }
      const before = window.__framesAsked;
      await new Promise((resolve) => setTimeout(resolve, ms));
      return window.__framesAsked - before;
    }, ms);
  }

  /** Waits until the page asks for no animation frames for half a second. */
  async waitUntilNoFrames({ timeout = 10_000 } = {}) {
    const until = Date.now() + timeout;
    while (Date.now() < until) {
      if ((await this.animationFramesDuring(500)) === 0) return;
    }
    throw new Error(`the page still asked for animation frames after ${timeout} ms`);
  }

  async timelineEndMs() {
    return num(await this.timeline.getAttribute('max'));
  }

  async timelineValueMs() {
    return num(await this.timeline.inputValue());
  }

  /**
   * Everything the page shows about the cluster, read at one instant (one evaluate, so
   * that a playing clock cannot tear it): the clock, brokers, partitions with their
   * replica logs and records, consumers and groups.
   */
  async state() {
    return this.page.evaluate(() => {
      const byTestId = (prefix) => [...document.querySelectorAll(`[data-testid^="${prefix}"]`)];
      const list = (s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []);
      const n = (s) => (s === null || s === '' ? null : Number(s));
      const clock = document.querySelector('[data-testid="clock"]');
      const brokers = byTestId('broker-')
        .map((el) => ({
          id: Number(el.dataset.testid.slice('broker-'.length)),
          status: el.dataset.status,
          fenced: el.dataset.fenced === 'true',
        }))
        .filter((b) => Number.isInteger(b.id))
        .sort((a, b) => a.id - b.id);
      const partitions = {};
      for (const el of byTestId('partition-')) {
        const m = /^partition-(.+)-(\d+)$/.exec(el.dataset.testid);
        if (!m) continue;
        const [, topic, p] = m;
        partitions[`${topic}-${p}`] = {
          topic,
          partition: Number(p),
          leader: n(el.dataset.leader ?? null),
          epoch: n(el.dataset.epoch ?? null),
          isr: list(el.dataset.isr).map(Number),
          hw: n(el.dataset.hw ?? null),
        };
      }
      const logs = {};
      for (const el of byTestId('log-')) {
        const m = /^log-(.+)-(\d+)-b(\d+)$/.exec(el.dataset.testid);
        if (!m) continue;
        const [, topic, p, broker] = m;
        logs[`${topic}-${p}-b${broker}`] = {
          role: el.dataset.role,
          leo: n(el.dataset.leo ?? null),
          hw: n(el.dataset.hw ?? null),
          records: [...el.querySelectorAll('[data-testid="record"]')].map((r) => ({
            offset: n(r.dataset.offset ?? null),
            key: r.dataset.key ?? null,
            value: r.dataset.value ?? null,
            recordId: r.dataset.recordId ?? null,
            committed: r.dataset.committed === 'true',
            lost: r.dataset.lost === 'true',
          })),
        };
      }
      const consumers = {};
      for (const el of byTestId('consumer-')) {
        consumers[el.dataset.testid.slice('consumer-'.length)] = {
          status: el.dataset.status,
          assignment: list(el.dataset.assignment).sort(),
        };
      }
      const groups = {};
      for (const el of byTestId('group-')) {
        // Per partition, what the group's table shows where it has a value.
        const perPartition = (attr) =>
          Object.fromEntries(
            [...el.querySelectorAll(`tr[data-tp][data-${attr}]`)].map((r) => [
              r.dataset.tp,
              Number(r.getAttribute(`data-${attr}`)),
            ]),
          );
        groups[el.dataset.testid.slice('group-'.length)] = {
          generation: n(el.dataset.generation ?? null),
          committed: perPartition('committed'),
          lag: perPartition('lag'),
        };
      }
      return {
        timeMs: n(clock?.dataset.timeMs ?? null),
        brokers,
        partitions,
        logs,
        consumers,
        groups,
      };
    });
  }

  /** The messages of every visible alert (field errors, import errors). */
  async alerts() {
    const alerts = this.page.getByRole('alert');
    const texts = [];
    for (const a of await alerts.all()) {
      if (await a.isVisible()) texts.push((await a.innerText()).trim());
    }
    return texts.filter(Boolean);
  }

  // ---- acting --------------------------------------------------------------------

  // ---- where controls live: the dock's tabs, folds, the share menu ----------------

  /** Shows the dock's tab with this label ("Events", "Record", "Topics", "Settings", "Messages"). */
  async openTab(label) {
    const tab = this.page.getByRole('tab', { name: label, exact: true });
    if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
  }

  /** Opens the fold (a `<details>`) that `selector` finds, if it is closed. */
  async openFold(selector) {
    const fold = this.page.locator(selector).first();
    if (!(await fold.evaluate((d) => d.open))) await fold.locator('summary').first().click();
  }

  /** Opens the share menu. */
  async openShare() {
    await this.openFold('details.share-menu');
  }

  /** Closes the share menu (Escape, as a learner would). */
  async closeShare() {
    if (await this.page.locator('details.share-menu').evaluate((d) => d.open)) {
      await this.page.keyboard.press('Escape');
    }
  }

  /** Turns the drawing of heartbeats and metadata messages on or off. */
  async showHeartbeats(on) {
    await this.openTab('Messages');
    const box = this.page.getByLabel('Show heartbeats', { exact: true });
    if (on) await box.check();
    else await box.uncheck();
  }

  /** How many messages the list in words says are in flight (on the Messages tab). */
  async inFlightCount() {
    await this.openTab('Messages');
    const text = await this.page.locator('.inflight summary').textContent();
    return Number(text?.match(/\((\d+)\)/)?.[1] ?? 0);
  }

  async addBroker() {
    await this.page.getByRole('button', { name: 'Add broker', exact: true }).click();
  }

  async stopBroker(id) {
    await this.page.getByRole('button', { name: `Stop broker ${id}`, exact: true }).click();
  }

  async startBroker(id) {
    await this.page.getByRole('button', { name: `Start broker ${id}`, exact: true }).click();
  }

  /** Fills the create-topic form (fields left undefined are left as they are). */
  async fillTopicForm({ name, partitions, replicationFactor, minInsyncReplicas }) {
    await this.openTab('Topics');
    const fill = async (label, v) => {
      if (v !== undefined) await this.page.getByLabel(label, { exact: true }).fill(String(v));
    };
    await fill('Topic name', name);
    await fill('Partitions', partitions);
    await fill('Replication factor', replicationFactor);
    await fill('min.insync.replicas', minInsyncReplicas);
  }

  async createTopic(fields) {
    await this.fillTopicForm(fields);
    await this.page.getByRole('button', { name: 'Create topic', exact: true }).click();
  }

  /** The alert shown for a form field (by the field's label): the element with
   * role="alert" that the field's aria-describedby names, if it is visible. */
  async fieldError(label) {
    const field = this.page.getByLabel(label, { exact: true });
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
    for (const id of ids) {
      const el = this.page.locator(`[id="${id}"][role="alert"]`);
      if ((await el.count()) === 1 && (await el.isVisible())) return (await el.innerText()).trim();
    }
    return null;
  }

  /** Produces one record from the producer form. */
  async produce({ key, value, client, acks, topic, partitioner } = {}) {
    const select = (label, v) =>
      v === undefined ? null : this.page.getByLabel(label, { exact: true }).selectOption(String(v));
    if ([topic, client, acks, partitioner].some((v) => v !== undefined)) {
      await this.openFold('details.producer-options');
    }
    await select('Topic', topic);
    await select('Client', client);
    await select('acks', acks);
    await select('Partitioner', partitioner);
    if (key !== undefined) await this.page.getByLabel('Key', { exact: true }).fill(key);
    if (value !== undefined) await this.page.getByLabel('Value', { exact: true }).fill(value);
    await this.page.getByRole('button', { name: 'Produce', exact: true }).click();
  }

  /** Loads one of the scenarios the page offers (by its option value) at time zero. */
  async loadPreset(id) {
    const picker = this.page.getByLabel('Scenario', { exact: true });
    await picker.selectOption(id);
    const title = (await picker.locator('option:checked').textContent()).trim();
    await this.page.getByRole('button', { name: 'Load', exact: true }).click();
    // All but the playground are fetched first.
    await this.page
      .getByRole('status')
      .filter({ hasText: `Loaded “${title}”` })
      .waitFor();
  }

  /** The scenarios the list offers to load (option values, in order). */
  async presetIds() {
    return this.page
      .getByLabel('Scenario', { exact: true })
      .locator('option:not([disabled])')
      .evaluateAll((options) => options.map((o) => o.value));
  }

  /** What the scenario list shows: the loaded preset's id, or '' for a link or a file. */
  async shownPreset() {
    return this.page.getByLabel('Scenario', { exact: true }).inputValue();
  }

  /** Starts playback (if it is not running). */
  async play() {
    if (!(await this.isPlaying())) {
      await this.page.getByRole('button', { name: 'Play', exact: true }).click();
    }
  }

  /** Pauses playback (if it runs). */
  async pause() {
    if (!(await this.isPlaying())) return;
    // The page may pause by itself meanwhile (a lesson or link that finishes loading opens
    // paused), and then the button is "Play": only a page still playing is a failure.
    await this.page
      .getByRole('button', { name: 'Pause', exact: true })
      .click({ timeout: 2_000 })
      .catch(async (e) => {
        if (await this.isPlaying()) throw e;
      });
  }

  async isPlaying() {
    return (await this.page.getByRole('button', { name: 'Pause', exact: true }).count()) > 0;
  }

  async step() {
    await this.page.getByRole('button', { name: 'Step', exact: true }).click();
  }

  /** The speed options the page offers (values), or a range's [min, max]. */
  async speedChoices() {
    return this.speed.evaluate((el) =>
      el.tagName === 'SELECT'
        ? [...el.options].map((o) => o.value)
        : [el.getAttribute('min'), el.getAttribute('max')],
    );
  }

  /** Sets playback to its highest speed. */
  async fastest() {
    const tag = await this.speed.evaluate((el) => el.tagName);
    if (tag === 'SELECT') {
      const values = await this.speedChoices();
      const best = values.reduce((a, b) => (parseFloat(b) > parseFloat(a) ? b : a));
      await this.speed.selectOption(best);
    } else {
      await this.speed.fill(String(await this.speed.getAttribute('max')));
    }
  }

  async setSpeed(value) {
    const tag = await this.speed.evaluate((el) => el.tagName);
    if (tag === 'SELECT') await this.speed.selectOption(String(value));
    else await this.speed.fill(String(value));
  }

  /** Plays at the highest speed until `done()` holds, then pauses. */
  async playUntil(done, { timeout = 30_000, what = 'the awaited state' } = {}) {
    await this.fastest();
    await this.play();
    const deadline = Date.now() + timeout;
    try {
      for (;;) {
        if (await done()) return;
        if (Date.now() > deadline) throw new Error(`played ${timeout} ms without reaching ${what}`);
        await this.page.waitForTimeout(50);
      }
    } finally {
      await this.pause();
    }
  }

  /** Drags the timeline to `ms` of simulated time. */
  async seek(ms) {
    await this.timeline.fill(String(ms));
  }

  /** The partition the journey panel shows (its data-partition holds the number). */
  async journeyPartition() {
    return num(await this.journeyPanel.getAttribute('data-partition'));
  }

  async closeJourney() {
    await this.page.getByRole('button', { name: 'Close', exact: true }).click();
    await this.journeyPanel.waitFor({ state: 'detached' });
  }

  async openJourneyOf(recordCell) {
    await recordCell.click();
    await this.journeyPanel.waitFor();
  }

  /** Shows the narration (the dock's Events tab). */
  async openNarration() {
    await this.openTab('Events');
  }

  // ---- consumers -------------------------------------------------------------------

  async addConsumer({ group, name, assignor }) {
    await this.openFold('details.add-consumer');
    if (group !== undefined) await this.page.getByLabel('Group', { exact: true }).fill(group);
    if (name !== undefined) await this.page.getByLabel('Consumer name', { exact: true }).fill(name);
    if (assignor !== undefined) {
      await this.page.getByLabel('Assignor', { exact: true }).selectOption(assignor);
    }
    await this.page.getByRole('button', { name: 'Add consumer', exact: true }).click();
  }

  async crashConsumer(name) {
    await this.page.getByRole('button', { name: `Crash consumer ${name}`, exact: true }).click();
  }

  // ---- share, export, import -----------------------------------------------------

  /** Clicks "Export" and returns the downloaded file's text and name. */
  async export() {
    await this.openShare();
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    await this.closeShare();
    const stream = await download.createReadStream();
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    return { name: download.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
  }

  /** Imports a file through the "Import scenario" file input. */
  async import(name, text) {
    await this.page.getByLabel('Import scenario', { exact: true }).setInputFiles({
      name,
      mimeType: 'application/json',
      buffer: Buffer.from(text, 'utf8'),
    });
  }

  async screenshot(path) {
    // From the top, so that the sticky top bar is drawn where it belongs.
    await this.page.evaluate(() => window.scrollTo(0, 0));
    await this.page.screenshot({ path, fullPage: true });
  }
}
