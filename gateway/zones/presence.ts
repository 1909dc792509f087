import type { Inertia } from './inertia';

/** A person becoming a member of a zone, or ceasing to be one. */
export interface PresenceChange {
  kind: 'enter' | 'exit';
  trackId: number;
  /** Enter: the first frame seen inside. Exit: when they were first no longer seen inside. */
  at: number;
  /**
   * Exit only: how it was decided. `outside`: seen outside for the exit delay; `unseen`: not seen at
   * all for the exit delay while the tracker still holds the track (it may come back: re-association);
   * `ended`: the tracker ended the track.
   */
  how?: 'outside' | 'unseen' | 'ended';
}

interface Member {
  enteredAt: number;
  /** Since when the member has not been seen inside (outside or unseen). */
  absentSince?: number;
  seenOutside: boolean;
}

/**
 * Zone inertia for one zone: who is in it. A track counts as in after being seen inside for
 * enterAfterMs (consecutive sightings; frames where it is unseen do not break the run, a sighting
 * outside does), with the first frame inside as its entry time; it is out after being outside or
 * unseen for exitAfterMs (its exit time: when it was first not seen inside), or at once when its
 * track ends. Feet jittering over the zone's edge therefore neither enter nor leave.
 */
export class ZonePresence {
  private readonly candidates = new Map<number, number>();
  private readonly members = new Map<number, Member>();

  constructor(private readonly inertia: Inertia) {}

  /**
   * One frame: `inside` are the tracks seen inside the zone now, `seen` every track seen now (in or
   * out), `ended` the tracks the tracker ended now. Returns the entries and exits, oldest first.
   */
  step(inside: ReadonlySet<number>, seen: ReadonlySet<number>, ended: ReadonlySet<number>, now: number): PresenceChange[] {
    const changes: PresenceChange[] = [];
    for (const id of inside) {
      const member = this.members.get(id);
      if (member) {
        delete member.absentSince;
        member.seenOutside = false;
        continue;
      }
      const since = this.candidates.get(id) ?? now;
      if (now - since >= this.inertia.enterAfterMs) {
        this.candidates.delete(id);
        this.members.set(id, { enteredAt: since, seenOutside: false });
        changes.push({ kind: 'enter', trackId: id, at: since });
      } else {
        this.candidates.set(id, since);
      }
    }
    for (const id of this.candidates.keys()) {
      if (!inside.has(id) && (seen.has(id) || ended.has(id))) this.candidates.delete(id);
    }
    for (const [id, member] of this.members) {
      if (inside.has(id)) continue;
      member.absentSince ??= now;
      if (seen.has(id)) member.seenOutside = true;
      const how = ended.has(id) ? 'ended' : now - member.absentSince >= this.inertia.exitAfterMs ? (member.seenOutside ? 'outside' : 'unseen') : undefined;
      if (how) {
        this.members.delete(id);
        changes.push({ kind: 'exit', trackId: id, at: member.absentSince, how });
      }
    }
    return changes.sort((a, b) => a.at - b.at);
  }

  get count(): number {
    return this.members.size;
  }

  /** Members and their entry times. */
  entries(): IterableIterator<[number, { enteredAt: number }]> {
    return this.members.entries();
  }

  /** Everyone leaves now (the rule set is replaced): returns who was in. */
  clear(): number[] {
    const ids = [...this.members.keys()];
    this.members.clear();
    this.candidates.clear();
    return ids;
  }
}
