import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The components scikit-learn's side wrote (bench/python/pca.py), one vector per component. */
export async function anchorComponents(outDir: string): Promise<number[][]> {
  const file = JSON.parse(await readFile(join(outDir, 'components.json'), 'utf8')) as {
    components: number[][];
  };
  return file.components;
}

/**
 * The components in a Plinth PCA model directory (`model.json`, format `plinth-pca`: unit
 * vectors, largest variance first), one vector per component.
 */
export async function plinthComponents(modelDir: string): Promise<number[][]> {
  const path = join(modelDir, 'model.json');
  const model = JSON.parse(await readFile(path, 'utf8')) as {
    format?: string;
    components?: number[][];
  };
  if (model.format !== 'plinth-pca' || !Array.isArray(model.components))
    throw new Error(`${path} is not a Plinth PCA model with components`);
  return model.components;
}
