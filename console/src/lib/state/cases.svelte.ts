// Case screens' state: the list (with filters) and one open case with its timeline. Live events
// (case:updated, case:created, case:deadline-*) trigger a refetch of what is shown.
import type { CaseDeadlineAlert, CaseListItem, CaseStage, CaseTaskAlert, CaseView, TimelineEntry, CaseRiskLevel } from '@trustline/shared';
import { casesApi } from '../api/cases';
import { t } from '../i18n';
import { realtime } from '../realtime';

export interface CaseFilters {
  stage: CaseStage | '';
  curatorId: string;
  risk: CaseRiskLevel | '';
  overdue: boolean;
}
export const emptyCaseFilters = (): CaseFilters => ({ stage: '', curatorId: '', risk: '', overdue: false });

export class CaseListState {
  items = $state<CaseListItem[]>([]);
  loading = $state(false);
  error = $state<unknown>(null);
  filters = $state<CaseFilters>(emptyCaseFilters());
  #mine: boolean;

  constructor(mine = false) {
    this.#mine = mine;
  }

  async load(filters?: CaseFilters) {
    if (filters) this.filters = filters;
    this.loading = true;
    this.error = null;
    try {
      const f = this.filters;
      this.items = this.#mine
        ? await casesApi.mine()
        : await casesApi.list({ stage: f.stage || undefined, curatorId: f.curatorId || undefined, risk: f.risk || undefined, overdue: f.overdue || undefined });
    } catch (err) {
      this.error = err;
    } finally {
      this.loading = false;
    }
  }

  /** Refetch on live changes; returns the unsubscribe. */
  live() {
    const reload = () => void this.load();
    const offs = [
      realtime.subscribe('case:created', reload),
      realtime.subscribe('case:updated', reload),
      realtime.subscribe('case:deadline-overdue', reload),
      realtime.onConnect((recovered) => {
        if (!recovered) reload();
      }),
    ];
    return () => offs.forEach((off) => off());
  }
}

export class CaseState {
  view = $state<CaseView | null>(null);
  timeline = $state<TimelineEntry[]>([]);
  error = $state<unknown>(null);
  busy = $state(false);

  constructor(readonly id: string) {}

  async load() {
    this.error = null;
    try {
      const [view, timeline] = await Promise.all([casesApi.get(this.id), casesApi.timeline(this.id)]);
      this.view = view;
      this.timeline = timeline;
    } catch (err) {
      this.error = err;
    }
  }

  /** Runs a change; the answer is the new case; the timeline is refetched. */
  async run(change: () => Promise<CaseView | void>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      const next = await change();
      if (next) this.view = next;
      else this.view = await casesApi.get(this.id);
      this.timeline = await casesApi.timeline(this.id);
      return true;
    } catch (err) {
      this.error = err;
      return false;
    } finally {
      this.busy = false;
    }
  }

  live() {
    const mine = (p: { caseId: string }) => p.caseId === this.id && void this.load();
    const offs = [realtime.subscribe('case:updated', mine), realtime.subscribe('case:deadline-overdue', mine), realtime.subscribe('case:deadline-due', mine)];
    return () => offs.forEach((off) => off());
  }
}

export interface DeadlineAlert {
  key: string;
  caseId: string;
  caseNumber: number;
  overdue: boolean;
  text: string;
}

/** Live deadline reminders and overdue alerts for the signed-in curator (and supervisors): the last ten, newest first. */
export class DeadlineAlerts {
  alerts = $state<DeadlineAlert[]>([]);

  /** Collects alerts as they arrive; returns the unsubscribe. */
  live(): () => void {
    const offs = [
      realtime.subscribe('case:deadline-due', (a) => this.#deadline(a, false)),
      realtime.subscribe('case:deadline-overdue', (a) => this.#deadline(a, true)),
      realtime.subscribe('case:task-due', (a) => this.#task(a, false)),
      realtime.subscribe('case:task-overdue', (a) => this.#task(a, true)),
    ];
    return () => offs.forEach((off) => off());
  }

  #push(a: DeadlineAlert) {
    this.alerts = [a, ...this.alerts.filter((x) => x.key !== a.key)].slice(0, 10);
  }

  // The text is written in the language shown when the alert arrives.
  #deadline(a: CaseDeadlineAlert, overdue: boolean) {
    const status = overdue ? t('cases.status.overdue') : t('cases.status.due_soon');
    this.#push({
      key: a.deadlineId,
      caseId: a.caseId,
      caseNumber: a.caseNumber,
      overdue,
      text: `${t(`cases.deadline.${a.kind}`)} — ${status}, ${t('cases.deadline.due', { date: a.dueDate })}`,
    });
  }

  #task(a: CaseTaskAlert, overdue: boolean) {
    this.#push({
      key: a.taskId,
      caseId: a.caseId,
      caseNumber: a.caseNumber,
      overdue,
      text: t(overdue ? 'cases.plan.taskOverdue' : 'cases.plan.taskDue', { date: a.dueDate }),
    });
  }
}
