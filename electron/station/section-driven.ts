/**
 * How far each section's swaths are driven, as the ETA, the refill plan and the dispatcher read
 * it: the share of their length driven, which swaths a machine has started, and the ground its
 * tank still spends to finish them.
 */
import type { PlanSwaths } from './plan-swaths.js';
import type { WorkedGround } from './worked-ground.js';

/**
 * A swath with more than this driven (or half of a shorter one) is started: a neighbour's pass
 * reaching a few centimetres in, or a restored record's edge, is not the machine turning into it.
 */
const STARTED_M = 1;

/** A swath of a section: its length and width, and how much of its length is driven. */
interface SwathDriven {
  lengthM: number;
  widthM: number;
  drivenM: number;
}

/** A section's driven share (0..1) and its started swaths, in driving order. */
interface SectionReading {
  share: (sectionId: string) => number;
  started: (sectionId: string) => boolean[];
}

export class SectionDriven {
  constructor(
    private readonly swaths: PlanSwaths,
    private readonly ground: WorkedGround,
  ) {}

  /**
   * Share of a section's swath length driven, 0..1: what is left to drive is what takes time
   * (its unique area also counts corners no swath reaches, which are never worked). A section
   * this field does not have is not driven at all (a section with no swath is).
   */
  share(sectionId: string): number {
    return this.shareOf(sectionId, this.driven(sectionId));
  }

  /** Per swath of the section, in driving order: whether it is started (STARTED_M driven). */
  started(sectionId: string): boolean[] {
    return startedOf(this.driven(sectionId));
  }

  /**
   * Ground a machine spreads on to finish the section: its swaths' length left to drive × their
   * width. A neighbour's pass reaching into the section leaves the swaths to drive all the same,
   * so this is what the machine's tank spends, where the unique area left would say less.
   */
  spreadLeftM2(sectionId: string): number {
    return this.driven(sectionId).reduce(
      (sum, s) => sum + Math.max(0, s.lengthM - s.drivenM) * s.widthM,
      0,
    );
  }

  /**
   * The same readings for one pass over many sections (the ETA asks each section for its share
   * and its started swaths): one walk of a section's passes serves both.
   */
  walkedOnce(): SectionReading {
    const walked = new Map<string, SwathDriven[]>();
    const driven = (sectionId: string): SwathDriven[] => {
      let list = walked.get(sectionId);
      if (!list) walked.set(sectionId, (list = this.driven(sectionId)));
      return list;
    };
    return {
      share: (sectionId) => this.shareOf(sectionId, driven(sectionId)),
      started: (sectionId) => startedOf(driven(sectionId)),
    };
  }

  private shareOf(sectionId: string, swaths: readonly SwathDriven[]): number {
    return this.swaths.hasSection(sectionId) ? shareDriven(swaths) : 0;
  }

  /** Each swath of the section: its length and width, and how much of its length is driven. */
  private driven(sectionId: string): SwathDriven[] {
    return this.swaths.ofSection(sectionId).map((swath) => {
      let drivenM = 0;
      for (const [a, b] of this.ground.doneOn(swath))
        drivenM += Math.min(b, swath.lengthM) - Math.max(0, a);
      return {
        lengthM: swath.lengthM,
        widthM: swath.widthM,
        drivenM: Math.min(drivenM, swath.lengthM),
      };
    });
  }
}

/** Share of the swaths' length driven (1 for a section with no swath: nothing to drive). */
function shareDriven(swaths: readonly SwathDriven[]): number {
  let driven = 0;
  let total = 0;
  for (const { lengthM, drivenM } of swaths) {
    total += lengthM;
    driven += drivenM;
  }
  return total > 0 ? Math.min(1, driven / total) : 1;
}

function startedOf(swaths: readonly SwathDriven[]): boolean[] {
  return swaths.map(({ lengthM, drivenM }) => drivenM > Math.min(STARTED_M, lengthM / 2));
}
