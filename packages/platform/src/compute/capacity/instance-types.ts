/** The cores and memory an ML instance type has, as SageMaker's instance table lists them. */
export interface InstanceShape {
  readonly cpus: number;
  readonly memoryMiB: number;
}

/** vCPUs by instance size; `xlarge` multiples follow the EC2 naming. */
const SIZE_CPUS: Readonly<Record<string, number>> = {
  medium: 2,
  large: 2,
  xlarge: 4,
};

/** GiB of memory per vCPU by instance family (m: general, c: compute, r: memory...). */
const FAMILY_GIB_PER_CPU: Readonly<Record<string, number>> = {
  t: 2,
  m: 4,
  c: 2,
  r: 8,
  x: 16,
  z: 8,
  g: 4,
  p: 7.625,
  inf: 2,
  trn: 16,
};

/** `ml.<family><generation><options>.<size>`, e.g. ml.m5.large, ml.c5n.2xlarge, ml.g4dn.xlarge. */
const INSTANCE_TYPE = /^ml\.([a-z]+?)(\d+)([a-z-]*)\.(medium|large|(\d*)xlarge)$/;

/**
 * The shape of an `ml.*` instance type (ml.m5.large: 2 vCPUs, 8 GiB), derived from its family and
 * size as AWS names them; undefined for a name that is not an instance type. `ml.t*.medium` has
 * 4 GiB, as AWS's table says.
 */
export function instanceShape(instanceType: string): InstanceShape | undefined {
  const match = INSTANCE_TYPE.exec(instanceType);
  if (!match) return undefined;
  const [, family = '', , , size = '', multiple] = match;
  const gibPerCpu = FAMILY_GIB_PER_CPU[family];
  if (gibPerCpu === undefined) return undefined;
  const cpus = multiple ? Number(multiple) * 4 : (SIZE_CPUS[size] ?? 2);
  const gib = size === 'medium' ? 4 : cpus * gibPerCpu;
  return { cpus, memoryMiB: Math.round(gib * 1024) };
}

/** The share of an ml.m5.large, asked for by an instance type whose shape is not known. */
const DEFAULT_SHAPE: InstanceShape = { cpus: 2, memoryMiB: 8192 };

/** What a cluster of `count` instances of a type asks the machine for. */
export function clusterShape(instanceType: string, count: number): InstanceShape {
  const instance = instanceShape(instanceType) ?? DEFAULT_SHAPE;
  return { cpus: instance.cpus * count, memoryMiB: instance.memoryMiB * count };
}
