import { forEachCoAction, groupByObject, type ActionTable, type CoActionOptions } from './coaction.js';
import { GrowableF64, GrowableI32 } from './growable.js';

/** What one associate did with one campaign member, per signal and by verbatim reuse. */
export interface AssociationPair {
  /** Actor index of the associate and of the member. */
  outsider: number;
  member: number;
  /** Co-actions within the window per signal (narrative, text, link). */
  counts: [number, number, number];
  /** Largest gap per signal, ms. */
  maxGapMs: [number, number, number];
  /** Co-actions per signal where one side's time is only known to the day. */
  dayDated: [number, number, number];
  /** Long passages the two reused word for word, at any distance in time. */
  reuse: number;
  /** Statement indices behind the pair. */
  statements: number[];
  /** Object indices per signal behind the pair (narrative keys and links are looked up by the caller). */
  objects: [number[], number[], number[]];
}

/** An actor tied to a campaign it is not a tested member of. */
export interface Association {
  campaign: number;
  outsider: number;
  /** Distinct occasions on which the outsider met the campaign as a group: bursts and reuse. */
  occasions: number;
  /** Occasions on which two or more members pushed, within the window, a link the outsider led on. */
  bursts: number;
  pairs: AssociationPair[];
}

/** Signal indices as detectCampaigns orders its tables (narrative, text, link), and reuse. */
const LINK = 2;
const REUSE = 3;

export interface AssociationInput {
  tables: readonly ActionTable[];
  coOptions: Pick<CoActionOptions, 'windowMs' | 'maxActorsPerObject' | 'maxNeighbours'>;
  /** Campaign index per actor index, -1 outside every campaign. */
  campaignOf: Int32Array;
  /** Statement pairs (indices) whose long texts share a passage word for word. */
  reuse: readonly (readonly [number, number])[];
  stmtActor: Int32Array;
  stmtTime: Float64Array;
  stmtSpan: Float64Array;
  minOccasions: number;
}

/**
 * Finds actors outside every campaign that met one campaign repeatedly. The pair test cannot see
 * them: an organisation whose brief a campaign's accounts all push within minutes meets each
 * account once, and one meeting is never a pattern for a pair. Against the group it is. An
 * outsider is associated when it met the campaign on at least `minOccasions` distinct occasions,
 * each either an amplification burst (two or more members pushing, within the window, a link the
 * outsider was the first to publish or share) or a long passage reused word for word, and at
 * least one a burst. Joining the members' bursts does not count (on a large corpus busy accounts
 * do that by chance), nor does a meeting with one member at a time (the pair test's business);
 * reuse alone never associates anyone, so an outlet quoting the same official text stays out.
 *
 * Occasions are told apart by when they happened: the exact time of the meeting (the outsider's
 * statement, or the member's when the outsider's is only dated to the day) for co-actions, and
 * the member's statement for reuse, grouped when closer than the window.
 */
export function findAssociations(input: AssociationInput): Association[] {
  const { campaignOf, stmtActor, stmtTime, stmtSpan, coOptions } = input;
  // Events: one per meeting of an outsider's statement with a member's statement.
  const evCampaign = new GrowableI32();
  const evOutsider = new GrowableI32();
  const evMember = new GrowableI32();
  const evTime = new GrowableF64();
  const evSignal = new GrowableI32(); // 0..2 signal, REUSE
  const evGap = new GrowableF64();
  const evVague = new GrowableI32();
  const evStmtOut = new GrowableI32();
  const evStmtMem = new GrowableI32();
  const evObject = new GrowableI32();
  const evAmplify = new GrowableI32();
  const add = (outStmt: number, memStmt: number, signal: number, gap: number, object: number, amplify: boolean): void => {
    const outsider = stmtActor[outStmt] as number;
    const member = stmtActor[memStmt] as number;
    const outExact = (stmtSpan[outStmt] as number) === 0;
    const memExact = (stmtSpan[memStmt] as number) === 0;
    evCampaign.push(campaignOf[member] as number);
    evOutsider.push(outsider);
    evMember.push(member);
    evTime.push(signal === REUSE || (!outExact && memExact) ? (stmtTime[memStmt] as number) : (stmtTime[outStmt] as number));
    evSignal.push(signal);
    evGap.push(gap);
    evVague.push(outExact && memExact ? 0 : 1);
    evStmtOut.push(outStmt);
    evStmtMem.push(memStmt);
    evObject.push(object);
    evAmplify.push(amplify ? 1 : 0);
  };
  input.tables.forEach((t, sig) => {
    const grouped = groupByObject(t);
    forEachCoAction(t, grouped, coOptions, (i, j, dt, o) => {
      const ai = t.actor[i] as number;
      const aj = t.actor[j] as number;
      const ci = campaignOf[ai] as number;
      const cj = campaignOf[aj] as number;
      // i is the earlier action. The outsider leads when its action is the first on a link at
      // all: the members then pushed an address it published or first shared.
      const leads = sig === LINK && grouped.order[grouped.offsets[o] as number] === i;
      if (ci >= 0 && cj < 0) add(t.source[j] as number, t.source[i] as number, sig, dt, o, false);
      else if (cj >= 0 && ci < 0) add(t.source[i] as number, t.source[j] as number, sig, dt, o, leads);
    });
  });
  for (const [i, j] of input.reuse) {
    const ci = campaignOf[stmtActor[i] as number] as number;
    const cj = campaignOf[stmtActor[j] as number] as number;
    if (ci >= 0 && cj < 0) add(j, i, REUSE, 0, -1, false);
    else if (cj >= 0 && ci < 0) add(i, j, REUSE, 0, -1, false);
  }

  const n = evTime.length;
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  const c = evCampaign.view();
  const out = evOutsider.view();
  const time = evTime.view();
  order.sort((x, y) => (c[x] as number) - (c[y] as number) || (out[x] as number) - (out[y] as number) || (time[x] as number) - (time[y] as number) || x - y);

  const found: Association[] = [];
  let s = 0;
  while (s < n) {
    const first = order[s] as number;
    let e = s + 1;
    while (e < n && c[order[e] as number] === c[first] && out[order[e] as number] === out[first]) e++;
    // Occasions: the events that can make one (amplification, reuse) in time order, a new
    // occasion after a gap longer than the window. Amplification by one member alone is the
    // pair test's business, not the group's.
    let occasions = 0;
    let bursts = 0;
    let k = s;
    const counts = (ev: number): boolean => evAmplify.data[ev] === 1 || evSignal.data[ev] === REUSE;
    while (k < e && !counts(order[k] as number)) k++;
    while (k < e) {
      const members = new Set<number>();
      let reused = false;
      let last = time[order[k] as number] as number;
      let x = k;
      for (; x < e; x++) {
        const ev = order[x] as number;
        if (!counts(ev)) continue;
        if ((time[ev] as number) - last > coOptions.windowMs) break;
        last = time[ev] as number;
        if (evSignal.data[ev] === REUSE) reused = true;
        else members.add(evMember.data[ev] as number);
      }
      if (members.size >= 2) {
        bursts++;
        occasions++;
      } else if (reused) occasions++;
      k = x;
    }
    if (occasions >= input.minOccasions && bursts >= 1) {
      const byMember = new Map<number, AssociationPair>();
      // Two statements sharing several objects of one kind met once on that signal.
      const metPairs = new Set<string>();
      for (let x = s; x < e; x++) {
        const ev = order[x] as number;
        const member = evMember.data[ev] as number;
        let p = byMember.get(member);
        if (p === undefined) {
          p = { outsider: out[first] as number, member, counts: [0, 0, 0], maxGapMs: [0, 0, 0], dayDated: [0, 0, 0], reuse: 0, statements: [], objects: [[], [], []] };
          byMember.set(member, p);
        }
        const sig = evSignal.data[ev] as number;
        const pairKey = `${evStmtOut.data[ev]}:${evStmtMem.data[ev]}:${sig}`;
        if (metPairs.has(pairKey)) {
          if (sig !== REUSE) p.objects[sig]!.push(evObject.data[ev] as number);
          continue;
        }
        metPairs.add(pairKey);
        if (sig === REUSE) p.reuse++;
        else {
          p.counts[sig]!++;
          // A gap to a day-dated page says nothing: only exact ones make the largest gap.
          if (evVague.data[ev] === 1) p.dayDated[sig]!++;
          else p.maxGapMs[sig] = Math.max(p.maxGapMs[sig] as number, evGap.data[ev] as number);
          p.objects[sig]!.push(evObject.data[ev] as number);
        }
        p.statements.push(evStmtOut.data[ev] as number, evStmtMem.data[ev] as number);
      }
      found.push({ campaign: c[first] as number, outsider: out[first] as number, occasions, bursts, pairs: [...byMember.values()].sort((x, y) => x.member - y.member) });
    }
    s = e;
  }
  // An outsider met by several campaigns joins the one it met most often (then the lower index).
  const best = new Map<number, Association>();
  for (const a of found) {
    const b = best.get(a.outsider);
    if (b === undefined || a.occasions > b.occasions) best.set(a.outsider, a);
  }
  return [...best.values()].sort((x, y) => x.campaign - y.campaign || x.outsider - y.outsider);
}
