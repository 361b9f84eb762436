// Every action the server records has a label in English and Russian, so the audit viewer and
// its CSV never show a person a bare code. The type of `audit.record` already refuses a code
// missing from AUDIT_ACTION_LABELS; this reads the source as well, so a cast or a code built at
// run time cannot slip past, and checks no label is blank or left in the other language.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_ACTION_GROUPS,
  AUDIT_ACTION_LABELS,
  AUDIT_ACTIONS,
  AUDIT_ENTITY_LABELS,
  auditActorText,
  auditDetailText,
  auditActionGroup,
} from '../../shared/src/audit-actions.js';

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? (f === 'generated' ? [] : files(p)) : p.endsWith('.ts') ? [p] : [];
  });

/** The action codes and record kinds written by `audit.record(` calls in the server's source. */
function recorded() {
  const actions = new Set<string>();
  const templates = new Set<string>();
  const entities = new Set<string>();
  for (const file of files('server/src')) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/audit\.record\(/g)) {
      const call = src.slice(m.index, m.index + 600);
      // The action comes before the target object; it is the only dotted lower-case literal there.
      const head = call.slice(0, call.search(/entity\s*:|\.\.\.entityOf|\{\s*\}|\n\s*\)/) >>> 0 || 300);
      for (const s of head.matchAll(/'([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+)'/g)) actions.add(s[1]!);
      for (const s of head.matchAll(/`([a-z][a-z0-9.-]*)\$\{/g)) templates.add(s[1]!);
      for (const s of call.slice(0, 400).matchAll(/entity:\s*'([A-Za-z]+)'/g)) entities.add(s[1]!);
    }
    for (const s of src.matchAll(/entity:\s*'([A-Za-z]+)',\s*entityId/g)) if (/audit/.test(src)) entities.add(s[1]!);
  }
  return { actions, templates, entities };
}

describe('audit labels', () => {
  const { actions, templates, entities } = recorded();

  it('finds the codes in the source (the scan itself works)', () => {
    expect(actions.size).toBeGreaterThan(60);
    expect(actions).toContain('auth.login');
    expect(actions).toContain('case.close');
    expect(templates).toContain('telephony.call.');
  });

  it('has an English and a Russian label for every action code the server records', () => {
    const missing = [...actions].filter((a) => !(a in AUDIT_ACTION_LABELS));
    expect(missing, 'codes recorded without a label in shared/src/audit-actions.ts').toEqual([]);
    for (const prefix of templates)
      expect(
        AUDIT_ACTIONS.some((a) => a.startsWith(prefix)),
        prefix,
      ).toBe(true);
  });

  it('gives every label text in both languages: not blank, not the code, Russian in Cyrillic', () => {
    for (const [code, l] of Object.entries(AUDIT_ACTION_LABELS)) {
      expect(l.en.trim(), code).not.toBe('');
      expect(l.en, code).not.toBe(code);
      expect(l.ru, code).toMatch(/[а-яё]/i);
      expect(l.ru, code).not.toBe(l.en);
    }
  });

  it('puts every action in a labelled group of the action filter', () => {
    for (const code of AUDIT_ACTIONS) expect(AUDIT_ACTION_GROUPS, code).toHaveProperty(auditActionGroup(code));
  });

  it('has a label in both languages for every kind of record an entry names', () => {
    const missing = [...entities].filter((e) => !(e in AUDIT_ENTITY_LABELS));
    expect(missing).toEqual([]);
    for (const [kind, l] of Object.entries(AUDIT_ENTITY_LABELS)) {
      expect(l.en.trim(), kind).not.toBe('');
      expect(l.ru, kind).toMatch(/[а-яё]/i);
    }
  });

  it('reads details as key/value text with ids replaced by their references, never JSON', () => {
    const id = '0b3f2c1e-8a6d-4c1b-9f0e-2d7a5b4c3e21';
    const text = auditDetailText({ fields: ['roles', 'active'], operatorId: id, consent: true, filter: { stage: 'plan' } }, 'ru', {
      [id]: { entity: 'User', text: 'Анна (anna)' },
    });
    expect(text).toBe('изменённые поля: roles, active; оператор: Анна (anna); согласие: да; фильтр: (stage: plan)');
    expect(auditDetailText({ contactId: id }, 'en', { [id]: { entity: 'Contact', text: '0b3f2c1e' } })).toBe('contact: Contact 0b3f2c1e');
    expect(auditDetailText({ reason: 'shown in its own column' }, 'en')).toBe('');
  });

  it('names the actor: a person, the system, or who tried to sign in', () => {
    expect(auditActorText({ actor: { displayName: 'Anna K', username: 'anna' }, actorLabel: 'anna' }, 'en')).toBe('Anna K (anna)');
    expect(auditActorText({ actor: null, actorLabel: 'system:cli' }, 'en')).toBe('System: cli');
    expect(auditActorText({ actor: null, actorLabel: 'system:cli' }, 'ru')).toBe('Система: cli');
    expect(auditActorText({ actor: null, actorLabel: 'nobody' }, 'en')).toBe('nobody (not signed in)');
  });
});
