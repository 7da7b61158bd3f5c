const express = require('express');
const bcrypt = require('bcrypt');
const { body, validationResult } = require('express-validator-plus');
const path = require('node:path');

const app = express();
app.use(express.json());

app.post(
  '/signup',
  body('email').isEmail(),
  body('password').isLength({ min: 12 }),
  async (req, res) => {
    const errors = validationResult(req);
    if (!errors.isEmpty()) {
      return res.status(400).json({ errors: errors.array() });
    }
    const hash = await bcrypt.hash(req.body.password, 12);
    res.status(201).json({ ok: true, hash: hash.length, file: path.basename(__filename) });
  }
);

app.listen(3000, '127.0.0.1');
