// Behaviour: lessons (issue 10). `?lesson=SLUG` opens a lesson whose goals the engine
// checks; acting through the page's own controls ticks a goal, told in the narration and
// kept in localStorage; a lesson embedded in the example course page tells the host page
// `kafka-playground:goal`; "Show me" reaches every goal of every lesson.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { collectProblems } from './support/browser.mjs';
import { usePlayground } from './support/fixtures.mjs';
import { eventually } from './support/wait.mjs';

const open = usePlayground();
const index = JSON.parse(readFileSync(new URL('../scenarios/lessons/index.json', import.meta.url)));
const KEYED = '04-keys-pick-the-partition';

/** Opens `?lesson=slug` and waits for its panel. */
async function openLesson(slug) {
  const opened = await open(`?lesson=${slug}`);
  const title = index.find((l) => l.slug === slug).title;
  await opened.page.locator('section.lesson h3', { hasText: title }).waitFor();
  return opened;
}

const goals = (page) => page.locator('section.lesson li.goal');
const met = (page) => page.locator('section.lesson li.goal.met');

test('the keyed lesson: two records with one key, produced from the page, tick the goal', async () => {
  const { page, playground, finish } = await openLesson(KEYED);
  assert.equal(await goals(page).count(), 1);
  assert.equal(await met(page).count(), 0, 'no goal is met at the start');

  await playground.produce({ key: 'alice', value: 'first' });
  await playground.produce({ key: 'alice', value: 'second' });
  await playground.playUntil(async () => (await met(page).count()) === 1, { what: 'the goal met' });
  await playground.pause();

  const goal = page.locator('section.lesson li.goal[data-goal="same-key"]');
  assert.match(await goal.innerText(), /✓/);
  assert.match(await goal.innerText(), /\(met\)/, 'said in words, not only by the mark');
  await page.getByText('Every goal is met. Well done.').waitFor();
  const kept = await page.evaluate(() => localStorage.getItem('kafka-playground.lessons'));
  assert.deepEqual(JSON.parse(kept)[KEYED], ['same-key'], 'progress kept in localStorage');
  await finish('lesson-keyed-met');
});

test('a goal met is told in the narration, and Start again starts the lesson afresh', async () => {
  const { page, playground, finish } = await openLesson(KEYED);
  await playground.produce({ key: 'bob', value: 'one' });
  await playground.produce({ key: 'bob', value: 'two' });
  await playground.playUntil(async () => (await met(page).count()) === 1, { what: 'the goal met' });
  await playground.pause();
  await playground.openNarration();
  await eventually(async () => {
    assert.match(await playground.narration.innerText(), /Goal met: Two events with the same key/);
  }, { what: 'the narration tells the goal' });
  await playground.openTab('Learn');
  await page.getByRole('button', { name: 'Start again', exact: true }).click();
  await eventually(async () => assert.equal(await met(page).count(), 0), { what: 'goals unticked' });
  assert.equal(await page.getByTestId('record').count(), 0, 'the cluster is back at its start');
  await page.getByRole('button', { name: 'All lessons', exact: true }).click();
  const entry = page.locator('.lesson-list li', { hasText: index.find((l) => l.slug === KEYED).title });
  await eventually(async () => assert.match(await entry.innerText(), /1 goal met/), { what: 'progress in the list' });
  await page.getByRole('button', { name: 'Forget my progress' }).click();
  await eventually(async () => assert.doesNotMatch(await entry.innerText(), /goal met/));
  assert.equal(await page.evaluate(() => localStorage.getItem('kafka-playground.lessons')), null);
  await finish('lesson-start-again');
});

test('an unknown lesson is refused with the reason, and the playground stays', async () => {
  const { page, finish } = await open('?lesson=99-no-such-lesson');
  await page.getByText('The lesson “99-no-such-lesson” could not be opened.').waitFor();
  assert.ok((await page.locator('[data-testid^="broker-"]').count()) > 0);
  // The failed fetch is the point of this test.
  await page.close();
  void finish;
});

test('a lesson embedded in the course page tells the host when its goal is met', async (t) => {
  const { page: first } = await open();
  const base = new URL(first.url());
  await first.close();
  const page = await first.context().browser().newPage({ viewport: { width: 900, height: 760 } });
  const problems = collectProblems(page);
  await page.goto(new URL('embed-example.html', base).href);
  const lesson = () => page.evaluate(() => window.received.filter((m) => m.frame === 'lesson'));
  await eventually(async () => {
    assert.ok((await lesson()).some((m) => m.type === 'kafka-playground:ready'));
  }, { what: 'the lesson frame said ready' });
  const frame = page.frame({ url: (u) => u.search.includes('lesson=') });
  await frame.locator('.lesson-strip').waitFor();
  const send = (m) => page.evaluate((m) => document.getElementById('lesson').contentWindow.postMessage(m, '*'), m);
  await send({ type: 'kafka-playground:produce', key: 'user-42', value: 'a' });
  await send({ type: 'kafka-playground:produce', key: 'user-42', value: 'b' });
  await send({ type: 'kafka-playground:play' });
  await eventually(async () => {
    const goals = (await lesson()).filter((m) => m.type === 'kafka-playground:goal');
    assert.deepEqual(goals.map(({ slug, goal, met }) => ({ slug, goal, met })), [
      { slug: KEYED, goal: 'same-key', met: true },
    ]);
  }, { timeout: 20_000, what: 'the host heard kafka-playground:goal' });
  assert.match(await page.locator('#lesson-progress').innerText(), /Goal met: same-key/);
  assert.match(await frame.locator('.lesson-strip li.goal').innerText(), /✓/);
  await frame.locator('.lesson-strip').screenshot({ path: 'e2e/artifacts/lesson-embedded-strip.png' });
  assert.deepEqual(problems, []);
  await page.close();
  void t;
});

test('"Show me" reaches every goal of every lesson', async () => {
  for (const { slug } of index) {
    const { page, playground, problems } = await openLesson(slug);
    await page.getByRole('button', { name: 'Show me', exact: true }).click();
    await playground.fastest();
    const total = await goals(page).count();
    assert.ok(total > 0, `${slug} has goals`);
    await eventually(async () => assert.equal(await met(page).count(), total, slug), {
      timeout: 90_000,
      interval: 200,
      what: `every goal of ${slug}`,
    });
    assert.deepEqual(problems, [], slug);
    await page.close();
  }
});
