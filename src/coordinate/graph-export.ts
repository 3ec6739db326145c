import type { CoordinationResult } from './coordination.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function nodeCampaigns(result: CoordinationResult): { nodes: string[]; campaignOf: Map<string, string> } {
  const campaignOf = new Map<string, string>();
  for (const c of result.campaigns) {
    for (const m of c.members) campaignOf.set(m, c.id);
    for (const a of c.associates) campaignOf.set(a.actorId, c.id);
  }
  const nodes = [...new Set(result.edges.flatMap((e) => [e.a, e.b]))].sort();
  return { nodes, campaignOf };
}

/** GraphML of the coordination graph: actors with their campaign, edges with scores and reasons. */
export function toGraphML(result: CoordinationResult): string {
  const { nodes, campaignOf } = nodeCampaigns(result);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    '  <key id="campaign" for="node" attr.name="campaign" attr.type="string"/>',
    '  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>',
    '  <key id="coActions" for="edge" attr.name="coActions" attr.type="int"/>',
    '  <key id="narrative" for="edge" attr.name="narrative" attr.type="int"/>',
    '  <key id="text" for="edge" attr.name="text" attr.type="int"/>',
    '  <key id="link" for="edge" attr.name="link" attr.type="int"/>',
    '  <key id="qValue" for="edge" attr.name="qValue" attr.type="double"/>',
    '  <key id="affiliated" for="edge" attr.name="affiliated" attr.type="boolean"/>',
    '  <key id="basis" for="edge" attr.name="basis" attr.type="string"/>',
    '  <key id="explanation" for="edge" attr.name="explanation" attr.type="string"/>',
    '  <graph id="coordination" edgedefault="undirected">',
  ];
  for (const v of nodes) {
    lines.push(`    <node id="${esc(v)}"><data key="campaign">${esc(campaignOf.get(v) ?? '')}</data></node>`);
  }
  result.edges.forEach((e, i) => {
    lines.push(
      `    <edge id="e${i}" source="${esc(e.a)}" target="${esc(e.b)}">` +
        `<data key="weight">${e.score}</data><data key="coActions">${e.coActions}</data>` +
        `<data key="narrative">${e.signals.narrative.count}</data><data key="text">${e.signals.text.count}</data>` +
        `<data key="link">${e.signals.link.count}</data>${e.qValue === null ? '' : `<data key="qValue">${e.qValue}</data>`}` +
        `<data key="affiliated">${e.affiliated}</data><data key="basis">${e.basis}</data>` +
        `<data key="explanation">${esc(e.explanations.join(' | '))}</data></edge>`,
    );
  });
  lines.push('  </graph>', '</graphml>', '');
  return lines.join('\n');
}

/** GEXF 1.3 of the coordination graph, for Gephi. */
export function toGEXF(result: CoordinationResult): string {
  const { nodes, campaignOf } = nodeCampaigns(result);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
    '  <meta><creator>claimtrace</creator><description>actors linked by coordinated co-actions</description></meta>',
    '  <graph defaultedgetype="undirected" mode="static">',
    '    <attributes class="node"><attribute id="0" title="campaign" type="string"/></attributes>',
    '    <attributes class="edge">',
    '      <attribute id="0" title="coActions" type="integer"/>',
    '      <attribute id="1" title="affiliated" type="boolean"/>',
    '      <attribute id="2" title="explanation" type="string"/>',
    '      <attribute id="3" title="qValue" type="double"/>',
    '      <attribute id="4" title="basis" type="string"/>',
    '    </attributes>',
    '    <nodes>',
  ];
  for (const v of nodes) {
    lines.push(
      `      <node id="${esc(v)}" label="${esc(v)}"><attvalues><attvalue for="0" value="${esc(campaignOf.get(v) ?? '')}"/></attvalues></node>`,
    );
  }
  lines.push('    </nodes>', '    <edges>');
  result.edges.forEach((e, i) => {
    lines.push(
      `      <edge id="${i}" source="${esc(e.a)}" target="${esc(e.b)}" weight="${e.score}"><attvalues>` +
        `<attvalue for="0" value="${e.coActions}"/><attvalue for="1" value="${e.affiliated}"/>` +
        `<attvalue for="2" value="${esc(e.explanations.join(' | '))}"/>${e.qValue === null ? '' : `<attvalue for="3" value="${e.qValue}"/>`}` +
        `<attvalue for="4" value="${e.basis}"/></attvalues></edge>`,
    );
  });
  lines.push('    </edges>', '  </graph>', '</gexf>', '');
  return lines.join('\n');
}
