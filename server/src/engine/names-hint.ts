/**
 * How messages point at the rule someone meant: the closest known name when one is near
 * (a typo), else a pointer to the full list, which has grown too long to print inline.
 */
export function unknownRuleHint(name: string, known: readonly string[]): string {
  const closest = nearest(name, known);

  return closest
    ? `Did you mean '${closest}'? Run 'snowgov rules' to list every rule.`
    : "Run 'snowgov rules' to list every rule.";
}

/**
 * The known name closest to `name` (compared in lower case against `known` as given), when it
 * is near enough to be a typo of it: at most two edits, one for names of four letters or fewer,
 * which are otherwise a couple of edits from half the list.
 */
export function nearest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = name.length <= 4 ? 2 : Math.max(2, Math.floor(name.length / 4)) + 1;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }

  return best;
}

/** Levenshtein distance, two rows at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }

  return previous[b.length];
}
