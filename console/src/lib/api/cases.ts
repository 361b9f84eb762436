import {
  CalendarDayView,
  CaseGlimpse,
  CaseListItem,
  CaseResults,
  CaseView,
  TimelineEntry,
  type CaseListQuery,
  type CreateCaseBody,
  type TransitionBody,
} from '@trustline/shared';
import { z } from 'zod';
import { request } from './client';

const id = (s: string) => encodeURIComponent(s);
type ListQuery = Partial<Omit<CaseListQuery, 'overdue' | 'open'>> & { overdue?: boolean };

export const casesApi = {
  list: (query: ListQuery) => request('GET', '/api/cases', { query, schema: z.array(CaseListItem) }),
  mine: () => request('GET', '/api/cases/mine', { schema: z.array(CaseListItem) }),
  get: (caseId: string) => request('GET', `/api/cases/${id(caseId)}`, { schema: CaseView }),
  timeline: (caseId: string) => request('GET', `/api/cases/${id(caseId)}/timeline`, { schema: z.array(TimelineEntry) }),
  create: (body: CreateCaseBody) => request('POST', '/api/cases', { body, schema: CaseView }),
  glimpse: (contactId: string) => request('GET', '/api/cases/glimpse', { query: { contactId }, schema: z.array(CaseGlimpse) }),
  linkContact: (caseId: string, contactId: string) => request('POST', `/api/cases/${id(caseId)}/contacts`, { body: { contactId }, schema: CaseGlimpse }),
  assign: (caseId: string, curatorId: string) => request('POST', `/api/cases/${id(caseId)}/curator`, { body: { curatorId }, schema: CaseView }),
  transition: (caseId: string, body: TransitionBody) => request('POST', `/api/cases/${id(caseId)}/transition`, { body, schema: CaseView }),
  application: (caseId: string, applicationDate: string) =>
    request('POST', `/api/cases/${id(caseId)}/application`, { body: { applicationDate }, schema: CaseView }),
  deadlineMet: (caseId: string, deadlineId: string, metOn: string) =>
    request('POST', `/api/cases/${id(caseId)}/deadlines/${id(deadlineId)}/met`, { body: { metOn }, schema: CaseView }),
  addGoal: (caseId: string, part: string, text: string) => request('POST', `/api/cases/${id(caseId)}/goals`, { body: { part, text }, schema: CaseView }),
  removeGoal: (caseId: string, goalId: string) => request('DELETE', `/api/cases/${id(caseId)}/goals/${id(goalId)}`, { schema: CaseView }),
  addTask: (caseId: string, body: { goalId: string; text: string; ownerId?: string | null; dueDate?: string | null }) =>
    request('POST', `/api/cases/${id(caseId)}/tasks`, { body, schema: CaseView }),
  updateTask: (caseId: string, taskId: string, body: { done?: boolean }) =>
    request('PATCH', `/api/cases/${id(caseId)}/tasks/${id(taskId)}`, { body, schema: CaseView }),
  addNote: (caseId: string, kind: 'monitoring' | 'note', text: string) => request('POST', `/api/cases/${id(caseId)}/notes`, { body: { kind, text } }),
  results: (from: string, to: string) => request('GET', '/api/cases/results', { query: { from, to }, schema: CaseResults }),
  resultsCsvUrl: (from: string, to: string) => `/api/cases/results.csv?from=${id(from)}&to=${id(to)}`,
  calendarYear: (year: number) => request('GET', `/api/calendar/${year}`, { schema: z.array(CalendarDayView) }),
  setCalendarDay: (body: CalendarDayView) => request('PUT', '/api/calendar/days', { body, schema: CalendarDayView }),
  removeCalendarDay: (date: string) => request('DELETE', `/api/calendar/days/${id(date)}`),
};
