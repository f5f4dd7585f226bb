/**
 * Whether a resolved path or file URL is kafkajs's main file (its package root's index.js, as
 * kafkajs 1.x and 2.x lay it out), the module `require('kafkajs')` and `import 'kafkajs'` load.
 */
export function isKafkajsMain(resolved: string): boolean {
  return /[\\/]node_modules[\\/]kafkajs[\\/]index\.js$/.test(resolved)
}
