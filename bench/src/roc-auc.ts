/**
 * The area under the ROC curve of `scores` for 0/1 `labels`: the probability that a random
 * positive scores above a random negative, ties counting half (the Mann-Whitney statistic).
 */
export function rocAuc(scores: Float64Array, labels: Uint8Array): number {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end < order.length && scores[order[end]!] === scores[order[start]!]) end++;
    const midRank = (start + 1 + end) / 2; // ranks are 1-based; tied rows share their mean rank
    for (let i = start; i < end; i++)
      if (labels[order[i]!] === 1) {
        positives++;
        rankSum += midRank;
      }
    start = end;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
