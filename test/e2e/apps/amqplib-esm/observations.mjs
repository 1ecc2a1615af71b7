export { observe, observations, thrown } from './observations.cjs';
