import { x } from "@app/lib";
export const y = x;
