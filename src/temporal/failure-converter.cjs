// Loaded by path (inside the workflow sandbox too): failure messages and stack traces are moved
// into an encoded attribute, so the payload codec encrypts them like every payload. CommonJS so
// that both the workflow bundler and the client's require() can load it without a TS loader.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
