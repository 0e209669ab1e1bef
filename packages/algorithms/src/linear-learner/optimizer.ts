/** How parameters move: SGD with momentum, or Adam. */
export interface OptimizerSettings {
  optimizer: 'sgd' | 'adam';
  momentum: number;
  beta1: number;
  beta2: number;
}

/** Applies one update to `params` from `grad` with step size `lr`, keeping its own state. */
export type Update = (params: Float64Array, grad: Float64Array, lr: number) => void;

const ADAM_EPSILON = 1e-8;

/** An update rule with state sized for one parameter array. */
export function createUpdate(settings: OptimizerSettings, size: number): Update {
  if (settings.optimizer === 'sgd') {
    const velocity = new Float64Array(size);
    return (params, grad, lr) => {
      for (let i = 0; i < size; i++) {
        velocity[i] = settings.momentum * velocity[i]! - lr * grad[i]!;
        params[i]! += velocity[i]!;
      }
    };
  }
  const { beta1, beta2 } = settings;
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  let t = 0;
  return (params, grad, lr) => {
    t++;
    // Bias-corrected step size (Kingma & Ba, section 2).
    const step = (lr * Math.sqrt(1 - Math.pow(beta2, t))) / (1 - Math.pow(beta1, t));
    for (let i = 0; i < size; i++) {
      const g = grad[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
      params[i]! -= (step * m[i]!) / (Math.sqrt(v[i]!) + ADAM_EPSILON);
    }
  };
}
