'use strict';
// Outgoing calls of every flavor the http-client transforms rewrite: node:http with a URL
// string, a URL object and an options object (callback and no-callback forms, get and request),
// axios through the default instance and through an instance, and global fetch.
const http = require('http');
const axios = require('axios');

const downstream = () => process.env.DOWNSTREAM_URL;
const refused = () => process.env.REFUSED_URL;
const stock = axios.create({ baseURL: process.env.DOWNSTREAM_URL, headers: { 'x-client': 'stock' } });

/** Reads a node:http response to the end. */
function body(res) {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => (text += chunk));
    res.on('end', () => resolve({ status: res.statusCode, text }));
    res.on('error', reject);
  });
}

const calls = {
  // http.get with a URL string and a callback; get ends the request itself.
  'http-get-string': () =>
    new Promise((resolve, reject) => {
      http.get(`${downstream()}/http/get-string?page=2`, (res) => body(res).then(resolve, reject)).on('error', reject);
    }),

  // http.request with a URL object, options and a callback; the caller's headers must stay as they are.
  'http-request-url': () => {
    const headers = { 'content-type': 'application/json', 'x-caller': 'yes' };
    return new Promise((resolve, reject) => {
      const req = http.request(new URL(`${downstream()}/http/request-url`), { method: 'POST', headers }, (res) =>
        body(res).then((r) => resolve({ ...r, callerHeaders: headers }), reject),
      );
      req.on('error', reject);
      req.end('{"n":1}');
    });
  },

  // http.request with an options object and no callback: the response arrives as an event.
  'http-request-options': () => {
    const url = new URL(downstream());
    const options = { hostname: url.hostname, port: url.port, path: '/http/request-options', method: 'PUT', headers: { 'x-caller': 'yes' } };
    return new Promise((resolve, reject) => {
      const req = http.request(options);
      req.on('response', (res) => body(res).then((r) => resolve({ ...r, callerHeaders: options.headers, callerOptionKeys: Object.keys(options) }), reject));
      req.on('error', reject);
      req.end();
    });
  },

  // Credentials and a sensitive query value in the URL: both must be redacted in url.full.
  'http-redacted': () => {
    const url = downstream().replace('http://', 'http://svc:hunter2@');
    return new Promise((resolve, reject) => {
      http.get(`${url}/http/redacted?token=s3cret&keep=1`, (res) => body(res).then(resolve, reject)).on('error', reject);
    });
  },

  // A response nobody reads: the span still ends (Node discards the body as it would untraced).
  'http-unread': () =>
    new Promise((resolve) => {
      const req = http.get(`${downstream()}/http/unread`);
      req.on('close', () => resolve({ status: 'closed' }));
    }),

  'http-5xx': () =>
    new Promise((resolve, reject) => {
      http.get(`${downstream()}/fail`, (res) => body(res).then(resolve, reject)).on('error', reject);
    }),

  'http-refused': () =>
    new Promise((resolve) => {
      http.get(`${refused()}/nothing-here`, () => resolve({ status: 'unexpected' })).on('error', (error) => resolve({ error: error.code }));
    }),

  'axios-default': async () => {
    const headers = { 'x-caller': 'yes' };
    const res = await axios.get(`${downstream()}/axios/default?api_key=k3y&keep=1`, { headers });
    return { status: res.status, callerHeaders: headers };
  },

  // Opted out: the default instance is shared, and tracing it for the call above must not trace this one.
  'axios-ignored': async () => {
    // otel-instrument-ignore
    const res = await axios.get(`${downstream()}/axios/ignored`);
    return { status: res.status };
  },

  'axios-instance': async () => {
    const config = { headers: { 'x-caller': 'yes' } };
    const res = await stock.post('/axios/instance', { n: 1 }, config);
    return { status: res.status, callerHeaders: config.headers, callerConfigKeys: Object.keys(config) };
  },

  'axios-5xx': () => axios(`${downstream()}/fail`).then((r) => ({ status: r.status }), (error) => ({ status: error.response.status })),

  'axios-refused': () => stock.get(`${refused()}/nothing-here`).then(() => ({ status: 'unexpected' }), (error) => ({ error: error.code })),

  'fetch-string': async () => {
    const headers = { 'x-caller': 'yes' };
    const res = await fetch(`${downstream()}/fetch/string`, { headers });
    return { status: res.status, callerHeaders: headers };
  },

  'fetch-url': async () => {
    const res = await fetch(new URL(`${downstream()}/fetch/url?password=pw&keep=1`), { method: 'DELETE' });
    return { status: res.status };
  },

  'fetch-request': async () => {
    const request = new Request(`${downstream()}/fetch/request`, { method: 'PATCH', headers: { 'x-caller': 'yes' } });
    const res = await fetch(request);
    return { status: res.status, callerHeaders: Object.fromEntries(request.headers) };
  },

  'fetch-5xx': async () => ({ status: (await fetch(`${downstream()}/fail`)).status }),

  'fetch-refused': () => fetch(`${refused()}/nothing-here`).then(() => ({ status: 'unexpected' }), (error) => ({ error: error.cause?.code })),
};

module.exports = { calls };
