// The provider directory: HSDS import (validate everything, then one transaction) and export,
// and the coordinators' edits. Directory rows describe organisations, not people, so reads are
// not audited; every change is.
import { randomUUID } from 'node:crypto';
import type { ImportReport, OrganizationView, ScheduleInput, UpdateCapacityBody, UpsertOrganizationBody, UpsertServiceBody } from '@trustline/shared';
import type { Transactor } from '../../db/tx.js';
import { DomainError, invalid, notFound } from '../../errors.js';
import { maskPhone } from '../../crypto/phone.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { DirectoryRepository, PhoneSealer } from './directory.repository.js';
import { exportJson, exportZip, type ExportRows } from './hsds/export.js';
import { readDatapackageObject, readFiles, readZipPackage, PackageError } from './hsds/read.js';
import type { RawPackage } from './hsds/types.js';
import { TABLE_NAMES, type TableName } from './hsds/tables.js';
import { validatePackage } from './hsds/validate.js';

export type ImportSource =
  { kind: 'zip'; data: Buffer } | { kind: 'files'; files: Map<string, string> } | { kind: 'datapackage'; descriptor: Record<string, unknown> };

const iso = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

export function directoryService(deps: { repo: DirectoryRepository; audit: AuditService; transaction: Transactor; phones: PhoneSealer }) {
  const { repo, audit, transaction, phones } = deps;

  function read(source: ImportSource): RawPackage {
    try {
      if (source.kind === 'zip') return readZipPackage(source.data);
      if (source.kind === 'files') return readFiles(source.files);
      return readDatapackageObject(source.descriptor);
    } catch (err) {
      if (err instanceof PackageError) throw new DomainError('HSDS_UNREADABLE', err.message, 400);
      throw err;
    }
  }

  async function existing(pkg: RawPackage) {
    // Links may point at rows already in the directory: look up every id the file links to.
    const wanted = new Map<TableName, Set<string>>();
    for (const raw of Object.values(pkg.tables)) {
      for (const r of raw.rows) {
        for (const [col, v] of Object.entries(r.values)) {
          const m = /^(.*)_id$/.exec(col);
          if (!m || !v) continue;
          const table = m[1] as TableName;
          if (!TABLE_NAMES.includes(table)) continue;
          if (!wanted.has(table)) wanted.set(table, new Set());
          wanted.get(table)!.add(v.trim().toLowerCase());
        }
      }
    }
    const out: Partial<Record<TableName, Set<string>>> = {};
    const uuid = /^[0-9a-f-]{36}$/;
    for (const [table, ids] of wanted)
      out[table] = await repo.existingIds(
        table,
        [...ids].filter((i) => uuid.test(i)),
      );
    return out;
  }

  return {
    async importPackage(source: ImportSource, opts: { dryRun: boolean }, actor: Actor): Promise<ImportReport> {
      const pkg = read(source);
      if (!Object.keys(pkg.tables).length && !pkg.problems.some((p) => p.severity === 'error')) {
        pkg.problems.push({
          severity: 'error',
          table: 'package',
          file: null,
          row: null,
          field: null,
          problem: 'no HSDS table this directory keeps was found (organizations, services, …)',
        });
      }
      const checked = validatePackage(pkg, await existing(pkg));
      const report: ImportReport = {
        imported: false,
        dryRun: opts.dryRun,
        counts: Object.fromEntries(TABLE_NAMES.map((t) => [t, checked.tables[t].length])),
        errors: checked.problems.filter((p) => p.severity === 'error').slice(0, 500),
        warnings: checked.problems.filter((p) => p.severity === 'warning').slice(0, 500),
        ignored: pkg.ignored,
      };
      if (!checked.ok || opts.dryRun) return report;
      for (const row of checked.tables.phone) {
        const number = row.number as string;
        delete row.number;
        Object.assign(row, { numberEnc: phones.encrypt(number), numberHash: phones.hash(number), numberMasked: maskPhone(number) });
      }
      await transaction(async (tx) => {
        await repo.writeTables(checked.tables, TABLE_NAMES, tx);
        await audit.record(actor, 'directory.import', { entity: 'Directory', detail: { counts: report.counts, warnings: report.warnings.length } }, tx);
      });
      return { ...report, imported: true };
    },

    async exportRows(): Promise<ExportRows> {
      const rows = {} as ExportRows;
      for (const t of TABLE_NAMES) rows[t] = await repo.readTable(t);
      rows.phone = rows.phone.map((p) => ({ ...p, number: phones.decrypt(p.numberEnc as string) }));
      return rows;
    },
    async exportPackage(format: 'zip' | 'json', actor: Actor) {
      const rows = await this.exportRows();
      await audit.record(actor, 'directory.export', { entity: 'Directory', detail: { format } });
      return format === 'zip' ? exportZip(rows) : exportJson(rows);
    },

    async list(): Promise<OrganizationView[]> {
      const orgs = await repo.listOrganizations();
      return orgs.map((o) => ({
        id: o.id,
        name: o.name,
        description: o.description,
        isExample: o.isExample,
        districts: [...new Set(o.locations.map((l) => l.district).filter((d): d is string => !!d))],
        services: o.services.map((s) => ({
          id: s.id,
          organizationId: s.organizationId,
          name: s.name,
          description: s.description,
          status: s.status,
          urgentKinds: s.urgentKinds,
          eligibilityDescription: s.eligibilityDescription,
          minimumAge: s.minimumAge,
          maximumAge: s.maximumAge,
          areas: s.areas.map((a) => a.name ?? '').filter(Boolean),
          schedules: s.schedules.map((x) => ({
            byday: x.byday,
            opensAt: x.opensAt,
            closesAt: x.closesAt,
            validFrom: iso(x.validFrom),
            validTo: iso(x.validTo),
            description: x.description,
          })),
          phones: s.phones.map((p) => ({ id: p.id, masked: p.numberMasked, type: p.type })),
          languages: s.languages.map((l) => l.name ?? l.code ?? '').filter(Boolean),
          capacities: s.capacities.map((c) => ({
            id: c.id,
            unitId: c.unitId,
            unit: c.unit.name,
            available: c.available,
            maximum: c.maximum,
            updated: c.updated.toISOString(),
          })),
          isExample: s.isExample,
        })),
      }));
    },

    async upsertOrganization(body: UpsertOrganizationBody, actor: Actor) {
      const id = body.id ?? randomUUID();
      return transaction(async (tx) => {
        const org = await repo.upsertOrganization({ ...body, id }, tx);
        await audit.record(actor, 'directory.organization.save', { entity: 'DirOrganization', entityId: id }, tx);
        return { id: org.id };
      });
    },

    async upsertService(body: UpsertServiceBody, actor: Actor) {
      if (body.minimumAge != null && body.maximumAge != null && body.minimumAge > body.maximumAge) {
        throw invalid('minimumAge', 'is above maximumAge');
      }
      const id = body.id ?? randomUUID();
      const { areas, schedules, smsPhones, ...fields } = body;
      return transaction(async (tx) => {
        await repo.upsertService({ ...fields, id }, tx);
        await repo.replaceServiceParts(
          id,
          {
            areas: areas?.map((name) => ({ id: randomUUID(), name })),
            schedules: schedules?.map(scheduleRow),
            phones: smsPhones?.map((n) => ({
              id: randomUUID(),
              numberEnc: phones.encrypt(n),
              numberHash: phones.hash(n),
              numberMasked: maskPhone(n),
              type: 'text',
              description: null,
            })),
          },
          tx,
        );
        await audit.record(actor, 'directory.service.save', { entity: 'DirService', entityId: id, detail: { fields: Object.keys(body) } }, tx);
        return { id };
      });
    },

    async deleteService(id: string, actor: Actor) {
      await transaction(async (tx) => {
        if (!(await repo.findService(id, tx))) throw notFound('service');
        await repo.deleteService(id, tx);
        await audit.record(actor, 'directory.service.delete', { entity: 'DirService', entityId: id }, tx);
      });
    },

    /** A provider or coordinator confirms what is free now; `updated` becomes now. */
    async updateCapacity(serviceId: string, body: UpdateCapacityBody, actor: Actor) {
      if (body.maximum != null && body.available > body.maximum) {
        throw invalid('available', 'is above maximum');
      }
      return transaction(async (tx) => {
        if (!(await repo.findService(serviceId, tx))) throw notFound('service');
        const cap = await repo.upsertCapacity(
          { id: body.id ?? randomUUID(), serviceId, unitId: body.unitId, available: body.available, maximum: body.maximum, description: body.description },
          tx,
        );
        await audit.record(
          actor,
          'directory.capacity.update',
          { entity: 'DirServiceCapacity', entityId: cap.id, detail: { available: body.available, maximum: body.maximum } },
          tx,
        );
        return { id: cap.id, updated: cap.updated.toISOString() };
      });
    },

    async units() {
      return (await repo.listUnits()).map((u) => ({ id: u.id, name: u.name }));
    },
  };
}
export type DirectoryService = ReturnType<typeof directoryService>;

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
export function scheduleRow(s: ScheduleInput) {
  const date = s.date ? new Date(`${s.date}T00:00:00Z`) : null;
  return {
    id: randomUUID(),
    freq: date ? null : 'WEEKLY',
    byday: date ? null : (s.days.length ? s.days : DAYS).join(','),
    opensAt: s.opensAt ? (s.opensAt.length === 5 ? `${s.opensAt}:00` : s.opensAt) : null,
    closesAt: s.closesAt ? (s.closesAt.length === 5 ? `${s.closesAt}:00` : s.closesAt) : null,
    validFrom: date,
    validTo: date,
    description: s.description,
  };
}
