/**
 * Typed client of the workbench HTTP API (apps/server/API.md), its types derived from the
 * server's zod schemas (`@cajal/server/api-types`, types only). Same-origin fetches with the
 * HTTP-only session cookie; a 4xx/5xx becomes an ApiError carrying the server's stable code
 * and its message.
 *
 * @example
 *   await api.login('admin@example.org', 'secret');
 *   const { projects } = await api.projects();
 */
import type {
  Annotation, AnnotationInput, AuditEntry, HeaderChannel, Job, JobParams, Member, Project, RecordingDetail, RecordingSummary, Spectrogram, Subject, User,
} from '@cajal/server/api-types';
import { decodeSignalPage, type SignalPage } from '@cajal/formats';

/** An error answer of the API: HTTP status, stable code and the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type {
  User, Project, Consent, Subject, Member, RecordingSummary, HeaderChannel, RecordingDetail, Annotation, Job, JobProgress, JobResults, Spectrogram, AuditEntry,
} from '@cajal/server/api-types';

async function errorOf(response: Response): Promise<ApiError> {
  let code = `HTTP_${response.status}`;
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, code, message);
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', signal };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

const id = encodeURIComponent;

/** The API calls the web app makes. */
export const api = {
  login: (email: string, password: string) => request<{ user: User }>('POST', '/api/auth/login', { email, password }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: () => request<{ user: User }>('GET', '/api/me'),
  projects: () => request<{ projects: Project[] }>('GET', '/api/projects'),
  createProject: (name: string, datePolicy: string) => request<{ project: Project }>('POST', '/api/projects', { name, datePolicy }),
  subjects: (projectId: string) => request<{ subjects: Subject[] }>('GET', `/api/projects/${id(projectId)}/subjects`),
  createSubject: (projectId: string, code: string, consent?: { scope: string; givenAt: string; expiresAt?: string }) =>
    request<{ subject: Subject }>('POST', `/api/projects/${id(projectId)}/subjects`, consent ? { code, consent } : { code }),
  members: (projectId: string) => request<{ members: Member[] }>('GET', `/api/projects/${id(projectId)}/members`),
  addMember: (projectId: string, email: string, role: string) => request<{ member: Member }>('POST', `/api/projects/${id(projectId)}/members`, { email, role }),
  recordings: (projectId: string) => request<{ recordings: RecordingSummary[] }>('GET', `/api/projects/${id(projectId)}/recordings`),
  recording: (recordingId: string) => request<RecordingDetail>('GET', `/api/recordings/${id(recordingId)}`),
  deleteRecording: (recordingId: string) => request<void>('DELETE', `/api/recordings/${id(recordingId)}`),
  spectrogram: (recordingId: string) => request<Spectrogram>('GET', `/api/recordings/${id(recordingId)}/spectrogram`),
  setBadChannels: (recordingId: string, bad: string[]) => request<{ channels: HeaderChannel[] }>('PATCH', `/api/recordings/${id(recordingId)}/channels`, { bad }),
  annotations: (recordingId: string) => request<{ annotations: Annotation[] }>('GET', `/api/recordings/${id(recordingId)}/annotations`),
  createAnnotation: (recordingId: string, a: AnnotationInput) =>
    request<{ annotation: Annotation }>('POST', `/api/recordings/${id(recordingId)}/annotations`, a),
  updateAnnotation: (annotationId: string, a: Partial<AnnotationInput>) =>
    request<{ annotation: Annotation }>('PATCH', `/api/annotations/${id(annotationId)}`, a),
  deleteAnnotation: (annotationId: string) => request<void>('DELETE', `/api/annotations/${id(annotationId)}`),
  createJob: <K extends keyof JobParams>(kind: K, recordingId: string | undefined, params: JobParams[K]) =>
    request<{ job: Job }>('POST', '/api/jobs', { kind, recordingId, params }),
  job: (jobId: string) => request<{ job: Job }>('GET', `/api/jobs/${id(jobId)}`),
  /** Jobs newest first: of every project the user belongs to (all of them for an admin). */
  jobs: async (): Promise<Job[]> => (await request<{ jobs: Job[] }>('GET', '/api/jobs')).jobs,
  cancelJob: (jobId: string) => request<{ job: Job }>('POST', `/api/jobs/${id(jobId)}/cancel`),
  audit: (projectId: string) => request<{ entries: AuditEntry[] }>('GET', `/api/projects/${id(projectId)}/audit`),

  /** One binary page of signal: [startSeconds, startSeconds + durationSeconds), all channels unless listed. */
  async signalPage(recordingId: string, startSeconds: number, durationSeconds: number, channels?: string[], signal?: AbortSignal): Promise<SignalPage> {
    const query = new URLSearchParams({ start: String(startSeconds), duration: String(durationSeconds) });
    if (channels && channels.length > 0) query.set('channels', channels.join(','));
    const response = await fetch(`/api/recordings/${id(recordingId)}/signal?${query}`, { credentials: 'same-origin', signal });
    if (!response.ok) throw await errorOf(response);
    return decodeSignalPage(await response.arrayBuffer());
  },
};

/** Upload progress in bytes. */
export type UploadProgress = (sentBytes: number, totalBytes: number) => void;

/**
 * Stream `file` to the upload endpoint as the raw request body (application/octet-stream),
 * reporting progress from XHR upload events (fetch has no upload progress). Rejects with the
 * server's ApiError (its clear message) on a 4xx/5xx.
 */
export function uploadRecording(projectId: string, subjectId: string | undefined, file: Blob & { name?: string }, onProgress: UploadProgress): { done: Promise<{ recording: RecordingSummary; deidentification?: unknown }>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const query = new URLSearchParams({ fileName: file.name ?? 'upload' });
  if (subjectId) query.set('subjectId', subjectId);
  const done = new Promise<{ recording: RecordingSummary; deidentification?: unknown }>((resolve, reject) => {
    xhr.open('POST', `/api/projects/${id(projectId)}/recordings?${query}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      let body: { error?: { code?: string; message?: string } } & Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // not JSON
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as unknown as { recording: RecordingSummary });
      else reject(new ApiError(xhr.status, body.error?.code ?? `HTTP_${xhr.status}`, body.error?.message ?? `upload failed with HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'the upload failed: the connection to the server was lost'));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', 'the upload was cancelled'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
