const isThenable = (thing) =>
  thing !== null && typeof thing === "object" && typeof thing.then === "function";

// original code
// https://example.com/promise-utils/blob/main/lib/utils.js#L11-L34

const runSoon = (callback) =>
  typeof queueMicrotask === "function" ? queueMicrotask(callback) : setTimeout(callback, 0);

module.exports = { isThenable, runSoon };
