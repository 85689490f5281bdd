// Marks one ELF version-need entry (e.g. GLIBCXX_3.4.32) weak in a copy of a shared library.
//
// Compiled twice: by MSBuild's RoslynCodeTaskFactory (build/TorchSharpGlibcxx.targets), which uses the
// WeakenVersionNeed task class, and by tests/ScratchNet.Torch.Tests (ELF_VERSION_NEED_LOGIC_ONLY defined),
// which test the ElfVersionNeeds logic on synthetic ELF images without MSBuild.
//
// ELF64 little-endian layout used here (System V gABI, GNU symbol versioning):
//   header:  e_shoff @0x28 (u64), e_shentsize @0x3A (u16), e_shnum @0x3C (u16)
//   section: sh_type @4 (u32), sh_offset @24 (u64), sh_size @32 (u64), sh_link @40 (u32)
//   Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32         (16 bytes)
//   Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32  (16 bytes)
// A Vernaux with VER_FLG_WEAK (0x2) in vna_flags makes the dynamic loader accept a library that lacks
// that version (glibc: a missing weak version is not an error), so only symbols bound to it would fail.
#nullable enable
#pragma warning disable IDE0005 // MSBuild compiles this file without implicit usings; the test project has them.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
#pragma warning restore IDE0005

/// <summary>One Vernaux entry of an ELF's <c>.gnu.version_r</c> section (a class, not a record: MSBuild compiles this for netstandard2.0).</summary>
public sealed class ElfVersionNeed
{
    public ElfVersionNeed(string file, string version, ushort flags, long flagsOffset)
    {
        File = file;
        Version = version;
        Flags = flags;
        FlagsOffset = flagsOffset;
    }

    /// <summary>The library the version is needed from (e.g. libstdc++.so.6).</summary>
    public string File { get; }

    /// <summary>The version name (e.g. GLIBCXX_3.4.32).</summary>
    public string Version { get; }

    /// <summary>vna_flags; bit 0x2 is VER_FLG_WEAK.</summary>
    public ushort Flags { get; }

    /// <summary>Byte offset of vna_flags in the file.</summary>
    public long FlagsOffset { get; }

    public bool IsWeak => (Flags & ElfVersionNeeds.VerFlagWeak) != 0;
}

public static class ElfVersionNeeds
{
    public const ushort VerFlagWeak = 0x2;
    private const uint SectionTypeGnuVerneed = 0x6ffffffe;

    /// <summary>All version needs of an ELF64 little-endian image; empty when it has no .gnu.version_r.</summary>
    public static List<ElfVersionNeed> Read(byte[] elf)
    {
        if (elf.Length < 0x40 || elf[0] != 0x7F || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file (the first 4 bytes are not 0x7F 'E' 'L' 'F')");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"only 64-bit little-endian ELF is supported (EI_CLASS={elf[4]}, EI_DATA={elf[5]}; expected 2 and 1)");

        long sectionHeaders = Checked(elf, ReadU64(elf, 0x28), 0);
        int sectionHeaderSize = ReadU16(elf, 0x3A);
        int sectionCount = ReadU16(elf, 0x3C);
        var needs = new List<ElfVersionNeed>();
        for (int section = 0; section < sectionCount; section++)
        {
            long header = Checked(elf, sectionHeaders + ((long)section * sectionHeaderSize), 64);
            if (ReadU32(elf, header + 4) != SectionTypeGnuVerneed)
                continue;
            long start = Checked(elf, ReadU64(elf, header + 24), 0);
            Checked(elf, (ulong)start + ReadU64(elf, header + 32), 0);
            uint stringSection = ReadU32(elf, header + 40);
            if (stringSection >= sectionCount)
                throw new InvalidDataException($"sh_link {stringSection} of .gnu.version_r is not a section index (0..{sectionCount - 1})");
            long strings = Checked(elf, ReadU64(elf, Checked(elf, sectionHeaders + ((long)stringSection * sectionHeaderSize), 64) + 24), 0);
            ReadNeeds(elf, start, strings, needs);
        }
        return needs;
    }

    /// <summary>Sets VER_FLG_WEAK on every need of <paramref name="version"/>; returns how many changed (0 when already weak or absent).</summary>
    public static int MarkWeak(byte[] elf, string version)
    {
        int changed = 0;
        foreach (var need in Read(elf))
        {
            if (need.Version != version || need.IsWeak)
                continue;
            ushort flags = (ushort)(need.Flags | VerFlagWeak);
            elf[need.FlagsOffset] = (byte)flags;
            elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
            changed++;
        }
        return changed;
    }

    /// <summary>True when <paramref name="library"/> contains the NUL-terminated version name (how a libstdc++ defines GLIBCXX_x).</summary>
    public static bool DefinesVersionString(byte[] library, string version)
    {
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        for (int start = Array.IndexOf(library, needle[0]); start >= 0 && start <= library.Length - needle.Length;
             start = Array.IndexOf(library, needle[0], start + 1))
        {
            int matched = 1;
            while (matched < needle.Length && library[start + matched] == needle[matched])
                matched++;
            if (matched == needle.Length)
                return true;
        }
        return false;
    }

    private static void ReadNeeds(byte[] elf, long start, long strings, List<ElfVersionNeed> needs)
    {
        long need = start;
        for (int guard = 0; guard < 10_000; guard++)
        {
            Checked(elf, need, 16);
            int auxCount = ReadU16(elf, need + 2);
            string file = ReadString(elf, strings + ReadU32(elf, need + 4));
            long aux = need + ReadU32(elf, need + 8);
            for (int i = 0; i < auxCount; i++)
            {
                Checked(elf, aux, 16);
                needs.Add(new ElfVersionNeed(file, ReadString(elf, strings + ReadU32(elf, aux + 8)), ReadU16(elf, aux + 4), aux + 4));
                uint nextAux = ReadU32(elf, aux + 12);
                if (nextAux == 0)
                    break;
                aux += nextAux;
            }
            uint next = ReadU32(elf, need + 12);
            if (next == 0)
                return;
            need += next;
        }
        throw new InvalidDataException(".gnu.version_r has more than 10000 entries (corrupt vn_next chain?)");
    }

    private static long Checked(byte[] elf, long offset, int length)
    {
        if (offset < 0 || offset + length > elf.Length)
            throw new InvalidDataException($"ELF offset {offset} (+{length} bytes) is outside the file (0..{elf.Length})");
        return offset;
    }

    private static long Checked(byte[] elf, ulong offset, int length) =>
        offset > long.MaxValue ? throw new InvalidDataException($"ELF offset {offset} is too large") : Checked(elf, (long)offset, length);

    private static ushort ReadU16(byte[] elf, long offset) => (ushort)(elf[Checked(elf, offset, 2)] | (elf[offset + 1] << 8));

    private static uint ReadU32(byte[] elf, long offset) => (uint)(ReadU16(elf, offset) | (ReadU16(elf, offset + 2) << 16));

    private static ulong ReadU64(byte[] elf, long offset) => ReadU32(elf, offset) | ((ulong)ReadU32(elf, offset + 4) << 32);

    private static string ReadString(byte[] elf, long offset)
    {
        Checked(elf, offset, 1);
        int end = Array.IndexOf(elf, (byte)0, (int)offset);
        if (end < 0)
            throw new InvalidDataException($"ELF string at {offset} is not NUL-terminated");
        return Encoding.ASCII.GetString(elf, (int)offset, end - (int)offset);
    }
}

#if !ELF_VERSION_NEED_LOGIC_ONLY
/// <summary>
/// MSBuild task: in each of <see cref="Files"/> (copies in the build output, never the NuGet cache), marks the need for
/// <see cref="Version"/> weak when the system's libstdc++ does not define it. Idempotent; writes through a temporary
/// file and a rename, so a hard-linked or symlinked output copy never writes through to the package cache.
/// </summary>
public class WeakenVersionNeed : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    [Microsoft.Build.Framework.Required]
    public string Version { get; set; } = "";

    /// <summary>Candidate paths of the system libstdc++; the first that exists is checked, else `ldconfig -p` is asked.</summary>
    public string[] LibStdCxxCandidates { get; set; } = Array.Empty<string>();

    public override bool Execute()
    {
        if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) || Files.Length == 0)
            return true;
        string? libStdCxx = FindLibStdCxx();
        if (libStdCxx != null && ElfVersionNeeds.DefinesVersionString(System.IO.File.ReadAllBytes(libStdCxx), Version))
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"{libStdCxx} defines {Version}; TorchSharp natives left as they are.");
            return true;
        }
        foreach (var item in Files)
        {
            string path = item.GetMetadata("FullPath");
            if (!System.IO.File.Exists(path))
                continue;
            byte[] elf = System.IO.File.ReadAllBytes(path);
            if (ElfVersionNeeds.MarkWeak(elf, Version) == 0)
                continue;
            // Copy (keeps the file mode), overwrite the copy, then rename it over the output file: a hard link or
            // symlink to the package cache is replaced, never written through.
            // The patched file keeps the copy's timestamp (same size too), so the next incremental build's
            // Copy (SkipUnchangedFiles) leaves it alone instead of re-copying and re-patching every time.
            string temporary = path + ".weaken-tmp";
            DateTime copiedAt = System.IO.File.GetLastWriteTimeUtc(path);
            try
            {
                System.IO.File.Copy(path, temporary, overwrite: true);
                System.IO.File.WriteAllBytes(temporary, elf);
                System.IO.File.Replace(temporary, path, destinationBackupFileName: null);
                System.IO.File.SetLastWriteTimeUtc(path, copiedAt);
            }
            finally
            {
                if (System.IO.File.Exists(temporary))
                    System.IO.File.Delete(temporary);
            }
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                $"{path}: marked the {Version} version need weak ({libStdCxx ?? "no libstdc++.so.6 found"} lacks it; see docs/torch.md).");
        }
        return !Log.HasLoggedErrors;
    }

    private string? FindLibStdCxx()
    {
        foreach (string candidate in LibStdCxxCandidates)
        {
            if (System.IO.File.Exists(candidate))
                return candidate;
        }
        foreach (string ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig" })
        {
            try
            {
                var start = new System.Diagnostics.ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, UseShellExecute = false };
                using var process = System.Diagnostics.Process.Start(start);
                if (process == null)
                    continue;
                string output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                foreach (string line in output.Split('\n'))
                {
                    int arrow = line.IndexOf("=> ", StringComparison.Ordinal);
                    if (line.TrimStart().StartsWith("libstdc++.so.6 ", StringComparison.Ordinal) && line.IndexOf("x86-64", StringComparison.Ordinal) > 0 && arrow > 0)
                        return line.Substring(arrow + 3).Trim();
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // This ldconfig is not installed; try the next location.
            }
        }
        return null;
    }
}
#endif
