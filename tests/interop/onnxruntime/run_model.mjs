// Runs an ONNX model with ONNX Runtime (CPU), an implementation independent of the miner's, for
// the ONNX backend's cross-check: one float32 input read from a raw file, the first output written
// to another; its shape is printed as JSON.
//   node run_model.mjs MODEL INPUT.f32 N,C,H,W OUTPUT.f32
import { readFileSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

const [model, inputFile, shapeText, outputFile] = process.argv.slice(2);
// Without graph optimisations: each node runs as the specification defines it, not fused.
const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], graphOptimizationLevel: 'disabled' });
const bytes = readFileSync(inputFile);
const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
const input = new ort.Tensor('float32', values, shapeText.split(',').map(Number));
const outputs = await session.run({ [session.inputNames[0]]: input });
const output = outputs[session.outputNames[0]];
writeFileSync(outputFile, Buffer.from(output.data.buffer, output.data.byteOffset, output.data.byteLength));
process.stdout.write(JSON.stringify({ dims: output.dims, type: output.type }));
