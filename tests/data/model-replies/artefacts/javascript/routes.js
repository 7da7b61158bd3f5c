Sure! Here's the Express router with the new `/orders/:id/cancel` endpoint:

```javascript
const express = require("express");
const { OrderService } = require("../services/orders");

const router = express.Router();
const orders = new OrderService();

// ... existing routes ...

router.post("/orders/:id/cancel", async (req, res, next) => {
  try {
    const order = await orders.cancel(Number(req.params.id));
    res.json({ id: order.id, status: order.status });
  } catch (error) {
    next(error);
  }
});

module.exports = router;
```

This adds a `POST /orders/:id/cancel` route that calls `OrderService.cancel` and returns the new status.
