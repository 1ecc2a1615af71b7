'use strict';
// Outgoing calls in CommonJS: node-fetch 2 (the module is the function; node_modules/node-fetch
// is linked to the node-fetch 2 install by the test) and an undici Client.
const fetch = require('node-fetch');
const undici = require('undici');

const downstream = () => process.env.DOWNSTREAM_URL;
const refused = () => process.env.REFUSED_URL;
const client = new undici.Client(process.env.DOWNSTREAM_URL);

const calls = {
  'node-fetch2-string': async () => {
    const headers = { 'x-caller': 'yes' };
    const res = await fetch(`${downstream()}/node-fetch2/string?token=s3cret&keep=1`, { method: 'POST', body: 'x', headers });
    await res.text();
    return { status: res.status, callerHeaders: headers, major: require('node-fetch/package.json').version.split('.')[0] };
  },

  'node-fetch2-request': async () => {
    const request = new fetch.Request(`${downstream()}/node-fetch2/request`, { method: 'PUT', headers: { 'x-caller': 'yes' } });
    const res = await fetch(request);
    await res.text();
    return { status: res.status, callerHeaders: Object.fromEntries(request.headers.entries()) };
  },

  'node-fetch2-refused': () => fetch(`${refused()}/nothing-here`).then(() => ({ status: 'unexpected' }), (error) => ({ error: error.code })),

  'undici-client': async () => {
    const { statusCode, body } = await client.request({ path: '/undici/client', method: 'GET' });
    await body.dump();
    return { status: statusCode };
  },
};

module.exports = { calls };
