import { FaceEngine } from '../../models';

/** The face engine for enrolment, created on first use (enrolment is rare) and disposed with the gateway. */
export class EnrolmentFaceEngine {
  private engine: Promise<FaceEngine> | undefined;

  get(): Promise<FaceEngine> {
    return (this.engine ??= FaceEngine.create({ session: { intraOpThreads: 1 } }));
  }

  async dispose(): Promise<void> {
    await (await this.engine)?.dispose();
  }
}
