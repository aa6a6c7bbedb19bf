/**
 * Ad-hoc code signing of a thin 64-bit Mach-O executable, as Go's linker does it
 * (cmd/internal/codesign): macOS on arm64 runs no unsigned code. Bun's compiler signs what it
 * writes; this signs an executable whose signature does not check out (executable.ts).
 *
 * The signature goes at the end of __LINKEDIT (16-byte aligned), described by LC_CODE_SIGNATURE:
 *
 *   SuperBlob 0xfade0cc0 { CodeDirectory, empty Requirements, empty BlobWrapper }
 *   CodeDirectory 0xfade0c02, version 0x20400, SHA-256, 4 KiB pages, flags adhoc:
 *     header | identifier\0 | special slots (-2 = requirements hash, -1 = zero) | code slots
 *
 * Code slot i is the SHA-256 of bytes [i*4096, min((i+1)*4096, codeLimit)) of the file as it is
 * written, header and load commands included, so they are updated before hashing.
 *
 * Usage: node scripts/sea/macho-sign.ts FILE [--identifier ID] [--linker-signed]
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import {
  alignUp,
  CD_VERSION_EXECSEG,
  CODE_DIRECTORY_SIZE,
  CS_ADHOC,
  CS_EXECSEG_MAIN_BINARY,
  CS_HASHTYPE_SHA256,
  CS_LINKER_SIGNED,
  CSMAGIC_BLOBWRAPPER,
  CSMAGIC_CODEDIRECTORY,
  CSMAGIC_EMBEDDED_SIGNATURE,
  CSMAGIC_REQUIREMENTS,
  CSSLOT_CODEDIRECTORY,
  CSSLOT_REQUIREMENTS,
  CSSLOT_SIGNATURESLOT,
  findSegment,
  LC_CODE_SIGNATURE,
  LINKEDIT_DATA_COMMAND_SIZE,
  MachOError,
  MH_EXECUTE,
  PAGE_SIZE,
  PAGE_SIZE_BITS,
  parseMachO,
  SHA256_SIZE,
} from './macho.ts';

export interface SignOptions {
  /** The CodeDirectory identifier; ad-hoc signatures give it no meaning beyond display. */
  identifier: string;
  /** Also set CS_LINKER_SIGNED (0x20000), as Apple's and Go's linkers do. Default false. */
  linkerSigned?: boolean;
}

export interface SignResult {
  signatureOffset: number;
  signatureSize: number;
  codeSlots: number;
  /** True when a load command was added; false when the existing LC_CODE_SIGNATURE was reused. */
  addedLoadCommand: boolean;
}

const CPU_TYPE_ARM64 = 0x0100000c;

/** Slot 2 holds an empty requirement set: magic, length 12, count 0. */
const EMPTY_REQUIREMENTS = (() => {
  const b = Buffer.alloc(12);
  b.writeUInt32BE(CSMAGIC_REQUIREMENTS, 0);
  b.writeUInt32BE(12, 4);
  return b;
})();
/** The certificate slot of an ad-hoc signature: an empty wrapper. */
const EMPTY_BLOB_WRAPPER = (() => {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(CSMAGIC_BLOBWRAPPER, 0);
  b.writeUInt32BE(8, 4);
  return b;
})();
const SPECIAL_SLOTS = CSSLOT_REQUIREMENTS;
const SUPERBLOB_HEADER_SIZE = 12 + 3 * 8;

/** Size of the signature this module writes for `codeLimit` bytes of code. */
export function signatureSize(codeLimit: number, identifier: string): number {
  const nCodeSlots = Math.ceil(codeLimit / PAGE_SIZE);
  return (
    SUPERBLOB_HEADER_SIZE +
    codeDirectorySize(nCodeSlots, identifier) +
    EMPTY_REQUIREMENTS.length +
    EMPTY_BLOB_WRAPPER.length
  );
}

function codeDirectorySize(nCodeSlots: number, identifier: string): number {
  return (
    CODE_DIRECTORY_SIZE +
    Buffer.byteLength(identifier) +
    1 +
    (SPECIAL_SLOTS + nCodeSlots) * SHA256_SIZE
  );
}

const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();

/**
 * Signs a Mach-O image held in memory and returns the signed image (a new buffer). Any existing
 * signature is dropped; its LC_CODE_SIGNATURE is reused, otherwise one is appended to the load
 * commands, which needs 16 free bytes before the first section.
 */
export function signMachO(image: Buffer, options: SignOptions): { image: Buffer; result: SignResult } {
  if (options.identifier.length === 0) throw new MachOError('the identifier must not be empty');
  const macho = parseMachO(image);
  const linkedit = findSegment(macho, '__LINKEDIT');
  const text = findSegment(macho, '__TEXT');
  const linkeditEnd = Number(linkedit.fileoff + linkedit.filesize);
  for (const s of macho.segments) {
    if (s !== linkedit && Number(s.fileoff + s.filesize) > Number(linkedit.fileoff)) {
      throw new MachOError(`segment ${s.segname} lies after __LINKEDIT: __LINKEDIT must be last`);
    }
  }

  let codeLimit: number;
  const header = Buffer.from(image.subarray(0, macho.firstContentOffset));
  let addedLoadCommand = false;
  let cmdOffset: number;
  if (macho.codeSignature !== undefined) {
    const { dataoff, datasize } = macho.codeSignature;
    if (dataoff + datasize > image.length || dataoff < Number(linkedit.fileoff)) {
      throw new MachOError(`the existing signature [${dataoff}, +${datasize}) is not inside __LINKEDIT`);
    }
    if (alignUp(dataoff + datasize, 16) < linkeditEnd) {
      throw new MachOError('the existing signature is not at the end of __LINKEDIT');
    }
    codeLimit = dataoff;
    cmdOffset = macho.codeSignature.cmdOffset;
  } else {
    if (linkeditEnd !== image.length) {
      throw new MachOError(
        `__LINKEDIT ends at ${linkeditEnd} but the file has ${image.length} bytes: trailing data is not supported`,
      );
    }
    cmdOffset = macho.commandsEnd;
    if (cmdOffset + LINKEDIT_DATA_COMMAND_SIZE > macho.firstContentOffset) {
      throw new MachOError(
        `no room for LC_CODE_SIGNATURE: load commands end at ${cmdOffset}, content starts at ${macho.firstContentOffset}`,
      );
    }
    const gap = header.subarray(cmdOffset, cmdOffset + LINKEDIT_DATA_COMMAND_SIZE);
    if (gap.some((b) => b !== 0)) {
      throw new MachOError('the space after the load commands is not free (non-zero bytes)');
    }
    header.writeUInt32LE(macho.ncmds + 1, 16);
    header.writeUInt32LE(macho.sizeofcmds + LINKEDIT_DATA_COMMAND_SIZE, 20);
    header.writeUInt32LE(LC_CODE_SIGNATURE, cmdOffset);
    header.writeUInt32LE(LINKEDIT_DATA_COMMAND_SIZE, cmdOffset + 4);
    codeLimit = alignUp(linkeditEnd, 16);
    addedLoadCommand = true;
  }
  if (codeLimit > 0xffffffff) throw new MachOError('files over 4 GiB need codeLimit64: not supported');

  const sigSize = signatureSize(codeLimit, options.identifier);
  header.writeUInt32LE(codeLimit, cmdOffset + 8);
  header.writeUInt32LE(sigSize, cmdOffset + 12);

  // __LINKEDIT now ends at the signature's end.
  const newLinkeditFilesize = BigInt(codeLimit + sigSize) - linkedit.fileoff;
  const segmentAlign = macho.cputype === CPU_TYPE_ARM64 ? 0x4000 : 0x1000;
  const neededVmsize = BigInt(alignUp(Number(newLinkeditFilesize), segmentAlign));
  header.writeBigUInt64LE(newLinkeditFilesize, linkedit.cmdOffset + 48);
  if (neededVmsize > linkedit.vmsize) header.writeBigUInt64LE(neededVmsize, linkedit.cmdOffset + 32);

  const out = Buffer.alloc(codeLimit + sigSize);
  image.copy(out, 0, 0, Math.min(codeLimit, image.length));
  header.copy(out, 0);

  writeSignature(out, codeLimit, {
    identifier: options.identifier,
    flags: CS_ADHOC | (options.linkerSigned === true ? CS_LINKER_SIGNED : 0),
    execSegBase: text.fileoff,
    execSegLimit: text.filesize,
    execSegFlags: macho.filetype === MH_EXECUTE ? BigInt(CS_EXECSEG_MAIN_BINARY) : 0n,
  });
  return {
    image: out,
    result: {
      signatureOffset: codeLimit,
      signatureSize: sigSize,
      codeSlots: Math.ceil(codeLimit / PAGE_SIZE),
      addedLoadCommand,
    },
  };
}

interface CodeDirectoryFields {
  identifier: string;
  flags: number;
  execSegBase: bigint;
  execSegLimit: bigint;
  execSegFlags: bigint;
}

/** Writes the SuperBlob at `out[codeLimit..]`, hashing `out[0..codeLimit)`. */
function writeSignature(out: Buffer, codeLimit: number, fields: CodeDirectoryFields): void {
  const nCodeSlots = Math.ceil(codeLimit / PAGE_SIZE);
  const cdSize = codeDirectorySize(nCodeSlots, fields.identifier);
  const identOffset = CODE_DIRECTORY_SIZE;
  const hashOffset = identOffset + Buffer.byteLength(fields.identifier) + 1 + SPECIAL_SLOTS * SHA256_SIZE;
  const cdAt = SUPERBLOB_HEADER_SIZE;
  const reqAt = cdAt + cdSize;
  const wrapperAt = reqAt + EMPTY_REQUIREMENTS.length;
  const total = wrapperAt + EMPTY_BLOB_WRAPPER.length;

  const sig = out.subarray(codeLimit, codeLimit + total);
  sig.fill(0);
  sig.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  sig.writeUInt32BE(total, 4);
  sig.writeUInt32BE(3, 8);
  const index: [number, number][] = [
    [CSSLOT_CODEDIRECTORY, cdAt],
    [CSSLOT_REQUIREMENTS, reqAt],
    [CSSLOT_SIGNATURESLOT, wrapperAt],
  ];
  index.forEach(([type, offset], i) => {
    sig.writeUInt32BE(type, 12 + i * 8);
    sig.writeUInt32BE(offset, 16 + i * 8);
  });

  const cd = sig.subarray(cdAt, cdAt + cdSize);
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  cd.writeUInt32BE(cdSize, 4);
  cd.writeUInt32BE(CD_VERSION_EXECSEG, 8);
  cd.writeUInt32BE(fields.flags, 12);
  cd.writeUInt32BE(hashOffset, 16);
  cd.writeUInt32BE(identOffset, 20);
  cd.writeUInt32BE(SPECIAL_SLOTS, 24);
  cd.writeUInt32BE(nCodeSlots, 28);
  cd.writeUInt32BE(codeLimit, 32);
  cd.writeUInt8(SHA256_SIZE, 36);
  cd.writeUInt8(CS_HASHTYPE_SHA256, 37);
  cd.writeUInt8(0, 38); // platform
  cd.writeUInt8(PAGE_SIZE_BITS, 39);
  // 40 spare2, 44 scatterOffset, 48 teamOffset, 52 spare3, 56 codeLimit64: all zero.
  cd.writeBigUInt64BE(fields.execSegBase, 64);
  cd.writeBigUInt64BE(fields.execSegLimit, 72);
  cd.writeBigUInt64BE(fields.execSegFlags, 80);
  cd.write(`${fields.identifier}\0`, identOffset, 'utf8');
  // Special slots sit just before hashOffset, slot -n first: slot -2 (requirements), slot -1 (Info.plist, none).
  sha256(EMPTY_REQUIREMENTS).copy(cd, hashOffset - CSSLOT_REQUIREMENTS * SHA256_SIZE);
  for (let i = 0; i < nCodeSlots; i++) {
    const start = i * PAGE_SIZE;
    sha256(out.subarray(start, Math.min(start + PAGE_SIZE, codeLimit))).copy(cd, hashOffset + i * SHA256_SIZE);
  }
  EMPTY_REQUIREMENTS.copy(sig, reqAt);
  EMPTY_BLOB_WRAPPER.copy(sig, wrapperAt);
}

/**
 * Removes the code signature: drops LC_CODE_SIGNATURE (later load commands move up), cuts the
 * file at the signature and shrinks __LINKEDIT. Returns the image unchanged when unsigned.
 */
export function removeSignature(image: Buffer): Buffer {
  const macho = parseMachO(image);
  const cs = macho.codeSignature;
  if (cs === undefined) return image;
  const linkedit = findSegment(macho, '__LINKEDIT');
  if (alignUp(cs.dataoff + cs.datasize, 16) < Number(linkedit.fileoff + linkedit.filesize)) {
    throw new MachOError('the signature is not at the end of __LINKEDIT');
  }
  const out = Buffer.from(image.subarray(0, cs.dataoff));
  const after = image.subarray(cs.cmdOffset + LINKEDIT_DATA_COMMAND_SIZE, macho.commandsEnd);
  after.copy(out, cs.cmdOffset);
  out.fill(0, macho.commandsEnd - LINKEDIT_DATA_COMMAND_SIZE, macho.commandsEnd);
  out.writeUInt32LE(macho.ncmds - 1, 16);
  out.writeUInt32LE(macho.sizeofcmds - LINKEDIT_DATA_COMMAND_SIZE, 20);
  // __LINKEDIT's command may have moved up by one LC_CODE_SIGNATURE.
  const linkeditCmd = linkedit.cmdOffset > cs.cmdOffset ? linkedit.cmdOffset - LINKEDIT_DATA_COMMAND_SIZE : linkedit.cmdOffset;
  out.writeBigUInt64LE(BigInt(cs.dataoff) - linkedit.fileoff, linkeditCmd + 48);
  return out;
}

/** Signs FILE in place. */
export async function signFile(path: string, options: SignOptions): Promise<SignResult> {
  const { image, result } = signMachO(await readFile(path), options);
  await writeFile(path, image);
  return result;
}

async function cli(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { identifier: { type: 'string' }, 'linker-signed': { type: 'boolean' } },
  });
  if (positionals.length !== 1) {
    process.stderr.write('usage: macho-sign.ts FILE [--identifier ID] [--linker-signed]\n');
    return 2;
  }
  const file = positionals[0]!;
  const identifier = values.identifier ?? basename(file).replace(/\.[^.]*$/, '');
  const r = await signFile(file, { identifier, linkerSigned: values['linker-signed'] ?? false });
  process.stdout.write(
    `signed ${file}: ad-hoc, identifier ${identifier}, ${r.codeSlots} pages, signature ${r.signatureSize} bytes at ${r.signatureOffset}` +
      `${r.addedLoadCommand ? ' (added LC_CODE_SIGNATURE)' : ''}\n`,
  );
  return 0;
}

if (import.meta.main) {
  cli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`macho-sign: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
