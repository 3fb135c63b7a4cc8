// The control API's answers, as far as the console reads them (src/calls/recordingSummary.ts, recordingView.ts,
// archiveView.ts are the source of truth).
export type ArchiveStatus = 'notStarted' | 'archiving' | 'waitingToRetry' | 'archived' | 'partial' | 'failed';

export interface RecordingSummary {
  id: string;
  recordingId: string;
  serverCallId?: string;
  callId?: string;
  startedAt: string;
  recordingState: string | null;
  archive: { status: ArchiveStatus; chunksTotal: number; chunksArchived: number; chunksFailed: number; totalBytes: number };
}

export interface RecordingList {
  items: RecordingSummary[];
  continuationToken?: string;
}

export interface ArchivedBlob {
  blobName: string;
  size: number;
  contentMD5: string;
}

export interface ChunkFailure {
  step: string;
  permanent: boolean;
  statusCode?: number;
  code: string;
  message: string;
}

export interface Chunk {
  index: number;
  documentId: string;
  status: string;
  media?: ArchivedBlob;
  metadata?: ArchivedBlob;
  archivedAt?: string;
  sourceDeletedAt?: string;
  failures?: ChunkFailure[];
}

export interface RecordingView {
  id: string;
  recordingId: string;
  recordingState: string | null;
  recordingKind?: string;
  serverCallId?: string;
  callConnectionId?: string;
  correlationId?: string;
  content?: string;
  channel?: string;
  format?: string;
  pauseOnStart?: boolean;
  archive: {
    status: ArchiveStatus;
    instanceId?: string;
    updatedAt?: string;
    deadline?: string;
    nextAttemptAt?: string;
    manifestBlobName?: string;
    chunks: Chunk[];
  };
}

export interface DownloadLink {
  url: string;
  expiresOn: string;
}

export const ARCHIVE_STATUSES: ArchiveStatus[] = ['notStarted', 'archiving', 'waitingToRetry', 'archived', 'partial', 'failed'];
export const IN_PROGRESS: ArchiveStatus[] = ['archiving', 'waitingToRetry'];
