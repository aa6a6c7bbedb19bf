import test from 'ava';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { checkMachO } from '../../../scripts/sea/macho-check.ts';
import { removeSignature, signMachO, signatureSize } from '../../../scripts/sea/macho-sign.ts';
import {
  CS_ADHOC,
  CS_LINKER_SIGNED,
  LC_CODE_SIGNATURE,
  LC_SEGMENT_64,
  MH_MAGIC_64,
  parseMachO,
  parseSuperBlob,
} from '../../../scripts/sea/macho.ts';
import { isRuntimeBinaryCached, runtimeBinaryPath } from '../../../scripts/sea/runtime-binaries.ts';
import { bunRuntime } from '../../../scripts/sea/runtime-integrity.ts';
import { findTarget, pinnedBunVersion } from '../../../scripts/sea/targets.ts';

/**
 * A tiny arm64 executable: __PAGEZERO, __TEXT (one __text section) and __LINKEDIT, with `extra`
 * bytes of linkedit data; unsigned. Only its structure matters: nothing runs it.
 */
function syntheticMachO(linkeditBytes = 0x1234): Buffer {
  const textSize = 0x4000;
  const size = textSize + linkeditBytes;
  const b = Buffer.alloc(size);
  const seg = (at: number, name: string, vmaddr: bigint, vmsize: bigint, fileoff: number, filesize: number, nsects: number) => {
    b.writeUInt32LE(LC_SEGMENT_64, at);
    b.writeUInt32LE(72 + nsects * 80, at + 4);
    b.write(name, at + 8, 'latin1');
    b.writeBigUInt64LE(vmaddr, at + 24);
    b.writeBigUInt64LE(vmsize, at + 32);
    b.writeBigUInt64LE(BigInt(fileoff), at + 40);
    b.writeBigUInt64LE(BigInt(filesize), at + 48);
    b.writeInt32LE(nsects === 0 && name === '__PAGEZERO' ? 0 : 5, at + 56);
    b.writeInt32LE(nsects === 0 && name === '__PAGEZERO' ? 0 : 5, at + 60);
    b.writeUInt32LE(nsects, at + 64);
    return at + 72 + nsects * 80;
  };
  let at = 32;
  at = seg(at, '__PAGEZERO', 0n, 0x100000000n, 0, 0, 0);
  const textCmd = at;
  at = seg(at, '__TEXT', 0x100000000n, BigInt(textSize), 0, textSize, 1);
  // section __text at file offset 0x1000, 0x100 bytes
  const s = textCmd + 72;
  b.write('__text', s, 'latin1');
  b.write('__TEXT', s + 16, 'latin1');
  b.writeBigUInt64LE(0x100001000n, s + 32);
  b.writeBigUInt64LE(0x100n, s + 40);
  b.writeUInt32LE(0x1000, s + 48);
  at = seg(at, '__LINKEDIT', 0x100004000n, 0x4000n, textSize, linkeditBytes, 0);
  b.writeUInt32LE(MH_MAGIC_64, 0);
  b.writeInt32LE(0x0100000c, 4); // arm64
  b.writeUInt32LE(2, 12); // MH_EXECUTE
  b.writeUInt32LE(3, 16);
  b.writeUInt32LE(at - 32, 20);
  // "code" and "linkedit" content, so page hashes differ
  for (let i = 0x1000; i < size; i++) b[i] = (i * 31) & 0xff;
  return b;
}

const sha256 = (d: Uint8Array) => createHash('sha256').update(d).digest();

test('signs a synthetic Mach-O: load command, __LINKEDIT and every page hash agree', (t) => {
  const input = syntheticMachO();
  t.false(checkMachO(input).ok, 'an unsigned file fails the check');
  const { image, result } = signMachO(input, { identifier: 'kubectl-test' });

  t.true(result.addedLoadCommand);
  t.is(result.signatureOffset, 0x5240, 'the signature starts 16-byte aligned after __LINKEDIT');
  t.is(image.length, 0x5240 + signatureSize(0x5240, 'kubectl-test'));
  t.is(result.codeSlots, 6);

  const m = parseMachO(image);
  t.is(m.ncmds, 4);
  t.deepEqual(m.codeSignature, { cmdOffset: 32 + 72 + 152 + 72, dataoff: 0x5240, datasize: image.length - 0x5240 });
  const linkedit = m.segments.find((x) => x.segname === '__LINKEDIT')!;
  t.is(linkedit.fileoff + linkedit.filesize, BigInt(image.length));
  t.true(linkedit.vmsize >= linkedit.filesize);
  t.is(image.readUInt32LE(m.codeSignature!.cmdOffset), LC_CODE_SIGNATURE);

  const sb = parseSuperBlob(image.subarray(0x5240));
  const cd = sb.codeDirectory;
  t.deepEqual(sb.index.map((e) => e.type), [0, 2, 0x10000]);
  t.is(cd.version, 0x20400);
  t.is(cd.flags, CS_ADHOC);
  t.is(cd.hashType, 2);
  t.is(cd.pageSizeBits, 12);
  t.is(cd.identifier, 'kubectl-test');
  t.is(cd.codeLimit, 0x5240);
  t.is(cd.execSegBase, 0n);
  t.is(cd.execSegLimit, 0x4000n);
  t.is(cd.execSegFlags, 1n);
  // Independent recomputation of two slots: the first page (with the updated header) and the partial last one.
  const slot = (i: number) => image.subarray(0x5240 + cd.offset + cd.hashOffset + i * 32, 0x5240 + cd.offset + cd.hashOffset + (i + 1) * 32);
  t.deepEqual(slot(0), sha256(image.subarray(0, 4096)));
  t.deepEqual(slot(5), sha256(image.subarray(5 * 4096, 0x5240)));

  const report = checkMachO(image, { requireAdhoc: true });
  t.deepEqual(report.problems, []);
  t.is(report.pagesChecked, 6);
});

test('re-signing reuses LC_CODE_SIGNATURE and is deterministic', (t) => {
  const once = signMachO(syntheticMachO(), { identifier: 'a' }).image;
  const twice = signMachO(once, { identifier: 'a' });
  t.false(twice.result.addedLoadCommand);
  t.true(twice.image.equals(once));
  const linker = signMachO(once, { identifier: 'a', linkerSigned: true }).image;
  t.is(parseSuperBlob(linker.subarray(parseMachO(linker).codeSignature!.dataoff)).codeDirectory.flags, CS_ADHOC | CS_LINKER_SIGNED);
});

test('a corrupted page, header or signature is detected', (t) => {
  const { image } = signMachO(syntheticMachO(0x3000), { identifier: 'x' });
  const page = Buffer.from(image);
  page[0x4000 + 17] ^= 0xff;
  t.deepEqual(checkMachO(page).problems, ['page 4 (offset 16384) hash mismatch']);

  const header = Buffer.from(image);
  header[8] ^= 1; // cpusubtype: page 0
  t.true(checkMachO(header).problems.includes('page 0 (offset 0) hash mismatch'));

  const truncated = image.subarray(0, image.length - 4);
  t.false(checkMachO(truncated).ok);

  const badMagic = Buffer.from(image);
  badMagic.writeUInt32BE(0xdeadbeef, parseMachO(image).codeSignature!.dataoff);
  t.regex(checkMachO(badMagic).problems.join('\n'), /magic 0xdeadbeef/);
});

test('refuses what it cannot sign: fat files, trailing data, no room for the load command', (t) => {
  const fat = Buffer.alloc(64);
  fat.writeUInt32BE(0xcafebabe, 0);
  t.throws(() => signMachO(fat, { identifier: 'x' }), { message: /fat/ });

  const trailing = Buffer.concat([syntheticMachO(), Buffer.alloc(10)]);
  t.throws(() => signMachO(trailing, { identifier: 'x' }), { message: /trailing data/ });

  const full = syntheticMachO();
  full.fill(0xaa, 32 + full.readUInt32LE(20), 0x1000); // the gap before __text is in use
  t.throws(() => signMachO(full, { identifier: 'x' }), { message: /not free/ });
});

const darwinArm64 = findTarget('darwin_arm64');
const bunVersion = pinnedBunVersion();

const cached = isRuntimeBinaryCached(bunRuntime, darwinArm64, bunVersion);
(cached ? test : test.skip)(`a real darwin-arm64 bun binary: its release signature verifies, ad-hoc re-sign verifies, a flipped byte fails${cached ? '' : ` (skipped: ${darwinArm64.bunPackage}@${bunVersion} is not cached; run npm run release first)`}`, async (t) => {
  const original = await readFile(runtimeBinaryPath(bunRuntime, darwinArm64, bunVersion));
  t.is(original.readUInt32LE(0), MH_MAGIC_64, 'the npm package ships a thin 64-bit Mach-O');
  const release = checkMachO(original);
  t.deepEqual(release.problems, [], "our page hashing agrees with the release's signature");
  t.is(release.codeDirectory?.identifier, 'bun');

  const { image, result } = signMachO(original, { identifier: 'kubectl-test' });
  t.false(result.addedLoadCommand, 'the existing LC_CODE_SIGNATURE is reused');
  const ours = checkMachO(image, { requireAdhoc: true });
  t.deepEqual(ours.problems, []);
  t.is(ours.pagesChecked, Math.ceil(result.signatureOffset / 4096));

  image[Math.floor(image.length / 3)] ^= 0x01;
  t.is(checkMachO(image).problems.length, 1);
});

test('removeSignature drops LC_CODE_SIGNATURE and the signature bytes; signing again gives the same file', (t) => {
  const signed = signMachO(syntheticMachO(), { identifier: 'x' }).image;
  const stripped = removeSignature(signed);
  const m = parseMachO(stripped);
  t.is(m.codeSignature, undefined);
  t.is(m.ncmds, 3);
  const linkedit = m.segments.find((x) => x.segname === '__LINKEDIT')!;
  t.is(linkedit.fileoff + linkedit.filesize, BigInt(stripped.length));
  t.is(stripped.readUInt32LE(m.commandsEnd), 0, 'the freed load-command space is zeroed');
  t.true(signMachO(stripped, { identifier: 'x' }).image.equals(signed));
  t.is(removeSignature(stripped), stripped, 'an unsigned file is returned as is');
});
