const crypto = require('crypto');
const express = require('express');

const app = express();

app.get('/login', (req, res) => res.redirect(req.query.next));

app.get('/digest', (req, res) => {
  res.json({ digest: crypto.createHash('sha256').update(req.query.text).digest('hex') });
});

module.exports = app;
