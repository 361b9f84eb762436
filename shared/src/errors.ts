import { z } from 'zod';

/** Every 4xx/5xx body. `code` is stable; `message` is for people; `fields` names bad input. */
export const ApiError = z.object({
  code: z.string(),
  message: z.string(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

/** Socket command acknowledgement: `{ok:true,data}` or `{ok:false,code,message}`. */
export type Ack<T> = { ok: true; data: T } | { ok: false; code: string; message: string };
