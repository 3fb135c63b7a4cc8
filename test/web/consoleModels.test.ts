// The console's copy of the control API's shapes (web/console/models.ts) must not drift from the app's own types:
// the page's types cannot import the server modules (they are Node code), so these checks pin the two together at
// typecheck time (`npm run typecheck` fails on drift) and at run time for the status list.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ARCHIVE_STATUSES as APP_ARCHIVE_STATUSES, type ArchiveStatus, type ChunkFailure } from '../../src/calls/archiveStateModels.js';
import type { ArchivedBlobView, ChunkView } from '../../src/calls/archiveView.js';
import type { RecordingList } from '../../src/calls/listRecordings.js';
import type { RecordingSummary } from '../../src/calls/recordingSummary.js';
import type { RecordingView } from '../../src/calls/recordingView.js';
import * as web from '../../web/console/models.js';

describe("the console's API models", () => {
  it('accept every answer the API can give', () => {
    expectTypeOf<ArchiveStatus>().toEqualTypeOf<web.ArchiveStatus>();
    expectTypeOf<ChunkFailure>().toExtend<web.ChunkFailure>();
    expectTypeOf<ArchivedBlobView>().toExtend<web.ArchivedBlob>();
    expectTypeOf<ChunkView>().toExtend<web.Chunk>();
    expectTypeOf<RecordingSummary>().toExtend<web.RecordingSummary>();
    expectTypeOf<RecordingList>().toExtend<web.RecordingList>();
    expectTypeOf<RecordingView>().toExtend<web.RecordingView>();
  });

  it('know every archive status, in the same order', () => {
    expect(web.ARCHIVE_STATUSES).toEqual([...APP_ARCHIVE_STATUSES]);
  });
});
