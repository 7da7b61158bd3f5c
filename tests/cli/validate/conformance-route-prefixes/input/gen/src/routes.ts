import { Router } from "express";

const router = Router();

router.get("/orders/:id", (req, res) => res.json({}));
router.route("/orders/:id").delete((req, res) => res.status(204).end());

export function createOrderHandler(req: any, res: any) {
  res.status(201).json({});
}

const customers = Router();
customers.get("/:cid/orders", (req, res) => res.json([]));
router.use("/customers", customers);

export default router;
