export { observe, observations, thrown, escaped, escapedError } from './observations.cjs';
