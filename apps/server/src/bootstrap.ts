/**
 * First start: create the first admin account (random password, returned once) and a demo
 * project holding SIMULATED recordings the project makes itself (`makeDemoEeg`, written as
 * EDF+ by `@cajal/formats` and imported through the normal upload path).
 */
import { makeDemoEeg } from '@cajal/core';
import { writeEdf } from '@cajal/formats';
import { hashPassword, randomPassword } from './auth/password.ts';
import type { ServerServices } from './http/context.ts';
import { importRecording } from './upload/import.ts';
import type { User } from './storage/storage.ts';

export interface BootstrapResult {
  /** Only on the very first start. */
  admin?: { email: string; password: string };
  demoProjectId?: string;
}

/** Bytes as a one-chunk stream (how the demo files enter the upload path). */
export function bytesStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** Create the admin and the demo project when the database has no users yet. */
export async function bootstrap(services: ServerServices, options: { demo: boolean }): Promise<BootstrapResult> {
  const { storage } = services;
  if ((await storage.countUsers()) > 0) return {};
  const email = 'admin@cajal.local';
  const password = randomPassword();
  const admin = await storage.createUser({ email, name: 'Administrator', passwordHash: await hashPassword(password), siteRole: 'admin' });
  await storage.appendAudit({ userId: admin.id, projectId: null, action: 'user.create', target: `user:${admin.id}`, outcome: 'allowed', detail: 'first administrator, created on first start' });
  const result: BootstrapResult = { admin: { email, password } };
  if (options.demo) result.demoProjectId = await makeDemoProject(services, admin);
  return result;
}

/** The demo project: one subject with consent, two SIMULATED recordings. */
export async function makeDemoProject(services: ServerServices, admin: User): Promise<string> {
  const { storage } = services;
  const project = await storage.createProject({ name: 'Demo (SIMULATED EEG)', datePolicy: 'year', createdBy: admin.id });
  await storage.setMember(project.id, admin.id, 'clinician');
  const subject = await storage.createSubject(project.id, 'SIMULATED-01');
  await storage.addConsent({ subjectId: subject.id, scope: 'demonstration (simulated data, no person)', givenAt: new Date().toISOString().slice(0, 10), expiresAt: null, recordedBy: admin.id });
  const withConsent = (await storage.getSubject(subject.id)) ?? subject;
  for (const demo of [{ seed: 1, durationSeconds: 600 }, { seed: 2, durationSeconds: 120 }]) {
    const { bytes } = writeEdf(makeDemoEeg(demo));
    await importRecording(services, { project, subject: withConsent, fileName: `simulated-demo-${demo.seed}.edf`, body: bytesStream(bytes), user: admin, simulated: true });
  }
  await storage.appendAudit({ userId: admin.id, projectId: project.id, action: 'project.create', target: `project:${project.id}`, outcome: 'allowed', detail: 'demo project with SIMULATED recordings' });
  return project.id;
}
