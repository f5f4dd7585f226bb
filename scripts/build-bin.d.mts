/** Builds the bin (memkafka.js, memkafka-serve.js, package.json) into `outDir`; resolves with the bundle's size in bytes. */
export function buildBin(outDir: string): Promise<number>
