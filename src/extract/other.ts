/** A sign that a sentence states some other checkable fact about a subject. */
export interface OtherSignal {
  label: string;
  text: string;
}

const SIGNALS: { label: string; re: RegExp }[] = [
  { label: 'percentage', re: /\b\d+(?:\.\d+)?\s?(?:%|per\s?cent)|\bpercent(?:age)?\b/i },
  { label: 'market share', re: /\bmarket\s+(?:share|leader)\b|\bmonopol\w+|\bdominat\w+|\blargest\b|\bbiggest\b|\bleading\b/i },
  { label: 'proportion', re: /\b(?:more|less)\s+than\s+(?:half|a\s+third|a\s+quarter|\d)|\bmajority\s+of\b|\bsignificant\s+percentage\b/i },
  { label: 'money or volume', re: /[$€£¥]\s?\d|\b\d+(?:\.\d+)?\s?(?:million|billion|bn|m)\b|\brevenue\b|\bshipments?\b|\bsales\b|\bsells\b/i },
  { label: 'ownership', re: /\bown(?:s|ed|ership)\b|\bstake\b|\bshareholder\b|\bacquir\w+|\bacquisition\b|\bsubsidiar\w+|\bparent\s+company\b|\bheadquartered\b|\bfounded\b/i },
];

/** Signals of a checkable non-list fact in a sentence (numbers, shares, ownership). */
export function findOtherSignals(sentence: string): OtherSignal[] {
  const out: OtherSignal[] = [];
  for (const s of SIGNALS) {
    const m = s.re.exec(sentence);
    if (m) out.push({ label: s.label, text: m[0] });
  }
  return out;
}
