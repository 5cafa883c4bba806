// The page object: how a user finds things on the playground page. Specs ask it
// questions in the user's words and never use selectors themselves.

export class PlaygroundPage {
  /** @param {import('playwright-core').Page} page */
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.heading = page.getByRole('heading', { level: 1, name: 'Kafka Playground' });
    this.presetSelect = page.getByLabel('Preset');
    this.runButton = page.getByRole('button', { name: 'Run preset' });
    this.status = page.getByRole('status');
    this.simulatedTime = this.status.locator('#sim-time');
    this.brokersTable = page.getByRole('table', { name: /^Broker processes/ });
    this.brokerRows = this.brokersTable.locator('tbody tr');
  }

  /** Opens the page and waits until the wasm app has rendered the cluster. */
  async open() {
    await this.page.goto(this.baseUrl);
    await this.brokersTable.waitFor();
  }

  partitionsTable(topic) {
    return this.page.getByRole('table', { name: new RegExp(`^Partitions of ${topic}:`) });
  }

  partitionRows(topic) {
    return this.partitionsTable(topic).locator('tbody tr');
  }

  /** What a broker row says: id, process status, fenced or not. */
  async broker(id) {
    const row = this.brokersTable.locator(`tbody tr[data-broker="${id}"]`);
    return {
      name: (await row.locator('th').textContent()).trim(),
      status: (await row.locator('td.status').textContent()).trim(),
      fenced: (await row.locator('td.fenced').textContent()).trim(),
    };
  }

  /** What a partition row says, cell by cell. */
  async partition(topic, partition) {
    const row = this.partitionsTable(topic).locator(`tbody tr[data-partition="${partition}"]`);
    const text = async (cls) => (await row.locator(`td.${cls}`).textContent()).trim();
    return {
      leader: await text('leader'),
      leaderEpoch: await text('leader-epoch'),
      replicas: await text('replicas'),
      isr: await text('isr'),
      highWatermark: await text('high-watermark'),
    };
  }

  async runPreset(title) {
    await this.presetSelect.selectOption({ label: title });
    await this.runButton.click();
  }

  async screenshot(path) {
    await this.page.screenshot({ path, fullPage: true });
  }
}
