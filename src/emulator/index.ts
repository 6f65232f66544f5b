/**
 * A local Bytekit Account API for tests, examples and offline work (Node only). The emulator
 * needs no Effect; its Effect layers (`layer`, `layerInMemory`, `layerClient`) are in layers.ts.
 *
 * @since 0.1.0
 */
export { type EmulatorOptions, type EmulatorRequest, type EmulatorResponse, seed } from "./app.js"
export { DataFileError } from "./datafile.js"
export { BytekitEmulator, inMemoryHttpClient, layer, layerClient, layerInMemory } from "./layers.js"
export { type Emulator, startEmulator, type StartOptions } from "./server.js"
