// Drive an SVG of `ior flame --svg` in Debian's chromium (playwright-core)
// as a user would: click a frame to zoom, click the background or press
// Escape to unzoom, click "Search" (and ctrl-f) to highlight by regex.
// Usage: node flame-svg.js FILE.svg LABEL REGEX
// Prints what it checked; exits 1 at the first thing that is wrong.
'use strict';
const assert = require('assert');
const path = require('path');
const { chromium } = require('playwright-core');

const [svg, label, term] = process.argv.slice(2);
const W = 1180, P = 10, near = (a, b) => Math.abs(a - b) < 0.02;

async function frames(page) {
	return page.evaluate(() => Array.from(document.querySelectorAll('g.f')).map((g) => {
		const r = g.querySelector('rect');
		return {
			title: g.querySelector('title').textContent,
			x: +r.getAttribute('x'), w: +r.getAttribute('width'), y: +r.getAttribute('y'),
			shown: getComputedStyle(g).display !== 'none', opacity: g.style.opacity,
			fill: r.getAttribute('fill'), text: g.querySelector('text').textContent,
		};
	}));
}

// the middle of an element's box, clicked with the mouse (as a user does:
// no help from the driver if the element does not take pointer events)
async function clickAt(page, handle) {
	const b = await handle.boundingBox();
	await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
}

async function checkUnzoomed(page, orig, what) {
	const now = await frames(page);

	assert(await page.evaluate(() => zoomed === null), `${what}: unzoomed`);
	now.forEach((f, i) => {
		assert(f.shown && f.opacity === '' && near(f.x, orig[i].x) && near(f.w, orig[i].w),
			`${what}: frame ${f.title} is back where it was`);
	});
	console.log(`ok: ${what}: all ${now.length} frames back in place`);
}

(async () => {
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
	const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
	const errors = [];
	let dialogs = 0;
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('dialog', (d) => { dialogs++; d.accept(term); });
	await page.goto('file://' + path.resolve(svg));

	const orig = await frames(page);
	const k = orig.findIndex((f) => f.title.startsWith(label + ' ('));
	assert(k >= 0, `a frame named ${label}`);
	const z = orig[k];
	console.log(`ok: ${orig.length} frames; zooming into ${z.title}`);

	// zoom: a click on the frame
	await clickAt(page, (await page.$$('g.f'))[k]);
	let now = await frames(page);
	let inside = 0, below = 0, hidden = 0;
	now.forEach((f, i) => {
		const o = orig[i];
		const isInside = o.x >= z.x - 1e-6 && o.x + o.w <= z.x + z.w + 1e-6 && o.y <= z.y;
		const isBelow = o.y > z.y && o.x <= z.x + 1e-6 && o.x + o.w >= z.x + z.w - 1e-6;
		if (isInside) {
			const want = P + (o.x - z.x) * W / z.w;
			assert(f.shown && near(f.x, want) && near(f.w, o.w * W / z.w),
				`zoom: ${o.title} at x ${f.x} width ${f.w}, want ${want} ${o.w * W / z.w}`);
			inside++;
		} else if (isBelow) {
			assert(f.shown && near(f.x, P) && near(f.w, W) && f.opacity === '0.6',
				`zoom: the parent ${o.title} spans the width, faded`);
			below++;
		} else {
			assert(!f.shown, `zoom: ${o.title} is hidden`);
			hidden++;
		}
	});
	assert(near(now[k].x, P) && near(now[k].w, W), 'zoom: the frame clicked spans the width');
	assert(below >= 1 && inside + below + hidden === now.length, 'zoom: parents shown, others hidden');
	console.log(`ok: zoom: ${inside} frames in it scaled, ${below} parents, ${hidden} hidden`);

	// unzoom: a click on the background, above the frames
	await page.mouse.click(600, 5);
	await checkUnzoomed(page, orig, 'a click on the background');

	// and with Escape
	await clickAt(page, (await page.$$('g.f'))[k]);
	assert(await page.evaluate(() => zoomed !== null), 'zoomed again');
	await page.keyboard.press('Escape');
	await checkUnzoomed(page, orig, 'Escape');

	// search: a click on "Search" asks for a regex
	const re = new RegExp(term);
	const want = orig.filter((f) => re.test(f.title.replace(/ \(\d+ calls.*$/, ''))).length;
	await clickAt(page, await page.$('#search'));
	assert.strictEqual(dialogs, 1, 'a click on Search opens the prompt');
	now = await frames(page);
	const hits = now.filter((f) => f.fill === 'rgb(230,0,230)').length;
	const matched = await page.evaluate(() => document.getElementById('matched').textContent);
	assert(want > 0 && hits === want, `search: ${hits} frames highlighted, want ${want}`);
	assert.strictEqual(matched, `${want} frames match ${term}`);
	console.log(`ok: search: ${matched}`);
	await page.keyboard.press('Control+f');
	assert.strictEqual(dialogs, 2, 'ctrl-f opens the prompt too');
	console.log('ok: ctrl-f searches');

	assert.deepStrictEqual(errors, [], 'no script errors');
	console.log('ok: no script errors');
	await browser.close();
})().catch((e) => { console.error(`not ok: ${e.message}`); process.exit(1); });
