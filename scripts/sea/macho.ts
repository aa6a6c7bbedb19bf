/**
 * Mach-O 64-bit (thin, little-endian) reading: the header, the load commands the signer and the
 * checker need (segments and LC_CODE_SIGNATURE), and the code-signature blob layout.
 *
 * The signature layout is Apple's (xnu osfmk/kern/cs_blobs.h), as Go's linker writes it in
 * cmd/internal/codesign: an embedded-signature SuperBlob holding a CodeDirectory whose code slots
 * are SHA-256 hashes of each 4 KiB page of the file up to the signature.
 */

export const MH_MAGIC_64 = 0xfeedfacf;
export const FAT_MAGIC = 0xcafebabe;
export const FAT_MAGIC_64 = 0xcafebabf;
export const MH_EXECUTE = 0x2;

export const LC_SEGMENT_64 = 0x19;
export const LC_CODE_SIGNATURE = 0x1d;

export const CSMAGIC_REQUIREMENTS = 0xfade0c01;
export const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
export const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
export const CSMAGIC_BLOBWRAPPER = 0xfade0b01;

export const CSSLOT_CODEDIRECTORY = 0;
export const CSSLOT_REQUIREMENTS = 2;
export const CSSLOT_SIGNATURESLOT = 0x10000;

export const CS_ADHOC = 0x2;
export const CS_LINKER_SIGNED = 0x20000;
export const CS_HASHTYPE_SHA256 = 2;
export const CS_EXECSEG_MAIN_BINARY = 0x1;
/** The CodeDirectory version that carries the execSeg fields. */
export const CD_VERSION_EXECSEG = 0x20400;

export const PAGE_SIZE_BITS = 12;
export const PAGE_SIZE = 1 << PAGE_SIZE_BITS;
export const SHA256_SIZE = 32;

export const MACH_HEADER_64_SIZE = 32;
export const SEGMENT_COMMAND_64_SIZE = 72;
export const SECTION_64_SIZE = 80;
export const LINKEDIT_DATA_COMMAND_SIZE = 16;
/** CodeDirectory header up to and including execSegFlags (version 0x20400), without id and hashes. */
export const CODE_DIRECTORY_SIZE = 88;

export class MachOError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MachOError';
  }
}

export interface Section64 {
  sectname: string;
  segname: string;
  addr: bigint;
  size: bigint;
  offset: number;
}

export interface Segment64 {
  /** File offset of the load command. */
  cmdOffset: number;
  segname: string;
  vmaddr: bigint;
  vmsize: bigint;
  fileoff: bigint;
  filesize: bigint;
  sections: Section64[];
}

export interface CodeSignatureCommand {
  cmdOffset: number;
  dataoff: number;
  datasize: number;
}

export interface MachO {
  cputype: number;
  filetype: number;
  ncmds: number;
  sizeofcmds: number;
  /** End of the load commands: header size + sizeofcmds. */
  commandsEnd: number;
  segments: Segment64[];
  codeSignature: CodeSignatureCommand | undefined;
  /** Lowest file offset of any section or non-header segment content: load commands must end before it. */
  firstContentOffset: number;
}

const cString = (buf: Buffer, start: number, length: number): string => {
  const bytes = buf.subarray(start, start + length);
  const nul = bytes.indexOf(0);
  return bytes.subarray(0, nul === -1 ? bytes.length : nul).toString('latin1');
};

/**
 * Parses the header and load commands. `head` must hold at least the header and all load commands
 * (the first 64 KiB always does for the binaries we sign; a short buffer raises a MachOError).
 */
export function parseMachO(head: Buffer): MachO {
  if (head.length < MACH_HEADER_64_SIZE) throw new MachOError('file too short for a Mach-O header');
  const magicBE = head.readUInt32BE(0);
  if (magicBE === FAT_MAGIC || magicBE === FAT_MAGIC_64) {
    throw new MachOError('universal (fat) Mach-O files are not supported: sign each thin slice');
  }
  const magic = head.readUInt32LE(0);
  if (magic !== MH_MAGIC_64) {
    throw new MachOError(`not a 64-bit little-endian Mach-O file (magic 0x${magic.toString(16)})`);
  }
  const cputype = head.readInt32LE(4);
  const filetype = head.readUInt32LE(12);
  const ncmds = head.readUInt32LE(16);
  const sizeofcmds = head.readUInt32LE(20);
  const commandsEnd = MACH_HEADER_64_SIZE + sizeofcmds;
  if (commandsEnd > head.length) {
    throw new MachOError(`load commands end at ${commandsEnd}, beyond the ${head.length} bytes read`);
  }
  const segments: Segment64[] = [];
  let codeSignature: CodeSignatureCommand | undefined;
  let firstContentOffset = Number.MAX_SAFE_INTEGER;
  let off = MACH_HEADER_64_SIZE;
  for (let i = 0; i < ncmds; i++) {
    if (off + 8 > commandsEnd) throw new MachOError(`load command ${i} runs past sizeofcmds`);
    const cmd = head.readUInt32LE(off);
    const cmdsize = head.readUInt32LE(off + 4);
    if (cmdsize < 8 || off + cmdsize > commandsEnd) {
      throw new MachOError(`load command ${i} (0x${cmd.toString(16)}) has a bad size ${cmdsize}`);
    }
    if (cmd === LC_SEGMENT_64) {
      const nsects = head.readUInt32LE(off + 64);
      if (SEGMENT_COMMAND_64_SIZE + nsects * SECTION_64_SIZE > cmdsize) {
        throw new MachOError(`segment command ${i} is too small for its ${nsects} sections`);
      }
      const segment: Segment64 = {
        cmdOffset: off,
        segname: cString(head, off + 8, 16),
        vmaddr: head.readBigUInt64LE(off + 24),
        vmsize: head.readBigUInt64LE(off + 32),
        fileoff: head.readBigUInt64LE(off + 40),
        filesize: head.readBigUInt64LE(off + 48),
        sections: [],
      };
      for (let s = 0; s < nsects; s++) {
        const so = off + SEGMENT_COMMAND_64_SIZE + s * SECTION_64_SIZE;
        const section: Section64 = {
          sectname: cString(head, so, 16),
          segname: cString(head, so + 16, 16),
          addr: head.readBigUInt64LE(so + 32),
          size: head.readBigUInt64LE(so + 40),
          offset: head.readUInt32LE(so + 48),
        };
        segment.sections.push(section);
        // Zero-fill sections (offset 0) have no file content.
        if (section.offset !== 0 && section.size > 0n) {
          firstContentOffset = Math.min(firstContentOffset, section.offset);
        }
      }
      if (segment.fileoff > 0n && segment.filesize > 0n) {
        firstContentOffset = Math.min(firstContentOffset, Number(segment.fileoff));
      }
      segments.push(segment);
    } else if (cmd === LC_CODE_SIGNATURE) {
      if (cmdsize !== LINKEDIT_DATA_COMMAND_SIZE) {
        throw new MachOError(`LC_CODE_SIGNATURE has size ${cmdsize}, expected ${LINKEDIT_DATA_COMMAND_SIZE}`);
      }
      codeSignature = {
        cmdOffset: off,
        dataoff: head.readUInt32LE(off + 8),
        datasize: head.readUInt32LE(off + 12),
      };
    }
    off += cmdsize;
  }
  return {
    cputype,
    filetype,
    ncmds,
    sizeofcmds,
    commandsEnd,
    segments,
    codeSignature,
    firstContentOffset,
  };
}

export function findSegment(macho: MachO, name: string): Segment64 {
  const segment = macho.segments.find((s) => s.segname === name);
  if (segment === undefined) throw new MachOError(`no ${name} segment`);
  return segment;
}

export const alignUp = (value: number, alignment: number): number =>
  Math.ceil(value / alignment) * alignment;

// ---- code signature blobs -------------------------------------------------------------------

export interface BlobIndexEntry {
  type: number;
  offset: number;
}

export interface CodeDirectory {
  /** Offset of the CodeDirectory inside the signature. */
  offset: number;
  length: number;
  version: number;
  flags: number;
  hashOffset: number;
  identOffset: number;
  nSpecialSlots: number;
  nCodeSlots: number;
  codeLimit: number;
  hashSize: number;
  hashType: number;
  pageSizeBits: number;
  execSegBase: bigint;
  execSegLimit: bigint;
  execSegFlags: bigint;
  identifier: string;
}

export interface SuperBlob {
  length: number;
  index: BlobIndexEntry[];
  codeDirectory: CodeDirectory;
}

/** Parses an embedded-signature SuperBlob (big-endian, as all code-signing structures are). */
export function parseSuperBlob(sig: Buffer): SuperBlob {
  if (sig.length < 12) throw new MachOError('code signature shorter than a SuperBlob header');
  const magic = sig.readUInt32BE(0);
  if (magic !== CSMAGIC_EMBEDDED_SIGNATURE) {
    throw new MachOError(`code signature magic 0x${magic.toString(16)}, expected 0xfade0cc0`);
  }
  const length = sig.readUInt32BE(4);
  const count = sig.readUInt32BE(8);
  if (length > sig.length) throw new MachOError(`SuperBlob length ${length} exceeds its ${sig.length} bytes`);
  if (12 + count * 8 > length) throw new MachOError(`SuperBlob index of ${count} entries overflows`);
  const index: BlobIndexEntry[] = [];
  for (let i = 0; i < count; i++) {
    index.push({ type: sig.readUInt32BE(12 + i * 8), offset: sig.readUInt32BE(16 + i * 8) });
  }
  const cdEntry = index.find((e) => e.type === CSSLOT_CODEDIRECTORY);
  if (cdEntry === undefined) throw new MachOError('SuperBlob has no CodeDirectory slot');
  const o = cdEntry.offset;
  if (o + CODE_DIRECTORY_SIZE > length) throw new MachOError('CodeDirectory runs past the SuperBlob');
  const cdMagic = sig.readUInt32BE(o);
  if (cdMagic !== CSMAGIC_CODEDIRECTORY) {
    throw new MachOError(`CodeDirectory magic 0x${cdMagic.toString(16)}, expected 0xfade0c02`);
  }
  const cd: CodeDirectory = {
    offset: o,
    length: sig.readUInt32BE(o + 4),
    version: sig.readUInt32BE(o + 8),
    flags: sig.readUInt32BE(o + 12),
    hashOffset: sig.readUInt32BE(o + 16),
    identOffset: sig.readUInt32BE(o + 20),
    nSpecialSlots: sig.readUInt32BE(o + 24),
    nCodeSlots: sig.readUInt32BE(o + 28),
    codeLimit: sig.readUInt32BE(o + 32),
    hashSize: sig.readUInt8(o + 36),
    hashType: sig.readUInt8(o + 37),
    pageSizeBits: sig.readUInt8(o + 39),
    execSegBase: 0n,
    execSegLimit: 0n,
    execSegFlags: 0n,
    identifier: '',
  };
  if (cd.version >= CD_VERSION_EXECSEG) {
    cd.execSegBase = sig.readBigUInt64BE(o + 64);
    cd.execSegLimit = sig.readBigUInt64BE(o + 72);
    cd.execSegFlags = sig.readBigUInt64BE(o + 80);
  }
  if (o + cd.length > length) throw new MachOError('CodeDirectory length runs past the SuperBlob');
  if (cd.identOffset >= cd.length) throw new MachOError('CodeDirectory identifier offset out of range');
  cd.identifier = cString(sig, o + cd.identOffset, cd.length - cd.identOffset);
  return { length, index, codeDirectory: cd };
}
