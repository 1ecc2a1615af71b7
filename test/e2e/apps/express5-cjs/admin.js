'use strict';
// A sub-app mounted by server.js at /admin.
const express = require('express');

const admin = express();
admin.get('/users/:userId', (req, res) => res.json({ user: req.params.userId }));

module.exports = { admin };
