/**
 * Code the harness installs in the app's page (Page.addScriptToEvaluateOnNewDocument, which the
 * page's CSP does not govern). It is a string on purpose: tsx/esbuild would wrap functions passed to
 * page.evaluate with helpers that do not exist in the page.
 *
 * It only watches the DOM (data-testid hooks the e2e tests use too) and reads performance.now():
 *  - armImport(): the next import job to appear (jobs are listed newest first) and the moment its
 *    state (a `data-state` attribute on the job if present, else its `.badge` text) says done /
 *    failed / cancelled (or, when another view was open meanwhile, the navigation's count of running
 *    imports going away);
 *  - startFrames()/stopFrames(): the page's frame gaps and long tasks while the harness scrolls a table;
 *  - armClick(selector): the time of the next click event (capture phase on document) and of the first
 *    element matching `selector` after it, as a MutationObserver sees it (DOM committed, before paint).
 */
export const INPAGE_SCRIPT = String.raw`
(() => {
  if (window.__sightlineBench) return;
  const FINAL = ['done', 'failed', 'cancelled'];
  const when = (check, timeoutMs) => new Promise((resolve) => {
    let timer;
    const finish = (value) => { observer.disconnect(); clearTimeout(timer); resolve(value); };
    const observer = new MutationObserver(() => { const value = check(); if (value) finish(value); });
    const first = check();
    if (first) return resolve(first);
    observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
    if (timeoutMs) timer = setTimeout(() => finish({ timeout: true }), timeoutMs);
  });
  const jobs = () => document.querySelectorAll('[data-testid="import-job"]');
  // The navigation's count of running and queued imports, on screen in every view.
  const importsRunning = () => Boolean(document.querySelector('nav[aria-label="Main"] .nav-count'));
  // Frames and long tasks of the page while a table is scrolled (startFrames … stopFrames).
  const longTasks = [];
  try {
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) longTasks.push([entry.startTime, entry.duration]); }).observe({ type: 'longtask', buffered: true });
  } catch {}
  let frames;
  const tick = (at) => { if (frames) { frames.push(at); requestAnimationFrame(tick); } };
  const bench = {
    armImport(timeoutMs) {
      const before = jobs().length;
      let appearedAt;
      // The harness may scroll another view meanwhile: the navigation's count going away times the end then,
      // and the job's state is read once the Imports view is back.
      let stoppedAt;
      bench.importPromise = when(() => {
        if (appearedAt !== undefined && stoppedAt === undefined && !importsRunning()) stoppedAt = performance.now();
        const list = jobs();
        if (list.length <= before) return undefined;
        appearedAt ??= performance.now();
        const job = list[0];
        // A data-state attribute on the job wins when the app has one; else the state badge's text.
        const state = (job.getAttribute('data-state') ?? job.querySelector('.badge')?.textContent ?? '').trim();
        if (!FINAL.includes(state)) return undefined;
        return { state, appearedAt, doneAt: Math.min(stoppedAt ?? Infinity, performance.now()), text: job.innerText, message: job.querySelector('[role="alert"]')?.textContent ?? undefined };
      }, timeoutMs);
      return before;
    },
    importsRunning,
    startFrames() {
      frames = [];
      bench.framesFrom = performance.now();
      requestAnimationFrame(tick);
    },
    stopFrames() {
      const seen = frames ?? [];
      frames = undefined;
      const gaps = [];
      for (let i = 1; i < seen.length; i++) gaps.push(seen[i] - seen[i - 1]);
      gaps.sort((a, b) => a - b);
      const tasks = longTasks.filter(([start]) => start >= bench.framesFrom);
      return {
        ms: performance.now() - bench.framesFrom,
        frames: gaps.length,
        slowFrames: gaps.filter((gap) => gap > 50).length,
        p95FrameMs: gaps.length ? gaps[Math.min(gaps.length - 1, Math.floor(gaps.length * 0.95))] : undefined,
        maxFrameMs: gaps.length ? gaps[gaps.length - 1] : undefined,
        longTaskMs: tasks.reduce((sum, [, duration]) => sum + duration, 0),
      };
    },
    importDone() { return bench.importPromise; },
    jobText() { return jobs()[0]?.innerText ?? ''; },
    historyText(index) {
      const rows = document.querySelectorAll('[data-testid="import-history"] > tbody > tr');
      return { rows: rows.length, text: rows[index ?? 0]?.innerText ?? '' };
    },
    armClick(selector, timeoutMs) {
      let clickAt;
      document.addEventListener('click', () => { clickAt ??= performance.now(); }, { capture: true, once: true });
      bench.clickPromise = when(() => {
        if (clickAt === undefined) return undefined;
        const found = document.querySelector(selector);
        if (!found) return undefined;
        const seenAt = performance.now();
        return { ms: seenAt - clickAt, clickAt, seenAt, testId: found.closest('[data-testid]')?.getAttribute('data-testid') ?? undefined };
      }, timeoutMs);
    },
    clickDone() { return bench.clickPromise; },
    // A filter change as a bookmark or a dashboard link makes it: the hash changes, and the view's root
    // (data-testid=viewTestId) says which filter its rows show in data-loaded-filter (the URL contract).
    changeFilter(hash, viewTestId, timeoutMs) {
      const startedAt = performance.now();
      location.hash = hash;
      return when(() => {
        const wanted = location.hash.split('?')[1] ?? '';
        const view = document.querySelector('[data-testid="' + viewTestId + '"]');
        if (!view || view.getAttribute('data-loaded-filter') !== wanted) return undefined;
        const rows = view.querySelectorAll('tbody tr').length;
        return { ms: performance.now() - startedAt, rows, empty: Boolean(view.querySelector('[data-testid="empty-state"]')), filter: wanted };
      }, timeoutMs);
    },
    // The worker's rescoring after an import: the Imports view's scoring line, once it says done.
    scoringDone(timeoutMs) {
      return when(() => {
        const line = document.querySelector('[data-testid="scoring-status"]');
        const state = line?.getAttribute('data-state');
        if (state === 'failed') return { failed: line.textContent };
        if (state !== 'done') return undefined;
        return { ms: Number(line.getAttribute('data-ms')), users: Number(line.getAttribute('data-users')) };
      }, timeoutMs);
    },
  };
  window.__sightlineBench = bench;
})();
`;

export interface ImportWatch {
  state?: string;
  timeout?: boolean;
  appearedAt: number;
  doneAt: number;
  text: string;
  message?: string;
}

/** What the page drew while a table was scrolled: frame gaps (requestAnimationFrame) and long tasks. */
export interface FrameWatch {
  ms: number;
  frames: number;
  /** Frames that took longer than 50 ms (three frames at 60 Hz, a visible stutter). */
  slowFrames: number;
  p95FrameMs?: number;
  maxFrameMs?: number;
  longTaskMs: number;
}

export interface FilterWatch {
  timeout?: boolean;
  ms: number;
  rows: number;
  empty: boolean;
  filter: string;
}

export interface ScoringWatch {
  timeout?: boolean;
  failed?: string;
  ms?: number;
  users?: number;
}

export interface ClickWatch {
  timeout?: boolean;
  ms: number;
  testId?: string;
}
