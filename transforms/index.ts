import type { Transform } from '../src/codemod/types.js';
import { amqplibTransform } from './amqplib/index.js';
import { axiosTransform } from './axios/index.js';
import { bunyanTransform } from './bunyan/index.js';
import { expressTransform } from './express/index.js';
import { fastifyTransform } from './fastify/index.js';
import { gotTransform } from './got/index.js';
import { koaTransform } from './koa/index.js';
import { nestjsTransform } from './nestjs/index.js';
import { fetchTransform } from './fetch/index.js';
import { kafkajsTransform } from './kafkajs/index.js';
import { nodeFetchTransform } from './node-fetch/index.js';
import { nodeHttpTransform } from './node-http/index.js';
import { pinoTransform } from './pino/index.js';
import { undiciTransform } from './undici/index.js';
import { winstonTransform } from './winston/index.js';

/**
 * Every transform, explicitly listed: no registration through import side effects. The engine
 * imports none of them; its callers (the CLI, the go inventory, tests) hand this list over, so a
 * new transform touches no engine file.
 */
export const ALL_TRANSFORMS: readonly Transform[] = [fetchTransform, nodeHttpTransform, axiosTransform, undiciTransform, gotTransform, nodeFetchTransform, expressTransform, fastifyTransform, koaTransform, nestjsTransform, kafkajsTransform, amqplibTransform, pinoTransform, winstonTransform, bunyanTransform];
