/**
 * The one access check every route calls. It resolves what the request touches (project,
 * recording, annotation or job) to its project, checks the signed-in user's role there (site
 * admins may do everything), and writes the audit log: every denied attempt, and every allowed
 * read, export, change or delete (with its outcome: allowed, or failed when the request was let
 * in but then refused). Non-members get 403; unknown ids get 404.
 */
import type { Context } from 'hono';
import { CajalError } from '@cajal/core';
import type { AnnotationRow, JobRow, ProjectRole, RecordingRow, User } from '../storage/storage.ts';
import type { AppEnv } from './context.ts';

export type AccessTarget = { projectId: string } | { recordingId: string } | { annotationId: string } | { jobId: string };

export interface AccessNeed {
  /** Audit action name, e.g. "recording.read", "annotation.update". */
  action: string;
  /** Project roles allowed (default: any member). Site admins are always allowed. */
  roles?: readonly ProjectRole[];
  /** Audit an allowed access at most once per user and target every 10 minutes (page reads). */
  auditOncePerWindow?: boolean;
}

export interface Granted {
  user: User;
  projectId: string;
  role: ProjectRole | 'admin';
  recording?: RecordingRow;
  annotation?: AnnotationRow;
  job?: JobRow;
}

export const allRoles: readonly ProjectRole[] = ['clinician', 'researcher', 'participant'];
/** Roles that may change data (participants only read what they are shown). */
export const staffRoles: readonly ProjectRole[] = ['clinician', 'researcher'];

const recentReads = new Map<string, number>();
const readWindowMs = 10 * 60 * 1000;

/** The signed-in user, or 401 (and an audit entry for the attempt). */
export async function requireUser(c: Context<AppEnv>, action: string): Promise<User> {
  const user = c.get('user');
  if (user) return user;
  await c.get('services').storage.appendAudit({ userId: null, projectId: null, action, target: `${c.req.method} ${c.req.path}`, outcome: 'denied', detail: 'no valid session' });
  throw new CajalError('UNAUTHENTICATED', 'sign in first: no valid session cookie');
}

/** Require a site administrator. */
export async function requireAdmin(c: Context<AppEnv>, action: string): Promise<User> {
  const user = await requireUser(c, action);
  if (user.siteRole === 'admin') return user;
  await c.get('services').storage.appendAudit({ userId: user.id, projectId: null, action, target: c.req.path, outcome: 'denied', detail: 'not a site administrator' });
  throw new CajalError('FORBIDDEN', `${action} needs a site administrator`);
}

/**
 * Check that the signed-in user may do `need.action` on `target`; returns the resolved rows.
 *
 * @example
 *   const { recording } = await authorize(c, { recordingId: id }, { action: 'recording.read' });
 */
export async function authorize(c: Context<AppEnv>, target: AccessTarget, need: AccessNeed): Promise<Granted> {
  const user = await requireUser(c, need.action);
  const { storage } = c.get('services');
  const resolved: Omit<Granted, 'user' | 'role'> = { projectId: '' };
  let targetName: string;
  if ('projectId' in target) {
    targetName = `project:${target.projectId}`;
    if (!(await storage.getProject(target.projectId))) throw new CajalError('NOT_FOUND', `no project with id "${target.projectId}"`, { field: 'projectId' });
    resolved.projectId = target.projectId;
  } else if ('recordingId' in target) {
    targetName = `recording:${target.recordingId}`;
    const recording = await storage.getRecording(target.recordingId);
    if (!recording) throw new CajalError('NOT_FOUND', `no recording with id "${target.recordingId}"`, { field: 'recordingId' });
    resolved.recording = recording;
    resolved.projectId = recording.projectId;
  } else if ('annotationId' in target) {
    targetName = `annotation:${target.annotationId}`;
    const annotation = await storage.getAnnotation(target.annotationId);
    const recording = annotation && (await storage.getRecording(annotation.recordingId));
    if (!annotation || !recording) throw new CajalError('NOT_FOUND', `no annotation with id "${target.annotationId}"`, { field: 'annotationId' });
    resolved.annotation = annotation;
    resolved.recording = recording;
    resolved.projectId = recording.projectId;
  } else {
    targetName = `job:${target.jobId}`;
    const job = await storage.getJob(target.jobId);
    if (!job) throw new CajalError('NOT_FOUND', `no job with id "${target.jobId}"`, { field: 'jobId' });
    resolved.job = job;
    resolved.projectId = job.projectId;
  }
  const memberRole = await storage.getMemberRole(resolved.projectId, user.id);
  const allowedRoles = need.roles ?? allRoles;
  const allowed = user.siteRole === 'admin' || (memberRole !== undefined && allowedRoles.includes(memberRole));
  if (!allowed) {
    const why = memberRole === undefined ? 'not a member of the project' : `role "${memberRole}" may not ${need.action}`;
    await storage.appendAudit({ userId: user.id, projectId: resolved.projectId, action: need.action, target: targetName, outcome: 'denied', detail: why });
    throw new CajalError('FORBIDDEN', `forbidden: ${why} (${need.action} on ${targetName})`);
  }
  if (shouldAudit(user.id, need, targetName)) {
    // Written when the response is known (app.ts): "allowed" when it succeeded, "failed" with
    // the error message when the request was let in but then refused (bad file, bad value).
    c.set('pendingAudit', { userId: user.id, projectId: resolved.projectId, action: need.action, target: targetName });
  }
  return { ...resolved, user, role: memberRole ?? 'admin' };
}

/** Forget a throttled read that then failed, so the next successful one is audited. */
export function forgetRecentRead(userId: string, action: string, target: string): void {
  recentReads.delete(`${userId} ${action} ${target}`);
}

function shouldAudit(userId: string, need: AccessNeed, targetName: string): boolean {
  if (!need.auditOncePerWindow) return true;
  const key = `${userId} ${need.action} ${targetName}`;
  const at = Date.now();
  const last = recentReads.get(key);
  if (last !== undefined && at - last < readWindowMs) return false;
  if (recentReads.size > 10000) recentReads.clear();
  recentReads.set(key, at);
  return true;
}
