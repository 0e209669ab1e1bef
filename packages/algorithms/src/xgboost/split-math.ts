// xgboost's regularized leaf weight and gain (src/tree/param.h: CalcWeight, CalcGain,
// CalcGainGivenWeight, ThresholdL1), in double precision as xgboost computes them.

/** The tree parameters the weight and gain depend on. */
export interface SplitParams {
  lambda: number;
  alpha: number;
  minChildWeight: number;
  /** 0: no clamp. */
  maxDeltaStep: number;
}

/** Soft threshold of the gradient sum by alpha (L1). */
export function thresholdL1(g: number, alpha: number): number {
  if (g > alpha) return g - alpha;
  if (g < -alpha) return g + alpha;
  return 0;
}

/** A node's optimal weight `-T(G) / (H + lambda)`, clamped to max_delta_step; 0 below min_child_weight. */
export function calcWeight(p: SplitParams, g: number, h: number): number {
  if (h < p.minChildWeight || h <= 0) return 0;
  let w = -thresholdL1(g, p.alpha) / (h + p.lambda);
  if (p.maxDeltaStep !== 0 && Math.abs(w) > p.maxDeltaStep)
    w = w < 0 ? -p.maxDeltaStep : p.maxDeltaStep;
  return w;
}

/** A node's gain (twice the loss reduction its weight achieves, up to sign and constants). */
export function calcGain(p: SplitParams, g: number, h: number): number {
  if (h < p.minChildWeight || h <= 0) return 0;
  if (p.maxDeltaStep === 0) {
    const t = p.alpha === 0 ? g : thresholdL1(g, p.alpha);
    return (t * t) / (h + p.lambda);
  }
  const w = calcWeight(p, g, h);
  const gain = -(2 * g * w + (h + p.lambda) * w * w);
  return p.alpha === 0 ? gain : gain + p.alpha * Math.abs(w);
}
