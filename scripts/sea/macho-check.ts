/**
 * Structural check of a Mach-O code signature: re-parses the file, checks that LC_CODE_SIGNATURE,
 * __LINKEDIT and the SuperBlob agree on offsets and sizes, and recomputes every SHA-256 page hash
 * of the CodeDirectory in slot 0 (and the requirements special slot, when present).
 *
 * It checks what the kernel checks page by page; it cannot replace a run on a Mac (it knows no
 * policy: notarization, Gatekeeper, entitlements).
 *
 * Usage: node scripts/sea/macho-check.ts [--adhoc] FILE...   (exit 1 if any file has a problem)
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  CS_ADHOC,
  CS_EXECSEG_MAIN_BINARY,
  CS_HASHTYPE_SHA256,
  CSSLOT_REQUIREMENTS,
  findSegment,
  MachOError,
  MH_EXECUTE,
  PAGE_SIZE_BITS,
  parseMachO,
  parseSuperBlob,
  SHA256_SIZE,
  type CodeDirectory,
} from './macho.ts';

export interface CheckOptions {
  /** Require the ad-hoc flag (what our signer writes). Apple's release signatures are not ad-hoc. */
  requireAdhoc?: boolean;
}

export interface CheckReport {
  ok: boolean;
  problems: string[];
  codeDirectory: CodeDirectory | undefined;
  pagesChecked: number;
}

const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();

export function checkMachO(image: Buffer, options: CheckOptions = {}): CheckReport {
  const problems: string[] = [];
  const report = (): CheckReport => ({ ok: problems.length === 0, problems, codeDirectory, pagesChecked });
  let codeDirectory: CodeDirectory | undefined;
  let pagesChecked = 0;

  let macho;
  try {
    macho = parseMachO(image);
  } catch (error) {
    problems.push((error as Error).message);
    return report();
  }
  const cs = macho.codeSignature;
  if (cs === undefined) {
    problems.push('no LC_CODE_SIGNATURE load command');
    return report();
  }
  if (macho.commandsEnd > macho.firstContentOffset) {
    problems.push(`load commands end at ${macho.commandsEnd}, past the first content at ${macho.firstContentOffset}`);
  }
  if (cs.dataoff % 16 !== 0) problems.push(`signature offset ${cs.dataoff} is not 16-byte aligned`);
  if (cs.dataoff + cs.datasize > image.length) {
    problems.push(`signature [${cs.dataoff}, +${cs.datasize}) runs past the end of the file (${image.length})`);
    return report();
  }
  if (cs.dataoff + cs.datasize !== image.length) {
    problems.push(`${image.length - cs.dataoff - cs.datasize} bytes follow the signature`);
  }
  try {
    const linkedit = findSegment(macho, '__LINKEDIT');
    const start = Number(linkedit.fileoff);
    const end = start + Number(linkedit.filesize);
    if (cs.dataoff < start || cs.dataoff + cs.datasize > end) {
      problems.push(`signature [${cs.dataoff}, ${cs.dataoff + cs.datasize}) is outside __LINKEDIT [${start}, ${end})`);
    }
    if (end !== image.length) problems.push(`__LINKEDIT ends at ${end}, the file at ${image.length}`);
    if (linkedit.vmsize < linkedit.filesize) {
      problems.push(`__LINKEDIT vmsize ${linkedit.vmsize} is smaller than its filesize ${linkedit.filesize}`);
    }
  } catch (error) {
    problems.push((error as Error).message);
  }

  let superBlob;
  try {
    superBlob = parseSuperBlob(image.subarray(cs.dataoff, cs.dataoff + cs.datasize));
  } catch (error) {
    problems.push((error as Error).message);
    return report();
  }
  const cd = superBlob.codeDirectory;
  codeDirectory = cd;
  if (cd.hashType !== CS_HASHTYPE_SHA256 || cd.hashSize !== SHA256_SIZE) {
    problems.push(`CodeDirectory hash type ${cd.hashType} size ${cd.hashSize}, expected SHA-256 (2, 32)`);
    return report();
  }
  // 4 KiB pages (ours, Go's linker, Bun's ad-hoc signature) or 16 KiB (Apple's tools sign arm64 so: Bun's release).
  if (cd.pageSizeBits !== PAGE_SIZE_BITS && cd.pageSizeBits !== 14) problems.push(`page size 2^${cd.pageSizeBits}, expected 2^12 or 2^14`);
  if (options.requireAdhoc === true && (cd.flags & CS_ADHOC) === 0) {
    problems.push(`CodeDirectory flags 0x${cd.flags.toString(16)} lack adhoc (0x2)`);
  }
  if (cd.identifier.length === 0) problems.push('empty identifier');
  if (cd.codeLimit !== cs.dataoff) {
    problems.push(`codeLimit ${cd.codeLimit} differs from the signature offset ${cs.dataoff}`);
  }
  const pageSize = 2 ** cd.pageSizeBits;
  const expectedSlots = Math.ceil(cd.codeLimit / pageSize);
  if (cd.nCodeSlots !== expectedSlots) {
    problems.push(`${cd.nCodeSlots} code slots, expected ${expectedSlots} for codeLimit ${cd.codeLimit}`);
  }
  if (cd.hashOffset + cd.nCodeSlots * cd.hashSize > cd.length) {
    problems.push('code slots run past the CodeDirectory');
    return report();
  }
  if (cd.hashOffset - cd.nSpecialSlots * cd.hashSize < cd.identOffset) {
    problems.push('special slots overlap the identifier');
  }
  try {
    const text = findSegment(macho, '__TEXT');
    if (cd.execSegBase !== text.fileoff || cd.execSegLimit !== text.filesize) {
      problems.push(
        `execSeg [${cd.execSegBase}, +${cd.execSegLimit}) differs from __TEXT [${text.fileoff}, +${text.filesize})`,
      );
    }
    const mainBinary = (cd.execSegFlags & BigInt(CS_EXECSEG_MAIN_BINARY)) !== 0n;
    if (mainBinary !== (macho.filetype === MH_EXECUTE)) {
      problems.push(`execSegFlags 0x${cd.execSegFlags.toString(16)} do not match file type ${macho.filetype}`);
    }
  } catch (error) {
    problems.push((error as Error).message);
  }

  const sigStart = cs.dataoff;
  const cdStart = sigStart + cd.offset;
  // Special slot -2: the hash of the requirements blob, when the SuperBlob has one.
  const reqEntry = superBlob.index.find((e) => e.type === CSSLOT_REQUIREMENTS);
  if (reqEntry !== undefined && cd.nSpecialSlots >= CSSLOT_REQUIREMENTS) {
    const at = sigStart + reqEntry.offset;
    const blob = image.subarray(at, at + image.readUInt32BE(at + 4));
    const slot = cdStart + cd.hashOffset - CSSLOT_REQUIREMENTS * cd.hashSize;
    if (!sha256(blob).equals(image.subarray(slot, slot + cd.hashSize))) {
      problems.push('requirements special slot (-2) does not match the requirements blob');
    }
  }
  let badPages = 0;
  for (let i = 0; i < cd.nCodeSlots && i < expectedSlots; i++) {
    const start = i * pageSize;
    const actual = sha256(image.subarray(start, Math.min(start + pageSize, cd.codeLimit)));
    const slot = cdStart + cd.hashOffset + i * cd.hashSize;
    if (!actual.equals(image.subarray(slot, slot + cd.hashSize))) {
      badPages++;
      if (badPages <= 5) problems.push(`page ${i} (offset ${start}) hash mismatch`);
    }
    pagesChecked++;
  }
  if (badPages > 5) problems.push(`... ${badPages} pages mismatch in all`);
  return report();
}

export async function checkFile(path: string, options: CheckOptions = {}): Promise<CheckReport> {
  return checkMachO(await readFile(path), options);
}

async function cli(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { adhoc: { type: 'boolean' } },
  });
  if (positionals.length === 0) {
    process.stderr.write('usage: macho-check.ts [--adhoc] FILE...\n');
    return 2;
  }
  let failed = 0;
  for (const file of positionals) {
    const r = await checkFile(file, { requireAdhoc: values.adhoc ?? false });
    const cd = r.codeDirectory;
    const what = cd === undefined ? '' : ` (identifier ${cd.identifier}, flags 0x${cd.flags.toString(16)})`;
    if (r.ok) {
      process.stdout.write(`${file}: ok, ${r.pagesChecked} page hashes verified${what}\n`);
    } else {
      failed++;
      process.stdout.write(`${file}: FAILED${what}\n${r.problems.map((p) => `  - ${p}\n`).join('')}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) {
  cli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      const message = error instanceof MachOError || error instanceof Error ? error.message : String(error);
      process.stderr.write(`macho-check: ${message}\n`);
      process.exitCode = 1;
    },
  );
}
