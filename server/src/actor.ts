// Who is acting, for the audit log and for every service that records on its behalf. Outside any
// feature, so that a feature can act as the system (a job, a timer) without importing audit's files.

/** Who is acting and from where; built from a request, a socket or a job. */
export interface Actor {
  userId: string | null;
  label: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export const systemActor = (label: string): Actor => ({ userId: null, label: `system:${label}` });
