/**
 * The one set of kysely migrations, run on SQLite and PostgreSQL alike. The only dialect
 * differences are the audit sequence column type and the trigger syntax that makes the audit
 * table append-only.
 */
import { sql } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

function initial(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('site_role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('projects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('date_policy', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('members')
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('members_pk', ['project_id', 'user_id'])
        .execute();
      await db.schema.createTable('subjects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('subjects_project_code', ['project_id', 'code'])
        .execute();
      await db.schema.createTable('consents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('given_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('blobs')
        .addColumn('sha256', 'text', (c) => c.primaryKey())
        .addColumn('size_bytes', 'bigint', (c) => c.notNull())
        .addColumn('refcount', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createTable('recordings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('subject_id', 'text', (c) => c.references('subjects.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('channel_count', 'integer', (c) => c.notNull())
        .addColumn('duration_seconds', 'double precision', (c) => c.notNull())
        .addColumn('start_time', 'text')
        .addColumn('size_bytes', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
        .addColumn('original_sha256', 'text', (c) => c.notNull())
        .addColumn('simulated', 'integer', (c) => c.notNull())
        .addColumn('header_json', 'text', (c) => c.notNull())
        .addColumn('deidentification_json', 'text', (c) => c.notNull())
        .addColumn('bad_channels_json', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('recordings_project').on('recordings').column('project_id').execute();
      await db.schema.createTable('annotations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('recording_id', 'text', (c) => c.notNull().references('recordings.id'))
        .addColumn('onset_seconds', 'double precision', (c) => c.notNull())
        .addColumn('duration_seconds', 'double precision', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('channels_json', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('annotations_recording').on('annotations').columns(['recording_id', 'onset_seconds']).execute();
      await db.schema.createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('recording_id', 'text')
        .addColumn('params_json', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('progress_json', 'text', (c) => c.notNull())
        .addColumn('result_json', 'text')
        .addColumn('error', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('worker', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('job_results')
        .addColumn('job_id', 'text', (c) => c.primaryKey())
        .addColumn('result_json', 'text', (c) => c.notNull())
        .addColumn('worker', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('audit')
        .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('project_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('audit_project').on('audit').columns(['project_id', 'seq']).execute();
      // The audit log is append-only: the database itself refuses UPDATE and DELETE.
      if (dialect === 'sqlite') {
        await sql`CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END`.execute(db);
        await sql`CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END`.execute(db);
      } else {
        await sql`CREATE OR REPLACE FUNCTION cajal_audit_append_only() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql`.execute(db);
        await sql`CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION cajal_audit_append_only()`.execute(db);
        await sql`CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION cajal_audit_append_only()`.execute(db);
      }
    },
  };
}

/**
 * Annotations gain their source (file, person or model, as JSON), a model's confidence and
 * the review (state, reviewer id, time): core's `AnnotationProvenance`. Existing rows get nulls.
 */
const annotationProvenance: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema.alterTable('annotations').addColumn('source_json', 'text').execute();
    await db.schema.alterTable('annotations').addColumn('confidence', 'double precision').execute();
    await db.schema.alterTable('annotations').addColumn('review_state', 'text').execute();
    await db.schema.alterTable('annotations').addColumn('reviewed_by', 'text').execute();
    await db.schema.alterTable('annotations').addColumn('reviewed_at', 'text').execute();
  },
};

/** The migrations, keyed by name in the order they apply. */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return { '0001_initial': initial(dialect), '0002_annotation_provenance': annotationProvenance };
    },
  };
}
