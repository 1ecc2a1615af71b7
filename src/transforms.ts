import { amqplibTransform } from '../transforms/amqplib/index.js';
import { axiosTransform } from '../transforms/axios/index.js';
import { expressTransform } from '../transforms/express/index.js';
import { fastifyTransform } from '../transforms/fastify/index.js';
import { fetchTransform } from '../transforms/fetch/index.js';
import { kafkajsTransform } from '../transforms/kafkajs/index.js';
import { nodeHttpTransform } from '../transforms/node-http/index.js';
import type { Transform } from './types.js';

/** Every transform, explicitly listed: no registration through import side effects. */
export const ALL_TRANSFORMS: readonly Transform[] = [fetchTransform, nodeHttpTransform, axiosTransform, expressTransform, fastifyTransform, kafkajsTransform, amqplibTransform];

export class UnknownTransformError extends Error {}

export function selectTransforms(only?: readonly string[], exclude?: readonly string[]): Transform[] {
  const known = new Set(ALL_TRANSFORMS.map((t) => t.id));
  for (const id of [...(only ?? []), ...(exclude ?? [])]) {
    if (!known.has(id)) throw new UnknownTransformError(`unknown transform "${id}" (known: ${[...known].join(', ')})`);
  }
  return ALL_TRANSFORMS.filter((t) => (!only?.length || only.includes(t.id)) && !exclude?.includes(t.id));
}
