const express = require("express");

const router = express.Router();

router.get("/health", (req, res) => {
  res.json({ status: "ok" });
});

function cancel(req, res) {
  throw new Error("not implemented");
}

module.exports = { router, cancel };
