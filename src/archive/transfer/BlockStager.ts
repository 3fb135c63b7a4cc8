// Stages blocks with at most `maxInFlight` uploads at once. Each block carries its own MD5 (transactionalContentMD5),
// so Azure rejects a block damaged on the way instead of storing it. A failed upload is reported once, to `onFailure`
// (the transfer's one failure channel); after it no further block is started.
import type { BlockBlobClient } from '@azure/storage-blob';

export class BlockStager {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly blob: BlockBlobClient,
    private readonly maxInFlight: number,
    private readonly abortSignal: AbortSignal,
    /** Called once, on the first failed upload (the caller aborts the rest of the transfer). */
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /**
   * Waits for a free upload slot, then starts staging (without waiting for it to finish); `release` runs once the
   * block's buffer is no longer used. The buffer goes to the SDK as is: no copy is made.
   */
  async stage(id: string, data: Buffer, contentMd5: Buffer, release: () => void): Promise<void> {
    while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    if (this.failure) {
      release();
      throw this.failure.error;
    }
    const upload: Promise<void> = this.blob
      .stageBlock(id, data, data.length, { transactionalContentMD5: contentMd5, abortSignal: this.abortSignal })
      .then(
        () => undefined,
        (error: unknown) => {
          if (this.failure) return;
          this.failure = { error };
          this.onFailure(error);
        },
      )
      .finally(() => {
        release();
        this.inFlight.delete(upload);
      });
    this.inFlight.add(upload);
  }

  /** Waits for every started upload (their failures went to `onFailure`). */
  async settle(): Promise<void> {
    while (this.inFlight.size) await Promise.all(this.inFlight);
  }
}
