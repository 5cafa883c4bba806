// Behaviour: the playground embedded in a course page (docs/embed-example.html, served
// beside the app). In a frame from 480x320 to 1280x800 the stage fits with no scrollbar;
// the host page drives it through postMessage and hears back (docs/embedding.md); it
// pauses while scrolled out of view and asks for no animation frames, and resumes.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { collectProblems, startSession } from './support/browser.mjs';
import { partitionsFor } from './support/cli.mjs';
import { eventually } from './support/wait.mjs';

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** Opens the example course page; returns it with its two frames and collected problems. */
async function coursePage() {
  const page = await session.browser.newPage({ viewport: { width: 900, height: 760 } });
  page.setDefaultTimeout(10_000);
  const problems = collectProblems(page);
  await page.goto(new URL('embed-example.html', session.baseUrl).href);
  const frame = (driven) =>
    page.frame({
      url: (u) => u.href.includes('index.html') && !u.search.includes('lesson=') && u.search.includes('controls=none') === driven,
    });
  await eventually(async () => {
    const ready = await page.evaluate(() => window.received.filter((m) => m.type === 'kafka-playground:ready'));
    assert.deepEqual(ready.map((m) => m.frame).sort(), ['driven', 'lesson', 'plain']);
    assert.ok(ready.every((m) => m.version === 1));
  }, { what: 'both frames said ready' });
  return { page, problems, plain: frame(false), driven: frame(true) };
}

/** Messages of `type` the course page received from the driven frame since `from`. */
function received(page, type, from = 0) {
  return page.evaluate(
    ([type, from]) => window.received.slice(from).filter((m) => m.frame === 'driven' && m.type === type),
    [type, from],
  );
}

function send(page, message) {
  return page.evaluate((m) => document.getElementById('driven').contentWindow.postMessage(m, '*'), message);
}

/** What the frame shows about fitting: scrollbars, and whether every broker and log is inside it. */
function fitOf(frame) {
  return frame.evaluate(() => {
    const d = document.documentElement;
    const outside = [...document.querySelectorAll('article.broker, .log')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.top < 0 || r.left < 0 || r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5;
    }).length;
    return {
      scrollsDown: d.scrollHeight > d.clientHeight,
      scrollsSideways: d.scrollWidth > d.clientWidth,
      brokers: document.querySelectorAll('article.broker').length,
      logs: document.querySelectorAll('.log').length,
      outside,
    };
  });
}

test('in the course page a 720x480 frame fits the whole stage, with no scrollbar', async () => {
  const { page, problems, plain } = await coursePage();
  const fit = await fitOf(plain);
  assert.deepEqual(fit, { scrollsDown: false, scrollsSideways: false, brokers: 3, logs: 9, outside: 0 });
  const heights = await page.evaluate(() =>
    window.received.filter((m) => m.frame === 'plain' && m.type === 'kafka-playground:height'),
  );
  assert.ok(heights.length > 0 && heights.every((m) => m.height > 0), 'the frame says how tall it would like to be');
  assert.deepEqual(problems, []);
  await page.close();
});

for (const [width, height] of [[480, 320], [1280, 800]]) {
  test(`a ${width}x${height} frame fits the stage too`, async () => {
    const page = await session.browser.newPage({ viewport: { width: width + 40, height: height + 40 } });
    await page.setContent(
      `<iframe src="${new URL('index.html?embed', session.baseUrl).href}" width="${width}" height="${height}" style="border:0"></iframe>`,
    );
    const frame = page.frame({ url: (u) => u.href.includes('index.html') });
    await frame.waitForSelector('article.broker');
    await eventually(async () => {
      assert.deepEqual(await fitOf(frame), {
        scrollsDown: false,
        scrollsSideways: false,
        brokers: 3,
        logs: 9,
        outside: 0,
      });
    }, { what: `the stage fits ${width}x${height}` });
    await page.close();
  });
}

test('the host produces a keyed record and hears where it landed, as the .NET client puts it', async () => {
  const { page, problems } = await coursePage();
  const from = await page.evaluate(() => window.received.length);
  await send(page, { type: 'kafka-playground:produce', key: 'user-42', value: 'paid' });
  await send(page, { type: 'kafka-playground:play' });
  const [produced] = await eventually(async () => {
    const got = await received(page, 'kafka-playground:produced', from);
    assert.ok(got.length > 0, 'a produced message');
    return got;
  }, { what: 'the produced message' });
  // The driven frame's default producer is a .NET one (Confluent.Kafka, librdkafka).
  const expected = partitionsFor('dotnet', 3, ['user-42']).get('user-42');
  assert.deepEqual(
    { topic: produced.topic, partition: produced.partition, key: produced.key, value: produced.value, status: produced.status },
    { topic: 'orders', partition: expected, key: 'user-42', value: 'paid', status: 'acked' },
  );
  assert.equal(produced.offset, 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('pause, seek and play do what they say, and every command is answered with the state', async () => {
  const { page, problems } = await coursePage();
  let from = await page.evaluate(() => window.received.length);
  await send(page, { type: 'kafka-playground:play' });
  await eventually(async () => {
    const states = await received(page, 'kafka-playground:state', from);
    assert.ok(states.some((s) => s.playing), 'playing');
  }, { what: 'playing' });
  await page.waitForTimeout(2000);
  from = await page.evaluate(() => window.received.length);
  await send(page, { type: 'kafka-playground:pause' });
  const paused = await eventually(async () => {
    const states = await received(page, 'kafka-playground:state', from);
    assert.ok(states.length > 0 && states.every((s) => !s.playing));
    return states.at(-1);
  }, { what: 'paused' });
  assert.ok(paused.time_ms > 1000, `played a while before the pause: ${paused.time_ms} ms`);
  assert.deepEqual(paused.brokers, [1, 2, 3].map((id) => ({ id, status: 'running' })));
  from = await page.evaluate(() => window.received.length);
  await send(page, { type: 'kafka-playground:seek', time_ms: 500 });
  await eventually(async () => {
    const states = await received(page, 'kafka-playground:state', from);
    assert.ok(states.some((s) => s.time_ms === 500 && !s.playing), `${JSON.stringify(states)}`);
  }, { what: 'at 500 ms' });
  from = await page.evaluate(() => window.received.length);
  await send(page, { type: 'kafka-playground:play' });
  await eventually(async () => {
    const states = await received(page, 'kafka-playground:state', from);
    assert.ok(states.some((s) => s.playing));
  }, { what: 'playing again' });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a malformed or refused message gets an error naming the field, and nothing changes', async () => {
  const { page, problems } = await coursePage();
  await send(page, { type: 'kafka-playground:stop_broker', id: 1 });
  await eventually(async () => {
    const states = await received(page, 'kafka-playground:state');
    assert.ok(states.some((s) => s.brokers.find((b) => b.id === 1)?.status === 'stopped'));
  }, { what: 'broker 1 stopped' });
  for (const [message, field] of [
    [{ type: 'kafka-playground:stop_broker', id: 9 }, 'id'],
    [{ type: 'kafka-playground:stop_broker', id: 1 }, 'id'],
    [{ type: 'kafka-playground:stop_broker', id: 'one' }, 'id'],
    [{ type: 'kafka-playground:seek' }, 'time_ms'],
    [{ type: 'kafka-playground:produce', key: 7, value: 'v' }, 'key'],
    [{ type: 'kafka-playground:produce', key: 'k', value: 'v', topic: 'nope' }, 'topic'],
    [{ type: 'kafka-playground:load', scenario: { version: 1 } }, 'scenario'],
    [{ type: 'kafka-playground:teleport' }, 'type'],
  ]) {
    const from = await page.evaluate(() => window.received.length);
    await send(page, message);
    const error = await eventually(async () => {
      const [e] = await received(page, 'kafka-playground:error', from);
      assert.ok(e, `an error for ${JSON.stringify(message)}`);
      return e;
    });
    assert.equal(error.field, field, `${JSON.stringify(message)}: ${error.message}`);
    assert.ok(error.message.length > 0);
    const told = await received(page, 'kafka-playground:state', from);
    assert.equal(told.length, 0, `no state change is told after ${JSON.stringify(message)}: ${JSON.stringify(told)}`);
  }
  // The script in the message is text, never markup.
  await send(page, { type: 'kafka-playground:produce', key: '<img src=x onerror=alert(1)>', value: 'v' });
  await page.waitForTimeout(300);
  const driven = page.frame({ url: (u) => u.href.includes('controls=none') });
  assert.equal(await driven.locator('img[src="x"]').count(), 0, 'nothing from a message is inserted as markup');
  assert.deepEqual(problems, []);
  await page.close();
});

test('scrolled out of view it asks for no animation frames, and resumes when back', async () => {
  const { page, problems, plain } = await coursePage();
  const frames = (ms) =>
    plain.evaluate(async (ms) => {
      if (window.__asked === undefined) {
        window.__asked = 0;
        const raf = window.requestAnimationFrame.bind(window);
        window.requestAnimationFrame = (cb) => {
          window.__asked += 1;
          return raf(cb);
        };
      }
      const before = window.__asked;
      await new Promise((ok) => setTimeout(ok, ms));
      return window.__asked - before;
    }, ms);
  const clock = () => plain.evaluate(() => Number(document.querySelector('[data-testid="clock"]').dataset.timeMs));
  assert.ok((await frames(500)) > 0, 'playing in view, it draws');
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForTimeout(300);
  assert.equal(await frames(2000), 0, 'out of view: no animation frames for 2 s');
  const t = await clock();
  await page.waitForTimeout(500);
  assert.equal(await clock(), t, 'and simulated time stands still');
  await page.evaluate(() => window.scrollTo(0, 0));
  await eventually(async () => {
    assert.ok((await clock()) > t, 'back in view it plays on from where it was');
  }, { what: 'resumed' });
  assert.ok((await frames(500)) > 0, 'and draws again');
  assert.deepEqual(problems, []);
  await page.close();
});

test('an unknown option or value is a one-line notice in the frame, said once in the console', async () => {
  const page = await session.browser.newPage({ viewport: { width: 760, height: 520 } });
  const warnings = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text());
  });
  await page.setContent(
    `<iframe src="${new URL('index.html?embed&speed=3&colour=red', session.baseUrl).href}" width="720" height="480"></iframe>`,
  );
  const frame = page.frame({ url: (u) => u.href.includes('index.html') });
  const notice = await frame.waitForSelector('.embed-notice');
  const text = await notice.textContent();
  assert.match(text, /speed: '3' is not one of/);
  assert.match(text, /'colour' is not an option/);
  assert.ok(await frame.locator('article.broker').count(), 'the stage still shows');
  await page.waitForTimeout(300);
  assert.equal(warnings.length, 1, `one console line: ${warnings}`);
  await page.close();
});
