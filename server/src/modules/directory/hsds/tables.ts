// The HSDS tables this directory keeps, field by field: the HSDS column, our column, its type,
// whether it is required and what it links to. The importer and the exporter both read this,
// so a field added here travels both ways.
export type FieldType = 'uuid' | 'text' | 'int' | 'number' | 'date' | 'datetime' | 'time' | 'phone' | 'kinds';

export interface FieldSpec {
  hsds: string;
  column: string;
  type: FieldType;
  required?: boolean;
  /** Allowed values (lower-cased compare). */
  values?: readonly string[];
  /** Links to a row of that table (in the file or already in the directory). */
  ref?: TableName;
  /** A missing target drops the whole row (it cannot exist without it) instead of the link. */
  refRequired?: boolean;
  min?: number;
  max?: number;
  /** Our own column, not in HSDS; exported after the standard ones. */
  extension?: boolean;
}

export const TABLE_NAMES = [
  'unit',
  'organization',
  'location',
  'service',
  'service_at_location',
  'address',
  'phone',
  'schedule',
  'service_area',
  'language',
  'service_capacity',
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** File names this table is known by (HSDS examples use both singular and plural). */
export const FILE_NAMES: Record<TableName, { export: string; aliases: string[] }> = {
  unit: { export: 'units.csv', aliases: ['unit', 'units'] },
  organization: { export: 'organizations.csv', aliases: ['organization', 'organizations'] },
  location: { export: 'locations.csv', aliases: ['location', 'locations'] },
  service: { export: 'services.csv', aliases: ['service', 'services'] },
  service_at_location: { export: 'service_at_location.csv', aliases: ['service_at_location', 'service_at_locations', 'services_at_location'] },
  address: { export: 'addresses.csv', aliases: ['address', 'addresses'] },
  phone: { export: 'phones.csv', aliases: ['phone', 'phones'] },
  schedule: { export: 'schedules.csv', aliases: ['schedule', 'schedules'] },
  service_area: { export: 'service_areas.csv', aliases: ['service_area', 'service_areas'] },
  language: { export: 'languages.csv', aliases: ['language', 'languages'] },
  service_capacity: { export: 'service_capacity.csv', aliases: ['service_capacity', 'service_capacities'] },
};

/** HSDS tables we read past without keeping (their rows are counted in the report). */
export const IGNORED_TABLES = [
  'accessibility',
  'attribute',
  'attributes',
  'contact',
  'contacts',
  'cost_option',
  'cost_options',
  'funding',
  'metadata',
  'meta_table_description',
  'meta_table_descriptions',
  'organization_identifier',
  'organization_identifiers',
  'program',
  'programs',
  'required_document',
  'required_documents',
  'taxonomy',
  'taxonomies',
  'taxonomy_term',
  'taxonomy_terms',
];

const t = (hsds: string, column: string, type: FieldType = 'text', more: Partial<FieldSpec> = {}): FieldSpec => ({ hsds, column, type, ...more });
const id = t('id', 'id', 'uuid', { required: true });

export const SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
export const URGENT_KINDS = ['food', 'clothing', 'accommodation', 'legal', 'psychological', 'other'] as const;
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export const TABLES: Record<TableName, FieldSpec[]> = {
  unit: [id, t('name', 'name', 'text', { required: true }), t('scheme', 'scheme'), t('identifier', 'identifier'), t('uri', 'uri')],
  organization: [
    id,
    t('name', 'name', 'text', { required: true }),
    t('alternate_name', 'alternateName'),
    t('description', 'description'),
    t('email', 'email'),
    t('website', 'website'),
    t('tax_status', 'taxStatus'),
    t('tax_id', 'taxId'),
    t('year_incorporated', 'yearIncorporated', 'int', { min: 1000, max: 3000 }),
    t('legal_status', 'legalStatus'),
    t('logo', 'logo'),
    t('uri', 'uri'),
    t('parent_organization_id', 'parentOrganizationId', 'uuid'),
  ],
  location: [
    id,
    t('location_type', 'locationType', 'text', { values: ['physical', 'postal', 'virtual'] }),
    t('url', 'url'),
    t('organization_id', 'organizationId', 'uuid', { ref: 'organization' }),
    t('name', 'name'),
    t('alternate_name', 'alternateName'),
    t('description', 'description'),
    t('transportation', 'transportation'),
    t('latitude', 'latitude', 'number', { min: -90, max: 90 }),
    t('longitude', 'longitude', 'number', { min: -180, max: 180 }),
    t('external_identifier', 'externalIdentifier'),
    t('external_identifier_type', 'externalIdentifierType'),
    t('district', 'district', 'text', { extension: true }),
  ],
  service: [
    id,
    t('organization_id', 'organizationId', 'uuid', { required: true, ref: 'organization', refRequired: true }),
    t('program_id', 'programId', 'uuid'),
    t('name', 'name', 'text', { required: true }),
    t('alternate_name', 'alternateName'),
    t('description', 'description'),
    t('url', 'url'),
    t('email', 'email'),
    t('status', 'status', 'text', { required: true, values: SERVICE_STATUSES }),
    t('interpretation_services', 'interpretationServices'),
    t('application_process', 'applicationProcess'),
    t('fees_description', 'feesDescription'),
    t('wait_time', 'waitTime'),
    t('fees', 'fees'),
    t('accreditations', 'accreditations'),
    t('eligibility_description', 'eligibilityDescription'),
    t('minimum_age', 'minimumAge', 'int', { min: 0, max: 150 }),
    t('maximum_age', 'maximumAge', 'int', { min: 0, max: 150 }),
    t('assured_date', 'assuredDate', 'date'),
    t('assurer_email', 'assurerEmail'),
    t('licenses', 'licenses'),
    t('alert', 'alert'),
    t('last_modified', 'lastModified', 'datetime'),
    t('urgent_kinds', 'urgentKinds', 'kinds', { extension: true }),
  ],
  service_at_location: [
    id,
    t('service_id', 'serviceId', 'uuid', { required: true, ref: 'service', refRequired: true }),
    t('location_id', 'locationId', 'uuid', { required: true, ref: 'location', refRequired: true }),
    t('description', 'description'),
  ],
  address: [
    id,
    t('location_id', 'locationId', 'uuid', { required: true, ref: 'location', refRequired: true }),
    t('attention', 'attention'),
    t('address_1', 'address1', 'text', { required: true }),
    t('address_2', 'address2'),
    t('city', 'city', 'text', { required: true }),
    t('region', 'region'),
    t('state_province', 'stateProvince', 'text', { required: true }),
    t('postal_code', 'postalCode', 'text', { required: true }),
    t('country', 'country', 'text', { required: true }),
    t('address_type', 'addressType', 'text', { required: true, values: ['physical', 'postal', 'virtual'] }),
  ],
  phone: [
    id,
    t('location_id', 'locationId', 'uuid', { ref: 'location' }),
    t('service_id', 'serviceId', 'uuid', { ref: 'service' }),
    t('organization_id', 'organizationId', 'uuid', { ref: 'organization' }),
    t('contact_id', 'contactId', 'uuid'),
    t('service_at_location_id', 'serviceAtLocationId', 'uuid'),
    t('number', 'number', 'phone', { required: true }),
    t('extension', 'extension'),
    t('type', 'type', 'text', { values: ['text', 'voice', 'fax', 'cell', 'video', 'pager', 'textphone'] }),
    t('description', 'description'),
  ],
  schedule: [
    id,
    t('service_id', 'serviceId', 'uuid', { ref: 'service' }),
    t('location_id', 'locationId', 'uuid', { ref: 'location' }),
    t('service_at_location_id', 'serviceAtLocationId', 'uuid'),
    t('valid_from', 'validFrom', 'date'),
    t('valid_to', 'validTo', 'date'),
    t('dtstart', 'dtstart', 'date'),
    t('timezone', 'timezone', 'number', { min: -12, max: 14 }),
    t('until', 'until', 'date'),
    t('count', 'count', 'int', { min: 0 }),
    t('wkst', 'wkst', 'text', { values: DAYS }),
    t('freq', 'freq', 'text', { values: ['WEEKLY', 'MONTHLY', 'DAILY'] }),
    t('interval', 'interval', 'int', { min: 1 }),
    t('byday', 'byday'),
    t('byweekno', 'byweekno'),
    t('bymonthday', 'bymonthday'),
    t('byyearday', 'byyearday'),
    t('description', 'description'),
    t('opens_at', 'opensAt', 'time'),
    t('closes_at', 'closesAt', 'time'),
    t('schedule_link', 'scheduleLink'),
    t('attending_type', 'attendingType'),
    t('notes', 'notes'),
  ],
  service_area: [
    id,
    t('service_id', 'serviceId', 'uuid', { required: true, ref: 'service', refRequired: true }),
    t('name', 'name'),
    t('description', 'description'),
    t('extent', 'extent'),
    t('extent_type', 'extentType'),
    t('uri', 'uri'),
  ],
  language: [
    id,
    t('service_id', 'serviceId', 'uuid', { ref: 'service' }),
    t('location_id', 'locationId', 'uuid', { ref: 'location' }),
    t('phone_id', 'phoneId', 'uuid'),
    t('name', 'name'),
    t('code', 'code'),
    t('note', 'note'),
  ],
  service_capacity: [
    id,
    t('service_id', 'serviceId', 'uuid', { required: true, ref: 'service', refRequired: true }),
    t('unit_id', 'unitId', 'uuid', { required: true, ref: 'unit', refRequired: true }),
    t('available', 'available', 'int', { required: true, min: 0 }),
    t('maximum', 'maximum', 'int', { min: 0 }),
    t('description', 'description'),
    t('updated', 'updated', 'datetime', { required: true }),
  ],
};

export const DAY_CODES = DAYS;
